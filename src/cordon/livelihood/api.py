"""Livelihood API: household needs, delivery teams, the emergency medical channel, utility incidents,
supply points, key enterprises, closed-loop plans and pass checks. Scoped, masked, audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.core import access
from cordon.core.apikit import Day, Id, Rows, actor, idempotent
from cordon.core.pagination import MappedRows, Pagination
from cordon.livelihood import selectors, services

router = Router(tags=["livelihood"])


# --- needs ---

class NeedIn(Schema):
    household_id: Id
    kind: str = Field(max_length=20)
    detail: str = Field("", max_length=500)
    person_id: Id | None = None
    source: str = Field("", max_length=80)


class NeedOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    channel: str
    detail: str
    household_id: Id
    address: str
    team_id: Id | None
    team: str
    created_at: dt.datetime
    deadline: dt.datetime
    delivered_at: dt.datetime | None
    has_proof: bool
    overdue: bool
    grid_path: str


@router.get("/needs", response=list[NeedOut])
@paginate(Pagination)
def list_needs(request, status: str | None = None, kind: str | None = None, team: Id | None = None, overdue: bool = False):
    """Household needs in your area (status: open, assigned, delivered, cancelled or pending)."""
    return MappedRows(selectors.need_list(actor=actor(request), filters={"status": status, "kind": kind, "team": team, "overdue": overdue}),
                 selectors.need_row)


@router.post("/needs", response={201: NeedOut})
def create_need(request, payload: NeedIn):
    """File a need for a household (an unknown household is refused); the deadline comes from the rule set."""
    need = services.need_create(actor=actor(request), household_id=payload.household_id, kind=payload.kind,
                                detail=payload.detail, person_id=payload.person_id, source=payload.source)
    return Status(201, selectors.need_row(need))


class LivelihoodNeedBulkOut(Schema):
    rows: int
    created: int
    ids: list[int]
    replayed: bool = False


@router.post("/needs/bulk", response={201: LivelihoodNeedBulkOut})
def bulk_needs(request, items: Rows[NeedIn]):
    """File many needs; all rows are checked first; send an Idempotency-Key header to make retries safe."""
    who = actor(request)
    access.require(who, "livelihood.change")  # a read-only user is refused outright, not row by row
    rows = [i.dict() for i in items]
    return idempotent(request, scope="livelihood.need.bulk", payload=rows,
                      fn=lambda: (201, services.need_bulk(actor=who, items=rows)))


@router.get("/needs/{int:pk}", response=NeedOut)
def get_need(request, pk: Id):
    """One household need."""
    return selectors.need_row(selectors.need_get(actor=actor(request), pk=pk))


class LivelihoodAssignIn(Schema):
    team_id: Id


@router.post("/needs/{int:pk}/assign", response=NeedOut)
def assign_need(request, pk: Id, payload: LivelihoodAssignIn):
    """Give a need to a delivery team serving the household's area."""
    who = actor(request)
    need = selectors.need_get(actor=who, pk=pk, action="change")
    return selectors.need_row(services.need_assign(actor=who, need=need, team_id=payload.team_id))


@router.post("/needs/{int:pk}/deliver", response=NeedOut)
def deliver_need(request, pk: Id, proof: File[UploadedFile], note: str = Form("", max_length=300)):
    """Record the delivery with a photo (multipart field `proof`)."""
    who = actor(request)
    need = selectors.need_get(actor=who, pk=pk, action="change")
    return selectors.need_row(services.need_deliver(actor=who, need=need, proof=proof, note=note))


class LivelihoodReasonIn(Schema):
    reason: str = Field(max_length=300)


@router.post("/needs/{int:pk}/cancel", response=NeedOut)
def cancel_need(request, pk: Id, payload: LivelihoodReasonIn):
    """Cancel a need, with a reason."""
    who = actor(request)
    need = selectors.need_get(actor=who, pk=pk, action="change")
    return selectors.need_row(services.need_cancel(actor=who, need=need, reason=payload.reason))


# --- teams ---

class TeamIn(Schema):
    name: str = Field(max_length=100)
    region_id: Id
    leader: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    members: int = Field(2, ge=1, le=1000)


class TeamOut(Schema):
    id: int
    name: str
    region_path: str
    leader: str
    members: int
    active: bool


@router.get("/teams", response=list[TeamOut])
@paginate(Pagination)
def list_teams(request, covering: str | None = Query(None, max_length=255)):
    """Delivery teams in your area (`covering` a region path: those that serve it)."""
    return selectors.team_list(actor=actor(request), covering=covering)


@router.post("/teams", response={201: TeamOut})
def create_team(request, payload: TeamIn):
    """Register a delivery team for a region."""
    return Status(201, services.team_create(actor=actor(request), **payload.dict()))


# --- emergencies ---

class EmergencyIn(Schema):
    kind: str = Field(max_length=20)
    person_id: Id | None = None
    household_id: Id | None = None
    phone: str = Field("", max_length=20)
    detail: str = Field("", max_length=500)
    channel: str = Field("grid", max_length=10)


class EmergencyOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    detail: str
    channel: str
    name: str
    phone: str
    address: str
    person_id: Id | None
    created_at: dt.datetime
    minutes_waiting: int
    band: str
    next_deadline: dt.datetime | None
    overdue: bool
    minutes_left: int | None
    escalation_level: int
    dispatch_kind: str
    hospital: str
    vehicle: str
    acknowledged_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome: str
    grid_path: str
    masked: bool


@router.get("/emergencies", response=list[EmergencyOut])
@paginate(Pagination)
def list_emergencies(request, status: str | None = None, kind: str | None = None):
    """Emergency medical requests in your area (status `active` = not yet dispatched)."""
    who = actor(request)
    return MappedRows(selectors.emergency_list(actor=who, filters={"status": status, "kind": kind}),
                 lambda e: selectors.emergency_card(e, actor=who))


@router.get("/emergencies/board", response=list[EmergencyOut])
def emergency_board(request):
    """Open emergencies by age (escalates overdue ones first)."""
    services.emergency_escalate_overdue()
    return selectors.emergency_board(actor=actor(request))


@router.post("/emergencies", response={201: EmergencyOut})
def create_emergency(request, payload: EmergencyIn):
    """Open an urgent medical request; accepted whatever the person's health status."""
    who = actor(request)
    e = services.emergency_create(actor=who, **payload.dict())
    return Status(201, selectors.emergency_card(e, actor=who))


@router.get("/emergencies/{int:pk}", response=EmergencyOut)
def get_emergency(request, pk: Id, unmask: bool = False):
    """One emergency; `unmask=true` shows the contact (needs people.unmask; audited)."""
    who = actor(request)
    e = selectors.emergency_get(actor=who, pk=pk)
    if unmask and not access.can_unmask(who, e.region_path):
        raise PermissionDenied("people.unmask")
    return selectors.emergency_card(e, actor=who, unmask=unmask)


@router.post("/emergencies/{int:pk}/acknowledge", response=EmergencyOut)
def acknowledge_emergency(request, pk: Id):
    """Take the request (stops the acknowledge clock)."""
    who = actor(request)
    e = selectors.emergency_get(actor=who, pk=pk, action="change")
    return selectors.emergency_card(services.emergency_acknowledge(actor=who, emergency=e), actor=who)


class DispatchIn(Schema):
    dispatch_kind: str = Field(max_length=12)
    hospital: str = Field("", max_length=100)
    vehicle: str = Field("", max_length=40)


@router.post("/emergencies/{int:pk}/dispatch", response=EmergencyOut)
def dispatch_emergency(request, pk: Id, payload: DispatchIn):
    """Record the ambulance, hospital transfer or doctor visit."""
    who = actor(request)
    e = selectors.emergency_get(actor=who, pk=pk, action="change")
    return selectors.emergency_card(services.emergency_dispatch(actor=who, emergency=e, **payload.dict()), actor=who)


class OutcomeIn(Schema):
    outcome: str = Field(max_length=300)


@router.post("/emergencies/{int:pk}/close", response=EmergencyOut)
def close_emergency(request, pk: Id, payload: OutcomeIn):
    """Close the request with its outcome."""
    who = actor(request)
    e = selectors.emergency_get(actor=who, pk=pk, action="change")
    return selectors.emergency_card(services.emergency_close(actor=who, emergency=e, outcome=payload.outcome), actor=who)


# --- incidents and supply points ---

class IncidentIn(Schema):
    kind: str = Field(max_length=10)
    region_id: Id
    address: str = Field(max_length=200)
    detail: str = Field("", max_length=500)
    households_affected: int = Field(1, ge=0, le=1_000_000)


class IncidentOut(Schema):
    id: int
    kind: str
    region_path: str
    address: str
    detail: str
    households_affected: int
    zone_level: str
    status: str
    reported_at: dt.datetime
    deadline: dt.datetime
    resolved_at: dt.datetime | None
    resolution: str


@router.get("/incidents", response=list[IncidentOut])
@paginate(Pagination)
def list_incidents(request, status: str | None = None, kind: str | None = None):
    """Heating, water, power and gas tickets in your area."""
    return selectors.incident_list(actor=actor(request), filters={"status": status, "kind": kind})


@router.post("/incidents", response={201: IncidentOut})
def create_incident(request, payload: IncidentIn):
    """Open a utility ticket."""
    return Status(201, services.incident_create(actor=actor(request), **payload.dict()))


class IncidentStatusIn(Schema):
    status: str = Field(max_length=12)
    resolution: str = Field("", max_length=300)


@router.post("/incidents/{int:pk}/status", response=IncidentOut)
def update_incident(request, pk: Id, payload: IncidentStatusIn):
    """Move a ticket to in_progress or resolved."""
    who = actor(request)
    inc = selectors.incident_get(actor=who, pk=pk, action="change")
    return services.incident_update(actor=who, incident=inc, **payload.dict())


class SupplyPointIn(Schema):
    name: str = Field(max_length=100)
    kind: str = Field(max_length=12)
    region_id: Id
    address: str = Field("", max_length=200)


class SupplyPointOut(Schema):
    id: int
    name: str
    kind: str
    region_path: str
    address: str
    open: bool
    grain: str
    vegetables: str
    meat_eggs: str
    milk: str
    medicine: str
    updated_at: dt.datetime


@router.get("/supply-points", response=list[SupplyPointOut])
@paginate(Pagination)
def list_supply_points(request, kind: str | None = None, short: bool = False):
    """Supply points in your area (`short`: a category tight or out, or closed)."""
    return selectors.supply_point_list(actor=actor(request), filters={"kind": kind, "short": short})


@router.post("/supply-points", response={201: SupplyPointOut})
def create_supply_point(request, payload: SupplyPointIn):
    """Register a supply point."""
    return Status(201, services.supply_point_create(actor=actor(request), **payload.dict()))


class StockIn(Schema):
    open: bool | None = None
    grain: str | None = Field(None, max_length=6)
    vegetables: str | None = Field(None, max_length=6)
    meat_eggs: str | None = Field(None, max_length=6)
    milk: str | None = Field(None, max_length=6)
    medicine: str | None = Field(None, max_length=6)


@router.post("/supply-points/{int:pk}/stock", response=SupplyPointOut)
def report_stock(request, pk: Id, payload: StockIn):
    """Report stock status per category: ample, tight or out."""
    who = actor(request)
    sp = selectors.supply_point_get(actor=who, pk=pk, action="change")
    data = payload.dict()
    is_open = data.pop("open")
    return services.supply_point_stock(actor=who, point=sp, levels={k: v for k, v in data.items() if v is not None}, open=is_open)


# --- key enterprises ---

class EnterpriseIn(Schema):
    name: str = Field(max_length=150)
    credit_code: str = Field(max_length=18)
    sector: str = Field(max_length=14)
    region_id: Id
    address: str = Field("", max_length=200)
    liaison: str = Field("", max_length=50)
    liaison_phone: str = Field("", max_length=20)


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    sector: str
    region_path: str
    address: str
    whitelisted: bool
    whitelisted_at: dt.datetime | None


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(Pagination)
def list_enterprises(request, sector: str | None = None, whitelisted: bool | None = None):
    """Enterprises in your area (`whitelisted=true`: the key-enterprise whitelist)."""
    return selectors.enterprise_list(actor=actor(request), filters={"sector": sector, "whitelisted": whitelisted})


@router.post("/enterprises", response={201: EnterpriseOut})
def create_enterprise(request, payload: EnterpriseIn):
    """Register an enterprise."""
    return Status(201, services.enterprise_create(actor=actor(request), **payload.dict()))


class WhitelistIn(Schema):
    on: bool = True


@router.post("/enterprises/{int:pk}/whitelist", response=EnterpriseOut)
def whitelist_enterprise(request, pk: Id, payload: WhitelistIn):
    """Put an enterprise on or off the whitelist (needs livelihood.approve)."""
    who = actor(request)
    ent = selectors.enterprise_get(actor=who, pk=pk)
    return services.enterprise_whitelist(actor=who, enterprise=ent, on=payload.on)


class PlanIn(Schema):
    start: Day
    end: Day
    dormitory: str = Field(max_length=200)
    test_every_days: int | None = Field(None, ge=1, le=365)


class StaffOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    role: str
    dorm_room: str
    vehicle: str
    last_test: dt.date | None
    last_negative: bool
    next_test: dt.date
    test_overdue: bool
    pass_code: str
    pass_until: dt.date | None


class PlanOut(Schema):
    id: int
    enterprise_id: Id
    start: dt.date
    end: dt.date
    dormitory: str
    test_every_days: int
    status: str
    staff: list[StaffOut] = []


def _plan_out(plan, who) -> dict:
    return {"id": plan.pk, "enterprise_id": plan.enterprise_id, "start": plan.start, "end": plan.end,
            "dormitory": plan.dormitory, "test_every_days": plan.test_every_days, "status": plan.status,
            "staff": selectors.plan_roster(actor=who, plan=plan)}


@router.post("/enterprises/{int:pk}/plans", response={201: PlanOut})
def create_plan(request, pk: Id, payload: PlanIn):
    """Draft a closed-loop production plan for a whitelisted enterprise."""
    who = actor(request)
    ent = selectors.enterprise_get(actor=who, pk=pk, action="change")
    return Status(201, _plan_out(services.plan_create(actor=who, enterprise=ent, **payload.dict()), who))


@router.get("/plans/{int:pk}", response=PlanOut)
def get_plan(request, pk: Id):
    """A closed-loop plan with its roster, test schedule and passes (masked)."""
    who = actor(request)
    return _plan_out(selectors.plan_get(actor=who, pk=pk), who)


class StaffIn(Schema):
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    phone: str = Field("", max_length=20)
    role: str = Field("staff", max_length=8)
    dorm_room: str = Field("", max_length=40)
    vehicle: str = Field("", max_length=20)


class LivelihoodStaffAddOut(Schema):
    rows: int
    added: int


@router.post("/plans/{int:pk}/staff", response={201: LivelihoodStaffAddOut})
def add_staff(request, pk: Id, rows: Rows[StaffIn]):
    """Add staff and drivers to a plan's roster (all rows checked first; repeats skipped)."""
    who = actor(request)
    plan = selectors.plan_get(actor=who, pk=pk, action="change")
    return Status(201, services.plan_staff_add(actor=who, plan=plan, rows=[r.dict() for r in rows]))


@router.post("/plans/{int:pk}/activate", response=PlanOut)
def activate_plan(request, pk: Id):
    """Start the closed loop and issue passes (needs livelihood.approve)."""
    who = actor(request)
    plan = selectors.plan_get(actor=who, pk=pk)
    return _plan_out(services.plan_activate(actor=who, plan=plan), who)


@router.post("/plans/{int:pk}/end", response=PlanOut)
def end_plan(request, pk: Id):
    """End the closed loop; passes are revoked."""
    who = actor(request)
    plan = selectors.plan_get(actor=who, pk=pk, action="change")
    return _plan_out(services.plan_end(actor=who, plan=plan), who)


class TestIn(Schema):
    tested_on: Day
    negative: bool


class LivelihoodStaffTestOut(Schema):
    id: int
    last_test: dt.date | None
    last_negative: bool


class LivelihoodPassOut(Schema):
    valid: bool
    reason: str
    enterprise: str | None = None
    role: str | None = None
    vehicle: str | None = None
    valid_until: dt.date | None = None


@router.post("/staff/{int:pk}/tests", response=LivelihoodStaffTestOut)
def record_test(request, pk: Id, payload: TestIn):
    """Record a closed-loop staff test; a positive one revokes the pass and files a task."""
    who = actor(request)
    staff = selectors.staff_get(actor=who, pk=pk, action="change")
    s = services.staff_test_record(actor=who, staff=staff, **payload.dict())
    return {"id": s.pk, "last_test": s.last_test, "last_negative": s.last_negative}


@router.get("/passes/{code}", response=LivelihoodPassOut)
def verify_pass(request, code: str = Path(..., max_length=32)):
    """Check a staff or driver pass (checkpoint green lane)."""
    who = actor(request)
    if not (access.can(who, "checkpoints.view") or access.can(who, "livelihood.view")):
        raise PermissionDenied("checkpoints.view")
    return services.pass_verify(code=code)
