import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from cordon.api.base import actor, idempotent
from cordon.api.pagination import Pagination
from cordon.venues import selectors, services

router = Router(tags=["venues"])


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    code: str
    address: str
    capacity: int
    region_path: str
    is_open: bool


class CheckInIn(Schema):
    person_token: str | None = None
    id_number: str | None = None
    venue_code: str
    time_in: dt.datetime
    time_out: dt.datetime | None = None


class CheckInBatch(Schema):
    items: list[CheckInIn]


class CheckInOut(Schema):
    id: int
    venue_id: int
    venue_name: str
    time_in: dt.datetime
    time_out: dt.datetime
    estimated: bool


@router.get("/", response=list[VenueOut])
@paginate(Pagination)
def list_venues(request, kind: str | None = None, region: str | None = None, q: str | None = None):
    """Venues in your jurisdiction."""
    return selectors.venue_list(actor=actor(request), kind=kind, region_path=region, q=q)


@router.get("/{int:pk}", response=VenueOut)
def get_venue(request, pk: int):
    return selectors.venue_get(actor=actor(request), pk=pk)


@router.post("/checkins/bulk", response={200: dict, 201: dict})
def bulk_checkins(request, payload: CheckInBatch):
    """Upload up to 10,000 scans; send an Idempotency-Key header so retries are harmless."""
    items = [i.model_dump() for i in payload.items]
    return idempotent(request, scope="venues.checkins.bulk", payload=items,
                      fn=lambda: (201, services.checkins_bulk(actor=actor(request), items=items)))


@router.get("/people/{int:person_id}/checkins", response=list[CheckInOut])
@paginate(Pagination)
def person_checkins(request, person_id: int):
    """A person's scans, newest first."""
    qs = selectors.checkins_of_person(actor=actor(request), person_id=person_id)
    return [
        CheckInOut(id=c.pk, venue_id=c.venue_id, venue_name=c.venue.name, time_in=c.time_in, time_out=c.time_out, estimated=c.estimated)
        for c in qs[:500]
    ]
