"""Venues API: the register, bulk check-in uploads (idempotent), a person's scans, closure orders with their notices,
compliance visits and early reopening."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cordon.command.api_duty import CommandResponsibleOut, responsible_of
from cordon.core.apikit import Id, actor, idempotent
from cordon.core.errors import ServiceError
from cordon.core.pagination import Pagination
from cordon.regions.models import Region
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
    is_open: bool = Field(alias="open_now")  # from the orders, at once (not the job's copy)


class CheckInIn(Schema):
    person_token: str | None = Field(None, max_length=32)
    id_number: str | None = Field(None, max_length=18)
    venue_code: str = Field(..., max_length=32)
    unit: str = Field("", max_length=60)
    time_in: dt.datetime
    time_out: dt.datetime | None = None


class CheckInBatch(Schema):
    items: list[CheckInIn] = Field(..., max_length=10_000)


class VenuesCheckInBulkOut(Schema):
    received: int
    stored: int
    duplicates: int
    replayed: bool = False


class CheckInOut(Schema):
    id: int
    venue_id: Id
    venue_name: str = Field(alias="venue.name")
    time_in: dt.datetime
    time_out: dt.datetime | None
    estimated: bool


@router.get("/", response=list[VenueOut])
@paginate(Pagination)
def list_venues(request, kind: str | None = Query(None, max_length=20), region: str | None = Query(None, max_length=100),
                q: str | None = Query(None, max_length=100)):
    """Venues in your jurisdiction."""
    return selectors.venue_list(actor=actor(request), filters={"kind": kind, "region": region, "q": q})


@router.get("/{int:pk}", response=VenueOut)
def get_venue(request, pk: Id):
    return selectors.venue_get(actor=actor(request), pk=pk)


@router.post("/checkins/bulk", response={200: VenuesCheckInBulkOut, 201: VenuesCheckInBulkOut})
def bulk_checkins(request, payload: CheckInBatch):
    """Upload up to 10,000 scans; send an Idempotency-Key header so retries are harmless."""
    items = [i.model_dump() for i in payload.items]
    return idempotent(request, scope="venues.checkins.bulk", payload=items,
                      fn=lambda: (201, services.checkins_bulk(actor=actor(request), items=items)))


@router.get("/people/{int:person_id}/checkins", response=list[CheckInOut])
@paginate(Pagination)
def person_checkins(request, person_id: Id):
    """A person's scans, newest first."""
    return selectors.checkins_of_person(actor=actor(request), person_id=person_id)


class ClosureIn(Schema):
    title: str = Field(..., max_length=200)
    kinds: list[str] = Field(..., max_length=20)
    area_path: str = Field(..., max_length=100)
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    reason: str = Field("", max_length=500)


class ClosureOut(Schema):
    responsible: CommandResponsibleOut | None = None  # detail only: who answers for it now (duty roster)
    id: int
    number: str
    title: str
    kinds: list[str]
    region_path: str
    reason: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    status: str


class NoticeOut(Schema):
    id: int
    venue_id: Id
    venue_name: str
    venue_kind: str
    text: str
    reopened_at: dt.datetime | None
    last_found_open: bool | None
    last_checked: dt.datetime | None

    @staticmethod
    def resolve_venue_name(obj):
        return obj.venue.name

    @staticmethod
    def resolve_venue_kind(obj):
        return obj.venue.kind


class InspectIn(Schema):
    found_open: bool
    note: str = Field("", max_length=200)
    at: dt.datetime | None = None


class VenuesInspectionOut(Schema):
    id: int
    found_open: bool
    task_id: int | None


class VenuesReopenOut(Schema):
    id: int
    reopened_at: dt.datetime | None


class VenuesNoteIn(Schema):
    note: str = Field("", max_length=200)


@router.get("/closures", response=list[ClosureOut])
@paginate(Pagination)
def list_closures(request, status: str | None = Query(None, max_length=12), kind: str | None = Query(None, max_length=20)):
    """Venue closure orders in your area."""
    services.closures_sync()
    return selectors.closure_list(actor=actor(request), filters={"status": status, "kind": kind})


@router.post("/closures", response={201: ClosureOut})
def issue_closure(request, payload: ClosureIn):
    """Close every venue of the given kinds inside an area for a period."""
    area = Region.objects.filter(path=payload.area_path).first()
    if area is None:
        raise ServiceError.field("area_path", _("unknown region %(area_path)r") % {"area_path": payload.area_path})
    data = payload.model_dump()
    data.pop("area_path")
    return Status(201, services.closure_issue(actor=actor(request), area=area, **data))


@router.get("/closures/{int:pk}", response=ClosureOut)
def get_closure(request, pk: Id):
    """One closure order, with who answers for it now."""
    order = selectors.closure_get(actor=actor(request), pk=pk)
    order.responsible = responsible_of("closure", order)
    return order


@router.get("/closures/{int:pk}/notices", response=list[NoticeOut])
@paginate(Pagination)
def closure_notices(request, pk: Id, state: str | None = Query(None, max_length=20)):
    """The venues an order covers, with their notice and latest compliance finding."""
    order = selectors.closure_get(actor=actor(request), pk=pk)
    return selectors.closure_notices(actor=actor(request), order=order, filters={"state": state})


@router.post("/closures/{int:pk}/lift", response=ClosureOut)
def lift_closure(request, pk: Id, payload: VenuesNoteIn):
    """Lift an order; its venues reopen."""
    order = selectors.closure_get(actor=actor(request), pk=pk, action="change")
    return services.closure_lift(actor=actor(request), order=order, note=payload.note)


@router.post("/closures/notices/{int:pk}/inspect", response={201: VenuesInspectionOut})
def inspect_venue(request, pk: Id, payload: InspectIn):
    """Record a compliance visit to a closed venue (found open files a supervision task)."""
    notice = selectors.notice_get(actor=actor(request), pk=pk, action="change")
    return Status(201, services.compliance_inspect(actor=actor(request), notice=notice, found_open=payload.found_open,
                                                   note=payload.note, at=payload.at))


@router.post("/closures/notices/{int:pk}/reopen", response=VenuesReopenOut)
def reopen_venue(request, pk: Id, payload: VenuesNoteIn):
    """Let one venue reopen before its order ends."""
    notice = selectors.notice_get(actor=actor(request), pk=pk, action="change")
    return services.closure_reopen_venue(actor=actor(request), notice=notice, note=payload.note)
