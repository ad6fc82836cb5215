from ninja import Router, Schema
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
def list_regions(request, level: int | None = None, parent: str | None = None):
    """Regions inside your jurisdiction (filter by level 1-5 or parent path)."""
    return selectors.region_list(actor=actor(request), level=level, parent_path=parent)


@router.get("/map", auth=None)
def city_map(request):
    """District outlines and population (public geography, nothing personal)."""
    return selectors.city_map()
