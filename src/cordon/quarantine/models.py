"""Quarantine: the placement queue, sites and rooms, proposals, transfers, stays and their monitoring."""

from django.db import models

from cordon.core.models import Scoped
from cordon.quarantine.enums import OPEN_REQUEST, RequestStatus


class PlacementRequest(Scoped):
    """A person assigned to centralized quarantine, waiting for (or holding) a room.

    region_path is the person's grid; at most one open request per (person, source)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placement_requests")
    household = models.ForeignKey("people.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="placement_requests")
    category = models.CharField(max_length=30)
    start = models.DateField()
    end = models.DateField()
    source = models.CharField(max_length=120, db_index=True)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.QUEUED,
                              db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "source"], condition=models.Q(status__in=list(OPEN_REQUEST)),
                                    name="uniq_open_placement_per_person_source"),
        ]
        indexes = [models.Index(fields=["status", "region_path"])]

    def __str__(self):
        return f"PlacementRequest {self.pk} ({self.status})"

    @property
    def district_path(self) -> str:
        return ".".join(self.region_path.split(".")[:2])
