"""Command API: tasks (create, list, statistics, close, escalate, reassign), responsibilities (包保) and a
person's duties, inspections and the supervision ledger (挂账销号) with evidence uploads, the
accountability report, cross-district dispatch. The snapshot and daily reports are reports.api (same /command/ prefix)."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.command import api_dispatch, api_duty, rules, selectors, services
from cordon.command.enums import LEDGER_LIFECYCLE
from cordon.command.models import TASK_LIFECYCLE
from cordon.core import clock
from cordon.core.apikit import Day, Id, NextStatuses, actor
from cordon.core.pagination import MappedRows, Pagination

router = Router(tags=["command"])
router.add_router("", api_dispatch.router)  # the people and items of a loan
router.add_router("", api_duty.router)  # the duty roster: my work, on duty now, who answers for an object, hand-over

RegionPath = Annotated[str, Field(max_length=100)]  # a region path (the columns are 100 long)
Text = Annotated[str, Field(max_length=5000)]  # free text: a detail, a result, a note
Short = Annotated[str, Field(max_length=300)]  # a short note (the dispatch columns are 300 long)
Priority = Annotated[int, Field(ge=1, le=3)]


# --- tasks -------------------------------------------------------------------------------------------------

class TaskIn(Schema):
    title: str = Field(max_length=200)
    region_path: RegionPath
    deadline: dt.datetime
    owner_id: Id | None = None
    deputy_id: Id | None = None
    priority: Priority = 3
    detail: Text = ""


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    region_path: str
    owner_id: Id | None
    owner_name: str
    deputy_id: Id | None = None
    deputy_name: str = ""
    resolution: list[dict] = Field([], description="how the owner was found and every re-resolution (off duty, vacant, escalated, handed over)")
    deadline: dt.datetime
    priority: int
    status: str
    escalation_level: int
    source: str
    done_at: dt.datetime | None
    result: str
    overdue: bool
    next_statuses: NextStatuses


class CommandTaskStatOut(Schema):
    key: int | str | None = Field(description="the owner's id (by=owner) or the unit's region path")
    label: str
    total: int
    on_time: int
    late: int
    open: int
    overdue: int
    escalated: int
    on_time_pct: float | None


def _task(t) -> dict:
    return {"id": t.pk, "title": t.title, "kind": t.kind, "region_path": t.region_path, "owner_id": t.owner_id,
            "owner_name": rules.display_name(t.owner), "deadline": t.deadline, "deputy_id": t.deputy_id,
            "deputy_name": rules.display_name(t.deputy), "resolution": t.resolution,
            "priority": t.priority, "status": t.status, "escalation_level": t.escalation_level, "source": t.source,
            "done_at": t.done_at, "result": t.result,
            "overdue": t.status in ("open", "in_progress") and t.deadline < clock.now(),
            "next_statuses": list(TASK_LIFECYCLE.allowed(t.status))}


@router.get("/tasks", response=list[TaskOut])
@paginate(Pagination)
def list_tasks(request, status: str | None = None, overdue: bool = False, kind: str | None = None, owner_id: Id | None = None,
               region: str | None = None, priority: Priority | None = None, escalated: bool = False, q: str | None = None):
    """Tasks in your jurisdiction, by deadline."""
    qs = selectors.task_list(actor=actor(request), filters={"status": status, "overdue": overdue, "kind": kind, "owner": owner_id,
                                                            "region": region, "priority": priority, "escalated": escalated, "q": q})
    return MappedRows(qs, _task)


@router.post("/tasks", response={201: TaskOut})
def create_task(request, payload: TaskIn):
    """File a task by hand (owner and deputy become its named responsibility)."""
    t = services.task_create_manual(actor=actor(request), **payload.dict())
    return Status(201, _task(t))


@router.get("/tasks/stats", response=list[CommandTaskStatOut])
def task_stats(request, by: Literal["owner", "district", "street"] = "owner", since: dt.datetime | None = None,
               until: dt.datetime | None = None):
    """On time, late, open and overdue per owner (by=owner) or unit (by=district|street)."""
    return selectors.task_stats(actor=actor(request), by=by, since=since, until=until)


@router.get("/tasks/{int:pk}", response=TaskOut)
def get_task(request, pk: Id):
    """One task."""
    return _task(selectors.task_get(actor=actor(request), pk=pk))


class CloseIn(Schema):
    result: Text = ""
    cancelled: bool = False


@router.post("/tasks/{int:pk}/close", response=TaskOut)
def close_task(request, pk: Id, payload: CloseIn):
    """Close a task as done (or cancelled) with its result."""
    who = actor(request)
    t = selectors.task_get(actor=who, pk=pk, action="change" if payload.cancelled else selectors.WORK)
    return _task(services.task_close(actor=who, task=t, result=payload.result, cancelled=payload.cancelled))


@router.post("/tasks/{int:pk}/escalate", response=TaskOut)
def escalate_task(request, pk: Id):
    """Escalate a task to the superior post now."""
    who = actor(request)
    t = selectors.task_get(actor=who, pk=pk, action="change")
    return _task(services.task_escalate(actor=who, task=t, reason="manual"))


class ReassignIn(Schema):
    owner_id: Id


@router.post("/tasks/{int:pk}/reassign", response=TaskOut)
def reassign_task(request, pk: Id, payload: ReassignIn):
    """Give a task to another owner."""
    who = actor(request)
    t = selectors.task_get(actor=who, pk=pk, action="change")
    return _task(services.task_reassign(actor=who, task=t, owner_id=payload.owner_id))


# --- responsibilities and duties ----------------------------------------------------------------------------

class ResponsibilityIn(Schema):
    object_type: str = Field(max_length=20)
    object_id: str = Field("", max_length=40)
    region_path: RegionPath = ""
    label: str = Field(max_length=200)
    responsible_id: Id
    deputy_id: Id | None = None
    phone: str = Field("", max_length=20)


class ResponsibilityOut(Schema):
    id: int
    object_type: str
    object_id: str
    region_path: str
    label: str
    responsible_id: Id
    responsible: str
    deputy_id: Id | None
    deputy: str
    active: bool
    assigned_at: dt.datetime


def _resp(r) -> dict:
    return {"id": r.pk, "object_type": r.object_type, "object_id": r.object_id, "region_path": r.region_path, "label": r.label,
            "responsible_id": r.responsible_id, "responsible": rules.display_name(r.responsible),
            "deputy_id": r.deputy_id, "deputy": rules.display_name(r.deputy),
            "active": r.active, "assigned_at": r.assigned_at}


@router.get("/responsibilities", response=list[ResponsibilityOut])
@paginate(Pagination)
def list_responsibilities(request, object_type: str | None = None, user_id: Id | None = None, q: str | None = None):
    """Named responsible people and deputies (包保) in your jurisdiction."""
    return MappedRows(selectors.responsibility_list(actor=actor(request), filters={"type": object_type, "user": user_id, "q": q}), _resp)


@router.post("/responsibilities", response={201: ResponsibilityOut})
def assign_responsibility(request, payload: ResponsibilityIn):
    """Name the responsible person and deputy of an object; the previous assignment ends."""
    return Status(201, _resp(services.responsibility_assign(actor=actor(request), **payload.dict())))


# --- inspections and the ledger ------------------------------------------------------------------------------

class CommandEvidenceOut(Schema):
    id: int
    name: str
    stage: str
    url: str


class CommandLedgerStepOut(Schema):
    step: str
    at: dt.datetime
    by: str
    note: str
    deadline: dt.datetime | None


class LedgerOut(Schema):
    id: int
    inspection_id: Id | None
    title: str
    detail: str
    severity: str
    owner_id: Id
    owner: str
    deadline: dt.datetime
    status: str
    public_tracking: bool
    rectification: str
    reinspection_note: str
    closed_at: dt.datetime | None
    region_path: str
    evidence: list[CommandEvidenceOut]
    reopened: int
    history: list[CommandLedgerStepOut]
    next_statuses: NextStatuses


def _item(i) -> dict:
    return {"id": i.pk, "inspection_id": i.inspection_id, "title": i.title, "detail": i.detail, "severity": i.severity,
            "owner_id": i.owner_id, "owner": rules.display_name(i.owner), "deadline": i.deadline,
            "status": i.status, "public_tracking": i.public_tracking, "rectification": i.rectification,
            "reinspection_note": i.reinspection_note, "closed_at": i.closed_at, "region_path": i.region_path,
            "evidence": [{"id": e.pk, "name": e.name, "stage": e.stage, "url": e.file.url} for e in i.evidence.all()],
            "reopened": i.reopened, "history": [{"step": s.step, "at": s.at, "by": rules.display_name(s.actor), "note": s.note,
                                                 "deadline": s.deadline} for s in i.steps.select_related("actor")],
            "next_statuses": list(LEDGER_LIFECYCLE.allowed(i.status))}


class CommandDutiesOut(Schema):
    user_id: int
    username: str
    responsible: list[ResponsibilityOut]
    deputy: list[ResponsibilityOut]
    tasks: list[TaskOut]
    ledger: list[LedgerOut]


@router.get("/users/{int:user_id}/duties", response=CommandDutiesOut)
def duties(request, user_id: Id):
    """Everything a person answers for inside your jurisdiction."""
    d = selectors.duties_of(actor=actor(request), user_id=user_id)
    return {"user_id": d["user"].pk, "username": d["user"].username,
            "responsible": [_resp(r) for r in d["responsible"]], "deputy": [_resp(r) for r in d["deputy"]],
            "tasks": [_task(t) for t in d["tasks"]], "ledger": [_item(i) for i in d["ledger"]]}


class CommandCheckIn(Schema):
    item: str = Field(max_length=200)
    ok: bool
    note: Text = ""


class CommandCheckOut(Schema):
    item: str
    ok: bool
    note: str = ""


class FindingIn(Schema):
    title: str = Field(max_length=200)
    detail: Text = ""
    severity: str = Field("minor", max_length=10)
    owner_id: Id
    deadline: dt.datetime | None = None
    public_tracking: bool = False


class CommandInspectionIn(Schema):
    region_path: RegionPath
    place: str = Field(max_length=200)
    at: dt.datetime | None = None
    checklist: list[CommandCheckIn] = Field([], max_length=100)
    note: Text = ""
    findings: list[FindingIn] = Field([], max_length=100)


class CommandInspectionOut(Schema):
    id: int
    place: str
    region_path: str
    at: dt.datetime
    inspector: str
    checklist: list[CommandCheckOut]
    note: str
    findings: int = Field(description="ledger items found")


class CommandInspectionRecordedOut(Schema):
    id: int
    items: list[LedgerOut]


@router.get("/inspections", response=list[CommandInspectionOut])
@paginate(Pagination)
def list_inspections(request, region: str | None = None):
    """Inspections, newest first."""
    return MappedRows(selectors.inspection_list(actor=actor(request), filters={"region": region}), lambda i: {
        "id": i.pk, "place": i.place, "region_path": i.region_path, "at": i.at, "inspector": i.inspector.username,
        "checklist": i.checklist, "note": i.note, "findings": i.n_items})


@router.post("/inspections", response={201: CommandInspectionRecordedOut})
def record_inspection(request, payload: CommandInspectionIn):
    """Record an inspection; every finding goes on the ledger (all rows validated first, nothing written on error)."""
    data = payload.dict()
    insp = services.inspection_record(actor=actor(request), **data)
    return Status(201, {"id": insp.pk, "items": [_item(i) for i in insp.items.all()]})


@router.get("/ledger", response=list[LedgerOut])
@paginate(Pagination)
def list_ledger(request, status: str | None = None, severity: str | None = None, public: bool | None = None, overdue: bool = False,
                owner_id: Id | None = None, region: str | None = None):
    """Ledger items (挂账) in your jurisdiction."""
    qs = selectors.ledger_list(actor=actor(request), filters={"status": status, "severity": severity, "public": public, "overdue": overdue,
                                                              "owner": owner_id, "region": region}).prefetch_related("evidence")
    return MappedRows(qs, _item)


@router.get("/ledger/{int:pk}", response=LedgerOut)
def get_ledger_item(request, pk: Id):
    """One ledger item with its evidence."""
    return _item(selectors.ledger_get(actor=actor(request), pk=pk))


class RectifyIn(Schema):
    rectification: Text


@router.post("/ledger/{int:pk}/rectify", response=LedgerOut)
def rectify(request, pk: Id, payload: RectifyIn):
    """Report the rectification done (awaits re-inspection)."""
    who = actor(request)
    return _item(services.ledger_rectify(actor=who, item=selectors.ledger_get(actor=who, pk=pk, action="change"),
                                         rectification=payload.rectification))


class ReinspectIn(Schema):
    passed: bool
    note: Text = ""
    new_deadline: dt.datetime | None = None


@router.post("/ledger/{int:pk}/reinspect", response=LedgerOut)
def reinspect(request, pk: Id, payload: ReinspectIn):
    """Re-inspect: passed closes the item (销号; needs evidence uploaded first), failed reopens it with a new deadline.
    Neither the rectification owner nor the rectifier may verify; the verifier is an inspector over the item or
    holds a post in the issuing inspector's unit or above."""
    who = actor(request)
    return _item(services.ledger_reinspect(actor=who, item=selectors.ledger_get(actor=who, pk=pk, action="change"), **payload.dict()))


class FlagIn(Schema):
    public: bool


@router.post("/ledger/{int:pk}/flag", response=LedgerOut)
def flag(request, pk: Id, payload: FlagIn):
    """Put an item on (or off) public tracking (挂牌督办)."""
    who = actor(request)
    return _item(services.ledger_flag(actor=who, item=selectors.ledger_get(actor=who, pk=pk, action="change"), public=payload.public))


@router.post("/ledger/{int:pk}/evidence", response={201: LedgerOut})
def upload_evidence(request, pk: Id, file: File[UploadedFile],
                    stage: Form[Literal["finding", "rectification", "reinspection"]] = "finding"):
    """Upload a photo or file as evidence (finding, rectification or reinspection)."""
    who = actor(request)
    item = selectors.ledger_get(actor=who, pk=pk, action="change")
    services.evidence_add(actor=who, item=item, upload=file, stage=stage)
    return Status(201, _item(item))


class CommandAccountabilityOut(Schema):
    unit: str
    name: str
    inspections: int
    found: int
    severe: int
    closed_on_time: int
    closed_late: int
    reopened: int
    still_open: int
    open_overdue: int
    tasks_on_time: int
    tasks_late: int
    tasks_overdue: int
    flag: Literal["red", "yellow", "green"]


@router.get("/accountability", response=list[CommandAccountabilityOut])
def accountability(request, start: Day, end: Day, by: Literal["district", "street"] = "district"):
    """Accountability report per unit (district or street) and period."""
    return selectors.accountability_report(actor=actor(request), start=start, end=end, by=by)


# --- dispatch ------------------------------------------------------------------------------------------------

class PostIn(Schema):
    side: str = Field(max_length=8)
    resource: str = Field(max_length=16)
    quantity: int = Field(ge=1, le=1_000_000)
    region_path: RegionPath
    start: Day
    end: Day
    note: Short = ""


class CommandDispatchPostOut(Schema):
    id: int
    side: str
    resource: str
    quantity: int
    remaining: int
    region_path: str
    start: dt.date
    end: dt.date
    note: str
    status: str


class CommandDispatchMatchOut(Schema):
    id: int
    request_id: int
    offer_id: int
    lender_path: str
    borrower_path: str
    resource: str
    quantity: int
    distance_km: float
    status: str
    due_back: dt.date | None
    approved_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    returned_at: dt.datetime | None
    note: str


def _post(p) -> dict:
    return {"id": p.pk, "side": p.side, "resource": p.resource, "quantity": p.quantity, "remaining": p.remaining,
            "region_path": p.region_path, "start": p.start, "end": p.end, "note": p.note, "status": p.status}


def _match(m) -> dict:
    return {"id": m.pk, "request_id": m.request_id, "offer_id": m.offer_id, "lender_path": m.region_path, "borrower_path": m.borrower_path,
            "resource": m.resource, "quantity": m.quantity, "distance_km": m.distance_km, "status": m.status, "due_back": m.due_back,
            "approved_at": m.approved_at, "dispatched_at": m.dispatched_at, "returned_at": m.returned_at, "note": m.note}


@router.get("/dispatch/posts", response=list[CommandDispatchPostOut])
@paginate(Pagination)
def list_posts(request, side: str | None = None, resource: str | None = None, status: str | None = None):
    """Requests and offers in your jurisdiction."""
    return MappedRows(selectors.dispatch_posts(actor=actor(request), filters={"side": side, "resource": resource, "status": status}), _post)


@router.post("/dispatch/posts", response={201: CommandDispatchPostOut})
def create_post(request, payload: PostIn):
    """Post a request or an offer."""
    return Status(201, _post(services.dispatch_post(actor=actor(request), **payload.dict())))


@router.post("/dispatch/suggest", response={201: list[CommandDispatchMatchOut]})
def suggest(request):
    """Suggest loans for open requests from offers of other districts (reserves the quantities)."""
    return Status(201, [_match(m) for m in services.dispatch_suggest(actor=actor(request))])


@router.get("/dispatch/matches", response=list[CommandDispatchMatchOut])
@paginate(Pagination)
def list_matches(request, status: str | None = None):
    """Loans your area lends or borrows."""
    return MappedRows(selectors.dispatch_matches(actor=actor(request), filters={"match_status": status}), _match)


class CommandDecideIn(Schema):
    approve: bool
    note: Short = ""
    due_back: Day | None = None


@router.post("/dispatch/matches/{int:pk}/decide", response=CommandDispatchMatchOut)
def decide(request, pk: Id, payload: CommandDecideIn):
    """The lender approves or rejects a suggested loan."""
    who = actor(request)
    m = selectors.dispatch_match_get(actor=who, pk=pk, action="approve")
    return _match(services.dispatch_decide(actor=who, match=m, **payload.dict()))


@router.post("/dispatch/matches/{int:pk}/advance", response=CommandDispatchMatchOut)
def advance(request, pk: Id):
    """Track a loan: approved -> on loan -> returned."""
    who = actor(request)
    m = selectors.dispatch_match_get(actor=who, pk=pk, action="change")
    return _match(services.dispatch_advance(actor=who, match=m))
