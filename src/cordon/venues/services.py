"""Writes for venues and check-ins: bulk check-in upload (idempotent by Idempotency-Key; a
duplicate scan - same person, venue and entry time - is stored once).

Venue closure orders (3.2): close every venue of some kinds inside an area for a period,
generate a notice per venue, follow compliance with inspections (a venue found open files a
supervision task with command), reopen when the order is lifted or expires, or one venue early.

Venue.is_open mirrors the orders: a venue is closed while any in-force order covers it and its
notice is not reopened. `closures_sync` applies scheduled starts and ends (called by the venues
pages and the demo; cheap: it only looks at orders whose state must change)."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, audit, clock
from cordon.core.errors import ServiceError
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.venues import events
from cordon.venues.models import (
    DEFAULT_DWELL_MINUTES,
    MAX_DWELL_MINUTES,
    CheckIn,
    ClosureNotice,
    ClosureOrder,
    ClosureStatus,
    ComplianceInspection,
    Venue,
    VenueKind,
    VenueUnit,
)

SYSTEM = access.system("venues")  # this module's work that no user clicked

MAX_BATCH = 10_000


def _when(value, *, row: int, field: str, errors: list):
    if isinstance(value, dt.datetime):
        when = value
    else:
        when = parse_datetime(str(value or "").strip()) if value else None
    if when is None:
        errors.append({"row": row, "field": field, "message": _("%(value)r is not a date-time (ISO 8601)") % {"value": value}})
        return None
    if timezone.is_naive(when):
        when = clock.aware(when)
    return when


# long: validate every row, then write all in one statement: the two halves share the checked rows
def checkins_bulk(*, actor, items: list[dict]) -> dict:
    """Store a batch of scans [{person_token|id_number, venue_code, unit?, time_in, time_out?}] all or nothing
    (unit: the name of a class, floor or workshop of that venue)."""
    access.require(actor, "venues.change")
    if not items:
        raise ServiceError.field("items", _("no scans in the batch"))
    if len(items) > MAX_BATCH:
        raise ServiceError.field("items", _("at most %(MAX_BATCH)s scans per batch") % {"MAX_BATCH": MAX_BATCH})
    errors: list[dict] = []
    codes = {str(i.get("venue_code", "")) for i in items}
    venues = {v.code: v for v in Venue.objects.filter(code__in=codes)}
    tokens = {i.get("person_token") for i in items if i.get("person_token")}
    ids = {str(i.get("id_number", "")).upper() for i in items if i.get("id_number")}
    by_token = dict(Person.objects.filter(token__in=tokens).values_list("token", "id"))
    by_idn = dict(Person.objects.filter(id_number__in=ids).values_list("id_number", "id"))
    unit_names = {str(i.get("unit") or "").strip() for i in items} - {""}
    units = {(v, name): pk for pk, v, name in VenueUnit.objects.filter(
        venue__in=venues.values(), name__in=unit_names).values_list("pk", "venue_id", "name")} if unit_names else {}
    now = clock.now()
    rows = []
    for n, item in enumerate(items, start=1):
        before = len(errors)
        venue = venues.get(str(item.get("venue_code", "")))
        if venue is not None and not access.can(actor, "venues.view", venue.region_path):
            venue = None  # another area's venue is as unknown as a code that does not exist
        if venue is None:
            errors.append({"row": n, "field": "venue_code", "message": _("unknown venue code %(code)r") % {"code": item.get("venue_code")}})
        elif not access.can(actor, "venues.change", venue.region_path):
            errors.append({"row": n, "field": "venue_code", "message": _("venue outside your area")})
        pid = by_token.get(item.get("person_token")) if item.get("person_token") else by_idn.get(str(item.get("id_number", "")).upper())
        if pid is None:
            errors.append({"row": n, "field": "person_token" if item.get("person_token") else "id_number", "message": _("unknown person")})
        t_in = _when(item.get("time_in"), row=n, field="time_in", errors=errors)
        t_out = _when(item.get("time_out"), row=n, field="time_out", errors=errors) if item.get("time_out") else None
        if t_in and t_in > now + dt.timedelta(minutes=5):
            errors.append({"row": n, "field": "time_in", "message": _("is in the future")})
        if t_in and t_out and t_out < t_in:
            errors.append({"row": n, "field": "time_out", "message": _("is before time_in")})
        if t_in and t_out and (t_out - t_in) > dt.timedelta(minutes=MAX_DWELL_MINUTES):
            errors.append({"row": n, "field": "time_out", "message": _("stay longer than %(minutes)s minutes") % {"minutes": MAX_DWELL_MINUTES}})
        unit_name = str(item.get("unit") or "").strip()
        unit_id = units.get((venue.pk, unit_name)) if venue is not None and unit_name else None
        if venue is not None and unit_name and unit_id is None:
            errors.append({"row": n, "field": "unit", "message": _("%(unit)r is not a unit of venue %(venue)s") % {
                "unit": unit_name, "venue": venue.code}})
        if len(errors) == before:
            estimated = t_out is None
            if estimated:
                t_out = t_in + dt.timedelta(minutes=DEFAULT_DWELL_MINUTES.get(venue.kind, 60))
            rows.append((pid, venue.pk, t_in, t_out, estimated, unit_id))
    if errors:
        raise ServiceError(_("%(len_errors)s problem(s); nothing stored. First: row %(row)s, %(field)s: %(message)s") % {"len_errors": len(errors), "row": errors[0]['row'], "field": errors[0]['field'], "message": errors[0]['message']}, code="batch_invalid", fields=errors)
    with transaction.atomic():
        keys = {(r[0], r[1], r[2]) for r in rows}
        existing = set(CheckIn.objects.filter(person_id__in={r[0] for r in rows}, venue_id__in={r[1] for r in rows},
                                              time_in__in={r[2] for r in rows}).values_list("person_id", "venue_id", "time_in"))
        fresh = [CheckIn(person_id=p, venue_id=v, time_in=i, time_out=o, estimated=e, unit_id=u)
                 for (p, v, i, o, e, u) in rows if (p, v, i) not in existing]
        unique_fresh = {(c.person_id, c.venue_id, c.time_in): c for c in fresh}
        CheckIn.objects.bulk_create(list(unique_fresh.values()), batch_size=2000)
        audit.record(actor, "checkins.bulk", object_type="venues.checkin",
                     changes={"received": len(items), "stored": len(unique_fresh), "duplicates": len(keys) - len(unique_fresh)})
    return {"received": len(items), "stored": len(unique_fresh), "duplicates": len(items) - len(unique_fresh)}


# Closure orders

FOUND_OPEN_TASK_HOURS = 24


def _notice_text(order: ClosureOrder, venue: Venue) -> str:
    until = clock.local(order.ends_at).strftime("%Y-%m-%d %H:%M") if order.ends_at else "另行通知 (until further notice)"
    return (f"【停业通知 {order.number}】{venue.name}（{venue.address or venue.region.name}）：根据疫情防控需要，"
            f"自 {clock.local(order.starts_at):%Y-%m-%d %H:%M} 起至 {until} 暂停营业。事由：{order.reason or order.title}。"
            f" Closure notice {order.number}: {venue.name} must stay closed from "
            f"{clock.local(order.starts_at):%Y-%m-%d %H:%M} until {until}.")


def _close(venue_ids) -> int:
    return Venue.objects.filter(pk__in=list(venue_ids), is_open=True).update(is_open=False)


def _reopen(venue_ids) -> tuple[int, dict[int, str]]:
    """Open venues no other in-force order still holds closed and no risk zone keeps closed (one covering the venue, or
    of a neighbour level within the rule set's distance or in the same community: venues.events.REOPEN_BLOCKER).
    Returns how many opened and {venue id: the zone that kept it closed}."""
    venue_ids = list(venue_ids)
    still = set(ClosureNotice.objects.filter(venue_id__in=venue_ids, reopened_at__isnull=True,
                                             order__status=ClosureStatus.IN_FORCE).values_list("venue_id", flat=True))
    kept = {}
    for venue in Venue.objects.filter(pk__in=[v for v in venue_ids if v not in still], is_open=False).select_related("region"):
        risk = events.REOPEN_BLOCKER.ask(venue=venue, on=None)
        if risk:
            kept[venue.pk] = events.zone_text(risk)
    opened = Venue.objects.filter(pk__in=[v for v in venue_ids if v not in still and v not in kept], is_open=False).update(is_open=True)
    return opened, kept


def closure_issue(*, actor, title: str, kinds: list[str], area: Region | None, starts_at: dt.datetime | None,
                  ends_at: dt.datetime | None = None, reason: str = "") -> ClosureOrder:
    """Order every venue of the given kinds inside an area closed for a period; one notice per venue."""
    access.require(actor, "venues.change")  # a read-only role may not issue orders anywhere (403)
    errors = []
    if not (title or "").strip():
        errors.append({"field": "title", "message": _("is required")})
    kinds = sorted({k for k in (kinds or []) if k})
    unknown = [k for k in kinds if k not in VenueKind.values]
    if not kinds:
        errors.append({"field": "kinds", "message": _("choose at least one venue kind")})
    elif unknown:
        errors.append({"field": "kinds", "message": _("unknown venue kind(s): %(kinds)s") % {"kinds": ", ".join(unknown)}})
    if area is None:
        errors.append({"field": "area", "message": _("is required")})
    if starts_at is None:
        errors.append({"field": "starts_at", "message": _("is required")})
    elif ends_at is not None and ends_at <= starts_at:
        errors.append({"field": "ends_at", "message": _("must be after the start")})
    if errors:
        raise ServiceError("; ".join(f"{e['field']}: {e['message']}" for e in errors), fields=errors)
    if not access.can(actor, "venues.change", area.path):
        raise ServiceError.field("area", _("outside your area"), code="forbidden")
    now = clock.now()
    with transaction.atomic():
        order = ClosureOrder.objects.create(
            number=f"TY{clock.local(now):%y%m%d}{secrets.token_hex(3).upper()}", title=title.strip(), kinds=kinds, area=area,
            region_path=area.path, reason=(reason or "").strip(), starts_at=starts_at, ends_at=ends_at,
            status=ClosureStatus.IN_FORCE if starts_at <= now else ClosureStatus.SCHEDULED,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None)
        venues = list(Venue.objects.filter(kind__in=kinds).filter(region_path__startswith=area.path + ".")
                      .select_related("region")) + list(Venue.objects.filter(kind__in=kinds, region_path=area.path).select_related("region"))
        ClosureNotice.objects.bulk_create([ClosureNotice(order=order, venue=v, region_path=v.region_path, text=_notice_text(order, v),
                                                         issued_at=now) for v in venues], batch_size=1000)
        closed = _close(v.pk for v in venues) if order.status == ClosureStatus.IN_FORCE else 0
        audit.record(actor, "closure.issue", order, changes={"kinds": kinds, "area": area.path, "venues": len(venues),
                                                             "closed_now": closed, "starts_at": starts_at, "ends_at": ends_at})
    return order


def closures_sync(*, now: dt.datetime | None = None) -> dict:
    """Put scheduled orders in force and expire ended ones, closing and reopening their venues."""
    now = now or clock.now()
    started = ended = 0
    with transaction.atomic():
        for order in ClosureOrder.objects.select_for_update().filter(status=ClosureStatus.SCHEDULED, starts_at__lte=now):
            order.status = ClosureStatus.IN_FORCE
            order.save(update_fields=["status"])
            _close(order.notices.filter(reopened_at__isnull=True).values_list("venue_id", flat=True))
            audit.record(SYSTEM, "closure.start", order)
            started += 1
        for order in ClosureOrder.objects.select_for_update().filter(status__in=[ClosureStatus.IN_FORCE, ClosureStatus.SCHEDULED],
                                                                     ends_at__lte=now):
            order.status = ClosureStatus.EXPIRED
            order.save(update_fields=["status"])
            _opened, kept = _reopen(list(order.notices.values_list("venue_id", flat=True)))
            audit.record(SYSTEM, "closure.expire", order, changes={"kept_closed": kept} if kept else None)
            ended += 1
    return {"started": started, "ended": ended}


def closure_lift(*, actor, order: ClosureOrder, note: str = "") -> ClosureOrder:
    """Lift an order: its venues reopen unless another order in force still covers them."""
    access.require(actor, "venues.change", order.region_path)
    if order.status in (ClosureStatus.LIFTED, ClosureStatus.EXPIRED):
        raise ServiceError.field("status", _("the order has ended already"), code="closed")
    with transaction.atomic():
        order.status, order.lifted_at, order.lift_note = ClosureStatus.LIFTED, clock.now(), (note or "").strip()[:200]
        order.save(update_fields=["status", "lifted_at", "lift_note"])
        venue_ids = list(order.notices.values_list("venue_id", flat=True))
        reopened, kept = _reopen(venue_ids)
        for vid in venue_ids:
            command_services.task_close_by_source(actor=SYSTEM, source=f"venues.closure:{order.pk}:venue:{vid}", result="order lifted")
        audit.record(actor, "closure.lift", order, changes={"reopened": reopened, "note": order.lift_note,
                                                            **({"kept_closed": kept} if kept else {})})
    return order


def closure_reopen_venue(*, actor, notice: ClosureNotice, note: str = "") -> ClosureNotice:
    """Let one venue reopen before its order ends (e.g. essential service, conditions met)."""
    access.require(actor, "venues.change", notice.region_path)
    if notice.reopened_at:
        raise ServiceError.field("venue", _("already reopened"), code="closed")
    if not (note or "").strip():
        raise ServiceError.field("note", _("say why the venue may reopen"))
    risk = events.REOPEN_BLOCKER.ask(venue=notice.venue, on=None)
    if risk:
        raise ServiceError.field("venue", _("may not reopen: %(zone)s") % {"zone": events.zone_text(risk)}, code="risk_zone")
    with transaction.atomic():
        notice.reopened_at, notice.reopen_note = clock.now(), note.strip()[:200]
        notice.save(update_fields=["reopened_at", "reopen_note"])
        _reopen([notice.venue_id])
        audit.record(actor, "closure.reopen_venue", notice, changes={"order": notice.order_id, "venue": notice.venue_id, "note": notice.reopen_note})
    return notice


def compliance_inspect(*, actor, notice: ClosureNotice, found_open: bool, note: str = "", at: dt.datetime | None = None) -> ComplianceInspection:
    """Record a compliance visit; a venue found open files a venues.found_open supervision task, a closed one closes it."""
    access.require(actor, "venues.change", notice.region_path)
    order = notice.order
    if order.status != ClosureStatus.IN_FORCE:
        raise ServiceError.field("order", _("the order is not in force"))
    if notice.reopened_at:
        raise ServiceError.field("venue", _("this venue was allowed to reopen"))
    at = at or clock.now()
    if at > clock.now() + dt.timedelta(minutes=5):
        raise ServiceError.field("at", _("is in the future"))
    source = f"venues.closure:{order.pk}:venue:{notice.venue_id}"
    task_actor = actor if access.can(actor, "command.change", notice.region_path) else None
    with transaction.atomic():
        insp = ComplianceInspection.objects.create(order=order, venue=notice.venue, region_path=notice.region_path, at=at,
                                                   found_open=bool(found_open), note=(note or "").strip()[:200],
                                                   inspector=actor if getattr(actor, "is_authenticated", False) else None)
        if found_open:
            task = command_services.task_create(
                actor=task_actor, title=f"场所违规营业：{notice.venue.name}（{order.number}）", kind="venues.found_open",
                region_path=notice.region_path, deadline=at + dt.timedelta(hours=FOUND_OPEN_TASK_HOURS), owner_role="street_officer",
                priority=2, detail=f"{notice.venue.name} found open during closure order {order.number}. {insp.note}", source=source)
            insp.task_id = task.pk
            insp.save(update_fields=["task_id"])
        else:
            command_services.task_close_by_source(actor=SYSTEM, source=source, result="found closed at re-inspection")
        audit.record(actor, "closure.inspect", insp, changes={"order": order.pk, "venue": notice.venue_id, "found_open": bool(found_open)})
    return insp
