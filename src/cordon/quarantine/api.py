"""API for centralized quarantine: /api/v1/quarantine/ (scoped, masked, audited)."""

from typing import Annotated, Literal

from ninja import Body, Field, File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.command.api_duty import responsible_of
from cordon.core.apikit import Day, Id, Rows, actor, idempotent
from cordon.core.exports import http_response
from cordon.core.pagination import MappedRows, Pagination
from cordon.people import selectors as people_selectors
from cordon.quarantine import exports, selectors, services
from cordon.quarantine.enums import REQUEST_LIFECYCLE, SITE_LIFECYCLE, STAY_LIFECYCLE, TRANSFER_LIFECYCLE
from cordon.quarantine.schemas import (
    DOWNLOAD,
    Code,
    QuarantineBuildIn,
    QuarantineCancelIn,
    QuarantineCancelledOut,
    QuarantineConfirmedOut,
    QuarantineConfirmIn,
    QuarantineEnqueueIn,
    QuarantineFlowOut,
    QuarantineForecastOut,
    QuarantineHomeStayIn,
    QuarantineLineOut,
    QuarantineOccupancyOut,
    QuarantineProposalOut,
    QuarantineReadingIn,
    QuarantineReadingOut,
    QuarantineReleaseIn,
    QuarantineRequestOut,
    QuarantineReserveOut,
    QuarantineResultIn,
    QuarantineResultOut,
    QuarantineResultRowIn,
    QuarantineResultsOut,
    QuarantineRoomIn,
    QuarantineRoomOut,
    QuarantineRoomsAddedOut,
    QuarantineSiteChangeIn,
    QuarantineSiteIn,
    QuarantineSiteOut,
    QuarantineStatusIn,
    QuarantineStayDetailOut,
    QuarantineStayOut,
    QuarantineTestOut,
    QuarantineTransferCancelIn,
    QuarantineTransferIn,
    QuarantineTransferOut,
)

router = Router(tags=["quarantine"])

# Texts as the columns hold them; a longer one is refused at the schema, never cut or passed to the database.
# A date-time the API takes: this century, so no window or deadline arithmetic overflows.


def _person(p, who) -> dict:
    card = people_selectors.person_card(p, actor=who)
    return {"id": card["id"], "name": card["name"], "id_number": card["id_number"], "age": card["age"],
            "grid_path": card["grid_path"], "vulnerable": card["vulnerable"]}


def site_dict(s) -> dict:
    return {"id": s.pk, "name": s.name, "address": s.address, "region_path": s.region_path, "kind": s.kind,
            "status": s.status, "next_statuses": list(SITE_LIFECYCLE.allowed(s.status)), "lends_rooms": s.lends_rooms,
            "lon": s.lon, "lat": s.lat, "readiness": s.readiness,
            "ready": s.ready, "doctors_on_duty": s.doctors_on_duty, "nurses_on_duty": s.nurses_on_duty,
            "rooms_total": getattr(s, "rooms_total", None), "rooms_free": getattr(s, "rooms_free", None),
            "rooms_occupied": getattr(s, "rooms_occupied", None)}


@router.get("/sites", response=list[QuarantineSiteOut])
@paginate(Pagination)
def list_sites(request, status: str | None = None, region: str | None = None, q: str | None = None):
    """Sites with room counts."""
    return MappedRows(selectors.site_list(actor=actor(request), filters={"status": status, "region": region, "q": q}), site_dict)


@router.post("/sites", response={201: QuarantineSiteOut})
def create_site(request, payload: QuarantineSiteIn):
    """Register a site (status reserve)."""
    return Status(201, site_dict(services.site_create(actor=actor(request), **payload.dict())))


@router.get("/sites/{int:pk}", response=QuarantineSiteOut)
def get_site(request, pk: Id):
    """One site, with who answers for it now."""
    site = selectors.site_get(actor=actor(request), pk=pk)
    return {**site_dict(site), "responsible": responsible_of("site", site)}


@router.post("/sites/{int:pk}", response=QuarantineSiteOut)
def update_site(request, pk: Id, payload: QuarantineSiteChangeIn):
    """Change details, staff on duty or lending."""
    who = actor(request)
    site = selectors.site_get(actor=who, pk=pk, action="change")
    return site_dict(services.site_update(actor=who, site=site, **payload.dict(exclude_none=True)))


@router.post("/sites/{int:pk}/status", response=QuarantineSiteOut)
def set_site_status(request, pk: Id, payload: QuarantineStatusIn):
    """reserve | readying | open (needs the readiness checklist) | full | disinfection."""
    who = actor(request)
    site = selectors.site_get(actor=who, pk=pk, action="change")
    return site_dict(services.site_set_status(actor=who, site=site, status=payload.status))


@router.post("/sites/{int:pk}/readiness", response=QuarantineSiteOut)
def set_readiness(request, pk: Id, payload: Body[dict[Code, bool]]):
    """Tick checklist items: {"three_zones": true, ...}."""
    who = actor(request)
    site = selectors.site_get(actor=who, pk=pk, action="change")
    return site_dict(services.site_readiness(actor=who, site=site, items=payload))


def room_dict(r) -> dict:
    return {"id": r.pk, "site_id": r.site_id, "number": r.number, "floor": r.floor, "position": r.position,
            "kind": r.kind, "own_bathroom": r.own_bathroom, "accessible": r.accessible, "status": r.status}


@router.get("/sites/{int:pk}/rooms", response=list[QuarantineRoomOut])
@paginate(Pagination)
def list_rooms(request, pk: Id):
    """Rooms of a site."""
    who = actor(request)
    return MappedRows(selectors.room_list(actor=who, site=selectors.site_get(actor=who, pk=pk)), room_dict)


@router.post("/sites/{int:pk}/rooms", response={201: QuarantineRoomsAddedOut})
def add_rooms(request, pk: Id, items: Rows[QuarantineRoomIn]):
    """Add rooms in bulk (Idempotency-Key honoured); any bad row refuses all."""
    who = actor(request)
    site = selectors.site_get(actor=who, pk=pk, action="change")
    rows = [i.dict() for i in items]
    return idempotent(request, scope="quarantine.rooms.bulk", payload={"site": pk, "rows": rows},
                      fn=lambda: (201, services.rooms_add(actor=who, site=site, rows=rows)))


@router.post("/sites/{int:pk}/rooms/import", response=QuarantineRoomsAddedOut)
def import_rooms(request, pk: Id, file: File[UploadedFile]):
    """Rooms from CSV/Excel (number, floor, kind, own_bathroom, accessible)."""
    who = actor(request)
    site = selectors.site_get(actor=who, pk=pk, action="change")
    return services.rooms_import(actor=who, site=site, data=file.read(), filename=file.name)


@router.post("/rooms/{int:pk}/status", response=QuarantineRoomOut)
def set_room_status(request, pk: Id, payload: QuarantineStatusIn):
    """free | disinfection | out (refused while occupied)."""
    who = actor(request)
    room = selectors.room_get(actor=who, pk=pk, action="change")
    return room_dict(services.room_set_status(actor=who, room=room, status=payload.status))


def request_dict(r, who) -> dict:
    return {"id": r.pk, "person": _person(r.person, who), "category": r.category, "start": r.start, "end": r.end,
            "source": r.source, "status": r.status, "next_statuses": list(REQUEST_LIFECYCLE.allowed(r.status)),
            "household_id": r.household_id, "created_at": r.created_at}


@router.get("/requests", response=list[QuarantineRequestOut])
@paginate(Pagination)
def list_requests(request, status: str | None = None, region: str | None = None, category: str | None = None):
    """The placement queue (queued and proposed unless a status is given)."""
    who = actor(request)
    qs = selectors.request_list(actor=who, filters={"status": status, "region": region, "category": category}).select_related(
        "person__household")
    return MappedRows(qs, lambda r: request_dict(r, who))


@router.post("/requests", response={201: QuarantineRequestOut})
def enqueue(request, payload: QuarantineEnqueueIn):
    """Queue a person for centralized quarantine (idempotent per open person and source)."""
    who = actor(request)
    req = services.placement_enqueue(actor=who, **payload.dict())
    return Status(201, request_dict(selectors.request_get(actor=who, pk=req.pk), who))


@router.post("/requests/cancel", response=QuarantineCancelledOut)
def cancel(request, payload: QuarantineCancelIn):
    """Withdraw the queued/proposed requests of a source."""
    return {"cancelled": services.placement_cancel(actor=actor(request), source=payload.source)}


def proposal_dict(p) -> dict:
    return {"id": p.pk, "region_path": p.region_path, "status": p.status, "created_at": p.created_at, "cost": p.cost,
            "optimum": p.optimum, "unplaced": p.unplaced, "seconds": round(p.seconds, 3),
            "lines": getattr(p, "line_count", None), "open_lines": getattr(p, "open_lines", None)}


def line_dict(ln, who) -> dict:
    return {"id": ln.pk, "proposal_id": ln.proposal_id, "request_id": ln.request_id,
            "person": _person(ln.request.person, who), "site_id": ln.site_id, "site": ln.site.name,
            "room_id": ln.room_id, "room": ln.room.number, "floor": ln.room.floor, "carer_of": ln.carer_of_id,
            "lent": ln.lent, "cost": ln.cost, "confirmed_at": ln.confirmed_at}


@router.post("/proposals", response={201: QuarantineProposalOut})
def build_proposal(request, payload: QuarantineBuildIn):
    """Build a placement proposal for a district's queue."""
    p = services.proposal_build(actor=actor(request), district_path=payload.district_path)
    return Status(201, {**proposal_dict(p), "lines": p.lines.count()})


@router.get("/proposals", response=list[QuarantineProposalOut])
@paginate(Pagination)
def list_proposals(request, status: str | None = None):
    """Proposals of the districts in your jurisdiction."""
    return MappedRows(selectors.proposal_list(actor=actor(request), filters={"status": status}), proposal_dict)


@router.get("/proposals/lines", response=list[QuarantineLineOut])
@paginate(Pagination)
def list_lines(request, proposal: Id | None = None, open: bool = True):
    """Proposal lines in your sites (open ones by default): the site manager's review list."""
    who = actor(request)
    prop = selectors.proposal_get(actor=who, pk=proposal) if proposal else None
    qs = selectors.proposal_lines(actor=who, proposal=prop, open_only=open).select_related("request__person__household")
    return MappedRows(qs, lambda ln: line_dict(ln, who))


@router.post("/proposals/confirm", response={201: QuarantineConfirmedOut})
def confirm_lines(request, payload: QuarantineConfirmIn):
    """Confirm lines in bulk (all or nothing; Idempotency-Key honoured)."""
    who = actor(request)
    return idempotent(request, scope="quarantine.proposal.confirm", payload=payload.dict(),
                      fn=lambda: (201, services.proposal_confirm(actor=who, line_ids=payload.line_ids)))


@router.post("/proposals/{int:pk}/discard", response=QuarantineProposalOut)
def discard_proposal(request, pk: Id):
    """Discard the unconfirmed lines; their requests return to the queue."""
    who = actor(request)
    p = selectors.proposal_get(actor=who, pk=pk, action="change")
    return proposal_dict(services.proposal_discard(actor=who, proposal=p))


def stay_dict(s, who) -> dict:
    return {"id": s.pk, "person": _person(s.person, who), "kind": s.kind, "status": s.status,
            "next_statuses": list(STAY_LIFECYCLE.allowed(s.status)), "category": s.category,
            "site_id": s.site_id, "site": s.site.name if s.site_id else None, "room": s.room.number if s.room_id else None,
            "start": s.start, "planned_end": s.planned_end, "checked_in_at": s.checked_in_at, "released_at": s.released_at,
            "last_monitored_at": s.last_monitored_at,
            "community_worker": s.community_worker.get_username() if s.community_worker_id else None}


@router.get("/stays", response=list[QuarantineStayOut])
@paginate(Pagination)
def list_stays(request, kind: str | None = None, status: str | None = None, site: Id | None = None):
    """Stays (active unless a status is given)."""
    who = actor(request)
    qs = selectors.stay_list(actor=who, filters={"kind": kind, "status": status, "site": site}).select_related("person__household")
    return MappedRows(qs, lambda s: stay_dict(s, who))


@router.get("/stays/{int:pk}", response=QuarantineStayDetailOut)
def get_stay(request, pk: Id):
    """One stay with its tests and latest readings."""
    who = actor(request)
    s = selectors.stay_get(actor=who, pk=pk)
    return {**stay_dict(s, who),
            "tests": [{"id": t.pk, "day": t.day, "due": t.due, "result": t.result} for t in s.tests.all()],
            "readings": [{"at": r.at, "temperature": float(r.temperature), "symptoms": r.symptoms, "fever": r.fever,
                          "by_self": r.by_self} for r in selectors.readings_of(actor=who, stay=s)[:20]]}


@router.post("/stays/{int:pk}/check-in", response=QuarantineStayOut)
def check_in(request, pk: Id):
    """The person arrived at the site."""
    who = actor(request)
    return stay_dict(services.stay_check_in(actor=who, stay=selectors.stay_get(actor=who, pk=pk, action="change")), who)


@router.post("/stays/{int:pk}/readings", response={201: QuarantineReadingOut})
def add_reading(request, pk: Id, payload: QuarantineReadingIn):
    """Record temperature and symptoms (fever raises an alert)."""
    who = actor(request)
    r = services.reading_record(actor=who, stay=selectors.stay_get(actor=who, pk=pk, action="change"),
                                temperature=payload.temperature, symptoms=payload.symptoms, at=payload.at)
    return Status(201, {"id": r.pk, "fever": r.fever, "temperature": float(r.temperature)})


@router.post("/stays/{int:pk}/release", response=QuarantineStayOut)
def release(request, pk: Id, payload: QuarantineReleaseIn):
    """Release after the checks; hands over to home isolation or home health monitoring with a transfer home."""
    who = actor(request)
    s = services.stay_release(actor=who, stay=selectors.stay_get(actor=who, pk=pk, action="change"),
                              vehicle=payload.vehicle, escort=payload.escort)
    return stay_dict(s, who)


@router.post("/stays/{int:pk}/hospital", response=QuarantineStayOut)
def to_hospital(request, pk: Id):
    """A positive person leaves for hospital."""
    who = actor(request)
    return stay_dict(services.stay_to_hospital(actor=who, stay=selectors.stay_get(actor=who, pk=pk, action="change")), who)


@router.post("/home-stays", response={201: QuarantineStayOut})
def start_home_stay(request, payload: QuarantineHomeStayIn):
    """Home isolation (eligibility checked) or home health monitoring with a named community worker."""
    who = actor(request)
    s = services.home_stay_start(actor=who, **payload.dict())
    return Status(201, stay_dict(selectors.stay_get(actor=who, pk=s.pk), who))


@router.get("/monitoring/overdue", response=list[QuarantineStayOut])
@paginate(Pagination)
def overdue(request):
    """People in quarantine with monitoring overdue."""
    who = actor(request)
    return MappedRows(selectors.overdue_monitoring(actor=who).select_related("person__household"), lambda s: stay_dict(s, who))


def test_dict(t, who) -> dict:
    return {"id": t.pk, "stay_id": t.stay_id, "person": _person(t.stay.person, who), "day": t.day, "due": t.due,
            "site": t.stay.site.name if t.stay.site_id else None, "room": t.stay.room.number if t.stay.room_id else None,
            "result": t.result, "sampled_at": t.sampled_at}


@router.get("/tests/due", response=list[QuarantineTestOut])
@paginate(Pagination)
def due_tests(request, on: Day | None = None, site: Id | None = None):
    """Scheduled tests due (samplers' list)."""
    who = actor(request)
    qs = selectors.tests_due(actor=who, filters={"on": on, "site": site}).select_related("stay__person__household")
    return MappedRows(qs, lambda t: test_dict(t, who))


@router.get("/tests/due/export", openapi_extra=DOWNLOAD)
def due_tests_export(request, on: Day | None = None, format: Literal["xlsx", "csv"] = "xlsx", unmask: bool = False):
    """The due list as Excel (or `format=csv`), masked unless `unmask=true` and permitted, for the sampling team; audited."""
    return http_response(exports.tests_due_export(actor=actor(request), fmt=format, unmask=unmask, filters={"on": on}))


@router.post("/tests/{int:pk}/result", response=QuarantineResultOut)
def record_result(request, pk: Id, payload: QuarantineResultIn):
    """Record a sample or a result (negative updates health status; positive reports the case and reviews neighbours)."""
    who = actor(request)
    t = services.test_result_record(actor=who, test=selectors.test_get(actor=who, pk=pk, action="change"),
                                    result=payload.result, sampled_at=payload.sampled_at)
    return {"id": t.pk, "result": t.result, "early": t.early}


@router.post("/tests/results", response={201: QuarantineResultsOut})
def import_results(request, items: Rows[QuarantineResultRowIn]):
    """Results in bulk (all rows checked first; Idempotency-Key honoured)."""
    who = actor(request)
    rows = [i.dict() for i in items]
    return idempotent(request, scope="quarantine.tests.bulk", payload=rows,
                      fn=lambda: (201, services.test_results_import(actor=who, rows=rows)))


def transfer_dict(t, who, addresses: dict | None = None) -> dict:
    pickup, destination = (addresses if addresses is not None else selectors.transfer_addresses([t], actor=who))[t.pk]
    return {"id": t.pk, "stay_id": t.stay_id, "direction": t.direction, "status": t.status,
            "next_statuses": list(TRANSFER_LIFECYCLE.allowed(t.status)),
            "pickup_address": pickup, "destination": destination, "vehicle": t.vehicle,
            "escort": t.escort, "window_start": t.window_start, "window_end": t.window_end,
            "dispatched_at": t.dispatched_at, "picked_up_at": t.picked_up_at, "arrived_at": t.arrived_at}


@router.get("/transfers", response=list[QuarantineTransferOut])
@paginate(Pagination)
def list_transfers(request, status: str | None = None, direction: str | None = None):
    """Transfer orders (open unless a status is given)."""
    who = actor(request)
    return _TransferRows(selectors.transfer_list(actor=who, filters={"status": status, "direction": direction}), who)


class _TransferRows(MappedRows):
    """A page of transfers: addresses masked or shown (and audited once) for the page as a whole."""

    def __init__(self, qs, who):
        super().__init__(qs, None)
        self.who = who

    def __getitem__(self, s):
        page = list(self.qs[s])
        addresses = selectors.transfer_addresses(page, actor=self.who)
        return [transfer_dict(t, self.who, addresses) for t in page]


@router.post("/transfers/{int:pk}", response=QuarantineTransferOut)
def update_transfer(request, pk: Id, payload: QuarantineTransferIn):
    """Vehicle, escort and time window."""
    who = actor(request)
    t = services.transfer_update(actor=who, transfer=selectors.transfer_get(actor=who, pk=pk, action="change"),
                                 **payload.dict())
    return transfer_dict(t, who)


@router.post("/transfers/{int:pk}/advance", response=QuarantineTransferOut)
def advance_transfer(request, pk: Id):
    """Next status: dispatched, picked up, arrived (arrival at the site checks in)."""
    who = actor(request)
    t = services.transfer_advance(actor=who, transfer=selectors.transfer_get(actor=who, pk=pk, action="change"))
    return transfer_dict(t, who)


@router.post("/transfers/{int:pk}/cancel", response=QuarantineTransferOut)
def cancel_transfer(request, pk: Id, payload: QuarantineTransferCancelIn):
    """Cancel a planned or dispatched transfer, with a reason (409 once the person is picked up or it is finished)."""
    who = actor(request)
    t = services.transfer_cancel(actor=who, transfer=selectors.transfer_get(actor=who, pk=pk, action="change"),
                                 reason=payload.reason)
    return transfer_dict(t, who)


@router.get("/reserves", response=list[QuarantineReserveOut])
def reserves(request):
    """Reserve target (rooms per 10,000 residents) and gap per district."""
    return selectors.reserves(actor=actor(request))


@router.get("/occupancy", response=QuarantineOccupancyOut)
def occupancy(request):
    """Occupancy per site and district."""
    return selectors.occupancy(actor=actor(request))


@router.get("/forecast", response=list[QuarantineForecastOut])
def forecast(request):
    """Rooms needed over the next days per district, with the warning when free rooms fall short."""
    return selectors.capacity_forecast(actor=actor(request))


@router.get("/flows", response=list[QuarantineFlowOut])
def flows(request, days: Annotated[int, Field(ge=1, le=90)] = 14):
    """Arrivals and releases per day."""
    return selectors.flows_per_day(actor=actor(request), days=days)
