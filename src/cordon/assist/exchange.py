"""The exchange with partner cities (docs/ASSIST.md): signed messages, requests arriving by API or by an officer's
Excel upload (routed to the district where the person lives, a lead proposed in contacts, a task with the
deadline), the messages we owe partners (delivered to their endpoint, or fetched by them)."""

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cordon.assist import rules, services
from cordon.assist.enums import Action, Direction, RequestStatus
from cordon.assist.models import OutboundMessage, Partner, Request, RequestStep
from cordon.command import services as command_services
from cordon.contacts.enums import Category
from cordon.core import access, audit, clock, policy, tabular
from cordon.core.errors import ServiceError
from cordon.people.models import Person
from cordon.regions import selectors as region_selectors
from cordon.regions.models import Level, Region

SYSTEM = services.SYSTEM
HEADERS = ("X-Assist-Partner", "X-Assist-Timestamp", "X-Assist-Signature")


# --- signatures -----------------------------------------------------------------------------------------------

def partner_verified(*, code: str, timestamp: str, signature: str, method: str, path: str, body: bytes) -> Partner | None:
    """The partner a signed call comes from, or None (unknown partner, stale timestamp, wrong signature)."""
    partner = Partner.objects.filter(region_code=(code or "").strip(), active=True).first()
    if partner is None:
        return None
    window = int(policy.in_force(clock.now()).get("assist.signature_window_seconds", 300))
    if not rules.fresh(timestamp, now=clock.now(), window_seconds=window):
        return None
    if not rules.signature_ok(partner.secret, signature, timestamp=timestamp, method=method, path=path, body=body):
        return None
    return partner


def signed_headers(partner: Partner, *, own_code: str, method: str, path: str, body: bytes, now: dt.datetime | None = None) -> dict:
    """Headers for a call to `partner`, signed with the shared secret (what a partner sends us, too)."""
    ts = str(int((now or clock.now()).timestamp()))
    return {HEADERS[0]: own_code, HEADERS[1]: ts,
            HEADERS[2]: rules.signature(partner.secret, timestamp=ts, method=method, path=path, body=body)}


# --- routing --------------------------------------------------------------------------------------------------

def route(*, id_number: str, residence_code: str) -> tuple[str, str, Person | None]:
    """(region path, how, person): a resident of the register goes to their district; else the district of the stated
    residence's division code, else of the ID number's place code; else the city's queue."""
    person = Person.objects.filter(id_number=id_number).only("pk", "region_path").first() if id_number else None
    if person is not None:
        return region_selectors.district_of(person.region_path), "resident", person
    for how, code in rules.place_codes(residence_code=residence_code, id_number=id_number):
        region = Region.objects.filter(code__in={code, code[:6]}, level__gte=Level.DISTRICT).order_by("-level").first()
        if region is not None:
            return region_selectors.district_of(region.path), how, None
    return region_selectors.root_path(), "city", None


# --- incoming -------------------------------------------------------------------------------------------------

def _when(value, field: str, row: int | None) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return clock.aware(value) if value.tzinfo is None else value
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise ServiceError.field(field, _("is not a date and time (YYYY-MM-DD HH:MM)"), row=row) from None
    return clock.aware(parsed) if parsed.tzinfo is None else parsed


def incoming_receive(*, partner: Partner, data: dict, row: int | None = None, via: str = "api") -> tuple[Request, bool]:
    """Take a partner's request (the exchange format): (request, created). Idempotent on the partner's reference: the
    same reference again returns the request it made. Routed to a district, a task filed there with the deadline, and
    the person, when in our register, proposed as a risk person (the lead)."""
    ref = str(data.get("ref") or "").strip()
    if not ref or len(ref) > 60:
        raise ServiceError.field("ref", _("is required (at most 60 characters)"), row=row)
    existing = Request.objects.filter(partner=partner, direction=Direction.INCOMING, their_ref=ref).first()
    if existing is not None:
        return existing, False
    person_in, exposure = data.get("person") or {}, data.get("exposure") or {}
    name, id_number, phone = services.clean_person(name=person_in.get("name", ""), id_number=person_in.get("id_number", ""),
                                                   phone=person_in.get("phone", ""), row=row)
    last = _when(exposure.get("last_exposure"), "last_exposure", row)
    kind, action = exposure.get("contact_kind") or "", data.get("action") or Action.VERIFY
    services.clean_exposure(contact_kind=kind, last_exposure=last, action=action, row=row)
    now = clock.now()
    deadline = _when(data.get("deadline"), "deadline", row) or rules.deadline(
        start=now, contact_kind=kind, assist_rules=policy.in_force(now).section("assist"))
    code = str(person_in.get("residence_code") or "").strip()
    path, how, person = route(id_number=id_number, residence_code=code)
    try:
        with transaction.atomic():
            req = Request.objects.create(
                direction=Direction.INCOMING, partner=partner, our_ref=services._new_ref(), their_ref=ref, region_path=path,
                name=name, id_number=id_number, phone=phone, address=str(person_in.get("address") or "")[:200], residence_code=code[:12],
                case_ref=str(exposure.get("case_ref") or "")[:60], contact_kind=kind, last_exposure=last,
                exposure_place=str(exposure.get("place") or "")[:200], note=str(exposure.get("note") or "")[:500], action=action,
                deadline=deadline, status=RequestStatus.RECEIVED, routed_by=how, person=person)
            services.assign_ref(req)
            RequestStep.objects.create(request=req, region_path=path, at=now, status=RequestStatus.RECEIVED, by_partner=True,
                                       note=f"{via}; {how}")
            task = command_services.task_create(
                actor=SYSTEM, title=f"协查 {req.our_ref}：{partner.name}请求{req.get_action_display()} / request from {partner.name}",
                kind="assist.incoming", region_path=path, deadline=deadline, priority=1, source=req.source,
                detail=f"{Category(kind).label}; {req.case_ref}")
            req.task_id = task.pk
            req.save(update_fields=["task_id"])
            services._lead(req)
            services.queue(req, "status", services.status_payload(req, at=now))
            audit.record(SYSTEM, "assist.receive", req, changes={"partner": partner.region_code, "ref": ref, "via": via, "routed_by": how})
    except IntegrityError:  # the same reference arrived at the same moment: answer with the one that won
        return Request.objects.get(partner=partner, direction=Direction.INCOMING, their_ref=ref), False
    return req, True


# --- the Excel form of the exchange ----------------------------------------------------------------------------

KIND_WORDS = {"密切接触者": "close_contact", "密接": "close_contact", "次密切接触者": "secondary_contact", "次密接": "secondary_contact",
              "时空伴随者": "spacetime_companion", "高风险地区来返人员": "high_risk_arrival", "中风险地区来返人员": "medium_risk_arrival",
              "低风险地区来返人员": "low_risk_arrival", "出院病例": "discharged_case"}
ACTION_WORDS = {"核查管控": "verify", "核查": "verify", "落地管控": "landing", "健康监测": "monitoring", "核酸检测": "testing"}
COLUMNS = {  # canonical column -> the Chinese header of the template
    "ref": "对方编号", "name": "姓名", "id_number": "身份证号", "phone": "手机号", "address": "现住址", "residence_code": "住址区划代码",
    "case_ref": "关联病例", "contact_kind": "接触类型", "last_exposure": "末次接触时间", "place": "接触地点", "action": "协查事项",
    "deadline": "反馈时限", "note": "备注",
}
ALIASES = {**{v: k for k, v in COLUMNS.items()}, **{k: k for k in COLUMNS}}
TEMPLATE = [("对方编号", "HZ-2022-0001"), ("姓名", "张三"), ("身份证号", "11010519491231002X"), ("手机号", "13800000000"),
            ("现住址", "幸福小区 1号楼 101"), ("住址区划代码", "310104"), ("关联病例", "病例12"), ("接触类型", "密切接触者"),
            ("末次接触时间", "2022-05-01 18:30"), ("接触地点", "某餐厅"), ("协查事项", "核查管控"), ("反馈时限", ""), ("备注", "")]
REQUIRED = ["ref", "name", "contact_kind", "last_exposure"]


def _row_data(r: dict) -> dict:
    return {"ref": r.get("ref", ""), "action": ACTION_WORDS.get(r.get("action", ""), r.get("action") or Action.VERIFY),
            "deadline": r.get("deadline", ""),
            "person": {"name": r.get("name", ""), "id_number": r.get("id_number", ""), "phone": r.get("phone", ""),
                       "address": r.get("address", ""), "residence_code": r.get("residence_code", "")},
            "exposure": {"case_ref": r.get("case_ref", ""), "contact_kind": KIND_WORDS.get(r.get("contact_kind", ""), r.get("contact_kind", "")),
                         "last_exposure": r.get("last_exposure", ""), "place": r.get("place", ""), "note": r.get("note", "")}}


def incoming_import(*, actor, partner: Partner, data: bytes, filename: str) -> dict:
    """A partner's requests as an Excel (or CSV) file in the template's columns, entered by an officer: every row is
    checked first, and any error (named by row and column) writes nothing."""
    access.require(actor, "assist.change")
    rows = list(tabular.read_rows(data, filename, ALIASES))
    if not rows:
        raise ServiceError.field("file", _("the file has no data rows"))
    missing = tabular.missing_columns(rows[0][1].keys(), REQUIRED)
    if missing:
        raise ServiceError.field("file", _("missing columns: %(columns)s") % {"columns": "、".join(COLUMNS[c] for c in missing)})
    errors, seen = [], set()
    for number, r in rows:
        if r.get("ref") in seen:
            errors.append({"row": number, "field": COLUMNS["ref"], "message": _("appears twice in the file")})
        seen.add(r.get("ref"))
    created = existing = 0
    try:
        with transaction.atomic():
            for number, r in rows:
                try:
                    with transaction.atomic():
                        _req, made = incoming_receive(partner=partner, data=_row_data(r), row=number, via=f"excel {filename}"[:60])
                    created, existing = created + made, existing + (not made)
                except ServiceError as exc:
                    errors.extend({**f, "field": COLUMNS.get(f.get("field"), f.get("field")), "row": number} for f in exc.fields)
            if errors:
                raise _Refused
            audit.record(actor, "assist.import", object_type="assist.request",
                         changes={"partner": partner.region_code, "file": filename, "created": created, "existing": existing})
    except _Refused:
        lines = [_("row %(row)s, %(field)s: %(message)s") % e for e in errors[:20]]
        raise ServiceError("; ".join(lines), code="invalid_rows", fields=errors) from None
    return {"rows": len(rows), "created": created, "existing": existing}


class _Refused(Exception):
    """Rolls the import back when a row is wrong."""


# --- what we owe partners --------------------------------------------------------------------------------------

def messages_for(*, partner: Partner, since: int = 0, limit: int = 200) -> list[OutboundMessage]:
    """The partner's messages after the cursor `since` (a message id), oldest first; handing them out delivers them."""
    msgs = list(OutboundMessage.objects.filter(partner=partner, id__gt=since).order_by("id")[:limit])
    fresh = [m.pk for m in msgs if m.delivered_at is None]
    if fresh:
        OutboundMessage.objects.filter(pk__in=fresh).update(delivered_at=clock.now())
    return msgs


def _post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - the partner's configured https endpoint
        return answer.status


def messages_deliver(*, timeout: float = 10.0, max_attempts: int = 12) -> dict:
    """POST every undelivered message to partners that have an endpoint: requests to `<endpoint>incoming`, statuses to
    `<endpoint>incoming-status`, signed. A failure is counted and retried on the next run."""
    own = (Region.objects.filter(parent__isnull=True).values_list("code", flat=True).first() or "")[:6]
    delivered = failed = 0
    pending = (OutboundMessage.objects.filter(delivered_at__isnull=True, attempts__lt=max_attempts, partner__active=True)
               .exclude(partner__endpoint_url="").select_related("partner").order_by("id"))
    for msg in pending:
        base = msg.partner.endpoint_url if msg.partner.endpoint_url.endswith("/") else msg.partner.endpoint_url + "/"
        url = base + ("incoming" if msg.kind == "request" else "incoming-status")
        body = json.dumps(msg.payload, ensure_ascii=False).encode()
        path = urllib.parse.urlsplit(url).path
        headers = signed_headers(msg.partner, own_code=own, method="POST", path=path, body=body)
        try:
            status = _post(url, body, headers, timeout)
            ok, error = 200 <= status < 300, f"HTTP {status}"
        except urllib.error.HTTPError as exc:
            ok, error = False, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            ok, error = False, str(exc)[:300]
        if ok:
            OutboundMessage.objects.filter(pk=msg.pk).update(delivered_at=clock.now(), attempts=msg.attempts + 1, last_error="")
            delivered += 1
        else:
            OutboundMessage.objects.filter(pk=msg.pk).update(attempts=msg.attempts + 1, last_error=error[:300])
            failed += 1
    return {"delivered": delivered, "failed": failed}
