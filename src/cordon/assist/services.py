"""Writes for assistance requests handled by officers: partners, drafting and sending a request about our contact who
lives in another city, and handling a request from another city (accept, start, reply with the result, reject).
Every status change is a step, audited; the deadline is tracked by a command task (escalated when overdue); what the
partner must learn goes out as an OutboundMessage (cordon.assist.exchange delivers it or the partner fetches it)."""

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.assist import rules
from cordon.assist.enums import CLOSED, OPEN, Action, Direction, RequestStatus, Result
from cordon.assist.models import OutboundMessage, Partner, Request, RequestStep
from cordon.command import services as command_services
from cordon.contacts import services as contacts_services
from cordon.contacts.enums import Category
from cordon.core import access, audit, clock, policy
from cordon.core.errors import NotFound, ServiceError
from cordon.core.ids import InvalidIdNumber, check_id_number, id_number_error
from cordon.people import services as people_services
from cordon.regions import selectors as region_selectors
from cordon.regions.models import Level, Region

SYSTEM = access.system("assist")


# --- partners -------------------------------------------------------------------------------------------------

def partner_create(*, actor, name: str, region_code: str, secret: str, endpoint_url: str = "", contact_name: str = "",
                   contact_phone: str = "") -> Partner:
    """Register another city's authority (city-wide: the commander's post)."""
    access.require(actor, "assist.change", region_selectors.root_path())
    code = (region_code or "").strip()
    if not (code.isdigit() and len(code) == 6):
        raise ServiceError.field("region_code", _("must be a 6-digit administrative division code"))
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    if len(secret or "") < 16:
        raise ServiceError.field("secret", _("must be at least 16 characters"))
    if Partner.objects.filter(region_code=code).exists():
        raise ServiceError.field("region_code", _("a partner with this code exists already"), code="duplicate")
    with transaction.atomic():
        partner = Partner.objects.create(name=name.strip(), region_code=code, secret=secret, endpoint_url=(endpoint_url or "").strip(),
                                         contact_name=contact_name.strip(), contact_phone=contact_phone.strip())
        audit.record(actor, "assist.partner_create", partner, changes={"name": partner.name, "region_code": code,
                                                                       "endpoint_url": partner.endpoint_url})
    return partner


# --- shared ---------------------------------------------------------------------------------------------------

def step(req: Request, status: str, *, actor=None, note: str = "", by_partner: bool = False, at: dt.datetime | None = None) -> RequestStep:
    """Move a request to `status` (checked against the transitions) and record the step."""
    if status != req.status and not rules.may_move(req.direction, req.status, status):
        raise ServiceError.field("status", _("a request that is %(current)s cannot become %(new)s")
                                 % {"current": RequestStatus(req.status).label, "new": RequestStatus(status).label}, code="conflict")
    at = at or clock.now()
    req.status = status
    fields = ["status"]
    if status in CLOSED:
        req.closed_at = at
        fields.append("closed_at")
    req.save(update_fields=fields)
    return RequestStep.objects.create(request=req, region_path=req.region_path, at=at, status=status, note=note[:500],
                                      by=access.user_or_none(actor) if actor is not None else None, by_partner=by_partner)


def _new_ref() -> str:
    return f"tmp-{uuid.uuid4().hex}"


def assign_ref(req: Request) -> None:
    """Our reference: XC, the city's code, the city's date and the request's number."""
    city = Region.objects.filter(parent__isnull=True).values_list("code", flat=True).first() or "0000"
    req.our_ref = f"XC{city}-{clock.local(req.created_at or clock.now()):%Y%m%d}-{req.pk:06d}"
    req.save(update_fields=["our_ref"])


def clean_person(*, name: str, id_number: str, phone: str, row: int | None = None) -> tuple[str, str, str]:
    """(name, normalised ID number, phone): the name and one of ID number or phone are needed to find someone."""
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"), row=row)
    number = ""
    if (id_number or "").strip():
        try:
            number, _birth, _sex = check_id_number(id_number)
        except InvalidIdNumber as exc:
            raise id_number_error(exc, row=row) from None
    phone = (phone or "").replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise ServiceError.field("phone", _("is not a phone number"), row=row)
    if not number and not phone:
        raise ServiceError.field("id_number", _("give the ID number or the phone number"), row=row)
    return name.strip(), number, phone


def clean_exposure(*, contact_kind: str, last_exposure, action: str, row: int | None = None) -> None:
    """Check the exposure and the requested action (each error names its field, and the row of an upload)."""
    if contact_kind not in Category.values:
        raise ServiceError.field("contact_kind", _("must be one of %(choices)s") % {"choices": ", ".join(Category.values)}, row=row)
    if action not in Action.values:
        raise ServiceError.field("action", _("must be one of %(choices)s") % {"choices": ", ".join(Action.values)}, row=row)
    if last_exposure is None:
        raise ServiceError.field("last_exposure", _("is required"), row=row)
    if last_exposure > clock.now() + dt.timedelta(minutes=5):
        raise ServiceError.field("last_exposure", _("is in the future"), row=row)


def queue(req: Request, kind: str, payload: dict) -> OutboundMessage:
    """A message owed to the request's partner (delivered by exchange.messages_deliver or fetched)."""
    return OutboundMessage.objects.create(partner=req.partner, request=req, kind=kind, payload=payload, created_at=clock.now())


def status_payload(req: Request, *, at: dt.datetime | None = None) -> dict:
    """The status message about a partner's request (docs/ASSIST.md): their reference first."""
    return {"request_ref": req.their_ref, "handler_ref": req.our_ref, "status": req.status, "result": req.result,
            "note": req.result_note, "at": (at or clock.now()).isoformat()}


def request_payload(req: Request, *, from_code: str) -> dict:
    """The request message (docs/ASSIST.md): full person data, for the receiving authority only."""
    return {"ref": req.our_ref, "from_code": from_code,
            "person": {"name": req.name, "id_number": req.id_number, "phone": req.phone, "address": req.address,
                       "residence_code": req.residence_code},
            "exposure": {"case_ref": req.case_ref, "contact_kind": req.contact_kind, "last_exposure": req.last_exposure.isoformat(),
                         "place": req.exposure_place, "note": req.note},
            "action": req.action, "deadline": req.deadline.isoformat()}


def _close_task(req: Request, result: str) -> None:
    command_services.task_close_by_source(actor=SYSTEM, source=req.source, result=result)


# --- outgoing -------------------------------------------------------------------------------------------------

def request_draft(*, actor, partner: Partner, region: Region | None = None, risk=None, name: str = "", id_number: str = "",
                  phone: str = "", address: str = "", residence_code: str = "", case_ref: str = "", contact_kind: str = "",
                  last_exposure: dt.datetime | None = None, exposure_place: str = "", note: str = "",
                  action: str = Action.VERIFY) -> Request:
    """Draft a request about our contact who lives in `partner`'s city. From a risk person (`risk`), the person, the
    exposure and the area come from its record; otherwise they are typed in and the area is the sender's choice."""
    if partner is None or not partner.active:
        raise ServiceError.field("partner", _("choose an active partner city"))
    if risk is not None:
        person = risk.person
        name, id_number, phone = name or person.name, id_number or person.id_number, phone or person.phone
        contact_kind, last_exposure = contact_kind or risk.category, last_exposure or risk.last_exposure
        case_ref = case_ref or (str(risk.source_case_id) if risk.source_case_id else "")
        path = risk.region_path
    elif region is not None:
        path = region.path
    else:
        raise ServiceError.field("region", _("choose the area that sends the request"))
    access.require(actor, "assist.change", path)
    name, id_number, phone = clean_person(name=name, id_number=id_number, phone=phone)
    clean_exposure(contact_kind=contact_kind, last_exposure=last_exposure, action=action)
    code = (residence_code or "").strip()
    if code and not code.isdigit():
        raise ServiceError.field("residence_code", _("must be a division code (digits)"))
    hours = policy.in_force(clock.now()).section("assist")
    with transaction.atomic():
        req = Request.objects.create(
            direction=Direction.OUTGOING, partner=partner, our_ref=_new_ref(), region_path=path, name=name, id_number=id_number,
            phone=phone, address=(address or "").strip()[:200], residence_code=code, case_ref=(case_ref or "").strip()[:60],
            contact_kind=contact_kind, last_exposure=last_exposure, exposure_place=(exposure_place or "").strip()[:200],
            note=(note or "").strip()[:500], action=action, status=RequestStatus.DRAFT,
            deadline=rules.deadline(start=clock.now(), contact_kind=contact_kind, assist_rules=hours),
            risk_person=risk, person=risk.person if risk is not None else None, created_by=access.user_or_none(actor))
        assign_ref(req)
        RequestStep.objects.create(request=req, region_path=path, at=clock.now(), status=RequestStatus.DRAFT, by=access.user_or_none(actor))
        audit.record(actor, "assist.draft", req, changes={"partner": partner.region_code, "contact_kind": contact_kind,
                                                          "risk_person": risk.pk if risk is not None else None})
    return req


def request_send(*, actor, req: Request) -> Request:
    """Send a draft: the deadline runs from now (rule set: hours by contact kind), a task for the sender tracks it
    (escalated by the command's job when overdue), and the request message goes to the partner."""
    access.require(actor, "assist.change", req.region_path)
    if req.direction != Direction.OUTGOING:
        raise ServiceError.field("status", _("only an outgoing request is sent"), code="conflict")
    now = clock.now()
    section = policy.in_force(now).section("assist")
    city = Region.objects.filter(parent__isnull=True).values_list("code", flat=True).first() or ""
    with transaction.atomic():
        req.deadline = rules.deadline(start=now, contact_kind=req.contact_kind, assist_rules=section)
        req.sent_at = now
        req.save(update_fields=["deadline", "sent_at"])
        step(req, RequestStatus.SENT, actor=actor, at=now)
        sender = access.user_or_none(actor)
        task = command_services.task_create(
            actor=SYSTEM, title=f"协查 {req.our_ref}：跟进{req.partner.name}反馈 / follow up the request to {req.partner.name}",
            kind="assist.outgoing", region_path=req.region_path, deadline=req.deadline, owner=sender,
            owner_role="" if sender else "district_officer", detail=f"{req.get_action_display()}", source=req.source)
        req.task_id = task.pk
        req.save(update_fields=["task_id"])
        queue(req, "request", request_payload(req, from_code=city[:6]))
        audit.record(actor, "assist.send", req, changes={"partner": req.partner.region_code, "deadline": req.deadline})
    return req


def partner_reported(*, partner: Partner, request_ref: str, status: str, result: str = "", note: str = "",
                     handler_ref: str = "", at: dt.datetime | None = None) -> Request:
    """A partner's status report on a request we sent (their handling); done or rejected closes our task."""
    req = Request.objects.filter(direction=Direction.OUTGOING, partner=partner, our_ref=request_ref).first()
    if req is None:
        raise NotFound.field("request_ref", _("no request of ours to you has this reference"))
    if status not in RequestStatus.values or status in (RequestStatus.DRAFT, RequestStatus.SENT, RequestStatus.OVERDUE):
        raise ServiceError.field("status", _("must be received, accepted, in_progress, done or rejected"))
    if result and result not in Result.values:
        raise ServiceError.field("result", _("must be one of %(choices)s") % {"choices": ", ".join(Result.values)})
    with transaction.atomic():
        req = Request.objects.select_for_update().get(pk=req.pk)
        if req.status == status and req.result == (result or req.result):
            return req  # a repeated report changes nothing
        step(req, status, note=note, by_partner=True)
        if handler_ref and not req.their_ref:
            req.their_ref = handler_ref[:60]
        if result:
            req.result = result
        req.result_note = (note or req.result_note)[:500]
        req.save(update_fields=["their_ref", "result", "result_note"])
        if status in CLOSED:
            _close_task(req, f"{status} {result}".strip())
        audit.record(SYSTEM, "assist.partner_status", req, changes={"partner": partner.region_code, "status": status, "result": result})
    return req


# --- incoming, handled by the district ------------------------------------------------------------------------

def _lead(req: Request) -> None:
    """The lead in contacts: a proposed risk person for a tracer or community worker to confirm."""
    if req.person_id is None or req.risk_person_id:
        return
    risk = contacts_services.riskperson_propose(actor=SYSTEM, person_id=req.person_id, category=req.contact_kind,
                                                last_exposure=req.last_exposure, source=req.source,
                                                note=f"{req.partner.name}协查 {req.their_ref}"[:200])
    if risk is not None:
        req.risk_person = risk
        req.save(update_fields=["risk_person"])


def request_accept(*, actor, req: Request, grid: Region | None = None) -> Request:
    """The district takes the request on. A person not yet in the register is registered in the chosen grid (where
    they live here), and becomes a proposed risk person in contacts."""
    access.require(actor, "assist.change", req.region_path)
    if req.direction != Direction.INCOMING:
        raise ServiceError.field("status", _("only an incoming request is accepted"), code="conflict")
    with transaction.atomic():
        if req.person_id is None:
            if grid is None:
                raise ServiceError.field("grid", _("the person is not in the register: choose the grid where they live"))
            if grid.level != Level.GRID or not (grid.path + ".").startswith(req.region_path + "."):
                raise ServiceError.field("grid", _("choose a grid inside the area the request was routed to"))
            if not req.id_number:
                raise ServiceError.field("grid", _("the request has no ID number: the person cannot be registered"))
            person = people_services.person_create(actor=actor, name=req.name, id_number=req.id_number, grid=grid,
                                                   phone=req.phone, address=req.address)
            req.person = person
            req.save(update_fields=["person"])
        step(req, RequestStatus.ACCEPTED, actor=actor)
        _lead(req)
        queue(req, "status", status_payload(req))
        audit.record(actor, "assist.accept", req, changes={"person": req.person_id, "risk_person": req.risk_person_id})
    return req


def request_start(*, actor, req: Request) -> Request:
    """The district starts verifying an accepted request; the partner is told."""
    access.require(actor, "assist.change", req.region_path)
    with transaction.atomic():
        step(req, RequestStatus.IN_PROGRESS, actor=actor)
        queue(req, "status", status_payload(req))
        audit.record(actor, "assist.start", req)
    return req


def request_reply(*, actor, req: Request, result: str, note: str = "") -> Request:
    """Report the result to the requesting city (found / not found / placed under measures): done, task closed."""
    access.require(actor, "assist.change", req.region_path)
    if req.direction != Direction.INCOMING:
        raise ServiceError.field("result", _("only an incoming request is answered"), code="conflict")
    if result not in Result.values:
        raise ServiceError.field("result", _("must be one of %(choices)s") % {"choices": ", ".join(Result.values)})
    with transaction.atomic():
        req.result, req.result_note = result, (note or "").strip()[:500]
        req.save(update_fields=["result", "result_note"])
        step(req, RequestStatus.DONE, actor=actor, note=f"{Result(result).label} {req.result_note}".strip())
        _close_task(req, result)
        queue(req, "status", status_payload(req))
        audit.record(actor, "assist.reply", req, changes={"result": result})
    return req


def request_reject(*, actor, req: Request, reason: str) -> Request:
    """Decline a request (e.g. the person does not live here); the reason goes back to the requesting city."""
    access.require(actor, "assist.change", req.region_path)
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("say why the request is declined"))
    with transaction.atomic():
        req.result_note = reason.strip()[:500]
        req.save(update_fields=["result_note"])
        step(req, RequestStatus.REJECTED, actor=actor, note=req.result_note)
        _close_task(req, "rejected")
        if req.direction == Direction.INCOMING:
            queue(req, "status", status_payload(req))
        audit.record(actor, "assist.reject", req, changes={"reason": req.result_note})
    return req


def requests_mark_overdue(*, now: dt.datetime | None = None) -> int:
    """Open requests past their deadline become overdue (the command task escalates on its own schedule); an incoming
    one tells the requesting city."""
    now = now or clock.now()
    n = 0
    for req in Request.objects.filter(status__in=[s for s in OPEN if s != RequestStatus.OVERDUE], deadline__lt=now).select_related("partner"):
        with transaction.atomic():
            step(req, RequestStatus.OVERDUE, note=f"deadline {clock.local(req.deadline):%Y-%m-%d %H:%M}", at=now)
            if req.direction == Direction.INCOMING:
                queue(req, "status", status_payload(req, at=now))
            audit.record(SYSTEM, "assist.overdue", req, changes={"deadline": req.deadline})
        n += 1
    return n
