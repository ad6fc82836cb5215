"""Writes for key workers and freight drivers: the register (one by one and from Excel, every row checked and
named), test results (recorded by an officer, or read from mass testing for a registered resident), the pass
(signed, printable) that is suspended by itself when its holder's test is overdue or positive, and what a
checkpoint asks: the verdict on a presented pass and the record of the passage."""

import datetime as dt
import re
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cordon.core import access, audit, clock, ids, pii, policy, tabular
from cordon.core.errors import Conflict, ServiceError
from cordon.keyworkers import passcode, rules, selectors
from cordon.keyworkers.enums import (
    PASS_REASONS,
    Cargo,
    Category,
    PassStatus,
    SuspendReason,
    TestOutcome,
    TestSource,
    TestState,
    WorkShift,
)
from cordon.keyworkers.models import KeyPass, KeyPerson, Passage, TestRecord
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.screening import selectors as screening_selectors
from cordon.status import services as status_services

LABELS = {
    "category": gettext_lazy("Category"), "name": gettext_lazy("Name"), "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"), "employer": gettext_lazy("Employer"), "region": gettext_lazy("Area"),
    "plate": gettext_lazy("Vehicle plate"), "origin": gettext_lazy("Route origin"), "destination": gettext_lazy("Route destination"),
    "cargo": gettext_lazy("Cargo"), "closed_loop": gettext_lazy("Closed loop"), "role": gettext_lazy("Role"),
    "shift": gettext_lazy("Shift"), "sampled_at": gettext_lazy("Sampled at"), "outcome": gettext_lazy("Result"),
}
SYSTEM = access.system("keyworkers")  # this module's work that no user clicked
OVERDUE_SOURCE = "keyworkers:overdue_test"  # the one source of every missed_test reason this app sets
_PHONE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")
_DIVISION = re.compile(r"^\d{6}$")
FIELDS = ("category", "name", "id_number", "phone", "employer", "region", "plate", "origin", "destination", "cargo",
          "closed_loop", "role", "shift")


def rule_values(on: dt.date | dt.datetime | None = None) -> dict:
    """The cadence and pass rules in force: the app's rules.json under a rule set's "keyworkers" section."""
    return rules.merged(policy.in_force(on).section("keyworkers"))


def _problem(field: str, message: str, row: int | None = None) -> dict:
    item = {"field": field, "message": f"{LABELS.get(field, field)}：{message}"}
    if row is not None:
        item["row"] = row
    return item


def _refuse(errors: list[dict]) -> None:
    if not errors:
        return
    first = errors[0]
    if "row" in first:
        message = _("%(n)d problem(s), nothing saved. First: row %(row)d, %(message)s") % {
            "n": len(errors), "row": first["row"], "message": first["message"]}
    else:
        message = "; ".join(e["message"] for e in errors)
    raise ServiceError(message, code="invalid", fields=errors)


def resolve_place(text: str) -> tuple[str, str, str] | None:
    """(region path, division code, name) of a route end typed as a region of the city (path, code or name) or a
    national six-digit division code (GB/T 2260); None when it is neither."""
    text = (text or "").strip()
    if not text:
        return "", "", ""
    region = Region.objects.filter(Q(path=text) | Q(code=text)).first() or Region.objects.filter(name=text).order_by("level", "path").first()
    if region is not None:
        return region.path, "", region.name
    if _DIVISION.match(text):
        name = ids.place_code_name(text)
        if name:
            return "", text, name
    return None


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "y", "是", "on", "闭环")


# long: every field of a register entry checked in turn, in the order its problems are named
def _clean(data: dict, *, row: int | None, errors: list, exclude_pk: int | None = None) -> dict:  # noqa: C901 - every register field checked in turn
    """One register entry checked field by field; problems go to `errors` (named in the user's language)."""
    out: dict = {}
    category = str(data.get("category") or "").strip()
    category = {"司机": "driver", "货车司机": "driver", "重点人员": "worker", "关键岗位": "worker", "关键岗位人员": "worker"}.get(category, category)
    if category not in Category.values:
        errors.append(_problem("category", _("must be driver (司机) or worker (关键岗位)"), row))
    out["category"] = category
    for name, limit in (("name", 50), ("employer", 120)):
        value = str(data.get(name) or "").strip()
        if not value:
            errors.append(_problem(name, _("required"), row))
        elif len(value) > limit:
            errors.append(_problem(name, _("at most %(n)d characters") % {"n": limit}, row))
        out[name] = value
    try:
        number, _birth, _sex = ids.check_id_number(data.get("id_number"))
        out["id_number"] = number
        taken = KeyPerson.objects.filter(id_number=number).exclude(pk=exclude_pk).exists()
        if taken:
            errors.append(_problem("id_number", _("already registered"), row))
    except ids.InvalidIdNumber as exc:
        errors.append(_problem("id_number", str(exc), row))
        out["id_number"] = ""
    phone = "".join(str(data.get("phone") or "").split())
    if not _PHONE.match(phone):
        errors.append(_problem("phone", _("a mobile number of 11 digits or a landline"), row))
    out["phone"] = phone
    region = data.get("region")
    if isinstance(region, str):
        region = Region.objects.filter(Q(path=region.strip()) | Q(code=region.strip())).first() if region.strip() else None
    if region is None:
        errors.append(_problem("region", _("unknown area"), row))
    out["region"] = region
    for end in ("origin", "destination"):
        place = resolve_place(str(data.get(end) or ""))
        if place is None:
            errors.append(_problem(end, _("%(v)s is neither an area of the city nor a six-digit division code") % {"v": data.get(end)}, row))
            place = ("", "", "")
        out[f"{end}_path"], out[f"{end}_division"], out[f"{end}_name"] = place
    plate = rules.normalise_plate(data.get("plate") or "")
    cargo = str(data.get("cargo") or "").strip()
    cargo = {"生活物资": "essential", "民生物资": "essential", "医疗物资": "medical", "医疗": "medical",
             "生产物资": "production", "生产": "production"}.get(cargo, cargo)
    shift = str(data.get("shift") or "").strip()
    shift = {"白班": "day", "夜班": "night", "倒班": "rotating"}.get(shift, shift)
    role = str(data.get("role") or "").strip()[:60]
    if category == Category.DRIVER:
        if not rules.plate_ok(plate):
            errors.append(_problem("plate", _("%(v)s is not a Chinese licence plate (e.g. 沪A12345, 沪AD12345)") % {"v": plate or "-"}, row))
        if cargo not in Cargo.values:
            errors.append(_problem("cargo", _("one of essential (生活物资), medical (医疗物资), production (生产物资)"), row))
        if not (out["origin_path"] or out["origin_division"]) or not (out["destination_path"] or out["destination_division"]):
            errors.append(_problem("origin" if not (out["origin_path"] or out["origin_division"]) else "destination", _("required for a driver"), row))
        shift, role = "", ""
    elif category == Category.WORKER:
        if not role:
            errors.append(_problem("role", _("required for a key worker"), row))
        if shift not in WorkShift.values:
            errors.append(_problem("shift", _("one of day (白班), night (夜班), rotating (倒班)"), row))
        plate, cargo = "", ""
        if region is not None and not (out["destination_path"] or out["destination_division"]):
            out["destination_path"], out["destination_name"] = region.path, region.name  # the workplace
    out.update(plate=plate, cargo=cargo, shift=shift, role=role, closed_loop=_truthy(data.get("closed_loop")))
    return out


def _may_change(actor, region: Region, *, row: int | None, errors: list) -> None:
    if region is not None and not access.can(actor, "keyworkers.change", region.path):
        errors.append(_problem("region", _("outside your area"), row))


def keyperson_register(*, actor, **data) -> KeyPerson:
    """Register a freight driver or a key worker (ID number checked by GB 11643, plate by the national format)."""
    access.require(actor, "keyworkers.change")
    errors: list[dict] = []
    clean = _clean(data, row=None, errors=errors)
    _may_change(actor, clean["region"], row=None, errors=errors)
    _refuse(errors)
    with transaction.atomic():
        kp = _create(actor=actor, clean=clean, now=clock.now())
        audit.record(actor, "keyworker.register", kp, changes={"category": kp.category, "plate": kp.plate, "employer": kp.employer})
    return kp


def _create(*, actor, clean: dict, now: dt.datetime) -> KeyPerson:
    region = clean.pop("region")
    person = Person.objects.filter(id_number=clean["id_number"]).only("id").first()
    return KeyPerson.objects.create(**clean, region=region, region_path=region.path, person=person, next_test_due_at=now,
                                    created_at=now, created_by=access.user_or_none(actor))


def keyperson_update(*, actor, keyperson: KeyPerson, **data) -> KeyPerson:
    """Change a register entry (the category stays); its passes are checked against the entry as it is now (route, plate)."""
    access.require(actor, "keyworkers.change", keyperson.region_path)
    errors: list[dict] = []
    clean = _clean({**data, "category": keyperson.category}, row=None, errors=errors, exclude_pk=keyperson.pk)
    _may_change(actor, clean["region"], row=None, errors=errors)
    _refuse(errors)
    region = clean.pop("region")
    with transaction.atomic():
        changed = {k: v for k, v in clean.items() if getattr(keyperson, k) != v}
        for key, value in clean.items():
            setattr(keyperson, key, value)
        keyperson.region, keyperson.region_path = region, region.path
        keyperson.save()
        audit.record(actor, "keyworker.update", keyperson, changes={k: ("***" if k in ("id_number", "phone", "name") else v)
                                                                   for k, v in changed.items()})
    return keyperson


def keyperson_set_active(*, actor, keyperson: KeyPerson, active: bool) -> KeyPerson:
    """Take someone off the register (their passes are revoked) or back on."""
    access.require(actor, "keyworkers.change", keyperson.region_path)
    with transaction.atomic():
        keyperson.active = active
        keyperson.save(update_fields=["active"])
        if not active:
            KeyPass.objects.filter(keyperson=keyperson).exclude(status=PassStatus.REVOKED).update(
                status=PassStatus.REVOKED, status_changed_at=clock.now())
        overdue_sync(actor=actor)  # on the register or off it: whether an overdue test counts follows
        audit.record(actor, "keyworker.active", keyperson, changes={"active": active})
    return keyperson


IMPORT_ALIASES = {
    "类别": "category", "category": "category", "人员类别": "category",
    "姓名": "name", "name": "name", "身份证号": "id_number", "身份证号码": "id_number", "id_number": "id_number",
    "手机号": "phone", "电话": "phone", "phone": "phone", "工作单位": "employer", "单位": "employer", "employer": "employer",
    "所属区域": "region", "区域": "region", "工作地区域": "region", "region": "region",
    "车牌号": "plate", "plate": "plate", "起点": "origin", "始发地": "origin", "origin": "origin",
    "终点": "destination", "目的地": "destination", "destination": "destination", "货物类别": "cargo", "cargo": "cargo",
    "闭环": "closed_loop", "是否闭环": "closed_loop", "closed_loop": "closed_loop", "岗位": "role", "role": "role",
    "班次": "shift", "shift": "shift",
}
IMPORT_TEMPLATE = [("类别", "司机"), ("姓名", "王师傅"), ("身份证号", "110101199003070037"), ("手机号", "13800000000"),
                   ("工作单位", "城市保供物流公司"), ("所属区域", "区域路径或代码"), ("车牌号", "沪A12345"),
                   ("始发地", "320500"), ("目的地", "区域路径或代码"), ("货物类别", "生活物资"), ("是否闭环", "是"),
                   ("岗位", ""), ("班次", "")]


def keypersons_import(*, actor, data: bytes, filename: str) -> dict:
    """Register drivers and key workers from CSV or Excel: every bad row is named (row, column, in the user's
    language) and nothing is saved while any row is bad."""
    access.require(actor, "keyworkers.change")
    errors: list[dict] = []
    clean_rows, seen = [], set()
    for number, row in tabular.read_rows(data, filename, IMPORT_ALIASES):
        clean = _clean(row, row=number, errors=errors)
        _may_change(actor, clean["region"], row=number, errors=errors)
        if clean["id_number"] and clean["id_number"] in seen:
            errors.append(_problem("id_number", _("repeated in the file"), number))
        seen.add(clean["id_number"])
        clean_rows.append(clean)
    if not clean_rows and not errors:
        raise ServiceError.field("file", _("no rows"))
    _refuse(errors)
    now = clock.now()
    with transaction.atomic():
        made = [_create(actor=actor, clean=c, now=now) for c in clean_rows]
        audit.record(actor, "keyworker.import", object_type="keyworkers.keyperson", changes={"rows": len(made), "file": filename[:80]})
    return {"created": len(made)}


# --- tests --------------------------------------------------------------------------------------------------------

def _refresh(kp: KeyPerson, *, values: dict, now: dt.datetime) -> KeyPerson:
    """Keep the latest results and the next due time on the entry, then suspend or reinstate its passes."""
    tests = TestRecord.objects.filter(keyperson=kp)
    kp.last_negative_at = tests.filter(outcome=TestOutcome.NEGATIVE).order_by("-sampled_at").values_list("sampled_at", flat=True).first()
    kp.last_positive_at = tests.filter(outcome=TestOutcome.POSITIVE).order_by("-sampled_at").values_list("sampled_at", flat=True).first()
    kp.next_test_due_at = rules.next_due(last_negative_at=kp.last_negative_at, registered_at=kp.created_at, category=kp.category, rules=values)
    kp.save(update_fields=["last_negative_at", "last_positive_at", "next_test_due_at"])
    _apply_to_passes(kp, now=now)
    return kp


def _apply_to_passes(kp: KeyPerson, *, now: dt.datetime) -> dict:
    """Suspend a holder's valid passes when the test is overdue or positive; reinstate one suspended for an overdue
    test once a negative is in (a positive needs an officer's reinstatement)."""
    is_positive = rules.positive(kp.last_negative_at, kp.last_positive_at)
    overdue = kp.next_test_due_at < now
    out = {"suspended": 0, "reinstated": 0}
    if is_positive or overdue:
        reason = SuspendReason.POSITIVE if is_positive else SuspendReason.OVERDUE
        out["suspended"] = KeyPass.objects.filter(keyperson=kp, status=PassStatus.ACTIVE).update(
            status=PassStatus.SUSPENDED, suspended_reason=reason, status_changed_at=now)
        if is_positive:  # a pass suspended for an overdue test now waits for an officer as well
            KeyPass.objects.filter(keyperson=kp, status=PassStatus.SUSPENDED).update(suspended_reason=SuspendReason.POSITIVE)
    else:
        out["reinstated"] = KeyPass.objects.filter(keyperson=kp, status=PassStatus.SUSPENDED, suspended_reason=SuspendReason.OVERDUE).update(
            status=PassStatus.ACTIVE, suspended_reason="", status_changed_at=now)
    return out


def test_record(*, actor, keyperson: KeyPerson, sampled_at: dt.datetime | None, outcome: str) -> TestRecord:
    """Record a test result of a driver or key worker (by an officer); a positive suspends the pass at once."""
    access.require(actor, "keyworkers.change", keyperson.region_path)
    now = clock.now()
    errors = []
    if outcome not in TestOutcome.values:
        errors.append(_problem("outcome", _("negative or positive")))
    if sampled_at is None:
        errors.append(_problem("sampled_at", _("required")))
    elif sampled_at > now + dt.timedelta(minutes=5):
        errors.append(_problem("sampled_at", _("is in the future")))
    _refuse(errors)
    try:
        with transaction.atomic():
            record = TestRecord.objects.create(keyperson=keyperson, region_path=keyperson.region_path, sampled_at=sampled_at,
                                               outcome=outcome, source=TestSource.OFFICER, recorded_by=access.user_or_none(actor),
                                               recorded_at=now)
            _refresh(keyperson, values=rule_values(now), now=now)
            overdue_sync(actor=actor, now=now)  # a test done: the colour goes back at once
            audit.record(actor, "keyworker.test", record, changes={"outcome": outcome, "sampled_at": sampled_at})
    except IntegrityError as exc:
        raise Conflict(_("a result for this sampling time is recorded already"), fields=[_problem("sampled_at", _("recorded already"))]) from exc
    return record


def tests_from_screening(*, actor, now: dt.datetime | None = None) -> dict:
    """Read mass-testing results of registered drivers and key workers who are residents (matched by ID number):
    negatives and positives become their test results, passes follow."""
    access.require(actor, "keyworkers.change")
    now = now or clock.now()
    values = rule_values(now)
    read = added = 0
    linked = access.scope(KeyPerson.objects.filter(active=True, person__isnull=False), actor, "change").select_related("person")
    for kp in linked.iterator(chunk_size=500):
        found = screening_selectors.result_lookup(id_number=kp.person.id_number, phone=kp.person.phone) or {"results": []}
        read += 1
        fresh = 0
        for r in found["results"]:
            if r["result"] not in TestOutcome.values:
                continue
            _made, created = TestRecord.objects.get_or_create(
                keyperson=kp, sampled_at=r["sampled_at"], source=TestSource.SCREENING,
                defaults={"region_path": kp.region_path, "outcome": r["result"], "recorded_at": now})
            fresh += created
        if fresh:
            with transaction.atomic():
                _refresh(kp, values=values, now=now)
            added += fresh
    with transaction.atomic():
        if added:
            overdue_sync(actor=actor, now=now)
        audit.record(actor, "keyworker.tests_from_screening", object_type="keyworkers.testrecord", changes={"read": read, "added": added})
    return {"read": read, "added": added}


def passes_refresh(*, actor, now: dt.datetime | None = None) -> dict:
    """The periodic check: passes of holders now overdue or positive are suspended, those suspended for an overdue
    test whose holder has tested since are reinstated."""
    access.require(actor, "keyworkers.change")
    now = now or clock.now()
    out = {"suspended": 0, "reinstated": 0}
    holders = (KeyPerson.objects.filter(passes__status__in=(PassStatus.ACTIVE, PassStatus.SUSPENDED)).distinct())
    with transaction.atomic():
        for kp in access.scope(holders, actor, "change"):
            got = _apply_to_passes(kp, now=now)
            out["suspended"] += got["suspended"]
            out["reinstated"] += got["reinstated"]
        overdue_sync(actor=actor, now=now)
        audit.record(actor, "keyworker.passes_refresh", object_type="keyworkers.keypass", changes=out)
    return out


def overdue_sync(*, actor, now: dt.datetime | None = None) -> dict:
    """Give the status reason missed_test to registered residents holding a pass in force (valid or suspended) whose
    test is overdue (selectors.due_list's "overdue"), and take it from everyone else: one query for the people, one
    recompute of the colours that change (audited by the status service)."""
    now = now or clock.now()
    people = (selectors.due_list(actor=SYSTEM, state=TestState.OVERDUE, now=now)
              .filter(person__isnull=False, passes__status__in=(PassStatus.ACTIVE, PassStatus.SUSPENDED),
                      passes__valid_until__gt=now)
              .order_by().values_list("person_id", flat=True).distinct())
    return status_services.reasons_sync(source=OVERDUE_SOURCE, reason="missed_test", person_ids=list(people), actor=actor)


# --- passes -------------------------------------------------------------------------------------------------------

def pass_issue(*, actor, keyperson: KeyPerson, valid_from: dt.datetime | None = None, days: int | None = None) -> KeyPass:
    """Issue a pass (通行证) to a registered driver or key worker with a negative test within the hours the rules
    require; an earlier pass of the same holder is revoked."""
    access.require(actor, "keyworkers.change", keyperson.region_path)
    now = clock.now()
    values = rule_values(now)
    valid_from = valid_from or now
    days = int(days or values["pass_days"])
    if not keyperson.active:
        raise Conflict(_("not on the register any more"), fields=[_problem("keyperson", _("inactive"))])
    if not 1 <= days <= 90:
        raise ServiceError.field("days", _("between 1 and 90 days"))
    if rules.positive(keyperson.last_negative_at, keyperson.last_positive_at):
        raise Conflict(_("the latest test is positive: no pass"), fields=[_problem("outcome", _("positive"))])
    within = rules.within_hours(keyperson.category, values)
    if keyperson.last_negative_at is None or now - keyperson.last_negative_at > dt.timedelta(hours=within):
        raise ServiceError(_("a negative test within %(h)d hours is required before a pass is issued") % {"h": within},
                           fields=[_problem("sampled_at", _("no negative test within %(h)d hours") % {"h": within})])
    with transaction.atomic():
        KeyPass.objects.filter(keyperson=keyperson).exclude(status=PassStatus.REVOKED).update(status=PassStatus.REVOKED, status_changed_at=now)
        p = KeyPass.objects.create(number=f"KW{clock.local(now):%y%m%d}{secrets.token_hex(4).upper()}", keyperson=keyperson,
                                   region_path=keyperson.region_path, valid_from=valid_from,
                                   valid_until=valid_from + dt.timedelta(days=days), issued_by=access.user_or_none(actor), issued_at=now)
        audit.record(actor, "keyworker.pass_issue", p, changes={"keyperson": keyperson.pk, "days": days})
    return p


def pass_code(p: KeyPass) -> str:
    """The signed code of a pass (what its QR holds)."""
    kp = p.keyperson
    return passcode.encode(number=p.number, category=kp.category, plate=kp.plate, closed_loop=kp.closed_loop,
                           valid_from=p.valid_from, valid_until=p.valid_until)


def pass_set_status(*, actor, key_pass: KeyPass, action: str) -> KeyPass:
    """An officer suspends, reinstates or revokes a pass; reinstating needs a holder tested in time and not positive."""
    access.require(actor, "keyworkers.change", key_pass.region_path)
    now = clock.now()
    kp = key_pass.keyperson
    if key_pass.status == PassStatus.REVOKED:
        raise Conflict(_("the pass is revoked"), fields=[_problem("status", _("revoked"))])
    if action == "suspend":
        key_pass.status, key_pass.suspended_reason = PassStatus.SUSPENDED, SuspendReason.MANUAL
    elif action == "revoke":
        key_pass.status = PassStatus.REVOKED
    elif action == "reinstate":
        if rules.positive(kp.last_negative_at, kp.last_positive_at) or kp.next_test_due_at < now:
            raise Conflict(_("the holder's test is overdue or positive"), fields=[_problem("outcome", _("overdue or positive"))])
        key_pass.status, key_pass.suspended_reason = PassStatus.ACTIVE, ""
    else:
        raise ServiceError.field("action", _("suspend, reinstate or revoke"))
    with transaction.atomic():
        key_pass.status_changed_at = now
        key_pass.save(update_fields=["status", "suspended_reason", "status_changed_at"])
        overdue_sync(actor=actor, now=now)  # a revoked pass: its holder's overdue test no longer counts
        audit.record(actor, f"keyworker.pass_{action}", key_pass)
    return key_pass


def conditions_of(kp: KeyPerson, *, values: dict, until: dt.datetime | None = None) -> list[str]:
    """What the holder must keep to, as the checkpoint shows it."""
    out = []
    if kp.category == Category.DRIVER and kp.closed_loop:
        out.append(values["closed_loop_condition"])
    if kp.category == Category.WORKER:
        out.append(values["worker_condition"])
    route = f"{kp.origin_name or '-'} ⇄ {kp.destination_name or '-'}"
    out.append(_("Route: %(route)s") % {"route": route})
    if kp.cargo:
        out.append(_("Cargo: %(cargo)s") % {"cargo": kp.get_cargo_display()})
    out.append(_("Negative test within %(h)d hours") % {"h": rules.within_hours(kp.category, values)})
    if until is not None:
        out.append(_("Valid until %(t)s") % {"t": clock.local(until).strftime("%Y-%m-%d %H:%M")})
    return out


def pass_check(*, code: str, at: dt.datetime | None = None, origin_path: str = "", destination: str = "", plate: str = "") -> dict:
    """The verdict on a pass presented at a checkpoint (no write): the signed code (or the pass number typed by the
    officer) and the pass as it is now: valid dates, suspension, the holder's latest test within the hours the rules
    require, the plate, and the declared origin and destination against the pass's route."""
    at = at or clock.now()
    text = (code or "").strip()
    number, bad = text.upper(), ""
    if passcode.looks_signed(text):
        bad, claims = passcode.decode(text)
        number = (claims or {}).get("n", "") if not bad else ""
    p = (KeyPass.objects.select_related("keyperson").filter(number=number).first() if number and len(number) <= 24 else None)
    kp = p.keyperson if p is not None else None
    values = rule_values(at)
    route_ok, plate_ok = True, True
    if kp is not None:
        declared = [(origin_path, "")]
        place = resolve_place(destination)
        if place:
            declared.append((place[0], place[1]))
        route_ok = rules.on_route([(kp.origin_path, kp.origin_division), (kp.destination_path, kp.destination_division)], declared)
        typed = rules.normalise_plate(plate)
        plate_ok = not (kp.category == Category.DRIVER and typed and typed != kp.plate)
    result, reason = rules.pass_verdict(
        found=p is not None and not bad and (kp.active if kp else False), status=p.status if p else "", valid_from=p.valid_from if p else None,
        valid_until=p.valid_until if p else None, now=at, last_negative_at=kp.last_negative_at if kp else None,
        last_positive_at=kp.last_positive_at if kp else None, within=rules.within_hours(kp.category, values) if kp else 0,
        route_ok=route_ok, plate_ok=plate_ok)
    return {"result": result, "reason": reason, "reason_text": str(PASS_REASONS[reason]), "number": p.number if p else "",
            "pass_id": p.pk if p else None, "keyperson_id": kp.pk if kp else None, "category": kp.category if kp else "",
            "holder": pii.mask_name(kp.name) if kp else "", "plate": kp.plate if kp else "",
            "conditions": conditions_of(kp, values=values, until=p.valid_until) if kp and result == "pass" else []}


def passage_record(*, inspection_id: int, checkpoint_id: int, checkpoint_name: str, region_path: str, at: dt.datetime,
                   result: str, reason: str, check: dict) -> Passage:
    """Record that a pass was presented at a checkpoint inspection (called by the checkpoint's inspection, inside its
    transaction, which checks the officer's permission and audits the inspection)."""
    return Passage.objects.create(inspection_id=inspection_id, checkpoint_id=checkpoint_id, checkpoint_name=checkpoint_name[:120],
                                  region_path=region_path, at=at, category=check.get("category") or "",
                                  keyperson_id=check.get("keyperson_id"), key_pass_id=check.get("pass_id"), result=result, reason=reason)


def region_for(*, actor, path: str) -> Region | None:
    """A region named by path inside the actor's area; another district's answers as an unknown one (None)."""
    return Region.objects.visible_to(actor, "view").filter(path=(path or "").strip()).first()
