"""Key workers and freight drivers (白名单): the register, their test results, the passes a checkpoint recognises
and the passages of pass holders through checkpoints. region_path is the employer's region for a driver and the
workplace region for a key worker; a passage carries its checkpoint's region."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.keyworkers.enums import (
    Cargo,
    Category,
    PassStatus,
    SuspendReason,
    TestOutcome,
    TestSource,
    WorkShift,
)


class KeyPerson(Scoped):
    category = models.CharField(max_length=8, choices=Category.choices, db_index=True)
    name = models.CharField(max_length=50)
    id_number = models.CharField(max_length=18, unique=True)
    phone = models.CharField(max_length=20)
    employer = models.CharField(max_length=120)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # drivers
    plate = models.CharField(max_length=10, blank=True, db_index=True)
    origin_path = models.CharField(max_length=100, blank=True)
    origin_division = models.CharField(max_length=6, blank=True)
    origin_name = models.CharField(max_length=100, blank=True)
    destination_path = models.CharField(max_length=100, blank=True)
    destination_division = models.CharField(max_length=6, blank=True)
    destination_name = models.CharField(max_length=100, blank=True)
    cargo = models.CharField(max_length=12, choices=Cargo.choices, blank=True)
    closed_loop = models.BooleanField(default=False)
    # key workers
    role = models.CharField(max_length=60, blank=True)
    shift = models.CharField(max_length=10, choices=WorkShift.choices, blank=True)
    # testing (kept from the results below)
    last_negative_at = models.DateTimeField(null=True, blank=True)
    last_positive_at = models.DateTimeField(null=True, blank=True)
    next_test_due_at = models.DateTimeField(db_index=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self):
        return f"{self.get_category_display()} {self.pk}"


class TestRecord(Scoped):
    keyperson = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="tests")
    sampled_at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=TestOutcome.choices)
    source = models.CharField(max_length=10, choices=TestSource.choices, default=TestSource.OFFICER)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["keyperson", "sampled_at", "source"], name="uniq_kw_test")]


class KeyPass(Scoped):
    number = models.CharField(max_length=24, unique=True)
    keyperson = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="passes")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    status = models.CharField(max_length=10, choices=PassStatus.choices, default=PassStatus.ACTIVE, db_index=True)
    suspended_reason = models.CharField(max_length=10, choices=SuspendReason.choices, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(valid_until__gt=models.F("valid_from")), name="kw_pass_until_after_from")]

    def __str__(self):
        return self.number


class Passage(Scoped):
    """A pass presented at a checkpoint inspection (one per inspection; region_path is the checkpoint's)."""

    inspection_id = models.BigIntegerField(unique=True)
    checkpoint_id = models.BigIntegerField(db_index=True)
    checkpoint_name = models.CharField(max_length=120)
    at = models.DateTimeField(db_index=True)
    category = models.CharField(max_length=8, choices=Category.choices, blank=True)
    keyperson = models.ForeignKey(KeyPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="passages")
    key_pass = models.ForeignKey(KeyPass, null=True, blank=True, on_delete=models.SET_NULL, related_name="passages")
    result = models.CharField(max_length=8)
    reason = models.CharField(max_length=20)
