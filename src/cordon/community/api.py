import datetime as dt

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from cordon.community import selectors, services
from cordon.core import pii
from cordon.core.apikit import Day, Id, actor, idempotent
from cordon.core.pagination import Pagination

router = Router(tags=["community"])


class DoorCheckIn(Schema):
    items: list[dict]


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
    compound: str
    holder_name: str
    holder_phone: str
    role: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class PassageIn(Schema):
    community_id: Id
    compound: str
    direction: str
    pass_code: str = ""
    person_id: Id | None = None
    purpose: str = ""
    override_reason: str = ""


class ReturneeIn(Schema):
    village_id: Id
    name: str
    id_number: str
    phone: str
    from_place: str
    from_risk: str = ""
    arrived_on: dt.date | None = None
    checkpoint_id: Id | None = None
    note: str = ""
    grid_id: Id | None = None


@router.post("/doorchecks", response={201: dict, 200: dict})
def doorchecks_bulk(request, payload: DoorCheckIn):
    """Record door-to-door checks in bulk (Idempotency-Key header honoured; same household and day updates)."""
    return idempotent(request, scope="community.doorcheck.bulk", payload=payload.items,
                      fn=lambda: (201, services.doorcheck_bulk(actor=actor(request), items=payload.items)))


@router.get("/doorchecks", response=list[DoorCheckOut])
@paginate(Pagination)
def doorchecks(request, day: Day | None = None, grid: str = "", symptoms: bool | None = None):
    """Door checks in your area."""
    return selectors.doorcheck_list(actor=actor(request), day=day, grid_path=grid, symptoms=symptoms)


@router.get("/progress")
def progress(request, day: Day | None = None, parent: str = ""):
    """Door-check progress per grid on a day."""
    return selectors.progress(actor=actor(request), day=day, parent_path=parent)


@router.get("/grids/{int:pk}")
def grid(request, pk: Id):
    """One grid's counts: households, residents, vulnerable, under measures, not tested, checked today."""
    who = actor(request)
    g = selectors.grid_get(actor=who, pk=pk)
    return {"id": g.pk, "name": g.name, "path": g.path, **selectors.grid_facts(actor=who, grid=g)}


@router.post("/passes", response={201: dict})
def issue_pass(request, payload: CommunityPassIn):
    """Issue an entrance pass for an essential worker."""
    p = services.pass_issue(actor=actor(request), **payload.dict())
    return Status(201, {"id": p.pk, "code": p.code, "valid_until": p.valid_until})


class CommunityPassOut(Schema):
    id: int
    compound: str
    holder_name: str
    holder_phone: str
    role: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    revoked: bool

    @staticmethod
    def resolve_holder_name(obj) -> str:
        return pii.mask_name(obj.holder_name)

    @staticmethod
    def resolve_holder_phone(obj) -> str:
        return pii.mask_phone(obj.holder_phone)


@router.get("/passes", response=list[CommunityPassOut])
@paginate(Pagination)
def passes(request, compound: str = ""):
    """Entrance passes in your area (holder masked)."""
    return selectors.pass_list(actor=actor(request), compound=compound)


@router.post("/passages", response={201: dict})
def passage(request, payload: PassageIn):
    """Log an entry or exit at a compound entrance."""
    log = services.passage_record(actor=actor(request), **payload.dict())
    return Status(201, {"id": log.pk, "at": log.at, "direction": log.direction, "colour": log.colour,
                        "override_reason": log.override_reason})


class OverrideOut(Schema):
    id: int
    at: dt.datetime
    compound: str
    direction: str
    person_id: Id | None
    colour: str
    override_reason: str
    purpose: str
    region_path: str


@router.get("/overrides", response=list[OverrideOut])
@paginate(Pagination)
def overrides(request, compound: str = ""):
    """Exits the rules refused that an authorised officer let through, with the reason, newest first."""
    return selectors.override_list(actor=actor(request), compound=compound)


@router.post("/returnees", response={201: dict})
def returnee(request, payload: ReturneeIn):
    """Register a returnee to a village."""
    r = services.returnee_register(actor=actor(request), **payload.dict())
    return Status(201, {"id": r.pk, "from_risk": r.from_risk, "arrived_on": r.arrived_on, "person_id": r.person_id})
