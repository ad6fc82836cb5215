"""Writes for venues and check-ins: bulk check-in upload (idempotent by Idempotency-Key; a
duplicate scan - same person, venue and entry time - is stored once)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cordon.core import access, audit
from cordon.core.errors import ServiceError
from cordon.people.models import Person
from cordon.venues.models import DEFAULT_DWELL_MINUTES, MAX_DWELL_MINUTES, CheckIn, Venue

MAX_BATCH = 10_000


def _when(value, *, row: int, field: str, errors: list):
    if isinstance(value, dt.datetime):
        when = value
    else:
        when = parse_datetime(str(value or "").strip()) if value else None
    if when is None:
        errors.append({"row": row, "field": field, "message": f"{value!r} is not a date-time (ISO 8601)"})
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def checkins_bulk(*, actor, items: list[dict]) -> dict:
    """Store a batch of scans [{person_token|id_number, venue_code, time_in, time_out?}] all or nothing."""
    access.require(actor, "venues.change")
    if not items:
        raise ServiceError.field("items", "no scans in the batch")
    if len(items) > MAX_BATCH:
        raise ServiceError.field("items", f"at most {MAX_BATCH} scans per batch")
    errors: list[dict] = []
    codes = {str(i.get("venue_code", "")) for i in items}
    venues = {v.code: v for v in Venue.objects.filter(code__in=codes)}
    tokens = {i.get("person_token") for i in items if i.get("person_token")}
    ids = {str(i.get("id_number", "")).upper() for i in items if i.get("id_number")}
    by_token = dict(Person.objects.filter(token__in=tokens).values_list("token", "id"))
    by_idn = dict(Person.objects.filter(id_number__in=ids).values_list("id_number", "id"))
    now = timezone.now()
    rows = []
    for n, item in enumerate(items, start=1):
        before = len(errors)
        venue = venues.get(str(item.get("venue_code", "")))
        if venue is None:
            errors.append({"row": n, "field": "venue_code", "message": f"unknown venue code {item.get('venue_code')!r}"})
        elif not access.can(actor, "venues.change", venue.region_path):
            errors.append({"row": n, "field": "venue_code", "message": "venue outside your area"})
        pid = by_token.get(item.get("person_token")) if item.get("person_token") else by_idn.get(str(item.get("id_number", "")).upper())
        if pid is None:
            errors.append({"row": n, "field": "person_token" if item.get("person_token") else "id_number", "message": "unknown person"})
        t_in = _when(item.get("time_in"), row=n, field="time_in", errors=errors)
        t_out = _when(item.get("time_out"), row=n, field="time_out", errors=errors) if item.get("time_out") else None
        if t_in and t_in > now + dt.timedelta(minutes=5):
            errors.append({"row": n, "field": "time_in", "message": "is in the future"})
        if t_in and t_out and t_out < t_in:
            errors.append({"row": n, "field": "time_out", "message": "is before time_in"})
        if t_in and t_out and (t_out - t_in) > dt.timedelta(minutes=MAX_DWELL_MINUTES):
            errors.append({"row": n, "field": "time_out", "message": f"stay longer than {MAX_DWELL_MINUTES} minutes"})
        if len(errors) == before:
            estimated = t_out is None
            if estimated:
                t_out = t_in + dt.timedelta(minutes=DEFAULT_DWELL_MINUTES.get(venue.kind, 60))
            rows.append((pid, venue.pk, t_in, t_out, estimated))
    if errors:
        raise ServiceError(f"{len(errors)} problem(s); nothing stored. First: row {errors[0]['row']}, {errors[0]['field']}: "
                           f"{errors[0]['message']}", code="batch_invalid", fields=errors)
    with transaction.atomic():
        keys = {(r[0], r[1], r[2]) for r in rows}
        existing = set(CheckIn.objects.filter(person_id__in={r[0] for r in rows}, venue_id__in={r[1] for r in rows},
                                              time_in__in={r[2] for r in rows}).values_list("person_id", "venue_id", "time_in"))
        fresh = [CheckIn(person_id=p, venue_id=v, time_in=i, time_out=o, estimated=e)
                 for (p, v, i, o, e) in rows if (p, v, i) not in existing]
        unique_fresh = {(c.person_id, c.venue_id, c.time_in): c for c in fresh}
        CheckIn.objects.bulk_create(list(unique_fresh.values()), batch_size=2000)
        audit.record(actor, "checkins.bulk", object_type="venues.checkin",
                     changes={"received": len(items), "stored": len(unique_fresh), "duplicates": len(keys) - len(unique_fresh)})
    return {"received": len(items), "stored": len(unique_fresh), "duplicates": len(items) - len(unique_fresh)}
