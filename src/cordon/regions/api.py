from typing import Annotated

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.core.apikit import actor
from cordon.core.pagination import Pagination
from cordon.regions import selectors, services

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


class RegionsImportOut(Schema):
    city: str
    rows: int
    created: int
    renamed: int
    restored: int
    abolished: int
    unchanged: int


@router.post("/import", response=RegionsImportOut)
def import_regions(request, files: File[list[UploadedFile]], city: Form[str] = ""):
    """Load official division codes (provinces/cities/areas/streets/villages CSV or Excel; `city` picks one city of a
    province-wide file): all rows or none, idempotent; renamed and abolished codes kept as history. City commander."""
    return services.regions_import(actor=actor(request), files=[(f.name, f.read()) for f in files], city=city or None)
