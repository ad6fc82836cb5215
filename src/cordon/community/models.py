"""Grid work: door-to-door checks, compound entrance control (passes, entry/exit log), village
checkpoints and returnee registration. region_path is the grid (door checks) or the community."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped


class DoorCheck(Scoped):
    """One household visited on one day (re-recording the same day updates it)."""

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="door_checks")
    day = models.DateField(db_index=True)
    visited_at = models.DateTimeField()
    answered = models.BooleanField(default=True)
    all_present = models.BooleanField(default=True)
    absent = models.PositiveSmallIntegerField(default=0)
    symptoms = models.BooleanField(default=False)
    symptom_note = models.CharField(max_length=200, blank=True)
    needs = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-day", "-visited_at"]
        constraints = [models.UniqueConstraint(fields=["household", "day"], name="uniq_door_check_day")]


class EntrancePass(Scoped):
    """A pass through a compound's entrance for an essential worker (delivery, medical, utilities, volunteer)."""

    community = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    compound = models.CharField(max_length=100)
    holder_name = models.CharField(max_length=50)
    holder_phone = models.CharField(max_length=20)
    role = models.CharField(max_length=20)
    code = models.CharField(max_length=16, unique=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    revoked = models.BooleanField(default=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class EntranceLog(Scoped):
    """One passage through a compound entrance, by a resident or a pass holder. A resident whose colour may not
    leave is refused an exit unless an authorised officer overrides it with a reason (kept here and audited)."""

    community = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    compound = models.CharField(max_length=100, db_index=True)
    direction = models.CharField(max_length=3, choices=[("in", "in"), ("out", "out")])
    at = models.DateTimeField(db_index=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entrance_pass = models.ForeignKey(EntrancePass, null=True, blank=True, on_delete=models.PROTECT, related_name="passages")
    purpose = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=8, blank=True, help_text="a resident's health colour at the passage")
    override_reason = models.CharField(max_length=200, blank=True,
                                       help_text="why an exit the rules refuse was let through (community.override)")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]


class VillageCheckpoint(Scoped):
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    location = models.CharField(max_length=200, blank=True)
    staff = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)


class Returnee(Scoped):
    """Someone returning to a village, registered at its checkpoint or by the village post."""

    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    checkpoint = models.ForeignKey(VillageCheckpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="returnees")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=50)
    id_number = models.CharField(max_length=18)
    phone = models.CharField(max_length=20)
    from_place = models.CharField(max_length=200)
    from_risk = models.CharField(max_length=10, blank=True, help_text="risk level of where they came from")
    arrived_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-arrived_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["id_number", "arrived_on"], name="uniq_returnee_day")]
