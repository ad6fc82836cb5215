"""Assist API: officers' requests each way (scoped, masked unless unmasking is granted), partners, and the exchange
with partner cities: signed calls (docs/ASSIST.md), not a user session."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import APIKeyHeader

from cordon.assist import exchange, selectors, services
from cordon.assist.models import Partner
from cordon.contacts import selectors as contacts_selectors
from cordon.core import access
from cordon.core.apikit import Id, actor
from cordon.core.errors import ServiceError
from cordon.core.pagination import MappedRows, Pagination
from cordon.regions.models import Region

router = Router(tags=["assist"])


# --- the exchange format ---------------------------------------------------------------------------------------

class AssistPersonIn(Schema):
    name: str = Field(max_length=50)
    id_number: str = Field("", max_length=18, description="18-character resident ID number")
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200, description="stated residence in the receiving city")
    residence_code: str = Field("", max_length=12, description="division code of the residence (6 digits or longer)")


class AssistExposureIn(Schema):
    case_ref: str = Field("", max_length=60, description="the requesting city's case reference")
    contact_kind: str = Field(description="close_contact, secondary_contact, spacetime_companion, high_risk_arrival, ...")
    last_exposure: dt.datetime
    place: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class AssistIncomingIn(Schema):
    ref: str = Field(max_length=60, description="the requesting city's reference: the key that makes a resend idempotent")
    from_code: str = Field("", max_length=12, description="the requesting city's division code")
    person: AssistPersonIn
    exposure: AssistExposureIn
    action: str = Field("verify", description="verify, landing, monitoring or testing")
    deadline: dt.datetime | None = Field(None, description="report by; without it the receiving city's rule set decides")


class AssistIncomingOut(Schema):
    ref: str
    handler_ref: str = Field(description="our reference for the request")
    status: str
    deadline: dt.datetime
    created: bool = Field(description="false when this reference was received before (nothing new was made)")


class AssistStatusIn(Schema):
    request_ref: str = Field(max_length=60, description="the requesting city's reference")
    handler_ref: str = Field("", max_length=60, description="the handling city's reference")
    status: str = Field(description="received, accepted, in_progress, done, rejected or overdue")
    result: str = Field("", description="found, not_found or placed (with done)")
    note: str = Field("", max_length=500)
    at: dt.datetime | None = None


class AssistStatusOut(Schema):
    request_ref: str
    status: str
    result: str


class AssistMessageOut(Schema):
    id: int = Field(description="the cursor: pass the last one seen as `since`")
    kind: str = Field(description="request or status")
    created_at: dt.datetime
    request: AssistIncomingIn | None = None
    status: AssistStatusIn | None = None


# --- partner authentication ------------------------------------------------------------------------------------

class PartnerSignature(APIKeyHeader):
    """X-Assist-Partner (their division code), X-Assist-Timestamp (Unix seconds) and X-Assist-Signature (HMAC-SHA256 of
    timestamp, method, path and body with the shared secret)."""

    param_name = "X-Assist-Partner"

    def authenticate(self, request, key):
        partner = exchange.partner_verified(code=key, timestamp=request.headers.get("X-Assist-Timestamp", ""),
                                            signature=request.headers.get("X-Assist-Signature", ""), method=request.method,
                                            path=request.get_full_path(), body=request.body)
        if partner is None and Partner.objects.filter(region_code=(key or "").strip(), active=False).exists():
            raise PermissionDenied(_("the partnership is suspended"))
        return partner


PARTNER = [PartnerSignature()]


@router.post("/incoming", auth=PARTNER, response={200: AssistIncomingOut, 201: AssistIncomingOut})
def incoming(request, payload: AssistIncomingIn):
    """A partner city's request (signed). Routed to the district where the person lives; a resend of the same `ref`
    answers 200 with the request made the first time."""
    req, created = exchange.incoming_receive(partner=request.auth, data=payload.model_dump(mode="json"))
    return Status(201 if created else 200, {"ref": req.their_ref, "handler_ref": req.our_ref, "status": req.status,
                                            "deadline": req.deadline, "created": created})


@router.post("/incoming-status", auth=PARTNER, response=AssistStatusOut)
def incoming_status(request, payload: AssistStatusIn):
    """A partner city's status report on a request we sent them (signed)."""
    req = services.partner_reported(partner=request.auth, request_ref=payload.request_ref, status=payload.status,
                                    result=payload.result, note=payload.note, handler_ref=payload.handler_ref, at=payload.at)
    return {"request_ref": req.our_ref, "status": req.status, "result": req.result}


@router.get("/outgoing-status", auth=PARTNER, response=list[AssistMessageOut])
def outgoing_status(request, since: Annotated[int, Field(ge=0)] = 0):
    """Messages we owe the calling partner (signed): our requests to them and statuses of theirs, after `since`."""
    out = []
    for m in exchange.messages_for(partner=request.auth, since=since):
        out.append({"id": m.pk, "kind": m.kind, "created_at": m.created_at,
                    "request": m.payload if m.kind == "request" else None, "status": m.payload if m.kind == "status" else None})
    return out


# --- officers --------------------------------------------------------------------------------------------------

class AssistPartnerIn(Schema):
    name: str
    region_code: str
    secret: str = Field(min_length=16, description="the shared secret agreed with the partner (never shown again)")
    endpoint_url: str = ""
    contact_name: str = ""
    contact_phone: str = ""


class AssistPartnerOut(Schema):
    id: int
    name: str
    region_code: str
    endpoint_url: str
    contact_name: str
    contact_phone: str
    active: bool


class AssistRequestIn(Schema):
    partner_id: Id
    risk_person_id: Id | None = Field(None, description="a risk person of ours: the person and exposure come from it")
    region_path: str = Field("", description="the sending area, without a risk person")
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    residence_code: str = ""
    case_ref: str = ""
    contact_kind: str = ""
    last_exposure: dt.datetime | None = None
    exposure_place: str = ""
    note: str = ""
    action: str = "verify"


class AssistPersonOut(Schema):
    name: str
    id_number: str
    phone: str
    address: str
    masked: bool


class AssistStepOut(Schema):
    at: dt.datetime
    status: str
    by_partner: bool
    note: str


class AssistRequestOut(Schema):
    id: int
    direction: str
    partner_id: int
    partner_name: str
    our_ref: str
    their_ref: str
    region_path: str
    routed_by: str
    contact_kind: str
    case_ref: str
    last_exposure: dt.datetime
    exposure_place: str
    action: str
    deadline: dt.datetime
    overdue: bool
    status: str
    result: str
    result_note: str
    risk_person_id: int | None
    person: AssistPersonOut | None = None
    steps: list[AssistStepOut] | None = None


class AssistAcceptIn(Schema):
    grid_path: str = Field("", description="where the person lives, when they are not in the register yet")


class AssistReplyIn(Schema):
    result: str = Field(description="found, not_found or placed")
    note: str = ""


class AssistRejectIn(Schema):
    reason: str


def _out(req, *, who, unmask: bool = False, detail: bool = False) -> dict:
    data = {f: getattr(req, f) for f in ("id", "direction", "partner_id", "our_ref", "their_ref", "region_path", "routed_by",
                                         "contact_kind", "case_ref", "last_exposure", "exposure_place", "action", "deadline",
                                         "status", "result", "result_note", "risk_person_id")}
    data.update(partner_name=req.partner.name, overdue=selectors.is_late(req), person=selectors.person_of(req, actor=who, unmask=unmask))
    if detail:
        data["steps"] = list(selectors.steps_of(actor=who, req=req))
    return data


@router.get("/partners", response=list[AssistPartnerOut])
@paginate(Pagination)
def list_partners(request):
    """Partner cities' authorities."""
    access.require(actor(request), "assist.view")
    return selectors.partner_list()


@router.post("/partners", response={201: AssistPartnerOut})
def create_partner(request, payload: AssistPartnerIn):
    """Register a partner city (city-wide)."""
    return Status(201, services.partner_create(actor=actor(request), **payload.model_dump()))


@router.get("/requests", response=list[AssistRequestOut])
@paginate(Pagination)
def list_requests(request, direction: str | None = None, status: str | None = None, overdue: str | None = None, q: str | None = None):
    """Requests in your area, newest first (person masked)."""
    who = actor(request)
    rows = selectors.request_list(actor=who, filters={"direction": direction, "status": status, "overdue": overdue, "q": q})
    return MappedRows(rows, lambda r: _out(r, who=who))


@router.post("/requests", response={201: AssistRequestOut})
def draft_request(request, payload: AssistRequestIn):
    """Draft a request to a partner city about our contact who lives there."""
    who = actor(request)
    access.require(who, "assist.change")
    partner = Partner.objects.filter(pk=payload.partner_id).first()
    if partner is None:
        raise ServiceError.field("partner_id", _("unknown partner %(id)s") % {"id": payload.partner_id})
    risk = contacts_selectors.risk_get(actor=who, pk=payload.risk_person_id) if payload.risk_person_id else None
    region = Region.objects.visible_to(who, "view").filter(path=payload.region_path).first() if payload.region_path else None
    if payload.region_path and region is None:
        raise ServiceError.field("region_path", _("unknown region %(region_path)r") % {"region_path": payload.region_path})
    data = payload.model_dump(exclude={"partner_id", "risk_person_id", "region_path"})
    return Status(201, _out(services.request_draft(actor=who, partner=partner, region=region, risk=risk, **data), who=who))


@router.get("/requests/{int:pk}", response=AssistRequestOut)
def get_request(request, pk: Id, unmask: bool = False):
    """One request with its history; `unmask=true` shows the person if permitted (audited)."""
    who = actor(request)
    return _out(selectors.request_get(actor=who, pk=pk), who=who, unmask=unmask, detail=True)


def _step(request, pk: int, service, **data):
    """A step of the request `pk` (read for change, in the caller's area) by `service`; answers the request as it is now."""
    who = actor(request)
    return _out(service(actor=who, req=selectors.request_get(actor=who, pk=pk, action="change"), **data), who=who)


@router.post("/requests/{int:pk}/send", response=AssistRequestOut)
def send_request(request, pk: Id):
    """Send a draft to the partner; a task tracks the deadline."""
    return _step(request, pk, services.request_send)


@router.post("/requests/{int:pk}/accept", response=AssistRequestOut)
def accept_request(request, pk: Id, payload: AssistAcceptIn):
    """Take an incoming request on (registering the person in `grid_path` when they are not in the register)."""
    who = actor(request)
    req = selectors.request_get(actor=who, pk=pk, action="change")
    grid = Region.objects.visible_to(who, "change").filter(path=payload.grid_path).first() if payload.grid_path else None
    if payload.grid_path and grid is None:
        raise ServiceError.field("grid_path", _("unknown region %(region_path)r") % {"region_path": payload.grid_path})
    return _out(services.request_accept(actor=who, req=req, grid=grid), who=who)


@router.post("/requests/{int:pk}/start", response=AssistRequestOut)
def start_request(request, pk: Id):
    """Mark an accepted request as in progress."""
    return _step(request, pk, services.request_start)


@router.post("/requests/{int:pk}/reply", response=AssistRequestOut)
def reply_request(request, pk: Id, payload: AssistReplyIn):
    """Report the result to the requesting city: done."""
    return _step(request, pk, services.request_reply, result=payload.result, note=payload.note)


@router.post("/requests/{int:pk}/reject", response=AssistRequestOut)
def reject_request(request, pk: Id, payload: AssistRejectIn):
    """Decline a request, with the reason."""
    return _step(request, pk, services.request_reject, reason=payload.reason)
