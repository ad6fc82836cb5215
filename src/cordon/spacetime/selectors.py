"""Reads of cell presence, and the identification of a case's time-space companions.

companions_for_case runs a handful of index range scans and does the interval arithmetic in NumPy:
1. the case's own rows over the lookback (unique index person, start, cell) -> its spans per cell inside
   the window, and its hours per cell over the lookback;
2. per cell the case was in, everybody else's rows overlapping the case's time there (covering index
   cell_id, start, end, person; `start` bounded below by a day since no row is longer) -> the union of
   the overlaps per person and cell;
3. for the people together with the case for more than min_minutes, their rows in that cell over the
   lookback (same index, person IN ...) -> their hours there.
Times travel as epoch seconds computed by the database (no datetime objects per row).
"""

import datetime as dt

import numpy as np
from django.db.models import BigIntegerField, Count, Func, Max, Min, QuerySet, Sum
from django.utils import timezone

from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.spacetime import cells, rules
from cordon.spacetime.models import BatchArea, CellPresence, PresenceBatch

DAY = rules.DAY_S
PAIR_CHUNK = 900  # ids per IN list


class Epoch(Func):
    """Epoch seconds of a datetime column, computed in the database."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="unixepoch(%(expressions)s)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint", **extra)


def _at(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def _iso(epoch: int) -> str:
    return timezone.localtime(_at(epoch)).isoformat(timespec="minutes")


def _rows(qs, *fields) -> np.ndarray:
    data = list(qs.annotate(_s=Epoch("start"), _e=Epoch("end")).values_list(*fields, "_s", "_e"))
    return np.array(data, dtype=np.int64).reshape(-1, len(fields) + 2)


def companions_for_case(*, case, start: dt.datetime, end: dt.datetime, tracing: dict, exclude: set[int]) -> dict[int, dict]:
    """Time-space companions of a case inside [start, end]: {person_id: {"last", "evidence": [...]}} ({} when not identified)."""
    rule = rules.rule_from(tracing)
    if rule is None:
        return {}
    if rule.cell_m != cells.CELL_M:
        raise ServiceError(f"presence data are held in {cells.CELL_M} m cells; the rule set asks for {rule.cell_m} m",
                           code="cell_size")
    s0, e0 = int(start.timestamp()), int(end.timestamp())
    if e0 <= s0:
        return {}
    lb = e0 - rule.lookback_days * DAY
    own = _rows(CellPresence.objects.filter(person_id=case.person_id, start__gte=_at(min(lb, s0) - DAY), start__lt=_at(e0)),
                "cell_id")
    if not len(own):
        return {}
    keep, cs, ce = rules.clip(own[:, 1], own[:, 2], s0, e0)
    if not keep.any():
        return {}
    span_cell, span_s, span_e = _merge(own[keep, 0], cs, ce)
    k_lb, hs, he = rules.clip(own[:, 1], own[:, 2], lb, e0)
    hc, hsec, _, _ = rules.union_seconds(own[k_lb, 0], hs, he)
    case_seconds = dict(zip(hc.tolist(), hsec.tolist(), strict=True))
    skip = np.array(sorted({case.person_id, *exclude}), dtype=np.int64)
    # 2. others in the case's cells while the case was there
    pieces = []
    for cell in np.unique(span_cell).tolist():
        m = span_cell == cell
        ss, se = span_s[m], span_e[m]
        rows = _rows(CellPresence.objects.filter(cell_id=cell, start__gte=_at(int(ss.min()) - DAY), start__lt=_at(int(se.max())),
                                                 end__gt=_at(int(ss.min()))), "person_id")
        if not len(rows):
            continue
        rows = rows[~np.isin(rows[:, 0], skip)]
        p, s, e = rules.intersections(ss, se, rows[:, 0], rows[:, 1], rows[:, 2])
        if len(p):
            pieces.append((p, np.full(len(p), cell, dtype=np.int64), s, e))
    if not pieces:
        return {}
    p = np.concatenate([x[0] for x in pieces])
    c = np.concatenate([x[1] for x in pieces])
    s = np.concatenate([x[2] for x in pieces])
    e = np.concatenate([x[3] for x in pieces])
    keys, together, first, last = rules.union_seconds(p * cells.SIDE * cells.SIDE + c, s, e)
    near = together > rule.min_seconds
    keys, together, first, last = keys[near], together[near], first[near], last[near]
    if not len(keys):
        return {}
    k_person, k_cell = keys // (cells.SIDE * cells.SIDE), keys % (cells.SIDE * cells.SIDE)
    # 3. their own hours in those cells over the lookback
    other_seconds = _hours(k_person, k_cell, lb, e0)
    found: dict[int, dict] = {}
    for i in range(len(keys)):
        pid, cell = int(k_person[i]), int(k_cell[i])
        mine, theirs = case_seconds.get(cell, 0), other_seconds.get((pid, cell), 0)
        if not rules.is_companion(together_seconds=int(together[i]), case_seconds=mine, other_seconds=theirs, rule=rule):
            continue
        item = found.setdefault(pid, {"last": _at(int(last[i])), "evidence": []})
        item["last"] = max(item["last"], _at(int(last[i])))
        item["evidence"].append({
            "rule": "spacetime", "cell": cell, "cell_label": cells.cell_label(cell), "start": _iso(int(first[i])),
            "end": _iso(int(last[i])), "minutes": round(int(together[i]) / 60, 1), "case_hours_14d": round(mine / 3600, 1),
            "other_hours_14d": round(theirs / 3600, 1), "min_minutes": rule.min_minutes, "min_hours": rule.hours,
        })
    return found


def _merge(cell, s, e):
    """Union of intervals per cell: (cell, start, end) arrays of disjoint spans."""
    order = np.lexsort((s, cell))
    cell, s, e = cell[order], s[order], e[order]
    out_c, out_s, out_e = [], [], []
    for c, a, b in zip(cell.tolist(), s.tolist(), e.tolist(), strict=True):
        if out_c and out_c[-1] == c and a <= out_e[-1]:
            out_e[-1] = max(out_e[-1], b)
        else:
            out_c.append(c)
            out_s.append(a)
            out_e.append(b)
    return np.array(out_c, dtype=np.int64), np.array(out_s, dtype=np.int64), np.array(out_e, dtype=np.int64)


def _hours(person: np.ndarray, cell: np.ndarray, lo: int, hi: int) -> dict[tuple[int, int], int]:
    """{(person, cell): seconds in that cell within [lo, hi)} for the given pairs."""
    out: dict[tuple[int, int], int] = {}
    for c in np.unique(cell).tolist():
        people = np.unique(person[cell == c]).tolist()
        for i in range(0, len(people), PAIR_CHUNK):
            rows = _rows(CellPresence.objects.filter(cell_id=c, person_id__in=people[i:i + PAIR_CHUNK], start__gte=_at(lo - DAY),
                                                     start__lt=_at(hi)), "person_id")
            keep, s, e = rules.clip(rows[:, 1], rows[:, 2], lo, hi)
            u, sec, _, _ = rules.union_seconds(rows[keep, 0], s, e)
            out.update({(p, c): v for p, v in zip(u.tolist(), sec.tolist(), strict=True)})
    return out


def companions_naive(*, case, start: dt.datetime, end: dt.datetime, tracing: dict, exclude: set[int]) -> dict[int, dict]:
    """Baseline for the bench: the same rule by a row-by-row scan (ORM objects, pairwise Python loops)."""
    rule = rules.rule_from(tracing)
    if rule is None:
        return {}
    lb = end - dt.timedelta(days=rule.lookback_days)
    mine = list(CellPresence.objects.filter(person_id=case.person_id, start__lt=end, end__gt=min(lb, start)))
    together: dict[tuple[int, int], float] = {}
    last: dict[tuple[int, int], dt.datetime] = {}
    for row in mine:
        a, b = max(row.start, start), min(row.end, end)
        if b <= a:
            continue
        for other in CellPresence.objects.filter(cell_id=row.cell_id, start__lt=b, end__gt=a).exclude(person_id=case.person_id):
            if other.person_id in exclude:
                continue
            x, y = max(a, other.start), min(b, other.end)
            if y > x:
                key = (other.person_id, row.cell_id)
                together[key] = together.get(key, 0) + (y - x).total_seconds()
                last[key] = max(last.get(key, y), y)

    def hours(pid, cell):
        total = 0.0
        for r in CellPresence.objects.filter(person_id=pid, cell_id=cell, start__lt=end, end__gt=lb):
            total += (min(r.end, end) - max(r.start, lb)).total_seconds()
        return total

    found: dict[int, dict] = {}
    for (pid, cell), seconds in together.items():
        if seconds <= rule.min_seconds:
            continue
        if rules.is_companion(together_seconds=seconds, case_seconds=hours(case.person_id, cell),
                              other_seconds=hours(pid, cell), rule=rule):
            found.setdefault(pid, {"last": last[(pid, cell)], "evidence": []})["evidence"].append({"rule": "spacetime", "cell": cell})
    return found


# -- pages and API ---------------------------------------------------------------------------------

def presence_of_person(*, actor, person_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None) -> QuerySet[CellPresence]:
    """A person's presence rows, newest first (the person must be visible to the actor)."""
    from cordon.people import selectors as people_selectors

    person = people_selectors.person_get(actor=actor, pk=person_id)
    qs = CellPresence.objects.visible_to(actor, "view").filter(person_id=person.pk).order_by("-start", "-id")
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs


def batch_list(*, actor, area: str | None = None, source: str | None = None, kind: str | None = None):
    """Presence batches as far as they fall inside the actor's area: one row per batch with the visible counts."""
    qs = BatchArea.objects.visible_to(actor, "view")
    if area:
        qs = qs.filter(region_path__startswith=area)
    if source:
        qs = qs.filter(batch__source__icontains=source)
    if kind:
        qs = qs.filter(batch__kind=kind)
    return (qs.values("batch_id", "batch__source", "batch__kind", "batch__filename", "batch__created_at", "batch__received")
            .annotate(rows=Sum("rows"), people=Sum("people"), areas=Count("id"), first_start=Min("first_start"),
                      last_end=Max("last_end"))
            .order_by("-batch__created_at", "-batch_id"))


def batch_get(*, actor, pk: int) -> dict:
    """One batch with the part of it inside the actor's area (404 when none of it is)."""
    from django.http import Http404

    areas = BatchArea.objects.visible_to(actor, "view").filter(batch_id=pk)
    agg = areas.aggregate(rows=Sum("rows"), people=Sum("people"), n=Count("id"), first_start=Min("first_start"),
                          last_end=Max("last_end"))
    if not agg["n"]:
        raise Http404("not found")
    batch = PresenceBatch.objects.get(pk=pk)
    return {"id": batch.pk, "source": batch.source, "kind": batch.kind, "filename": batch.filename, "created_at": batch.created_at,
            "received": batch.received, "rows": agg["rows"] or 0, "people": agg["people"] or 0, "areas": agg["n"],
            "first_start": agg["first_start"], "last_end": agg["last_end"], "whole": batch.stored == (agg["rows"] or 0)}


def batch_areas(*, actor, pk: int) -> QuerySet[BatchArea]:
    """The grids a batch covers, inside the actor's area."""
    return BatchArea.objects.visible_to(actor, "view").filter(batch_id=pk).order_by("region_path")


def presence_totals(*, actor) -> dict:
    """Rows and people with presence inside the actor's area (for the dashboard)."""
    agg = BatchArea.objects.visible_to(actor, "view").aggregate(rows=Sum("rows"), batches=Count("batch_id", distinct=True))
    return {"rows": agg["rows"] or 0, "batches": agg["batches"] or 0}


def can_load(actor) -> bool:
    """May the actor load presence anywhere?"""
    return access.can(actor, "spacetime.change")
