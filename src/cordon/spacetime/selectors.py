"""Reads of cell presence, and the identification of a case's time-space companions.

companions_for_case is three kinds of set-based statements with the interval arithmetic done by the
database (epoch seconds, no datetime object per row) and NumPy:
1. the case's own rows over the lookback (unique index person, start, cell) -> its spans per cell inside
   the window (merged, so disjoint) and its hours per cell over the lookback (union of its rows);
2. one statement joining those spans (a VALUES list) to everybody else's rows in the same cell that
   overlap them (covering index cell_id, start, end, person; `start` bounded below by a day because no
   stored row is longer), summing the shared seconds per person and cell and keeping those above
   min_minutes (HAVING);
3. per cell, the hours of those people in that cell over the lookback, summed in the database.
Rows of one person are assumed not to overlap inside one cell (the loader splits and de-duplicates on
(person, start, cell)); two sources reporting the same stay with different starts would count twice.
"""

import datetime as dt
from collections.abc import Mapping

import numpy as np
from django.db import connection
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from cordon.core import access, bulk, clock
from cordon.core.errors import ServiceError
from cordon.people import selectors as people_selectors
from cordon.spacetime import cells, rules
from cordon.spacetime.filters import BatchFilter
from cordon.spacetime.models import BatchArea, CellPresence, PresenceBatch

DAY = rules.DAY_S
PAIR_CHUNK = 10_000  # ids per IN list (SQLite >= 3.32 allows 32,766 parameters, PostgreSQL 65,535)


def _at(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def _iso(epoch: int) -> str:
    return clock.local(_at(epoch)).isoformat(timespec="minutes")


def _isos(epochs) -> list[str]:
    """Local ISO times to the minute for many epoch seconds (vectorised when the UTC offset is one over the span)."""
    epochs = np.asarray(epochs, dtype=np.int64)
    if not len(epochs):
        return []
    tz = clock.zone()
    off = {dt.datetime.fromtimestamp(int(x), tz).utcoffset() for x in (epochs.min(), epochs.max())}
    if len(off) != 1:
        return [_iso(x) for x in epochs.tolist()]
    offset = off.pop()
    seconds = int(offset.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    suffix = f"{sign}{abs(seconds) // 3600:02d}:{abs(seconds) % 3600 // 60:02d}"
    local = (epochs + seconds).astype("datetime64[s]").astype("datetime64[m]").astype(str)
    return [f"{x}{suffix}" for x in local.tolist()]


class _Sql:
    """The few vendor differences of the identification queries (epoch seconds, scalar min/max, typed params)."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        qn = connection.ops.quote_name
        self.table = qn(CellPresence._meta.db_table)
        self.start, self.end = qn("start"), qn("end")
        self.least, self.greatest = ("LEAST", "GREATEST") if self.pg else ("MIN", "MAX")
        self.ts = "%s::timestamptz" if self.pg else "%s"
        self.int = "%s::bigint" if self.pg else "%s"

    def sum(self, expr: str) -> str:
        """SUM of per-row seconds (each below a day): int4 on PostgreSQL sums to bigint, not numeric."""
        return f"SUM(({expr})::int)" if self.pg else f"SUM({expr})"

    def epoch(self, col: str) -> str:
        return bulk.epoch_sql(connection, col)

    @staticmethod
    def at(epoch: int):
        return connection.ops.adapt_datetimefield_value(_at(epoch))

    def fetch(self, sql: str, params) -> np.ndarray:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return np.array(cursor.fetchall(), dtype=np.int64)


# long: one vectorised pass over a case's cells and hours (NumPy); split, the arrays would be passed around for nothing
def companions_for_case(*, case, start: dt.datetime, end: dt.datetime, tracing: dict, exclude: set[int],
                        other_hours: bool = True) -> dict[int, dict]:
    """Time-space companions of a case inside [start, end]: {person_id: {"last", "evidence": [...]}} ({} when not identified).

    other_hours=False reads the other people's hours only in cells where the case's own hours do not
    already decide (faster; their evidence then says other_hours_14d None)."""
    rule = rules.rule_from(tracing)
    if rule is None:
        return {}
    if rule.cell_m != cells.CELL_M:
        raise ServiceError(_("presence data are held in %(CELL_M)s m cells; the rule set asks for %(cell_m)s m") % {"CELL_M": cells.CELL_M, "cell_m": rule.cell_m},
                           code="cell_size")
    s0, e0 = int(start.timestamp()), int(end.timestamp())
    if e0 <= s0:
        return {}
    q = _Sql()
    lb = e0 - rule.lookback_days * DAY
    # 1. the case's own rows over the lookback
    own = q.fetch(f"SELECT cell_id, {q.epoch(q.start)}, {q.epoch(q.end)} FROM {q.table} "
                  f"WHERE person_id = %s AND {q.start} >= {q.ts} AND {q.start} < {q.ts}",
                  [case.person_id, q.at(min(lb, s0) - DAY), q.at(e0)])
    if not len(own):
        return {}
    keep, cs, ce = rules.clip(own[:, 1], own[:, 2], s0, e0)
    if not keep.any():
        return {}
    span_cell, span_s, span_e = _merge(own[keep, 0], cs, ce)
    k_lb, hs, he = rules.clip(own[:, 1], own[:, 2], lb, e0)
    hc, hsec, _unused, _unused = rules.union_seconds(own[k_lb, 0], hs, he)
    case_seconds = dict(zip(hc.tolist(), hsec.tolist(), strict=True))
    skip = {case.person_id, *exclude}
    # 2. everybody else in those cells while the case was there, summed per person and cell in the database
    ps, pe = q.epoch("p." + q.start), q.epoch("p." + q.end)
    lo_x, hi_x = f"{q.greatest}({ps}, sp.s)", f"{q.least}({pe}, sp.e)"
    values, params = [], []
    for c, a, b in zip(span_cell.tolist(), span_s.tolist(), span_e.tolist(), strict=True):
        values.append(f"({q.int}, {q.int}, {q.int}, {q.ts}, {q.ts}, {q.ts})")
        params += [c, a, b, q.at(a - DAY), q.at(a), q.at(b)]
    sql = (f"WITH sp(cell, s, e, lo_at, s_at, e_at) AS (VALUES {', '.join(values)}) "
           f"SELECT p.person_id, p.cell_id, {q.sum(f'{hi_x} - {lo_x}')}, MIN({lo_x}), MAX({hi_x}) "
           f"FROM sp JOIN {q.table} p ON p.cell_id = sp.cell AND p.{q.start} >= sp.lo_at AND p.{q.start} < sp.e_at "
           f"AND p.{q.end} > sp.s_at WHERE p.person_id <> {q.int} "
           f"GROUP BY p.person_id, p.cell_id HAVING {q.sum(f'{hi_x} - {lo_x}')} > {q.int}")
    near = q.fetch(sql, [*params, case.person_id, int(rule.min_seconds)]).reshape(-1, 5)
    if skip and len(near):
        near = near[~np.isin(near[:, 0], np.array(sorted(skip), dtype=np.int64))]
    if not len(near):
        return {}
    # 3. their own hours in those cells over the lookback
    if not other_hours:
        decided = np.array([case_seconds.get(c, 0) > rule.hours_seconds for c in near[:, 1].tolist()], dtype=bool)
        other_seconds = _hours(q, near[~decided, 0], near[~decided, 1], lb, e0)
    else:
        other_seconds = _hours(q, near[:, 0], near[:, 1], lb, e0)
    # the rule (rules.is_companion), vectorised over the pairs; evidence built only for the companions
    mine = np.array([case_seconds.get(c, 0) for c in near[:, 1].tolist()], dtype=np.int64)
    known = np.array([(p, c) in other_seconds for p, c in near[:, :2].tolist()], dtype=bool)
    theirs = np.array([other_seconds.get((p, c), 0) for p, c in near[:, :2].tolist()], dtype=np.int64)
    hit = (near[:, 2] > rule.min_seconds) & (np.maximum(mine, theirs) > rule.hours_seconds)
    near, mine, theirs, known = near[hit], mine[hit], theirs[hit], known[hit]
    known |= other_hours | (mine <= rule.hours_seconds)  # not read only where the case's hours decided
    cell_labels = {c: cells.cell_label(c) for c in np.unique(near[:, 1]).tolist()}
    found: dict[int, dict] = {}
    for (pid, cell, together, _first, last), s_iso, e_iso, m, o, k in zip(
            near.tolist(), _isos(near[:, 3]), _isos(near[:, 4]), mine.tolist(), theirs.tolist(), known.tolist(), strict=True):
        item = found.get(pid)
        if item is None:
            item = found[pid] = {"last": last, "evidence": []}
        elif last > item["last"]:
            item["last"] = last
        item["evidence"].append({
            "rule": "spacetime", "cell": cell, "cell_label": cell_labels[cell], "start": s_iso, "end": e_iso,
            "minutes": round(together / 60, 1), "case_hours_14d": round(m / 3600, 1),
            "other_hours_14d": round(o / 3600, 1) if k else None, "min_minutes": rule.min_minutes, "min_hours": rule.hours,
        })
    for item in found.values():
        item["last"] = _at(item["last"])
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


def _hours(q: _Sql, person: np.ndarray, cell: np.ndarray, lo: int, hi: int) -> dict[tuple[int, int], int]:
    """{(person, cell): seconds in that cell within [lo, hi)} for the given pairs, summed in the database: one range
    scan of the cell's covering index per cell (narrowed by an IN list when the people fit in one)."""
    ps, pe = q.epoch(q.start), q.epoch(q.end)
    # rows never cross local midnight, so none starting before the midnight before `lo` reaches it
    first = _local_midnight(lo)
    out: dict[tuple[int, int], int] = {}
    for c in np.unique(cell).tolist():
        people = np.unique(person[cell == c])
        sql = (f"SELECT person_id, {q.sum(f'{q.least}({pe}, {q.int}) - {q.greatest}({ps}, {q.int})')} FROM {q.table} "
               f"WHERE cell_id = {q.int} AND {q.start} >= {q.ts} AND {q.start} < {q.ts} AND {q.end} > {q.ts}")
        params = [hi, lo, c, q.at(first), q.at(hi), q.at(lo)]
        if len(people) <= PAIR_CHUNK:
            sql += f" AND person_id IN ({', '.join([q.int] * len(people))})"
            params += people.tolist()
        rows = q.fetch(sql + " GROUP BY person_id", params).reshape(-1, 2)
        if len(people) > PAIR_CHUNK:
            rows = rows[np.isin(rows[:, 0], people)]
        out.update({(p, c): v for p, v in rows.tolist()})
    return out


def _local_midnight(epoch: int) -> int:
    local = clock.local(_at(epoch))
    return int(local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())


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
    person = people_selectors.person_get(actor=actor, pk=person_id)
    qs = CellPresence.objects.visible_to(actor, "view").filter(person_id=person.pk).order_by("-start", "-id")
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs


def batch_list(*, actor, filters: Mapping | None = None):
    """Presence batches as far as they fall inside the actor's area: one row per batch with the visible counts,
    filtered by BatchFilter (area, source, kind)."""
    qs = BatchFilter.apply(filters, BatchArea.objects.visible_to(actor, "view"))
    return (qs.values("batch_id", "batch__source", "batch__kind", "batch__filename", "batch__created_at", "batch__received")
            .annotate(rows=Sum("rows"), people=Sum("people"), areas=Count("id"), first_start=Min("first_start"),
                      last_end=Max("last_end"))
            .order_by("-batch__created_at", "-batch_id"))


def batch_get(*, actor, pk: int) -> dict:
    """One batch with the part of it inside the actor's area (404 when none of it is)."""
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
