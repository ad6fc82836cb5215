"""Mass gatherings (3.3): planned events with organizer, venue, expected attendance and date;
approval or suspension by the rule set's attendance limit for the area's risk level; notices to
organizers. region_path is the region where the event takes place."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.gatherings.enums import GatheringStatus


class Gathering(Scoped):
    title = models.CharField(max_length=200)
    organizer = models.CharField(max_length=120)
    organizer_phone = models.CharField(max_length=20)
    venue = models.ForeignKey("venues.Venue", null=True, blank=True, on_delete=models.SET_NULL, related_name="gatherings")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="gatherings")
    address = models.CharField(max_length=200, blank=True)
    expected_attendance = models.PositiveIntegerField()
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=GatheringStatus.choices, default=GatheringStatus.PENDING, db_index=True)
    risk_level = models.CharField(max_length=20, blank=True)
    max_allowed = models.IntegerField(null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="gathering_ends_after_start")]

    def __str__(self):
        return self.title


class GatheringNotice(Scoped):
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="notices")
    at = models.DateTimeField()
    kind = models.CharField(max_length=12)
    phone = models.CharField(max_length=20)
    message = models.TextField()
