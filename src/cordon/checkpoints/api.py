"""Checkpoints API: registry, shifts, passes, online credential checks, passage inspections (one or
an offline queue in bulk), and two public endpoints: the city's public keys and a resident's
freshly signed credential (the health code), both cheap enough for policy-driven spikes."""

import datetime as dt
import json

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cordon.checkpoints import selectors, services
from cordon.checkpoints.enums import REASONS
from cordon.command.api_duty import CommandResponsibleOut, responsible_of
from cordon.core.apikit import Id, actor, idempotent
from cordon.core.pagination import Pagination
from cordon.regions.models import Region
from cordon.status import credentials

router = Router(tags=["checkpoints"])


class CheckpointOut(Schema):
    responsible: CommandResponsibleOut | None = None  # detail only: who answers for it now (duty roster)
    id: int
    name: str
    code: str
    kind: str
    location: str
    region_path: str
    active: bool


class CheckpointIn(Schema):
    name: str = Field(..., max_length=120)
    kind: str = Field(..., max_length=20)
    region_path: str = Field(..., max_length=100)
    location: str = Field("", max_length=200)
    code: str = Field("", max_length=20)


class ShiftIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    leader: str = Field(..., max_length=50)
    leader_phone: str = Field("", max_length=20)
    staff: list[str] = Field([], max_length=100)


class ShiftOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    leader: str
    staff: list[str]


class VerifyIn(Schema):
    code: str = Field(..., max_length=4000)
    origin_path: str = Field("", max_length=100)
    origin: str = Field("", max_length=120, description="where the traveller comes from (province city county community); "
                                                       "matched against the national risk-area list")
    origin_level: str = Field("", max_length=20)
    direction: str = Field("in", max_length=3)


class VerifyOut(Schema):
    result: str
    reason: str
    reason_text: str
    colour: str | None = None
    last_negative_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    origin_level: str = ""
    validity_hours: int


class CheckpointsInspectionIn(Schema):
    subject: str = Field("person", max_length=8)
    direction: str = Field("in", max_length=3)
    code: str = Field("", max_length=4000)
    plate: str = Field("", max_length=16)
    pass_number: str = Field("", max_length=24)
    origin: str = Field("", max_length=120)
    origin_path: str = Field("", max_length=100)
    origin_level: str = Field("", max_length=20)
    destination: str = Field("", max_length=120)
    result: str | None = Field(None, max_length=8)
    note: str = Field("", max_length=200)
    at: dt.datetime | None = None
    client_ref: str = Field("", max_length=40)
    offline: bool = False
    kw_pass: str = Field("", max_length=600, description="A key worker's or freight driver's pass: the scanned code or the number")


class InspectionBatch(Schema):
    items: list[CheckpointsInspectionIn] = Field(..., max_length=services.MAX_BATCH)


class CheckpointsInspectionBulkOut(Schema):
    received: int
    stored: int
    duplicates: int
    holds: int
    handed_over: int
    replayed: bool = False


class CheckpointsKeysOut(Schema):
    keys: dict[str, str]
    current: str


class CheckpointsVerifierPointOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class CheckpointsRiskAreaOut(Schema):
    name: str
    level: str


class CheckpointsGreenLaneOut(Schema):
    number: str
    plate: str
    from_: int = Field(..., alias="from")
    until: int


class CheckpointsVerifierOut(Schema):
    checkpoint: CheckpointsVerifierPointOut
    keys: dict[str, str]
    ruleset: str
    validity_hours: int
    pass_colours: list[str]
    hold_origin_risk_levels: list[str]
    no_exit_colours: list[str]
    risk_levels: list[str]
    risk_areas: list[CheckpointsRiskAreaOut]
    passes: list[CheckpointsGreenLaneOut]
    fetched_at: dt.datetime


class CheckpointsInspectionOut(Schema):
    id: int
    checkpoint_id: Id
    at: dt.datetime
    subject: str
    plate: str
    origin: str
    origin_level: str
    destination: str
    colour: str
    direction: str
    result: str
    reason: str
    reason_text: str = ""
    handed_over: bool
    offline: bool
    overridden_at: dt.datetime | None = None
    override_reason: str = ""
    override: str = ""
    keyworker: str = Field("", description="On the recording answer: driver or worker when a key-worker pass was presented")
    conditions: list[str] = Field([], description="On the recording answer: the pass's conditions when it was valid")

    @staticmethod
    def resolve_reason_text(obj) -> str:
        return str(REASONS.get(obj.reason, obj.reason))

    @staticmethod
    def resolve_override(obj) -> str:
        """How to request an override of a refusal that is not overridden yet (never a locked door)."""
        if obj.result == "pass" or obj.overridden_at is not None:
            return ""
        return services.OVERRIDE_HINT.replace("{id}", str(obj.pk))

    @staticmethod
    def resolve_keyworker(obj) -> str:
        return getattr(obj, "kw_category", "")

    @staticmethod
    def resolve_conditions(obj) -> list[str]:
        return getattr(obj, "kw_conditions", [])


class CheckpointsOverrideIn(Schema):
    reason: str = Field(..., max_length=200)


class CheckpointsPassIn(Schema):
    plate: str = Field(..., max_length=16)
    enterprise: str = Field(..., max_length=120)
    region_path: str = Field(..., max_length=100)
    valid_from: dt.datetime
    valid_until: dt.datetime
    cargo: str = Field("", max_length=120)
    driver: str = Field("", max_length=50)
    source: str = Field("", max_length=80)


class CheckpointsPassOut(Schema):
    id: int
    number: str
    plate: str
    enterprise: str
    cargo: str
    driver: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    revoked: bool
    region_path: str


class CredentialOut(Schema):
    code: str
    colour: str
    last_negative_at: dt.datetime | None
    version: int
    issued_at: dt.datetime
    expires_at: dt.datetime


@router.get("/keys", auth=None, response=CheckpointsKeysOut)
def public_keys(request):
    """The city's credential public keys {key id: base64url raw Ed25519 key}, for offline verifiers."""
    return {"keys": credentials.public_keys_raw(), "current": credentials.signing_key().kid}


@router.get("/credential/{token}", auth=None, response=CredentialOut)
def credential(request, token: str):
    """A resident's freshly signed health status credential (the person token link is the secret)."""
    issued = credentials.credential_issue(token=token[:32])
    if issued is None:
        raise Http404("unknown token")
    # The hottest endpoint in a city-wide testing round: serialise directly (same shape as CredentialOut).
    body = {**issued, "last_negative_at": issued["last_negative_at"].isoformat() if issued["last_negative_at"] else None,
            "issued_at": issued["issued_at"].isoformat(), "expires_at": issued["expires_at"].isoformat()}
    return HttpResponse(json.dumps(body, separators=(",", ":")), content_type="application/json",
                        headers={"Cache-Control": "no-store"})


@router.get("/", response=list[CheckpointOut])
@paginate(Pagination)
def list_checkpoints(request, kind: str | None = Query(None, max_length=20), q: str | None = Query(None, max_length=100),
                     region: str | None = Query(None, max_length=100)):
    """Checkpoints in your area."""
    return selectors.checkpoint_list(actor=actor(request), filters={"kind": kind, "q": q, "region": region})


@router.post("/", response={201: CheckpointOut})
def create_checkpoint(request, payload: CheckpointIn):
    """Register a checkpoint."""
    region = Region.objects.filter(path=payload.region_path).first()  # unknown: the service answers 404, as for another district's
    return Status(201, services.checkpoint_create(actor=actor(request), name=payload.name, kind=payload.kind, region=region,
                                                      location=payload.location, code=payload.code))


@router.get("/inspections", response=list[CheckpointsInspectionOut])
@paginate(Pagination)
def list_inspections(request, checkpoint: Id | None = None, result: str | None = Query(None, max_length=8),
                     subject: str | None = Query(None, max_length=8)):
    """Passage inspections in your area, newest first."""
    return selectors.inspection_list(actor=actor(request), filters={"checkpoint": checkpoint, "result": result, "subject": subject})


@router.get("/overrides", response=list[CheckpointsInspectionOut])
@paginate(Pagination)
def list_overrides(request, checkpoint: Id | None = None):
    """Refusals overridden by an authorised officer (medical emergency, childbirth, dialysis), newest first."""
    return selectors.override_list(actor=actor(request), filters={"checkpoint": checkpoint})


@router.post("/inspections/{int:pk}/override", response=CheckpointsInspectionOut)
def override_inspection(request, pk: Id, payload: CheckpointsOverrideIn):
    """Let a refused person through with a reason (checkpoints.override: street and district officers, the commander)."""
    insp = selectors.inspection_get(actor=actor(request), pk=pk)
    return services.inspection_override(actor=actor(request), inspection=insp, reason=payload.reason)


@router.get("/passes", response=list[CheckpointsPassOut])
@paginate(Pagination)
def list_passes(request, q: str | None = Query(None, max_length=100)):
    """Green-lane passes in your area."""
    return selectors.pass_list(actor=actor(request), filters={"q": q})


@router.post("/passes", response={201: CheckpointsPassOut})
def issue_pass(request, payload: CheckpointsPassIn):
    """Issue a green-lane pass to a key-supply vehicle."""
    return Status(201, services.pass_issue(actor=actor(request), **payload.model_dump()))


@router.post("/passes/{int:pk}/revoke", response=CheckpointsPassOut)
def revoke_pass(request, pk: Id):
    """Revoke a pass."""
    p = selectors.pass_get(actor=actor(request), pk=pk, action="change")
    return services.pass_revoke(actor=actor(request), vehicle_pass=p)


@router.get("/{int:pk}", response=CheckpointOut)
def get_checkpoint(request, pk: Id):
    """One checkpoint, with who answers for it now."""
    cp = selectors.checkpoint_get(actor=actor(request), pk=pk)
    cp.responsible = responsible_of("checkpoint", cp)
    return cp


@router.get("/{int:pk}/verifier", response=CheckpointsVerifierOut, by_alias=True)
def verifier(request, pk: Id):
    """Keys, rule values and risk levels a phone needs to verify codes offline at this checkpoint."""
    return selectors.verifier_config(checkpoint=selectors.checkpoint_get(actor=actor(request), pk=pk))


@router.post("/{int:pk}/verify", response=VerifyOut)
def verify(request, pk: Id, payload: VerifyIn):
    """Check a presented code online (nothing is written; record the passage with /inspections)."""
    cp = selectors.checkpoint_get(actor=actor(request), pk=pk)
    return services.credential_check(code=payload.code, checkpoint=cp, origin_path=payload.origin_path,
                                     origin_level=payload.origin_level, direction=payload.direction, origin=payload.origin)


@router.get("/{int:pk}/shifts", response=list[ShiftOut])
@paginate(Pagination)
def list_shifts(request, pk: Id):
    """A checkpoint's shifts."""
    cp = selectors.checkpoint_get(actor=actor(request), pk=pk)
    return selectors.shifts_of(actor=actor(request), checkpoint=cp)


@router.post("/{int:pk}/shifts", response={201: ShiftOut})
def add_shift(request, pk: Id, payload: ShiftIn):
    """Put a shift on a checkpoint."""
    cp = selectors.checkpoint_get(actor=actor(request), pk=pk, action="change")
    return Status(201, services.shift_add(actor=actor(request), checkpoint=cp, **payload.model_dump()))


@router.post("/{int:pk}/inspections", response={201: CheckpointsInspectionOut})
def record_inspection(request, pk: Id, payload: CheckpointsInspectionIn):
    """Log one passage with its verdict (re-checked on the server)."""
    cp = selectors.checkpoint_get(actor=actor(request), pk=pk, action="change")
    return Status(201, services.inspection_record(actor=actor(request), checkpoint=cp, **payload.model_dump()))


@router.post("/{int:pk}/inspections/bulk", response={200: CheckpointsInspectionBulkOut, 201: CheckpointsInspectionBulkOut})
def bulk_inspections(request, pk: Id, payload: InspectionBatch):
    """Upload an offline queue of passages; send an Idempotency-Key header so retries are harmless."""
    cp = selectors.checkpoint_get(actor=actor(request), pk=pk, action="change")
    items = [i.model_dump(mode="json") for i in payload.items]
    return idempotent(request, scope=f"checkpoints.inspections.bulk:{cp.pk}", payload=items,
                      fn=lambda: (201, services.inspections_bulk(actor=actor(request), checkpoint=cp, items=items)))
