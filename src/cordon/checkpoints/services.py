"""Writes for checkpoints: registry, shifts, green-lane passes and passage inspections.

An inspection re-checks the presented credential on the server (at the time of the passage, so a
queue recorded offline uploads with the verdict the officer saw) and stores the verdict with its
reason. A hold of an arrival from a risk area hands the person over to measures: the
high_risk_arrival status reason and a proposed risk person (contacts.riskperson_propose) to confirm.
"""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cordon.checkpoints import rules, selectors
from cordon.checkpoints.enums import REASONS, CheckpointKind, Direction, Result, Subject
from cordon.checkpoints.models import Checkpoint, Inspection, Pass, Shift
from cordon.contacts import services as contacts_services
from cordon.core import access, audit, clock, policy
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.keyworkers import services as keyworkers_services
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.status import credentials
from cordon.status import services as status_services

MAX_BATCH = 2000
# An origin's level (zones' kinds, the national list's levels as cordon names them) -> the arrival's measures category.
ARRIVAL_CATEGORY = {"high": "high_risk_arrival", "sealed": "high_risk_arrival", "medium": "medium_risk_arrival",
                    "controlled": "medium_risk_arrival"}


def checkpoint_create(*, actor, name: str, kind: str, region: Region, location: str = "", code: str = "") -> Checkpoint:
    """Register a checkpoint inside the actor's area."""
    name = (name or "").strip()
    if not name:
        raise ServiceError.field("name", _("required"))
    if kind not in CheckpointKind.values:
        raise ServiceError.field("kind", _("unknown kind %(kind)r; one of %(choices)s") % {"kind": kind, "choices": ', '.join(CheckpointKind.values)})
    if region is None or not access.can(actor, "checkpoints.view", region.path):
        # another district's region answers exactly as an unknown one
        raise NotFound(_("region: not found in your area"), fields=[{"field": "region", "message": _("not found in your area")}])
    access.require(actor, "checkpoints.change", region.path)
    code = (code or "").strip().upper() or f"CP{secrets.token_hex(3).upper()}"
    if Checkpoint.objects.filter(code=code).exists():
        raise ServiceError.field("code", _("checkpoint code %(code)s is taken") % {"code": code}, code="conflict")
    with transaction.atomic():
        cp = Checkpoint.objects.create(name=name, kind=kind, region=region, region_path=region.path, location=location.strip(), code=code)
        audit.record(actor, "checkpoint.create", cp, changes={"name": name, "kind": kind, "code": code})
    return cp


def checkpoint_set_active(*, actor, checkpoint: Checkpoint, active: bool) -> Checkpoint:
    """Open or stand down a checkpoint."""
    access.require(actor, "checkpoints.change", checkpoint.region_path)
    return audit.update(actor, checkpoint, "checkpoint.active", active=active, changes={"active": active})


def shift_add(*, actor, checkpoint: Checkpoint, starts_at: dt.datetime, ends_at: dt.datetime, leader: str,
              leader_phone: str = "", staff: list[str] | None = None) -> Shift:
    """Put a shift with its leader and staff on a checkpoint."""
    access.require(actor, "checkpoints.change", checkpoint.region_path)
    if not (leader or "").strip():
        raise ServiceError.field("leader", _("required"))
    if starts_at is None:
        raise ServiceError.field("starts_at", _("required"))
    if ends_at is None or ends_at <= starts_at:
        raise ServiceError.field("ends_at", _("must be after the start"))
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise ServiceError.field("ends_at", _("a shift lasts at most 24 hours"))
    staff = [s.strip() for s in (staff or []) if s and s.strip()]
    with transaction.atomic():
        shift = Shift.objects.create(checkpoint=checkpoint, region_path=checkpoint.region_path, starts_at=starts_at,
                                     ends_at=ends_at, leader=leader.strip(), leader_phone=leader_phone.strip(), staff=staff)
        audit.record(actor, "checkpoint.shift_add", shift, changes={"checkpoint": checkpoint.pk, "staff": len(staff)})
    return shift


def pass_issue(*, actor, plate: str, enterprise: str, region_path: str, valid_from: dt.datetime, valid_until: dt.datetime,
               cargo: str = "", driver: str = "", source: str = "") -> Pass:
    """Issue a green-lane pass to a key-supply vehicle (idempotent per source while not revoked).

    The actor (SYSTEM for another module's job) needs checkpoints.change or livelihood.change at region_path;
    a region outside the actor's view answers exactly as an unknown one (404).
    """
    plate = (plate or "").strip().upper().replace(" ", "")
    if not plate or len(plate) > 16:
        raise ServiceError.field("plate", _("a licence plate of at most 16 characters is required"))
    if not (enterprise or "").strip():
        raise ServiceError.field("enterprise", _("required"))
    if valid_from is None or valid_until is None or valid_until <= valid_from:
        raise ServiceError.field("valid_until", _("must be after valid_from"))
    if (not region_path or not Region.objects.filter(path=region_path).exists()
            or not (access.can(actor, "checkpoints.view", region_path) or access.can(actor, "livelihood.view", region_path))):
        # another district's region answers exactly as an unknown one
        raise NotFound(_("region_path: unknown region %(region_path)r") % {"region_path": region_path},
                       fields=[{"field": "region_path", "message": _("unknown region")}])
    if not (access.can(actor, "checkpoints.change", region_path) or access.can(actor, "livelihood.change", region_path)):
        raise PermissionDenied("checkpoints.change")
    if source:
        existing = Pass.objects.filter(source=source, revoked=False).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        p = Pass.objects.create(number=f"GL{clock.now():%y%m%d}{secrets.token_hex(4).upper()}", plate=plate,
                                enterprise=enterprise.strip(), cargo=cargo.strip(), driver=driver.strip(), valid_from=valid_from,
                                valid_until=valid_until, source=source, region_path=region_path,
                                issued_by=access.user_or_none(actor))
        audit.record(actor, "checkpoint.pass_issue", p, changes={"plate": plate, "enterprise": p.enterprise, "source": source})
    return p


def pass_revoke(*, actor, vehicle_pass: Pass) -> Pass:
    """Revoke a green-lane pass."""
    access.require(actor, "checkpoints.change", vehicle_pass.region_path)
    return audit.update(actor, vehicle_pass, "checkpoint.pass_revoke", revoked=True)


def credential_check(*, code: str, checkpoint: Checkpoint, now: dt.datetime | None = None, origin_path: str = "",
                     origin_level: str = "", direction: str = "in", live: bool = True, origin: str = "") -> dict:
    """Verdict for a presented credential at a checkpoint (no write): result, reason and the claims read.

    Checked live (online, at the time of the passage), a code signed before the person's status last changed is read
    with the status as it is now: a zone sealed or a measure begun five minutes ago counts at once. A queue recorded
    offline (live=False) keeps the verdict the officer saw."""
    now = now or clock.now()
    checked = credentials.verify(code or "", now=now)
    colour, last_negative_at = checked.colour, checked.last_negative_at
    if live and checked.ok:
        current = credentials.current_status(str(checked.claims.get("t", "")))
        if current is not None and current[2] > int(checked.claims.get("s") or 0):
            colour, last_negative_at = current[0], current[1]
    level = selectors.origin_level(origin_path=origin_path, declared=origin_level, on=now, origin=origin)
    ruleset = policy.in_force(now)
    section = ruleset.section("checkpoints")
    result, reason = rules.verdict(check_reason=checked.reason, colour=colour, last_negative_at=last_negative_at,
                                   now=now, kind=checkpoint.kind, origin_level=level, checkpoint_rules=section, direction=direction,
                                   no_exit_colours=ruleset.get("status.no_exit_colours", []) or [])
    claims = checked.claims if checked.reason not in ("malformed",) else None
    return {"result": result, "reason": reason, "reason_text": str(REASONS.get(reason, reason)),
            "colour": colour if checked.ok or checked.reason == "expired" else None,
            "token": (claims or {}).get("t", "") if checked.ok or checked.reason == "expired" else "",
            "last_negative_at": last_negative_at if checked.ok else None,
            "expires_at": dt.datetime.fromtimestamp(claims["e"], tz=dt.UTC) if claims and isinstance(claims.get("e"), int) else None,
            "origin_level": level, "validity_hours": rules.validity_hours(checkpoint.kind, checkpoint_rules=section)}


def _parse_time(value, *, row, field, errors):
    if value in (None, ""):
        return None
    when = value if isinstance(value, dt.datetime) else parse_datetime(str(value).strip())
    if when is None:
        errors.append({"row": row, "field": field, "message": _("%(value)r is not a date-time (ISO 8601)") % {"value": value}})
        return None
    return clock.aware(when) if timezone.is_naive(when) else when


# long: every field check of one inspection row, in the order its errors are reported
def _prepare(*, checkpoint: Checkpoint, item: dict, row: int, now: dt.datetime, errors: list) -> dict | None:  # noqa: C901 - each field of an inspection row checked in turn
    before = len(errors)
    subject = item.get("subject") or Subject.PERSON
    if subject not in Subject.values:
        errors.append({"row": row, "field": "subject", "message": _("person or vehicle")})
    direction = item.get("direction") or Direction.IN
    if direction not in Direction.values:
        errors.append({"row": row, "field": "direction", "message": _("in or out")})
    at = _parse_time(item.get("at"), row=row, field="at", errors=errors) or now
    if at > now + dt.timedelta(minutes=5):
        errors.append({"row": row, "field": "at", "message": _("is in the future")})
    if at < now - dt.timedelta(days=7):
        errors.append({"row": row, "field": "at", "message": _("older than 7 days")})
    origin_path = (item.get("origin_path") or "").strip()
    if origin_path and not Region.objects.filter(path=origin_path).exists():
        errors.append({"row": row, "field": "origin_path", "message": _("unknown region %(region)r") % {"region": origin_path}})
    for name, limit in (("origin", 120), ("destination", 120), ("note", 200), ("client_ref", 40), ("origin_level", 20)):
        if len(str(item.get(name) or "")) > limit:
            errors.append({"row": row, "field": name, "message": _("at most %(limit)s characters") % {"limit": limit}})
    code = (item.get("code") or "").strip()
    manual = item.get("result")
    if manual and manual not in Result.values:
        errors.append({"row": row, "field": "result", "message": _("pass, hold or redirect")})
    kw_code = (item.get("kw_pass") or "").strip()  # a key worker's or freight driver's pass (keyworkers)
    if subject == Subject.PERSON and not code and not manual and not kw_code:
        errors.append({"row": row, "field": "code", "message": _("scan the health code or record the officer's decision")})
    if subject == Subject.VEHICLE and not (item.get("plate") or "").strip() and not kw_code:
        errors.append({"row": row, "field": "plate", "message": _("required for a vehicle")})
    if len(errors) > before:
        return None
    out = {"subject": subject, "direction": direction, "at": at, "origin": (item.get("origin") or "").strip(), "origin_path": origin_path,
           "destination": (item.get("destination") or "").strip(), "note": (item.get("note") or "").strip(),
           "client_ref": (item.get("client_ref") or "").strip(), "offline": bool(item.get("offline")),
           "plate": (item.get("plate") or "").strip().upper().replace(" ", ""), "person_token": "", "colour": "",
           "vehicle_pass": None, "origin_level": ""}
    check = None
    if code:
        check = credential_check(code=code, checkpoint=checkpoint, now=at, origin_path=origin_path,
                                 origin_level=(item.get("origin_level") or "").strip(), direction=direction,
                                 live=not item.get("offline"), origin=out["origin"])
        out["origin_level"], out["person_token"], out["colour"] = check["origin_level"], check["token"], check["colour"] or ""
    else:
        out["origin_level"] = selectors.origin_level(origin_path=origin_path, declared=(item.get("origin_level") or "").strip(), on=at,
                                                     origin=out["origin"])
    if subject == Subject.VEHICLE:
        number = (item.get("pass_number") or "").strip().upper()
        p = Pass.objects.filter(number=number).first() if number else None
        out["vehicle_pass"] = p
        if number:
            out["result"], out["reason"] = rules.vehicle_verdict(
                pass_found=p is not None, plate_matches=p is not None and p.plate == out["plate"],
                valid_from=p.valid_from if p else None, valid_until=p.valid_until if p else None,
                revoked=p.revoked if p else False, now=at)
        elif check is not None:
            out["result"], out["reason"] = check["result"], check["reason"]
        elif manual:
            out["result"], out["reason"] = manual, "manual"
        else:
            out["result"], out["reason"] = "redirect", "pass_invalid"
        if check is not None and check["result"] == "hold":  # a driver with a red code does not take the green lane
            out["result"], out["reason"] = check["result"], check["reason"]
    elif check is not None:
        out["result"], out["reason"] = check["result"], check["reason"]
    else:
        out["result"], out["reason"] = manual, "manual"
    if kw_code:
        _key_worker_pass(out, kw_code=kw_code, check=check)
    return out


def _key_worker_pass(out: dict, *, kw_code: str, check: dict | None) -> None:
    """A pass of a key worker or freight driver decides the passage (valid dates, route, closed loop, a negative test
    within the hours it requires); a health code scanned as well that holds still holds."""
    kw = keyworkers_services.pass_check(code=kw_code, at=out["at"], origin_path=out["origin_path"], destination=out["destination"],
                                        plate=out["plate"])
    out["kw"] = kw
    out["plate"] = out["plate"] or kw["plate"]
    if not (check is not None and check["result"] == Result.HOLD):
        out["result"], out["reason"] = kw["result"], kw["reason"]


def _hand_over(*, actor, inspection: Inspection) -> bool:
    """Hand a held arrival from a risk area over to measures."""
    if inspection.person_id is None or inspection.reason != "origin_risk_area":
        return False
    category = ARRIVAL_CATEGORY.get(inspection.origin_level, "high_risk_arrival")
    measures = policy.in_force(inspection.at).get(f"measures.categories.{category}.phases", []) or []
    days = sum(int(p.get("days", 0)) for p in measures) or 7
    status_services.reason_set(person_id=inspection.person_id, reason=category,
                               source=f"checkpoints.inspection:{inspection.pk}", since=inspection.at,
                               until=inspection.at + dt.timedelta(days=days), actor=actor)
    contacts_services.riskperson_propose(actor=actor, person_id=inspection.person_id, category=category,
                                         last_exposure=inspection.at, source=f"checkpoints.inspection:{inspection.pk}",
                                         note=f"held at checkpoint {inspection.checkpoint_id}, from {inspection.origin}")
    return True


def _store(*, actor, checkpoint: Checkpoint, row: dict, persons: dict) -> tuple[Inspection, bool]:
    if row["client_ref"]:
        existing = Inspection.objects.filter(checkpoint=checkpoint, client_ref=row["client_ref"]).first()
        if existing is not None:
            return existing, False
    insp = Inspection.objects.create(
        checkpoint=checkpoint, region_path=checkpoint.region_path, at=row["at"], subject=row["subject"], direction=row["direction"],
        person_id=persons.get(row["person_token"]), person_token=row["person_token"], plate=row["plate"],
        vehicle_pass=row["vehicle_pass"], origin=row["origin"], origin_path=row["origin_path"], origin_level=row["origin_level"],
        destination=row["destination"], colour=row["colour"], result=row["result"], reason=row["reason"], note=row["note"],
        offline=row["offline"], client_ref=row["client_ref"], officer=access.user_or_none(actor))
    if insp.result == Result.HOLD and _hand_over(actor=actor, inspection=insp):
        insp.handed_over = True
        insp.save(update_fields=["handed_over"])
    if row.get("kw"):  # the category (driver / key worker) and the pass, for the flows of pass holders
        keyworkers_services.passage_record(inspection_id=insp.pk, checkpoint_id=checkpoint.pk, checkpoint_name=checkpoint.name,
                                           region_path=checkpoint.region_path, at=insp.at, result=insp.result, reason=insp.reason,
                                           check=row["kw"])
        insp.kw_category, insp.kw_conditions = row["kw"]["category"], row["kw"]["conditions"]
    return insp, True


def inspection_record(*, actor, checkpoint: Checkpoint, **item) -> Inspection:
    """Log one passage (person with a scanned code, or vehicle with a pass) with its verdict."""
    access.require(actor, "checkpoints.change", checkpoint.region_path)
    if not checkpoint.active:
        raise ServiceError.field("checkpoint", _("this checkpoint is stood down"))
    errors: list[dict] = []
    row = _prepare(checkpoint=checkpoint, item=item, row=1, now=clock.now(), errors=errors)
    if errors:
        raise ServiceError(_("%(field)s: %(message)s") % {"field": errors[0]['field'], "message": errors[0]['message']}, fields=[{k: v for k, v in e.items() if k != "row"} for e in errors])
    persons = dict(Person.objects.filter(token=row["person_token"]).values_list("token", "id")) if row["person_token"] else {}
    with transaction.atomic():
        insp, _unused = _store(actor=actor, checkpoint=checkpoint, row=row, persons=persons)
        audit.record(actor, "checkpoint.inspect", insp, changes={"result": insp.result, "reason": insp.reason,
                                                                 "handed_over": insp.handed_over})
    return insp


def inspections_bulk(*, actor, checkpoint: Checkpoint, items: list[dict]) -> dict:
    """Upload a checkpoint's queue of passages (recorded offline) all or nothing; repeats are stored once."""
    access.require(actor, "checkpoints.change", checkpoint.region_path)
    if not items:
        raise ServiceError.field("items", _("no inspections in the batch"))
    if len(items) > MAX_BATCH:
        raise ServiceError.field("items", _("at most %(MAX_BATCH)s inspections per batch") % {"MAX_BATCH": MAX_BATCH})
    now = clock.now()
    errors: list[dict] = []
    rows = [_prepare(checkpoint=checkpoint, item=item, row=n, now=now, errors=errors) for n, item in enumerate(items, start=1)]
    if errors:
        e = errors[0]
        raise ServiceError(_("%(len_errors)s problem(s); nothing stored. First: row %(row)s, %(field)s: %(message)s") % {"len_errors": len(errors), "row": e['row'], "field": e['field'], "message": e['message']},
                           code="batch_invalid", fields=errors)
    persons = dict(Person.objects.filter(token__in={r["person_token"] for r in rows if r["person_token"]}).values_list("token", "id"))
    stored = holds = handed = 0
    try:
        with transaction.atomic():
            for row in rows:
                insp, fresh = _store(actor=actor, checkpoint=checkpoint, row=row, persons=persons)
                stored += fresh
                holds += fresh and insp.result == Result.HOLD
                handed += fresh and insp.handed_over
            audit.record(actor, "checkpoint.inspect_bulk", checkpoint,
                         changes={"received": len(items), "stored": stored, "holds": holds, "handed_over": handed})
    except IntegrityError as exc:
        raise ServiceError(_("duplicate client_ref inside the batch"), code="batch_invalid",
                           fields=[{"field": "client_ref", "message": _("repeated in the batch")}]) from exc
    return {"received": len(items), "stored": stored, "duplicates": len(items) - stored, "holds": holds, "handed_over": handed}


OVERRIDE_HINT = ("For a medical emergency, childbirth or dialysis, a street or district officer (or the command centre) "
                 "overrides the refusal with a reason: POST /api/v1/checkpoints/inspections/{id}/override {\"reason\": ...}")


def inspection_override(*, actor, inspection: Inspection, reason: str) -> Inspection:
    """Let a refused person through for an exit that must happen (medical emergency, childbirth, dialysis): only an
    authorised role (checkpoints.override), with a reason; the verdict stays as the rules gave it, the override is
    recorded beside it and audited."""
    access.require(actor, "checkpoints.override", inspection.region_path)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError.field("reason", _("is required: say why the person must pass (medical emergency, childbirth, dialysis, ...)"))
    if inspection.result == Result.PASS:
        raise Conflict(_("result: this passage was not refused"), fields=[{"field": "result", "message": _("was not refused")}])
    if inspection.overridden_at is not None:
        raise Conflict(_("overridden_at: this refusal was overridden already"),
                       fields=[{"field": "overridden_at", "message": _("overridden already")}])
    with transaction.atomic():
        inspection.overridden_at, inspection.override_reason = clock.now(), reason[:200]
        inspection.overridden_by = access.user_or_none(actor)
        inspection.save(update_fields=["overridden_at", "override_reason", "overridden_by"])
        audit.record(actor, "checkpoint.override", inspection, changes={"reason": inspection.override_reason, "verdict": inspection.reason,
                                                                        "result": inspection.result, "direction": inspection.direction})
    return inspection
