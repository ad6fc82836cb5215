"""Community API: door-to-door checks (bulk, idempotent), grid progress and counts, compound passes and passages,
overrides of refused exits, returnees to villages."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cordon.community import gate, selectors, services
from cordon.core import pii
from cordon.core.apikit import Day, Id, actor, idempotent, masked
from cordon.core.pagination import Pagination

router = Router(tags=["community"])


class CommunityDoorCheckItemIn(Schema):
    household_id: Id
    day: Day | None = None
    answered: bool = True
    all_present: bool | None = None
    absent: int = Field(0, ge=0, le=100)
    symptoms: bool = False
    symptom_note: str = Field("", max_length=200)
    needs: list[str] = Field([], max_length=len(services.NEED_KINDS))
    note: str = Field("", max_length=300)


class DoorCheckIn(Schema):
    items: list[CommunityDoorCheckItemIn] = Field(..., max_length=10_000)


class CommunityDoorCheckBulkOut(Schema):
    created: int
    updated: int
    replayed: bool = False


class CommunityProgressOut(Schema):
    id: int
    name: str
    path: str
    households: int
    visited: int
    symptoms: int
    share: float


class CommunityGridOut(Schema):
    id: int
    name: str
    path: str
    households: int
    residents: int
    vulnerable: int
    measures: int
    untested: int
    checked_today: int
    symptoms_today: int


class DoorCheckOut(Schema):
    id: int
    household_id: Id
    day: dt.date
    answered: bool
    all_present: bool
    absent: int
    symptoms: bool
    needs: list[str]
    region_path: str


class CommunityPassIn(Schema):
    community_id: Id
    compound: str = Field(..., max_length=100)
    holder_name: str = Field(..., max_length=50)
    holder_phone: str = Field(..., max_length=20)
    role: str = Field(..., max_length=20)
    valid_from: Day | None = None
    valid_until: Day | None = None


class CommunityPassIssuedOut(Schema):
    id: int
    code: str
    valid_until: dt.date


class PassageIn(Schema):
    community_id: Id
    compound: str = Field(..., max_length=100)
    direction: str = Field(..., max_length=3)
    pass_code: str = Field("", max_length=16)
    person_id: Id | None = None
    purpose: str = Field("", max_length=100)
    override_reason: str = Field("", max_length=200)


class CommunityPassageOut(Schema):
    id: int
    at: dt.datetime
    direction: str
    colour: str
    override_reason: str


class ReturneeIn(Schema):
    village_id: Id
    name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=18)
    phone: str = Field(..., max_length=20)
    from_place: str = Field(..., max_length=200)
    from_risk: str = Field("", max_length=10)
    arrived_on: Day | None = None
    checkpoint_id: Id | None = None
    note: str = Field("", max_length=300)
    grid_id: Id | None = None


class CommunityReturneeOut(Schema):
    id: int
    from_risk: str
    arrived_on: dt.date
    person_id: int | None


@router.post("/doorchecks", response={201: CommunityDoorCheckBulkOut, 200: CommunityDoorCheckBulkOut})
def doorchecks_bulk(request, payload: DoorCheckIn):
    """Record door-to-door checks in bulk (Idempotency-Key header honoured; same household and day updates)."""
    items = [i.model_dump(mode="json", exclude_unset=True) for i in payload.items]
    return idempotent(request, scope="community.doorcheck.bulk", payload=items,
                      fn=lambda: (201, services.doorcheck_bulk(actor=actor(request), items=items)))


@router.get("/doorchecks", response=list[DoorCheckOut])
@paginate(Pagination)
def doorchecks(request, day: Day | None = None, grid: str = Query("", max_length=100), symptoms: bool | None = None):
    """Door checks in your area."""
    return selectors.doorcheck_list(actor=actor(request), filters={"day": day, "grid": grid, "symptoms": symptoms})


@router.get("/progress", response=list[CommunityProgressOut])
def progress(request, day: Day | None = None, parent: str = Query("", max_length=100)):
    """Door-check progress per grid on a day (at most 500 grids)."""
    return selectors.progress(actor=actor(request), day=day, parent_path=parent)


@router.get("/grids/{int:pk}", response=CommunityGridOut)
def grid(request, pk: Id):
    """One grid's counts: households, residents, vulnerable, under measures, not tested, checked today."""
    who = actor(request)
    g = selectors.grid_get(actor=who, pk=pk)
    return {"id": g.pk, "name": g.name, "path": g.path, **selectors.grid_facts(actor=who, grid=g)}


@router.post("/passes", response={201: CommunityPassIssuedOut})
def issue_pass(request, payload: CommunityPassIn):
    """Issue an entrance pass for an essential worker."""
    return Status(201, services.pass_issue(actor=actor(request), **payload.dict()))


class CommunityPassOut(Schema):
    id: int
    compound: str
    holder_name: str
    holder_phone: str
    role: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    revoked: bool

    resolve_holder_name = masked("holder_name", pii.mask_name)
    resolve_holder_phone = masked("holder_phone", pii.mask_phone)


@router.get("/passes", response=list[CommunityPassOut])
@paginate(Pagination)
def passes(request, compound: str = Query("", max_length=100)):
    """Entrance passes in your area (holder masked)."""
    return selectors.pass_list(actor=actor(request), filters={"compound": compound})


@router.post("/passages", response={201: CommunityPassageOut})
def passage(request, payload: PassageIn):
    """Log an entry or exit at a compound entrance."""
    return Status(201, services.passage_record(actor=actor(request), **payload.dict()))


class CommunityOverrideOut(Schema):
    id: int
    at: dt.datetime
    compound: str
    direction: str
    person_id: Id | None
    colour: str
    override_reason: str
    purpose: str
    region_path: str


@router.get("/overrides", response=list[CommunityOverrideOut])
@paginate(Pagination)
def overrides(request, compound: str = Query("", max_length=100)):
    """Exits the rules refused that an authorised officer let through, with the reason, newest first."""
    return selectors.override_list(actor=actor(request), filters={"compound": compound})


@router.post("/returnees", response={201: CommunityReturneeOut})
def returnee(request, payload: ReturneeIn):
    """Register a returnee to a village."""
    return Status(201, services.returnee_register(actor=actor(request), **payload.dict()))


class CommunityGatePassageIn(Schema):
    community_id: Id
    compound: str = Field(..., max_length=100)
    direction: str = Field(..., max_length=3)
    pass_code: str = Field("", max_length=16)
    person_token: str = Field("", max_length=32, description="the person token read from the resident's health code")
    purpose: str = Field("", max_length=100)
    at: dt.datetime | None = Field(None, description="when it happened at the gate (default: now)")


class CommunityGateBatchIn(Schema):
    items: list[CommunityGatePassageIn] = Field(..., max_length=gate.MAX_ITEMS)


class CommunityGateBatchOut(Schema):
    received: int
    stored: int
    ids: list[int]
    replayed: bool = False


@router.post("/passages/bulk", response={201: CommunityGateBatchOut})
def passages_bulk(request, payload: CommunityGateBatchIn):
    """Upload a gate phone's queued passages (logged offline); send an Idempotency-Key so a resend is stored once."""
    items = [i.dict() for i in payload.items]
    return idempotent(request, scope="community.passages.bulk", payload=[i.model_dump(mode="json") for i in payload.items],
                      fn=lambda: (201, gate.passages_bulk(actor=actor(request), items=items)))
