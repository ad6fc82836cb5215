"""Reads of the key-worker register, tests, passes, who is due or overdue today, and the flows through checkpoints."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, pii
from cordon.core.errors import ServiceError
from cordon.keyworkers import rules
from cordon.keyworkers.enums import Category, TestState
from cordon.keyworkers.filters import KeyPassFilter, KeyPersonFilter, PassageFilter
from cordon.keyworkers.models import KeyPass, KeyPerson, Passage, TestRecord


def keyperson_list(*, actor, filters: Mapping | None = None) -> QuerySet[KeyPerson]:
    """Drivers and key workers in the actor's area, newest first."""
    qs = KeyPerson.objects.visible_to(actor, "view").select_related("region").order_by("-created_at", "-id")
    return KeyPersonFilter.apply(filters, qs)


def keyperson_get(*, actor, pk: int, action: str = "view") -> KeyPerson:
    """One entry (404 outside the actor's area)."""
    return access.get_for(actor, KeyPerson.objects.select_related("region"), action, pk=pk)


def card(kp: KeyPerson, *, actor, unmask: bool = False, now: dt.datetime | None = None) -> dict:
    """An entry as shown: name, ID number and phone masked unless an actor allowed to asks (audited)."""
    shown = unmask and access.can(actor, "keyworkers.unmask", kp.region_path)
    if shown:
        audit.record(actor, "keyworker.unmask", kp)
    now = now or clock.now()
    return {"name": kp.name if shown else pii.mask_name(kp.name), "id_number": kp.id_number if shown else pii.mask_id_number(kp.id_number),
            "phone": kp.phone if shown else pii.mask_phone(kp.phone), "unmasked": shown, "state": state_of(kp, now=now)}


def state_of(kp: KeyPerson, *, now: dt.datetime) -> str:
    """positive, overdue, due_today or ok (the city's day)."""
    return rules.test_state(due_at=kp.next_test_due_at, now=now, day_end=clock.day_bounds(clock.day_of(now))[1],
                            is_positive=rules.positive(kp.last_negative_at, kp.last_positive_at))


def tests_of(*, actor, keyperson: KeyPerson) -> QuerySet[TestRecord]:
    """Test results of one entry, newest first."""
    return TestRecord.objects.visible_to(actor, "view").filter(keyperson=keyperson).order_by("-sampled_at", "-id")


def due_list(*, actor, state: str = "", category: str = "", now: dt.datetime | None = None) -> QuerySet[KeyPerson]:
    """Active drivers and key workers whose test is overdue (due before now), due later today (city's day), or who
    tested positive; earliest due first. `state` narrows to one of them ("" = all three)."""
    now = now or clock.now()
    if state and state not in (TestState.OVERDUE, TestState.DUE_TODAY, TestState.POSITIVE):
        raise ServiceError.field("state", _("overdue, due_today or positive"))
    if category and category not in Category.values:
        raise ServiceError.field("category", _("driver or worker"))
    end = clock.day_bounds(clock.day_of(now))[1]
    qs = KeyPerson.objects.visible_to(actor, "view").filter(active=True).select_related("region")
    if category:
        qs = qs.filter(category=category)
    is_positive = Q(last_positive_at__isnull=False) & (Q(last_negative_at__isnull=True) | Q(last_positive_at__gte=F("last_negative_at")))
    chosen = {TestState.OVERDUE: Q(next_test_due_at__lt=now) & ~is_positive,
              TestState.DUE_TODAY: Q(next_test_due_at__gte=now, next_test_due_at__lt=end) & ~is_positive,
              TestState.POSITIVE: is_positive}
    where = chosen[state] if state else (Q(next_test_due_at__lt=end) | is_positive)
    return qs.filter(where).order_by("next_test_due_at", "id")


def due_counts(*, actor, now: dt.datetime | None = None) -> dict:
    """How many are overdue, due later today and positive in the actor's area."""
    now = now or clock.now()
    return {s: due_list(actor=actor, state=s, now=now).count() for s in (TestState.OVERDUE, TestState.DUE_TODAY, TestState.POSITIVE)}


def pass_list(*, actor, filters: Mapping | None = None) -> QuerySet[KeyPass]:
    """Passes in the actor's area, newest first, filtered by KeyPassFilter."""
    qs = KeyPass.objects.visible_to(actor, "view").select_related("keyperson").order_by("-issued_at", "-id")
    return KeyPassFilter.apply(filters, qs)


def pass_get(*, actor, pk: int, action: str = "view") -> KeyPass:
    """One pass (404 outside the actor's area)."""
    return access.get_for(actor, KeyPass.objects.select_related("keyperson", "keyperson__region"), action, pk=pk)


def passes_of(*, actor, keyperson: KeyPerson) -> QuerySet[KeyPass]:
    """Passes of one entry, newest first."""
    return KeyPass.objects.visible_to(actor, "view").filter(keyperson=keyperson).order_by("-issued_at", "-id")


def passage_list(*, actor, filters: Mapping | None = None) -> QuerySet[Passage]:
    """Passages of pass holders at checkpoints in the actor's area, newest first, filtered by PassageFilter."""
    qs = Passage.objects.visible_to(actor, "view").order_by("-at", "-id")
    return PassageFilter.apply(filters, qs)


def flow_rows(*, actor, filters: Mapping | None = None) -> QuerySet:
    """Passages of drivers and key workers counted per checkpoint, city day, category, result and reason (newest day
    first), as a values queryset (rows through `flow_row`)."""
    qs = passage_list(actor=actor, filters=filters).order_by()
    return (qs.annotate(day=TruncDate("at", tzinfo=clock.zone()))
            .values("checkpoint_id", "checkpoint_name", "day", "category", "result", "reason").annotate(n=Count("id"))
            .order_by("-day", "checkpoint_name", "checkpoint_id", "category", "result", "reason"))


def flow_row(row: dict) -> dict:
    """One counted row with its day as a date (SQLite answers a string)."""
    day = row["day"]
    return {**row, "day": day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))}


def flows(*, actor, filters: Mapping | None = None) -> list[dict]:
    """The counted flows as a list (at most 5,000 rows), for the page."""
    return [flow_row(r) for r in flow_rows(actor=actor, filters=filters)[:5000]]


def flow_table(rows: list[dict]) -> list[dict]:
    """The flows as one line per checkpoint and day: drivers and key workers passed and held, passes matching no holder
    held, and the hold reasons."""
    lines: dict[tuple, dict] = {}
    for r in rows:
        key = (r["day"], r["checkpoint_id"])
        line = lines.setdefault(key, {"day": r["day"], "checkpoint_id": r["checkpoint_id"], "checkpoint_name": r["checkpoint_name"],
                                      "driver_passed": 0, "driver_held": 0, "worker_passed": 0, "worker_held": 0,
                                      "unknown_held": 0, "reasons": {}})
        category = r["category"] or "unknown"  # a pass that matched no holder (forged, mistyped)
        line[f"{category}_{'passed' if r['result'] == 'pass' else 'held'}"] += r["n"]
        if r["result"] != "pass":
            line["reasons"][r["reason"]] = line["reasons"].get(r["reason"], 0) + r["n"]
    return list(lines.values())


def pass_counts(*, actor) -> dict:
    """Passes per status in the actor's area."""
    return {r["status"]: r["n"] for r in KeyPass.objects.visible_to(actor, "view").values("status").annotate(n=Count("id"))}


def today_flow(*, actor) -> dict:
    """Today's passages (city day) in the actor's area: passed and held."""
    start, end = clock.day_bounds(clock.today())
    qs = Passage.objects.visible_to(actor, "view").filter(at__gte=start, at__lt=end)
    counts = {r["result"]: r["n"] for r in qs.values("result").annotate(n=Count("id"))}
    return {"passed": counts.get("pass", 0), "held": sum(n for k, n in counts.items() if k != "pass")}
