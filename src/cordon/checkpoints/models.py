"""Checkpoints (卡口), their shifts and staff, passage inspections and green-lane passes for
key-supply vehicles. Inspections carry a client reference so a checkpoint that worked offline
can upload its queue more than once without duplicates."""

from django.conf import settings
from django.db import models

from cordon.checkpoints.enums import CheckpointKind, Direction, Result, Subject
from cordon.core.models import Scoped


class Checkpoint(Scoped):
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=CheckpointKind.choices, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="checkpoints")
    location = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Shift(Scoped):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    leader = models.CharField(max_length=50)
    leader_phone = models.CharField(max_length=20, blank=True)
    staff = models.JSONField(default=list, help_text="names of the staff on duty")

    class Meta:
        indexes = [models.Index(fields=["checkpoint", "starts_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start")]


class Pass(Scoped):
    """Green-lane pass for a key-supply vehicle (issued here or by livelihood's key enterprises)."""

    number = models.CharField(max_length=24, unique=True)
    plate = models.CharField(max_length=16, db_index=True)
    enterprise = models.CharField(max_length=120)
    cargo = models.CharField(max_length=120, blank=True)
    driver = models.CharField(max_length=50, blank=True)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    source = models.CharField(max_length=80, blank=True, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.number


class Inspection(Scoped):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="inspections")
    at = models.DateTimeField(db_index=True)
    subject = models.CharField(max_length=8, choices=Subject.choices, default=Subject.PERSON)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person_token = models.CharField(max_length=32, blank=True)
    plate = models.CharField(max_length=16, blank=True)
    vehicle_pass = models.ForeignKey(Pass, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections")
    origin = models.CharField(max_length=120, blank=True)
    origin_path = models.CharField(max_length=100, blank=True)
    origin_level = models.CharField(max_length=20, blank=True)
    destination = models.CharField(max_length=120, blank=True)
    colour = models.CharField(max_length=8, blank=True)
    result = models.CharField(max_length=8, choices=Result.choices, db_index=True)
    reason = models.CharField(max_length=20)
    note = models.CharField(max_length=200, blank=True)
    offline = models.BooleanField(default=False)
    handed_over = models.BooleanField(default=False)
    client_ref = models.CharField(max_length=40, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # An authorised officer letting a refused person through (medical emergency, childbirth, dialysis): the verdict
    # stays as the rules gave it; the override is recorded beside it.
    overridden_at = models.DateTimeField(null=True, blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    override_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["checkpoint", "at"])]
        constraints = [models.UniqueConstraint(fields=["checkpoint", "client_ref"], condition=~models.Q(client_ref=""),
                                               name="uniq_inspection_client_ref")]
