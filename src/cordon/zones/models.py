"""Sealed / controlled / precaution zones and risk areas (RULES.md section 3).

A zone is drawn by picking units (unit, building, compound, grid, community, village) or a polygon;
its membership is resolved to households once, at designation, and kept in ZoneHousehold rows, so
counts, needs and the named responsible worker per household are plain reads. A household belongs
to at most one active zone (partial unique constraint); area-wide kinds (precaution, low) give way
to a narrower zone drawn inside them. region_path is the smallest region covering every member.
"""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.zones.enums import Origin, PickType, ZoneStatus


class Zone(Scoped):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, db_index=True)
    status = models.CharField(max_length=12, choices=ZoneStatus.choices, default=ZoneStatus.DESIGNATED, db_index=True)
    ruleset = models.CharField(max_length=40)
    drawn_by = models.CharField(max_length=16, choices=PickType.choices)
    picks = models.JSONField(default=list, blank=True)  # [{"type", "id", "label"}]
    polygon = models.JSONField(null=True, blank=True)  # GeoJSON geometry when drawn on the map
    district_path = models.CharField(max_length=100, db_index=True)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MANUAL)
    source = models.CharField(max_length=80, blank=True, db_index=True, help_text="what proposed it (cases.case:id)")
    designated_at = models.DateTimeField()
    in_force_at = models.DateTimeField(null=True, blank=True)
    clock_start = models.DateTimeField(null=True, blank=True, help_text="the day counting without a new case starts from")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lowered_from = models.CharField(max_length=20, blank=True)
    positives = models.PositiveIntegerField(default=0)
    population = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)
    vulnerable = models.PositiveIntegerField(default=0)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    emergency_phone = models.CharField(max_length=40, blank=True)
    unmet = models.JSONField(default=list, blank=True)  # last evaluation: [{"criterion", "message"}]
    evaluated_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    ACCESS_DOMAIN = "zones"

    class Meta:
        ordering = ["-designated_at", "-id"]
        indexes = [models.Index(fields=["status", "district_path"])]

    def __str__(self):
        return self.name

    @property
    def source_ref(self) -> str:
        return f"zones.zone:{self.pk}"


class ZoneHousehold(models.Model):
    """A household inside a zone, with the worker responsible for it (never a lock on the door)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="members")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="zone_memberships")
    active = models.BooleanField(default=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    worker_name = models.CharField(max_length=150, blank=True)
    worker_phone = models.CharField(max_length=20, blank=True)
    people = models.PositiveSmallIntegerField(default=0)
    vulnerable = models.PositiveSmallIntegerField(default=0)
    needs = models.JSONField(default=list, blank=True)  # need kinds (rule set "needs")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household"], condition=models.Q(active=True),
                                               name="uniq_active_zone_household")]
        indexes = [models.Index(fields=["zone", "active"])]


class ZoneEvent(models.Model):
    """The zone's lifecycle as it happened (the audit chain holds the same facts, signed)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    verb = models.CharField(max_length=20)
    status_from = models.CharField(max_length=12, blank=True)
    status_to = models.CharField(max_length=12, blank=True)
    kind_from = models.CharField(max_length=20, blank=True)
    kind_to = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=400, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]


class NationalList(models.Model):
    """One snapshot of the national risk-area list as imported (zones.national): its update time and what it changed."""

    updated_at = models.DateTimeField(db_index=True, help_text="the list's end_update_time (city time, to the hour)")
    batch = models.CharField(max_length=32, unique=True)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=200, blank=True)
    listed = models.JSONField(default=dict, blank=True)     # community strings per level as the file lists them
    declared = models.JSONField(default=dict, blank=True)   # hcount/mcount/lcount as the file states them
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at", "-id"]


class ExternalArea(models.Model):
    """A community on the national list at one level, from the snapshot that first listed it until the first later
    snapshot that no longer does (kept as history)."""

    level = models.CharField(max_length=8, db_index=True)  # high | middle | low (the national list's names)
    province = models.CharField(max_length=60)
    city = models.CharField(max_length=60)
    county = models.CharField(max_length=60)
    community = models.CharField(max_length=500)
    listed_from = models.DateTimeField()
    listed_until = models.DateTimeField(null=True, blank=True, db_index=True)
    first_list = models.ForeignKey(NationalList, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(NationalList, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["province", "city", "county", "community", "-listed_from"]
        constraints = [models.UniqueConstraint(fields=["level", "province", "city", "county", "community"],
                                               condition=models.Q(listed_until__isnull=True), name="uniq_current_external_area")]
        indexes = [models.Index(fields=["county", "listed_until"])]
