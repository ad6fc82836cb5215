"""Keyworkers API: the register of freight drivers and key workers, their tests, passes, who is due, the pass check
a checkpoint makes, and the flows of pass holders through checkpoints."""

import datetime as dt
from typing import Literal

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.core import access, clock, pii
from cordon.core.apikit import Id, actor, masked
from cordon.core.pagination import MappedRows, Pagination
from cordon.keyworkers import selectors, services

router = Router(tags=["keyworkers"])


class KeyworkersPersonIn(Schema):
    category: Literal["driver", "worker"]
    name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=20)
    phone: str = Field(..., max_length=20)
    employer: str = Field(..., max_length=120)
    region_path: str = Field(..., max_length=100, description="The employer's area (driver) or the workplace area (key worker)")
    plate: str = Field("", max_length=12)
    origin: str = Field("", max_length=100, description="Route origin: an area of the city (path, code or name) or a six-digit division code")
    destination: str = Field("", max_length=100, description="Route destination (as origin); a key worker's defaults to the workplace")
    cargo: Literal["", "essential", "medical", "production"] = ""
    closed_loop: bool = False
    role: str = Field("", max_length=60)
    shift: Literal["", "day", "night", "rotating"] = ""


class KeyworkersPersonEditIn(Schema):
    name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=20)
    phone: str = Field(..., max_length=20)
    employer: str = Field(..., max_length=120)
    region_path: str = Field(..., max_length=100)
    plate: str = Field("", max_length=12)
    origin: str = Field("", max_length=100)
    destination: str = Field("", max_length=100)
    cargo: Literal["", "essential", "medical", "production"] = ""
    closed_loop: bool = False
    role: str = Field("", max_length=60)
    shift: Literal["", "day", "night", "rotating"] = ""


class KeyworkersPersonOut(Schema):
    id: int
    category: str
    name: str = Field(description="Masked")
    id_number: str = Field(description="Masked")
    phone: str = Field(description="Masked")
    employer: str
    region_path: str
    plate: str
    origin_name: str
    destination_name: str
    cargo: str
    closed_loop: bool
    role: str
    shift: str
    active: bool
    last_negative_at: dt.datetime | None
    next_test_due_at: dt.datetime
    test_state: str = Field("", description="ok, due_today, overdue or positive (the city's day)")

    resolve_name = masked("name", pii.mask_name)
    resolve_id_number = masked("id_number", pii.mask_id_number)
    resolve_phone = masked("phone", pii.mask_phone)

    @staticmethod
    def resolve_test_state(obj) -> str:
        return selectors.state_of(obj, now=clock.now())


class KeyworkersTestIn(Schema):
    sampled_at: dt.datetime
    outcome: Literal["negative", "positive"]


class KeyworkersTestOut(Schema):
    id: int
    sampled_at: dt.datetime
    outcome: str
    source: str


class KeyworkersPassIssueIn(Schema):
    days: int | None = Field(None, ge=1, le=90)


class KeyworkersPassOut(Schema):
    id: int
    number: str
    keyperson_id: Id
    valid_from: dt.datetime
    valid_until: dt.datetime
    status: str
    suspended_reason: str
    code: str = Field("", description="The signed code the pass's QR holds (KW1....)")

    @staticmethod
    def resolve_code(obj) -> str:
        return services.pass_code(obj)


class KeyworkersPassActionIn(Schema):
    action: Literal["suspend", "reinstate", "revoke"]


class KeyworkersVerifyIn(Schema):
    code: str = Field(..., max_length=600, description="The scanned pass code, or the pass number typed")
    origin_path: str = Field("", max_length=100)
    destination: str = Field("", max_length=100, description="Declared destination: area path, code or name, or a division code")
    plate: str = Field("", max_length=16)


class KeyworkersVerifyOut(Schema):
    result: str
    reason: str
    reason_text: str
    number: str
    category: str
    holder: str = Field(description="Masked name")
    plate: str
    conditions: list[str]


class KeyworkersImportOut(Schema):
    created: int


class KeyworkersRefreshOut(Schema):
    read: int = Field(description="Residents on the register whose mass-testing results were read")
    added: int = Field(description="Results added from mass testing")
    suspended: int = Field(description="Passes suspended (test overdue or positive)")
    reinstated: int = Field(description="Passes reinstated (a new negative after an overdue test)")


class KeyworkersFlowOut(Schema):
    day: dt.date
    checkpoint_id: int
    checkpoint_name: str
    category: str
    result: str
    reason: str
    n: int


def _region(who, path: str):
    return services.region_for(actor=who, path=path)


@router.get("/", response=list[KeyworkersPersonOut])
@paginate(Pagination)
def list_keypersons(request, category: str | None = None, cargo: str | None = None, closed_loop: bool | None = None,
                    active: bool | None = None, region: str | None = None, q: str | None = None):
    """Drivers and key workers in your area (personal data masked)."""
    return selectors.keyperson_list(actor=actor(request), filters={"category": category, "cargo": cargo, "closed_loop": closed_loop,
                                                                   "active": active, "region": region, "q": q})


@router.post("/", response={201: KeyworkersPersonOut})
def register(request, payload: KeyworkersPersonIn):
    """Register a freight driver or key worker (ID number and plate checked; errors name the field)."""
    who = actor(request)
    access.require(who, "keyworkers.change")
    data = payload.model_dump(exclude={"region_path"})
    return Status(201, services.keyperson_register(actor=who, region=_region(who, payload.region_path), **data))


@router.post("/import", response=KeyworkersImportOut)
def import_keypersons(request, file: File[UploadedFile]):
    """CSV/Excel import (template on the import page); every bad row named, all rows or none."""
    return services.keypersons_import(actor=actor(request), data=file.read(), filename=file.name)


@router.get("/due", response=list[KeyworkersPersonOut])
@paginate(Pagination)
def due(request, state: Literal["", "overdue", "due_today", "positive"] = "", category: Literal["", "driver", "worker"] = ""):
    """Who is overdue, due later today (the city's day) or positive; earliest due first."""
    return selectors.due_list(actor=actor(request), state=state, category=category)


@router.post("/refresh", response=KeyworkersRefreshOut)
def refresh(request):
    """Read mass-testing results of residents on the register, then suspend or reinstate passes (also run by the scheduler)."""
    who = actor(request)
    read = services.tests_from_screening(actor=who)
    return {**read, **services.passes_refresh(actor=who)}


@router.post("/verify", response=KeyworkersVerifyOut)
def verify(request, payload: KeyworkersVerifyIn):
    """Check a presented pass without recording a passage (a checkpoint records it with its inspection)."""
    access.require(actor(request), "keyworkers.view")
    return services.pass_check(code=payload.code, origin_path=payload.origin_path, destination=payload.destination, plate=payload.plate)


@router.get("/passes", response=list[KeyworkersPassOut])
@paginate(Pagination)
def list_passes(request, status: str | None = None, category: str | None = None, q: str | None = None):
    """Passes in your area."""
    return selectors.pass_list(actor=actor(request), filters={"status": status, "category": category, "q": q})


@router.get("/passes/{int:pk}", response=KeyworkersPassOut)
def get_pass(request, pk: Id):
    """One pass with its signed code."""
    return selectors.pass_get(actor=actor(request), pk=pk)


@router.post("/passes/{int:pk}/status", response=KeyworkersPassOut)
def pass_status(request, pk: Id, payload: KeyworkersPassActionIn):
    """Suspend, reinstate or revoke a pass."""
    p = selectors.pass_get(actor=actor(request), pk=pk, action="change")
    return services.pass_set_status(actor=actor(request), key_pass=p, action=payload.action)


@router.get("/flows", response=list[KeyworkersFlowOut])
@paginate(Pagination)
def flows(request, category: Literal["", "driver", "worker"] = "", checkpoint: Id | None = None,
          since: dt.date | None = None, until: dt.date | None = None):
    """Passages of drivers and key workers per checkpoint and city day, passed or held and why."""
    filters = {k: v for k, v in {"category": category, "checkpoint": checkpoint, "since": since, "until": until}.items() if v}
    return MappedRows(selectors.flow_rows(actor=actor(request), filters=filters), selectors.flow_row)


@router.get("/{int:pk}", response=KeyworkersPersonOut)
def get_keyperson(request, pk: Id):
    """One driver or key worker (masked)."""
    return selectors.keyperson_get(actor=actor(request), pk=pk)


@router.put("/{int:pk}", response=KeyworkersPersonOut)
def update_keyperson(request, pk: Id, payload: KeyworkersPersonEditIn):
    """Change a register entry."""
    who = actor(request)
    kp = selectors.keyperson_get(actor=who, pk=pk, action="change")
    data = payload.model_dump(exclude={"region_path"})
    return services.keyperson_update(actor=who, keyperson=kp, region=_region(who, payload.region_path), **data)


@router.get("/{int:pk}/tests", response=list[KeyworkersTestOut])
@paginate(Pagination)
def list_tests(request, pk: Id):
    """Test results of one driver or key worker, newest first."""
    who = actor(request)
    return selectors.tests_of(actor=who, keyperson=selectors.keyperson_get(actor=who, pk=pk))


@router.post("/{int:pk}/tests", response={201: KeyworkersTestOut})
def record_test(request, pk: Id, payload: KeyworkersTestIn):
    """Record a test result; a positive suspends the pass at once, a negative reinstates one suspended as overdue."""
    who = actor(request)
    kp = selectors.keyperson_get(actor=who, pk=pk, action="change")
    return Status(201, services.test_record(actor=who, keyperson=kp, sampled_at=payload.sampled_at, outcome=payload.outcome))


@router.post("/{int:pk}/passes", response={201: KeyworkersPassOut})
def issue_pass(request, pk: Id, payload: KeyworkersPassIssueIn):
    """Issue a pass (needs a negative test within the hours the rules require)."""
    who = actor(request)
    kp = selectors.keyperson_get(actor=who, pk=pk, action="change")
    return Status(201, services.pass_issue(actor=who, keyperson=kp, days=payload.days))
