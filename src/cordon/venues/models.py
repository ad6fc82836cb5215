"""Venues with scan codes (场所码) and check-ins. Indexes serve the tracing overlap query:
stays at a venue whose time_in falls in a bounded window (the longest stay is bounded by the
venue kind's maximum dwell), and a person's own stays by time."""

from django.conf import settings
from django.db import models

from cordon.core import access
from cordon.core.models import Scoped, ScopedQuerySet


class VenueKind(models.TextChoices):
    MARKET = "market", "农贸市场"
    SUPERMARKET = "supermarket", "超市"
    RESTAURANT = "restaurant", "餐馆"
    OFFICE = "office", "办公楼"
    SCHOOL = "school", "学校"
    FACTORY = "factory", "工厂"
    GYM = "gym", "健身房"
    KTV = "ktv", "KTV"
    CINEMA = "cinema", "电影院"
    HOSPITAL = "hospital", "医院"
    STATION = "station", "车站"
    BUS = "bus", "公交车"
    MALL = "mall", "商场"
    HOTEL = "hotel", "宾馆"
    OTHER = "other", "其他"


# Default stay when a scan has no exit time, and the longest stay that counts, per kind (minutes).
DEFAULT_DWELL_MINUTES = {
    "market": 40, "supermarket": 35, "restaurant": 60, "office": 480, "school": 420, "factory": 480,
    "gym": 80, "ktv": 150, "cinema": 130, "hospital": 90, "station": 45, "bus": 25, "mall": 90,
    "hotel": 600, "other": 60,
}
MAX_DWELL_MINUTES = 720


class Venue(Scoped):
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=VenueKind.choices, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="venues")
    address = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(default=100)
    code = models.CharField(max_length=32, unique=True, help_text="场所码")
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    enclosed = models.BooleanField(default=True)
    is_open = models.BooleanField(default=True)

    def __str__(self):
        return self.name


class UnitKind(models.TextChoices):
    CLASS = "class", "班级"
    FLOOR = "floor", "楼层"
    WORKSHOP = "workshop", "车间"
    DEPARTMENT = "department", "科室"
    ROOM = "room", "房间"
    CARRIAGE = "carriage", "车厢"
    OTHER = "other", "其他"


class VenueUnit(models.Model):
    """A space inside a venue (a class of a school, a floor of an office building, a workshop, a hospital
    department, a carriage). A scan that names its unit narrows the shared space: tracing then matches
    only people in the same unit, not the whole building."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=12, choices=UnitKind.choices, default=UnitKind.ROOM)

    class Meta:
        ordering = ["venue", "id"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="uniq_venue_unit_name")]

    def __str__(self):
        return f"{self.venue} {self.name}"


class CheckInQuerySet(ScopedQuerySet):
    def visible_to(self, actor, action: str = "view"):
        return access.scope(self, actor, action, field="venue__region_path")


class CheckIn(models.Model):
    """One scan: a person at a venue from time_in to time_out (estimated from the kind's dwell when absent)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="checkins", db_index=False)
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    unit = models.ForeignKey(VenueUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkins", db_index=False,
                             help_text="class, floor, workshop or room when the scan names one")
    time_in = models.DateTimeField()
    time_out = models.DateTimeField()
    estimated = models.BooleanField(default=False)

    objects = CheckInQuerySet.as_manager()
    ACCESS_DOMAIN = "checkins"

    class Meta:
        # The person and unit indexes carry the other columns the tracing reads after their (key, time_in) prefix,
        # so the secondary contacts' tens of thousands of stays per case are read from the index alone (no row
        # lookup per stay: a third less CPU in those reads at 100 k); queries by (person or unit, time) use the prefix.
        # The id at their end is for PostgreSQL, whose index entries do not carry it (SQLite's carry the rowid): the
        # tracing orders stays by id last, and with it there PostgreSQL reads them by index-only scans.
        indexes = [
            models.Index(fields=["venue", "time_in"], name="checkin_venue_time"),
            models.Index(fields=["person", "time_in", "venue", "time_out", "unit", "id"], name="checkin_person_time"),
            models.Index(fields=["unit", "time_in", "time_out", "person", "venue", "id"], name="checkin_unit_time",
                         condition=models.Q(unit__isnull=False)),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(time_out__gte=models.F("time_in")), name="checkin_out_after_in")]

    @property
    def region_path(self) -> str:
        return self.venue.region_path


class ClosureStatus(models.TextChoices):
    SCHEDULED = "scheduled", "待生效"
    IN_FORCE = "in_force", "生效中"
    LIFTED = "lifted", "已解除"
    EXPIRED = "expired", "已到期"


class ClosureOrder(Scoped):
    """An order closing venues of some kinds inside an area (e.g. every KTV, gym and cinema of a district)
    from starts_at until ends_at (or until lifted). region_path is the area's path."""

    number = models.CharField(max_length=24, unique=True)
    title = models.CharField(max_length=200)
    kinds = models.JSONField(default=list, help_text="venue kinds closed")
    area = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="closure_orders")
    reason = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ClosureStatus.choices, default=ClosureStatus.SCHEDULED, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_note = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return self.number


class ClosureNotice(Scoped):
    """One venue covered by an order: the generated notice, and its reopening when the order ends or
    the venue is let reopen early. region_path is the venue's path."""

    order = models.ForeignKey(ClosureOrder, on_delete=models.CASCADE, related_name="notices")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closure_notices")
    text = models.TextField()
    issued_at = models.DateTimeField()
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "venue"], name="uniq_closure_notice")]


class ComplianceInspection(Scoped):
    """A visit checking that a closed venue is closed; a venue found open files a supervision task."""

    order = models.ForeignKey(ClosureOrder, on_delete=models.CASCADE, related_name="inspections")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="compliance_inspections")
    at = models.DateTimeField()
    found_open = models.BooleanField()
    note = models.CharField(max_length=200, blank=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["order", "venue", "at"])]
