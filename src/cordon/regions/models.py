"""City > district/county > street/township > community/village > grid; buildings and units.

Every region stores a materialised path of codes ("3101.310104.31010401..."): "inside my area" is
a prefix match, indexable on SQLite and PostgreSQL.
"""

from django.db import models
from django.utils.translation import pgettext_lazy

from cordon.core import access, clock
from cordon.core.models import Scoped, ScopedQuerySet


class Level(models.IntegerChoices):
    CITY = 1, pgettext_lazy("region level", "City")
    DISTRICT = 2, pgettext_lazy("region level", "District/county")
    STREET = 3, pgettext_lazy("region level", "Street/township")
    COMMUNITY = 4, pgettext_lazy("region level", "Community/village")
    GRID = 5, pgettext_lazy("region level", "Grid")


class RegionQuerySet(ScopedQuerySet):
    def visible_to(self, actor, action: str = "view"):
        return access.scope(self, actor, action, field="path")


class Region(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=100, unique=True)
    is_rural = models.BooleanField(default=False)
    population = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    boundary = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry")
    # An official division code that a later import no longer lists: kept (residents and records point at it), dated.
    abolished_on = models.DateField(null=True, blank=True)

    objects = RegionQuerySet.as_manager()
    ACCESS_DOMAIN = "regions"

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def region_path(self) -> str:
        return self.path


class RegionChange(models.TextChoices):
    CREATED = "created", pgettext_lazy("region change", "Created")
    RENAMED = "renamed", pgettext_lazy("region change", "Renamed")
    ABOLISHED = "abolished", pgettext_lazy("region change", "Abolished")
    RESTORED = "restored", pgettext_lazy("region change", "Restored")


class RegionHistory(models.Model):
    """What an import of official division codes changed on a region: created, renamed, abolished, restored."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="history")
    code = models.CharField(max_length=20, db_index=True)
    change = models.CharField(max_length=12, choices=RegionChange.choices)
    old_name = models.CharField(max_length=100, blank=True)
    new_name = models.CharField(max_length=100, blank=True)
    on = models.DateField(help_text="the city's date of the import")
    source = models.CharField(max_length=300, blank=True, help_text="the imported file names")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["code", "at", "pk"]

    def __str__(self):
        return f"{self.code} {self.change} {self.new_name or self.old_name}"


class Building(Scoped):
    """A residential building (楼栋) in a compound; region_path is its grid's path."""

    community = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="buildings")
    grid = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="grid_buildings")
    compound = models.CharField(max_length=100, help_text="小区/自然村")
    name = models.CharField(max_length=50)
    floors = models.PositiveSmallIntegerField(default=6)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)

    ACCESS_DOMAIN = "regions"

    def __str__(self):
        return f"{self.compound} {self.name}"


class Unit(Scoped):
    """A stairwell unit (单元) of a building."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units")
    number = models.PositiveSmallIntegerField()

    ACCESS_DOMAIN = "regions"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="uniq_unit")]

    def __str__(self):
        return f"{self.building} {self.number}单元"
