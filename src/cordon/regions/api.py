from typing import Annotated

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from cordon.core.apikit import actor
from cordon.core.pagination import Pagination
from cordon.regions import selectors

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    path: str
    population: int
    households: int
    lon: float | None = None
    lat: float | None = None


@router.get("/", response=list[RegionOut])
@paginate(Pagination)
def list_regions(request, level: Annotated[int | None, Field(ge=1, le=5)] = None, parent: Annotated[str | None, Field(max_length=200)] = None):
    """Regions inside your jurisdiction (filter by level 1-5 or parent path)."""
    return selectors.region_list(actor=actor(request), level=level, parent=parent)


class RegionsMapCity(Schema):
    code: str
    name: str
    population: int


class RegionsMapDistrict(Schema):
    code: str
    name: str
    path: str
    population: int
    households: int
    lon: float | None
    lat: float | None
    boundary: dict | None = Field(None, description="GeoJSON geometry")
    is_rural: bool


class RegionsMapOut(Schema):
    city: RegionsMapCity | None
    districts: list[RegionsMapDistrict]


@router.get("/map", auth=None, response=RegionsMapOut)
def city_map(request):
    """District outlines and population (public geography, nothing personal)."""
    return selectors.city_map()
