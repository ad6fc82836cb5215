"""Writes for cases: report, investigation form, trajectory, named contacts, status timeline, infector
links, and the SLA check that files overdue tasks.

Reports coming from another module (source "screening.sample:<id>", ...) are system-originated and need
no cases.change grant of the caller; a report by hand (no source) does. Trajectory and window changes
emit cases.events.TRAJECTORY_CHANGED on commit so contact identification runs again."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from cordon.cases import events, rules
from cordon.cases.enums import CASE_LIFECYCLE, STATUS_ORDER, CaseKind, CaseStatus, FoundBy, Severity, StayKind
from cordon.cases.models import Case, CaseEvent, NamedContact, Stay
from cordon.command import services as command_services
from cordon.core import access, audit, clock, policy
from cordon.core.errors import Conflict, ServiceError
from cordon.people.models import Person
from cordon.questionnaires import services as questionnaires
from cordon.status import services as status_services
from cordon.venues.models import Venue

SYSTEM = access.system("cases")  # this module's work that no user clicked

STATUS_STAMP = {CaseStatus.INVESTIGATING: "on_site_at", CaseStatus.CORE_DONE: "core_done_at",
                CaseStatus.REPORT_DONE: "report_done_at"}


def _when(value, field: str, *, row: int | None = None, required: bool = True) -> dt.datetime | None:
    if value in (None, ""):
        if required:
            raise ServiceError.field(field, _("is required"), row=row)
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            raise ServiceError.field(field, _("not a date and time: %(value)r") % {"value": value}, row=row)
        value = parsed
    if not isinstance(value, dt.datetime):
        raise ServiceError.field(field, _("not a date and time"), row=row)
    if timezone.is_naive(value):
        value = clock.aware(value)
    return value


def _day(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        parsed = parse_date(value.strip())
        if parsed is None:
            raise ServiceError.field(field, _("not a date: %(value)r") % {"value": value})
        return parsed
    return value


def _not_future(value, field: str, now: dt.datetime, *, row: int | None = None) -> None:
    if value is None:
        return
    limit = now + dt.timedelta(minutes=5)
    if isinstance(value, dt.datetime) and value > limit or isinstance(value, dt.date) and not isinstance(value, dt.datetime) and value > clock.day_of(now):
        raise ServiceError.field(field, _("is in the future"), row=row)


def _on_commit_changed(case: Case, actor) -> None:
    transaction.on_commit(lambda: events.TRAJECTORY_CHANGED.emit(case=case, actor=actor))


def _event(case: Case, status: str, actor, note: str = "", at: dt.datetime | None = None) -> None:
    CaseEvent.objects.create(case=case, at=at or clock.now(), status=status, note=note[:200],
                             actor=actor if getattr(actor, "is_authenticated", False) else None)


def case_report(*, actor, person_id: int, kind: str, found_by: str, confirmed_at=None, onset_date=None,
                sampled_at=None, source: str = "", severity: str = "") -> Case:
    """Report a confirmed case or asymptomatic infection; a repeat with the same source returns the same case."""
    now = clock.now()
    if source:
        existing = Case.objects.filter(source=source).first()
        if existing is not None:
            return existing
    if kind not in CaseKind.values:
        raise ServiceError.field("kind", _("must be one of %(choices)s") % {"choices": ', '.join(CaseKind.values)})
    if found_by not in FoundBy.values:
        raise ServiceError.field("found_by", _("must be one of %(choices)s") % {"choices": ', '.join(FoundBy.values)})
    severity = severity or (Severity.NONE if kind == CaseKind.ASYMPTOMATIC else Severity.MILD)
    if severity not in Severity.values:
        raise ServiceError.field("severity", _("must be one of %(choices)s") % {"choices": ', '.join(Severity.values)})
    confirmed_at = _when(confirmed_at, "confirmed_at", required=False) or now
    sampled_at = _when(sampled_at, "sampled_at", required=False)
    onset_date = _day(onset_date, "onset_date")
    _not_future(confirmed_at, "confirmed_at", now)
    _not_future(sampled_at, "sampled_at", now)
    _not_future(onset_date, "onset_date", now)
    if sampled_at and sampled_at > confirmed_at:
        raise ServiceError.field("sampled_at", _("is after the confirmation"))
    if onset_date and onset_date > clock.day_of(confirmed_at):
        raise ServiceError.field("onset_date", _("is after the confirmation"))
    if kind == CaseKind.ASYMPTOMATIC and onset_date:
        raise ServiceError.field("onset_date", _("an asymptomatic infection has no onset date"))
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise ServiceError.field("person_id", _("unknown person %(person_id)s") % {"person_id": person_id})
    if not source or not access.is_system(actor):
        access.get_for(actor, Person.objects.all(), "view", pk=person.pk)
        access.require(actor, "cases.change", person.region_path)
    if Case.objects.filter(person=person).exists():
        raise Conflict(_("person_id: this person already has a case"), fields=[{"field": "person_id", "message": _("already has a case")}])
    with transaction.atomic():
        case = Case.objects.create(person=person, region_path=person.region_path, kind=kind, found_by=found_by,
                                   severity=severity, onset_date=onset_date, sampled_at=sampled_at,
                                   confirmed_at=confirmed_at, source=source,
                                   reported_by=actor if getattr(actor, "is_authenticated", False) else None)
        _event(case, CaseStatus.REPORTED, actor, source, at=now)
        audit.record(actor, "case.report", case, changes={"person": person.pk, "kind": kind, "found_by": found_by,
                                                          "confirmed_at": confirmed_at, "source": source})
        status_services.reason_set(person_id=person.pk, reason=kind, source=f"cases.case:{case.pk}", since=confirmed_at, actor=actor)
        transaction.on_commit(lambda: events.CASE_CONFIRMED.emit(case=case, actor=actor))
    return case


INVESTIGATION_FIELDS = ("symptoms", "test_history", "notes", "severity", "onset_date", "sampled_at", "isolated_at",
                        "last_negative_at")
WINDOW_FIELDS = {"onset_date", "sampled_at", "isolated_at", "last_negative_at"}


def case_update(*, actor, case: Case, **fields) -> Case:
    """Edit the investigation form (symptoms, test history, notes, severity, dates); window changes re-run identification."""
    access.require(actor, "cases.change", case.region_path)
    now = clock.now()
    unknown = set(fields) - set(INVESTIGATION_FIELDS)
    if unknown:
        raise ServiceError.field(sorted(unknown)[0], _("cannot be edited here"))
    clean = {}
    for name, value in fields.items():
        if name == "onset_date":
            value = _day(value, name)
        elif name in ("sampled_at", "isolated_at", "last_negative_at"):
            value = _when(value, name, required=False)
        elif name == "severity":
            if value not in Severity.values:
                raise ServiceError.field("severity", _("must be one of %(choices)s") % {"choices": ', '.join(Severity.values)})
        else:
            value = (value or "").strip()
        _not_future(value if name in WINDOW_FIELDS else None, name, now)
        clean[name] = value
    onset = clean.get("onset_date", case.onset_date)
    if onset and case.kind == CaseKind.ASYMPTOMATIC:
        raise ServiceError.field("onset_date", _("an asymptomatic infection has no onset date"))
    if onset and onset > clock.day_of(case.confirmed_at):
        raise ServiceError.field("onset_date", _("is after the confirmation"))
    sampled = clean.get("sampled_at", case.sampled_at)
    if sampled and sampled > case.confirmed_at:
        raise ServiceError.field("sampled_at", _("is after the confirmation"))
    changes = {k: v for k, v in clean.items() if getattr(case, k) != v}
    if not changes:
        return case
    with transaction.atomic():
        for k, v in changes.items():
            setattr(case, k, v)
        case.save(update_fields=list(changes))
        if case.status == CaseStatus.REPORTED:
            case_advance(actor=actor, case=case, status=CaseStatus.INVESTIGATING)
        audit.record(actor, "case.update", case, changes=changes)
        if WINDOW_FIELDS & set(changes):
            _on_commit_changed(case, actor)
    return case


def _venue_map(codes: set[str]) -> dict:
    return {v.code: v for v in Venue.objects.filter(code__in=codes)} if codes else {}


# long: validate every trajectory row, then write all or none: the two halves share the checked rows
def stays_add(*, actor, case: Case, items: list[dict]) -> dict:  # noqa: C901 - each field of a trajectory row checked in turn, all rows before any write
    """Add trajectory entries (all or nothing); exact repeats are skipped, overlapping stays are refused."""
    access.require(actor, "cases.change", case.region_path)
    now = clock.now()
    if not items:
        raise ServiceError.field("items", _("no trajectory entries given"))
    days = policy.in_force(case.confirmed_at).get("tracing.trajectory_days", 14)
    earliest = case.confirmed_at - dt.timedelta(days=days + 2)
    venues = _venue_map({(i.get("venue_code") or "").strip() for i in items} - {""})
    rows = []
    for n, item in enumerate(items, 1):
        kind = item.get("kind") or StayKind.PLACE
        if kind not in StayKind.values:
            raise ServiceError.field("kind", _("must be one of %(choices)s") % {"choices": ', '.join(StayKind.values)}, row=n)
        t_in = _when(item.get("time_in"), "time_in", row=n)
        t_out = _when(item.get("time_out"), "time_out", row=n)
        if t_out <= t_in:
            raise ServiceError.field("time_out", _("ends before it starts"), row=n)
        _not_future(t_out, "time_out", now, row=n)
        if t_in < earliest:
            raise ServiceError.field("time_in", _("is more than %(days)s days before the confirmation") % {"days": days}, row=n)
        code = (item.get("venue_code") or "").strip()
        venue = None
        if code:
            venue = venues.get(code)
            if venue is None:
                raise ServiceError.field("venue_code", _("unknown venue code %(code)s") % {"code": code}, row=n)
        unit = None
        unit_name = (item.get("unit") or "").strip()
        if unit_name:
            if venue is None:
                raise ServiceError.field("unit", _("a unit needs the venue code it belongs to"), row=n)
            unit = venue.units.filter(name=unit_name).first()
            if unit is None:
                raise ServiceError.field("unit", _("%(unit_name)r is not a unit of venue %(code)s") % {"unit_name": unit_name, "code": code}, row=n)
        place = (item.get("place") or "").strip()[:200]
        vehicle = (item.get("vehicle") or "").strip()[:40]
        if kind == StayKind.PLACE and not venue and not place:
            raise ServiceError.field("place", _("give a venue code or a place"), row=n)
        if kind == StayKind.TRANSPORT and not vehicle and not venue:
            raise ServiceError.field("vehicle", _("give the vehicle (train, flight, bus or plate)"), row=n)
        rows.append(Stay(case=case, kind=kind, venue=venue, unit=unit, place=place or (venue.name if venue else ""), time_in=t_in,
                         time_out=t_out, vehicle=vehicle, seat=(item.get("seat") or "").strip()[:20],
                         note=(item.get("note") or "").strip()[:200]))
    existing = list(case.stays.all())
    key = lambda s: (s.kind, s.venue_id, s.unit_id, s.place, s.time_in, s.time_out, s.vehicle)  # noqa: E731
    have = {key(s) for s in existing}
    new = [r for r in rows if key(r) not in have]
    spans = [(s.time_in, s.time_out) for s in existing if s.kind == StayKind.PLACE]
    fresh = [(r.time_in, r.time_out) for r in new if r.kind == StayKind.PLACE]
    clash = rules.stays_overlap(spans + fresh)
    if clash is not None and clash >= len(spans):
        bad = [r for r in new if r.kind == StayKind.PLACE][clash - len(spans)]
        raise ServiceError.field("time_in", _("overlaps another stay of this case"), row=rows.index(bad) + 1)
    if not new:
        return {"added": 0, "skipped": len(rows)}
    with transaction.atomic():
        Stay.objects.bulk_create(new)
        if case.status == CaseStatus.REPORTED:
            case_advance(actor=actor, case=case, status=CaseStatus.INVESTIGATING)
        audit.record(actor, "case.stays_add", case, changes={"added": len(new), "skipped": len(rows) - len(new)})
        _on_commit_changed(case, actor)
    return {"added": len(new), "skipped": len(rows) - len(new)}


def stay_delete(*, actor, case: Case, stay_id: int) -> None:
    """Remove one trajectory entry."""
    access.require(actor, "cases.change", case.region_path)
    stay = case.stays.filter(pk=stay_id).first()
    if stay is None:
        raise ServiceError.field("stay_id", _("no stay %(stay_id)s on this case") % {"stay_id": stay_id}, code="not_found", status=404)
    with transaction.atomic():
        audit.record(actor, "case.stay_delete", case, changes={"stay": stay.pk, "place": stay.place,
                                                               "time_in": stay.time_in, "time_out": stay.time_out})
        stay.delete()
        _on_commit_changed(case, actor)


def named_contacts_add(*, actor, case: Case, items: list[dict]) -> dict:
    """Record contacts the case named (person by id or ID number, setting, protection, last exposure)."""
    access.require(actor, "cases.change", case.region_path)
    now = clock.now()
    if not items:
        raise ServiceError.field("items", _("no contacts given"))
    rows = []
    for n, item in enumerate(items, 1):
        person = None
        if item.get("person_id"):
            person = Person.objects.filter(pk=item["person_id"]).first()
        elif item.get("id_number"):
            person = Person.objects.filter(id_number=str(item["id_number"]).strip().upper()).first()
        else:
            raise ServiceError.field("person_id", _("give a person id or an ID number"), row=n)
        if person is None:
            raise ServiceError.field("person_id", _("unknown person"), row=n)
        if person.pk == case.person_id:
            raise ServiceError.field("person_id", _("is the case"), row=n)
        setting = (item.get("setting") or "").strip()
        if not setting:
            raise ServiceError.field("setting", _("is required"), row=n)
        last = _when(item.get("last_exposure"), "last_exposure", row=n)
        _not_future(last, "last_exposure", now, row=n)
        rows.append((person, setting[:40], (item.get("protection") or "").strip()[:40], last, (item.get("note") or "")[:200]))
    added = 0
    with transaction.atomic():
        for person, setting, protection, last, note in rows:
            _unused, created = NamedContact.objects.update_or_create(
                case=case, person=person, defaults={"setting": setting, "protection": protection, "last_exposure": last, "note": note})
            added += created
        audit.record(actor, "case.named_contacts", case, changes={"rows": len(rows), "added": added})
        _on_commit_changed(case, actor)
    return {"added": added, "updated": len(rows) - added}


def case_advance(*, actor, case: Case, status: str, note: str = "") -> Case:
    """Move a case forward on its timeline (reported -> investigating -> core tracing done -> report done)."""
    access.require(actor, "cases.change", case.region_path)
    if status == case.status:
        return case
    CASE_LIFECYCLE.step(case.status, status)  # 409 transition for a backward step, 400 for an unknown status
    order = [s.value for s in STATUS_ORDER]
    now = clock.now()
    with transaction.atomic():
        fields = ["status"]
        for s in STATUS_ORDER[order.index(case.status) + 1: order.index(status) + 1]:
            stamp = STATUS_STAMP.get(s)
            if stamp and getattr(case, stamp) is None:
                setattr(case, stamp, now)
                fields.append(stamp)
            _event(case, s, actor, note, at=now)
        case.status = status
        case.save(update_fields=fields)
        audit.record(actor, "case.advance", case, changes={"status": status, "note": note})
        if status == CaseStatus.REPORT_DONE:
            command_services.task_close_by_source(actor=actor, source=f"cases.case:{case.pk}", kind="tracing.overdue",
                                                  result="all tracing steps done")
    return case


def case_link_infector(*, actor, case: Case, infector_id: int | None) -> Case:
    """Set (or clear) who infected a case; refuses itself, later cases and cycles."""
    access.require(actor, "cases.change", case.region_path)
    infector = None
    if infector_id:
        infector = Case.objects.filter(pk=infector_id).first()
        if infector is None:
            raise ServiceError.field("infector_id", _("unknown case %(infector_id)s") % {"infector_id": infector_id})
        if infector.pk == case.pk:
            raise ServiceError.field("infector_id", _("a case cannot infect itself"))
        cur, seen = infector, set()
        while cur is not None and cur.pk not in seen:
            if cur.pk == case.pk:
                raise ServiceError.field("infector_id", _("would make a cycle in the chain"))
            seen.add(cur.pk)
            cur = cur.infector
    with transaction.atomic():
        previous = case.infector_id
        case.infector = infector
        case.save(update_fields=["infector"])
        audit.record(actor, "case.link_infector", case, changes={"from": previous, "to": infector_id})
    return case


def check_overdue(*, now: dt.datetime | None = None, actor, cases=None) -> int:
    """File a tracing.overdue task for each open case with an SLA step past its deadline; returns how many."""
    now = now or clock.now()
    qs = cases if cases is not None else Case.objects.exclude(status=CaseStatus.REPORT_DONE)
    filed = 0
    for case in qs:
        sla = policy.in_force(case.confirmed_at).get("tracing.sla_hours", {})
        steps = rules.sla_clock(confirmed_at=case.confirmed_at, now=now, sla_hours=sla,
                                done={"on_site": case.on_site_at, "core_tracing": case.core_done_at,
                                      "full_report": case.report_done_at})
        overdue = [c for c in steps if c["overdue"]]
        if not overdue:
            continue
        first = overdue[0]
        command_services.task_create(
            actor=SYSTEM, title=f"Case {case.pk}: tracing step {first['step']} overdue", kind="tracing.overdue",
            region_path=case.region_path, deadline=now + dt.timedelta(hours=1), owner_role="district_officer", priority=1,
            detail=", ".join(f"{c['step']} due {clock.local(c['deadline']):%m-%d %H:%M}" for c in overdue),
            source=f"cases.case:{case.pk}")
        filed += 1
    return filed


def case_questionnaire_answer(*, actor, case: Case, data: dict):
    """Answer the current case-investigation questionnaire (流调表) about a case; kept against the version used."""
    access.require(actor, "cases.change", case.region_path)
    return questionnaires.answer_save(actor=actor, version=questionnaires.current("case_investigation"), subject_type="cases.case",
                                      subject_id=case.pk, region_path=case.region_path, data=data)
