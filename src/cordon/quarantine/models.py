"""Quarantine: the placement queue, sites and rooms, proposals, transfers, stays and their monitoring."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.quarantine import rules
from cordon.quarantine.enums import (
    OPEN_REQUEST,
    READINESS_ITEMS,
    ProposalStatus,
    RequestStatus,
    RoomKind,
    RoomStatus,
    SiteStatus,
    StayKind,
    StayStatus,
    TestResult,
    TransferDirection,
    TransferStatus,
)


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
    # Other sources that named the person while this request was open (one request per person): they are
    # served by it, and withdrawing `source` hands the request to the next of them instead of cancelling it.
    also_sources = models.JSONField(default=list, blank=True)
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
        return rules.district_of(self.region_path)


class Site(Scoped):
    """A hotel or facility used for centralized quarantine. region_path: the region it stands in (district or below)."""

    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="quarantine_sites")
    kind = models.CharField(max_length=20, default="hotel")
    status = models.CharField(max_length=14, choices=SiteStatus.choices, default=SiteStatus.RESERVE, db_index=True)
    lends_rooms = models.BooleanField(default=False, help_text="Rooms may be used by other districts")
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    readiness = models.JSONField(default=dict, blank=True)
    doctors_on_duty = models.PositiveSmallIntegerField(default=0)
    nurses_on_duty = models.PositiveSmallIntegerField(default=0)
    staff_note = models.CharField(max_length=300, blank=True)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="quarantine_sites")
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["region_path", "name"]

    def __str__(self):
        return self.name

    @property
    def district_path(self) -> str:
        return rules.district_of(self.region_path)

    @property
    def ready(self) -> bool:
        return all(self.readiness.get(k) for k in READINESS_ITEMS)


class Room(Scoped):
    """A room of a site; region_path is the site's. position orders rooms along a floor for adjacency."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(max_length=12)
    floor = models.SmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=RoomKind.choices, default=RoomKind.SINGLE)
    own_bathroom = models.BooleanField(default=True)
    accessible = models.BooleanField(default=False)
    status = models.CharField(max_length=14, choices=RoomStatus.choices, default=RoomStatus.FREE, db_index=True)

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["site_id", "floor", "position"]
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="uniq_room_number_per_site")]

    def __str__(self):
        return f"{self.site_id}/{self.number}"


class Proposal(Scoped):
    """An automatic placement proposal for the queue of a district (region_path: the district)."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    cost = models.BigIntegerField(default=0)
    optimum = models.BigIntegerField(default=0)
    unplaced = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Proposal {self.pk}"


class ProposalLine(Scoped):
    """One request placed into one room by a proposal (region_path: the site's, so its manager reviews it)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    request = models.ForeignKey(PlacementRequest, on_delete=models.CASCADE, related_name="proposal_lines")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="proposal_lines")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="proposal_lines")
    carer_of = models.ForeignKey(PlacementRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cost = models.IntegerField(default=0)
    lent = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["site_id", "room__floor", "room__position"]


class Stay(Scoped):
    """A person's quarantine: in a site room (region_path: the site's) or at home (region_path: the person's grid)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="quarantine_stays")
    kind = models.CharField(max_length=16, choices=StayKind.choices, default=StayKind.CENTRALIZED)
    request = models.ForeignKey(PlacementRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="stays")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="stays")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="stays")
    carer_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carers")
    category = models.CharField(max_length=30, blank=True)
    start = models.DateField()
    planned_end = models.DateField()
    status = models.CharField(max_length=12, choices=StayStatus.choices, default=StayStatus.EXPECTED, db_index=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_note = models.CharField(max_length=200, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers")
    community_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="home_stays")
    monitor_token = models.CharField(max_length=32, unique=True)
    last_monitored_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ruleset = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"Stay {self.pk}"

    @property
    def district_path(self) -> str:
        return rules.district_of(self.region_path)


class Reading(Scoped):
    """One monitoring entry: temperature and symptoms, by staff or by the person through the link."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="readings")
    at = models.DateTimeField(db_index=True)
    temperature = models.DecimalField(max_digits=3, decimal_places=1)
    symptoms = models.JSONField(default=list, blank=True)
    by_self = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    fever = models.BooleanField(default=False)

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["-at"]


class ScheduledTest(Scoped):
    """A test the measure plan schedules on a day of the stay; the samplers' due list."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="tests")
    day = models.PositiveSmallIntegerField()
    due = models.DateField(db_index=True)
    result = models.CharField(max_length=10, choices=TestResult.choices, default=TestResult.PENDING, db_index=True)
    sampled_at = models.DateTimeField(null=True, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)
    # Sampled before the due day: kept as a result (and for health status) but it does not count for release.
    early = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["stay", "day"], name="uniq_test_day_per_stay")]


class Transfer(Scoped):
    """Point-to-point transfer to the site or home on release (region_path: the site's)."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=6, choices=TransferDirection.choices)
    pickup_address = models.CharField(max_length=200)
    destination = models.CharField(max_length=200)
    vehicle = models.CharField(max_length=30, blank=True)
    escort = models.CharField(max_length=60, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=12, choices=TransferStatus.choices, default=TransferStatus.PLANNED,
                              db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "quarantine"

    class Meta:
        ordering = ["window_start", "id"]
