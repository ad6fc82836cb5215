"""Residents and households. region_path is the grid the household lives in."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from cordon.core.models import Scoped


class Sex(models.TextChoices):
    MALE = "M", pgettext_lazy("sex", "Male")
    FEMALE = "F", pgettext_lazy("sex", "Female")


VULNERABLE_FLAGS = ("elderly_alone", "pregnant", "dialysis", "chronic", "disability", "infant")


class Household(Scoped):
    grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="households_in_grid")
    building = models.ForeignKey("regions.Building", null=True, blank=True, on_delete=models.PROTECT, related_name="households")
    unit = models.ForeignKey("regions.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="households")
    room = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=200)
    size = models.PositiveSmallIntegerField(default=1)
    has_separate_room_with_bathroom = models.BooleanField(default=True)

    ACCESS_DOMAIN = "people"

    def __str__(self):
        return self.address


class Person(Scoped):
    name = models.CharField(max_length=50)
    id_number = models.CharField(max_length=18, unique=True)
    phone = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="residents")
    workplace = models.ForeignKey("venues.Venue", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")
    # Opaque token for QR codes and credentials: never the ID number.
    token = models.CharField(max_length=32, unique=True)
    elderly_alone = models.BooleanField(default=False)
    pregnant = models.BooleanField(default=False)
    dialysis = models.BooleanField(default=False)
    chronic = models.BooleanField(default=False)
    disability = models.BooleanField(default=False)
    infant = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "people"

    class Meta:
        indexes = [models.Index(fields=["household"]), models.Index(fields=["phone"])]

    def __str__(self):
        return f"Person {self.pk}"

    @property
    def vulnerable(self) -> list[str]:
        return [f for f in VULNERABLE_FLAGS if getattr(self, f)]


class MoveStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("move", "Awaiting the home area")
    ACCEPTED = "accepted", pgettext_lazy("move", "Moved in")
    REJECTED = "rejected", pgettext_lazy("move", "Refused by the home area")
    EXPIRED = "expired", pgettext_lazy("move", "Expired")


class Move(Scoped):
    """A resident moving in from another area (迁入): filed by the receiving grid's officers, decided by the
    officers of the area the resident lives in. region_path is the receiving grid; from_path the resident's
    grid when the request was filed ("" when no resident has that ID number: the request then only expires,
    so the receiving side cannot learn whether the person exists elsewhere)."""

    to_grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="moves")
    from_path = models.CharField(max_length=100, blank=True, db_index=True)
    name = models.CharField(max_length=50)
    id_masked = models.CharField(max_length=18)
    address = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=MoveStatus.choices, default=MoveStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "people"

    class Meta:
        ordering = ["-created_at"]
