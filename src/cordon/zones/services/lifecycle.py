"""A zone's life after designation: confirm or cancel, evaluate against the lifting criteria of its rule set
(daily), lift or lower (refused naming each unmet criterion), escalate or restart on a new positive."""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from cordon.cases.models import Case
from cordon.contacts.models import RiskPerson
from cordon.core import audit, clock
from cordon.core.errors import Conflict
from cordon.screening import selectors as screening_selectors
from cordon.status.models import HealthStatus
from cordon.zones import rules
from cordon.zones.enums import ACTIVE, ENFORCED, ZONE_HAND_LIFECYCLE, ZONE_LIFECYCLE, ZoneStatus
from cordon.zones.models import Zone, ZoneHousehold
from cordon.zones.services.common import (
    close_proposal_task,
    record_event,
    require_change,
    resident_ids,
    status_sync,
    zone_rules,
)


def _move_to(zone: Zone, status: str) -> None:
    """Refuse a status move the zone lifecycle does not allow (staying put, a restart in force, is no move)."""
    if status != zone.status:
        ZONE_LIFECYCLE.step(zone.status, status)


def zone_confirm(*, actor, zone: Zone, note: str = "") -> Zone:
    """Put a designated zone in force; its clock starts now."""
    require_change(actor, zone)
    ZONE_HAND_LIFECYCLE.step(zone.status, ZoneStatus.IN_FORCE)
    now = clock.now()
    with transaction.atomic():
        zone.status, zone.in_force_at, zone.clock_start = ZoneStatus.IN_FORCE, now, now
        zone.save(update_fields=["status", "in_force_at", "clock_start", "updated_at"])
        status_sync(zone, actor=actor)
        record_event(zone, "confirm", actor, status_from=ZoneStatus.DESIGNATED, note=note)
        audit.record(actor, "zone.confirm", zone, changes={"kind": zone.kind, "note": note})
        transaction.on_commit(lambda: close_proposal_task(zone))
    return zone


def zone_cancel(*, actor, zone: Zone, note: str = "") -> Zone:
    """Reject a designated (proposed) zone; its households are free again."""
    require_change(actor, zone)
    ZONE_HAND_LIFECYCLE.step(zone.status, ZoneStatus.CANCELLED)
    with transaction.atomic():
        zone.status = ZoneStatus.CANCELLED
        zone.save(update_fields=["status", "updated_at"])
        ZoneHousehold.objects.filter(zone=zone, active=True).update(active=False)
        status_sync(zone, actor=actor)
        record_event(zone, "cancel", actor, status_from=ZoneStatus.DESIGNATED, note=note)
        audit.record(actor, "zone.cancel", zone, changes={"note": note})
        transaction.on_commit(lambda: close_proposal_task(zone))
    return zone


def _negative_since(person_ids: list[int], since: dt.datetime) -> tuple[set[int], bool]:
    """People with a negative sample at or after `since`: screening's results, plus negatives status recorded."""
    found = set(HealthStatus.objects.filter(person_id__in=person_ids, last_negative_at__gte=since).values_list("person_id", flat=True))
    found |= screening_selectors.people_negative_since(person_ids=person_ids, since=since)
    return found, True


def criteria(*, zone: Zone, now: dt.datetime | None = None) -> dict:
    """Where a zone stands against its lifting criteria: clock start, days remaining, unmet criteria."""
    now = now or clock.now()
    today = clock.day_of(now)
    _code, zr = zone_rules(zone.ruleset)
    krule = rules.kind_rules(zr, zone.kind)
    lift = krule.get("lift") or {}
    residents = resident_ids(zone)
    started = zone.clock_start
    case_ids = set()
    if residents:
        cases = Case.objects.filter(person_id__in=residents)
        case_ids = set(cases.values_list("person_id", flat=True))
        last_case = cases.aggregate(m=Max("confirmed_at"))["m"]
        if last_case and started and last_case > started:
            started = last_case
    kwargs = {"results_available": True}
    if lift.get("last_close_contact_days_past_exposure"):
        hh = ZoneHousehold.objects.filter(zone=zone).values("household_id")
        contacts = RiskPerson.objects.filter(category="close_contact").exclude(status="rejected").filter(
            Q(person__household_id__in=hh) | Q(source_case__person__household_id__in=hh))
        last = contacts.aggregate(m=Max("last_exposure"))["m"]
        if last is not None:
            last_ids = list(contacts.filter(last_exposure=last).values_list("person_id", flat=True))
            since = last + dt.timedelta(days=int(lift["last_close_contact_days_past_exposure"]) - 1)
            neg, ok = _negative_since(last_ids, since)
            kwargs.update(last_contact_exposure=last, last_contacts_negative=set(last_ids) <= neg)
    if lift.get("negative_round_within_days"):
        tested = [p for p in residents if p not in case_ids]
        neg, ok = _negative_since(tested, now - dt.timedelta(days=int(lift["negative_round_within_days"])))
        kwargs.update(residents=len(tested), residents_negative=len(neg & set(tested)))
    if rules.is_area_wide(zr, zone.kind):
        area = zone.district_path
        kwargs["higher_zones_open"] = sum(
            1 for z in Zone.objects.filter(status__in=ACTIVE, district_path=area).exclude(pk=zone.pk).only("kind")
            if rules.rank(zr, z.kind) > rules.rank(zr, zone.kind))
    clock_day = clock.day_of(started) if started else None
    unmet = rules.unmet_criteria(krule, today=today, now=now, clock_start=clock_day, lowered_from=zone.lowered_from, **kwargs)
    return {"clock_start": started, "unmet": unmet, "residents": len(residents),
            "days_required": rules.required_days(krule, lowered_from=zone.lowered_from),
            "days_remaining": rules.days_remaining(krule, clock_start=clock_day, today=today, lowered_from=zone.lowered_from),
            "lower_to": krule.get("lower_to")}


def zone_evaluate(*, zone: Zone, actor, now: dt.datetime | None = None) -> Zone:
    """Re-check a zone in force against its criteria and move it between in force, countdown and eligible."""
    now = now or clock.now()
    if zone.status not in ENFORCED:
        return zone
    result = criteria(zone=zone, now=now)
    start = result["clock_start"] or zone.in_force_at
    new = rules.next_status(zone.status, in_force_day=clock.day_of(start) if start else None,
                            today=clock.day_of(now), unmet=result["unmet"])
    _move_to(zone, new)
    with transaction.atomic():
        old = zone.status
        zone.unmet, zone.evaluated_at, zone.status = result["unmet"], now, new
        if result["clock_start"] and result["clock_start"] != zone.clock_start:
            zone.clock_start = result["clock_start"]
        zone.save(update_fields=["unmet", "evaluated_at", "status", "clock_start", "updated_at"])
        if new != old:
            record_event(zone, "status", actor, status_from=old)
            audit.record(actor, "zone.status", zone, changes={"from": old, "to": new, "unmet": [u["criterion"] for u in result["unmet"]]})
    return zone


def zones_refresh(*, actor, now: dt.datetime | None = None) -> int:
    """Evaluate every zone in force (the daily tick); returns how many changed status."""
    changed = 0
    for zone in Zone.objects.filter(status__in=ENFORCED).order_by("id"):
        before = zone.status
        if zone_evaluate(zone=zone, actor=actor, now=now).status != before:
            changed += 1
    return changed


def zone_lift(*, actor, zone: Zone, note: str = "", now: dt.datetime | None = None) -> Zone:
    """Lift (or lower, where the rule set says so) a zone; refused naming each criterion that does not hold."""
    require_change(actor, zone)
    now = now or clock.now()
    ZONE_HAND_LIFECYCLE.step(zone.status, ZoneStatus.LIFTED)
    result = criteria(zone=zone, now=now)
    if result["unmet"]:
        with transaction.atomic():
            zone.unmet, zone.evaluated_at = result["unmet"], now
            zone.save(update_fields=["unmet", "evaluated_at", "updated_at"])
        raise Conflict(_("cannot lift yet: %(unmet)s") % {"unmet": "; ".join(f"{u['criterion']}: {u['message']}" for u in result["unmet"])},
                       code="criteria_unmet", fields=[{"field": u["criterion"], "message": u["message"]} for u in result["unmet"]])
    with transaction.atomic():
        old_status, old_kind = zone.status, zone.kind
        if result["lower_to"]:
            _move_to(zone, ZoneStatus.IN_FORCE)
            zone.lowered_from, zone.kind = zone.kind, result["lower_to"]
            zone.status, zone.clock_start, zone.unmet = ZoneStatus.IN_FORCE, now, []
            zone.save(update_fields=["kind", "lowered_from", "status", "clock_start", "unmet", "updated_at"])
            status_sync(zone, actor=actor)
            record_event(zone, "lower", actor, status_from=old_status, kind_from=old_kind, note=note)
            audit.record(actor, "zone.lower", zone, changes={"from": old_kind, "to": zone.kind, "note": note})
        else:
            zone.status, zone.lifted_at, zone.unmet = ZoneStatus.LIFTED, now, []
            zone.save(update_fields=["status", "lifted_at", "unmet", "updated_at"])
            ZoneHousehold.objects.filter(zone=zone, active=True).update(active=False)
            status_sync(zone, actor=actor)
            record_event(zone, "lift", actor, status_from=old_status, note=note)
            audit.record(actor, "zone.lift", zone, changes={"kind": zone.kind, "note": note,
                                                            "days": (now - (zone.in_force_at or now)).days})
    return zone


def zone_positive_found(*, zone: Zone, at: dt.datetime, actor, source: str = "") -> Zone:
    """A new positive among a zone's residents: escalate it or restart its clock, per rule set."""
    _code, zr = zone_rules(zone.ruleset)
    with transaction.atomic():
        zone.positives += 1
        old_status, old_kind = zone.status, zone.kind
        fields = ["positives", "updated_at"]
        if zone.status in ENFORCED:
            what, kind = rules.on_positive(zr, zone.kind)
            if what in ("escalate", "restart"):
                _move_to(zone, ZoneStatus.IN_FORCE)
                zone.kind, zone.status, zone.clock_start, zone.lowered_from = kind, ZoneStatus.IN_FORCE, at, ""
                fields += ["kind", "status", "clock_start", "lowered_from"]
                zone.save(update_fields=fields)
                status_sync(zone, actor=actor)
                record_event(zone, what, actor, status_from=old_status, kind_from=old_kind, note=source)
                audit.record(actor, f"zone.{what}", zone, changes={"from": old_kind, "to": kind, "source": source, "at": at})
                return zone
        zone.save(update_fields=fields)
        record_event(zone, "positive", actor, status_from=old_status, kind_from=old_kind, note=source)
        audit.record(actor, "zone.positive", zone, changes={"source": source, "at": at})
    return zone
