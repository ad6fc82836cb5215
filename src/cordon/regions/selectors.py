"""Reads of the region tree."""

from collections.abc import Mapping

from django.db.models import QuerySet

from cordon.regions.filters import RegionListFilter
from cordon.regions.models import Level, Region


def root_path() -> str:
    """Path of the city (the root region), or "" before a city exists."""
    return Region.objects.filter(parent__isnull=True).values_list("path", flat=True).first() or ""


def region_list(*, actor, filters: Mapping | None = None, **named) -> QuerySet[Region]:
    """Regions inside the actor's jurisdiction, filtered by RegionListFilter: `filters` from a page, or named
    (level=, parent= the parent's path)."""
    qs = Region.objects.visible_to(actor, "view")
    return RegionListFilter.apply(filters if filters is not None else named, qs)


def city_map() -> dict:
    """District outlines and population for the city map. Geography and totals only, nothing personal."""
    city = Region.objects.filter(parent__isnull=True).first()
    if city is None:
        return {"city": None, "districts": []}
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path").values(
        "code", "name", "path", "population", "households", "lon", "lat", "boundary", "is_rural"))
    return {"city": {"code": city.code, "name": city.name, "population": city.population}, "districts": districts}


def district_of(path: str) -> str:
    """The district-level prefix of a path."""
    return ".".join(path.split(".")[:2])
