"""Finding the contacts of a case (no writes): identify() reads the case's own check-ins and interview stays
inside the infectious window, then for each stay fetches the other stays at the same venue through the
checkin_venue_time index with time_in in [in - MAX_DWELL - buffer, out + buffer] and time_out after
in - buffer, and keeps people whose overlap reaches the venue kind's minimum. Household members and
named contacts are close contacts too. Secondary contacts (when the rule set identifies them) are the
close contacts' co-residents and the co-workers who overlapped them at their workplace."""

import datetime as dt
from collections import defaultdict
from itertools import chain

import numpy as np
from django.db import connection

from cordon.cases import rules as case_rules
from cordon.cases.models import Case
from cordon.cases.selectors import case_window
from cordon.contacts import rules
from cordon.contacts.enums import Category
from cordon.core import bulk, clock, policy
from cordon.people.models import Person
from cordon.spacetime.selectors import companions_for_case
from cordon.venues.models import MAX_DWELL_MINUTES, CheckIn, Venue, VenueUnit

MAX_DWELL = dt.timedelta(minutes=MAX_DWELL_MINUTES)
_CELLS = 1 << 20  # the most (close-contact stay x stay) overlaps computed in one block of arrays
WRITTEN = (Category.CLOSE_CONTACT, Category.SECONDARY_CONTACT, Category.SPACETIME_COMPANION)  # what identification proposes
GENERAL_CONTACT = "general_contact"  # counted and listed for a test notice, not a risk person under measures


def _iso(t: dt.datetime) -> str:
    return clock.local(t).isoformat(timespec="minutes")


def _add(found: dict, pid: int, last: dt.datetime, evidence: dict) -> None:
    item = found.setdefault(pid, {"last": last, "evidence": []})
    item["last"] = max(item["last"], last)
    if len(item["evidence"]) < 20:
        item["evidence"].append(evidence)


def _stays_sql(by: str) -> str:
    """Other stays at a venue (or in a unit) in a time range, times as epoch seconds computed by the database
    (no per-row datetime parsing): the indexed range scan of checkin_venue_time / checkin_unit_time."""
    qn = connection.ops.quote_name
    table = qn(CheckIn._meta.db_table)
    where = {"unit": f"{qn('unit_id')} = %s", "venue": f"{qn('venue_id')} = %s",
             "unplaced": f"{qn('venue_id')} = %s AND {qn('unit_id')} IS NULL"}[by]
    return (f"SELECT {qn('person_id')}, {bulk.epoch_sql(connection, qn('time_in'))}, {bulk.epoch_sql(connection, qn('time_out'))} FROM {table} "
            f"WHERE {where} AND {qn('time_in')} >= %s AND {qn('time_in')} <= %s AND {qn('time_out')} > %s")


def _int_array(rows: list[tuple], width: int):
    """Fetched rows of `width` integers as an (n, width) int64 array: half the time of np.array on the tuples."""
    return np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=width * len(rows)).reshape(-1, width)


def _epoch(t: dt.datetime) -> int:
    return int(t.timestamp())


def _from_epoch(s: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(s), dt.UTC)


def _local_minutes(epochs, tz) -> list[str]:
    """`datetime.fromtimestamp(t, tz).isoformat(timespec="minutes")` for an array of epoch seconds, vectorised: the
    zone's offset is read once per hour (per second inside an hour holding an offset change) and NumPy formats.
    Thousands of overlaps share a few hundred start or end minutes, so each minute is formatted once, when that is
    exact: every offset met is whole minutes and no hour met changes offset (a minute's text is then any of its
    seconds'); otherwise each time is formatted."""
    epochs = np.asarray(epochs, dtype=np.int64)
    if not len(epochs):
        return []
    minutes, inverse = np.unique(epochs // 60, return_inverse=True)
    texts, exact = _local_texts(minutes * 60, tz)
    if not exact:
        return _local_texts(epochs, tz)[0]
    return [texts[i] for i in inverse.tolist()]


def _local_texts(epochs, tz) -> tuple[list[str], bool]:
    """_local_minutes of each time, and whether no hour met changes offset and every offset is whole minutes."""
    hours, inverse = np.unique(epochs // 3600, return_inverse=True)
    offsets = np.empty(len(hours), dtype=np.int64)
    suffixes = []
    mixed = set()
    for i, h in enumerate(hours.tolist()):
        first, last = dt.datetime.fromtimestamp(h * 3600, tz), dt.datetime.fromtimestamp(h * 3600 + 3599, tz)
        if first.utcoffset() != last.utcoffset():
            mixed.add(i)
        offsets[i] = int(first.utcoffset().total_seconds())
        suffixes.append(first.isoformat(timespec="minutes")[16:])
    local = np.datetime_as_string((epochs + offsets[inverse]).astype("datetime64[s]"), unit="m").tolist()
    out = [text + suffixes[i] for text, i in zip(local, inverse.tolist(), strict=True)]
    for n in np.flatnonzero(np.isin(inverse, list(mixed))).tolist() if mixed else []:
        out[n] = dt.datetime.fromtimestamp(int(epochs[n]), tz).isoformat(timespec="minutes")
    return out, not mixed and not np.any(offsets % 60)


def _longest(hits, group_cols: list[int], *, seconds_col: int, keep: int = 1):
    """Rows of a hit array reduced to the `keep` longest overlaps (seconds_col) of each group of `group_cols`, in
    (group, longest first) order; only the kept rows are copied (the groups are found on the sorted key columns)."""
    keys = [hits[:, c] for c in group_cols]
    order = np.lexsort((-hits[:, seconds_col], *reversed(keys)))
    starts = np.zeros(len(hits), dtype=bool)
    starts[:1] = True
    for key in keys:
        key = key[order]
        starts[1:] |= key[1:] != key[:-1]
    idx = np.arange(len(hits))
    return hits[order[(idx - np.maximum.accumulate(np.where(starts, idx, 0))) < keep]]


def _evidence(rule: str, venue: Venue, unit: tuple[int, str] | None, seconds: int, lo: str, hi: str, *,
              min_overlap: int, buffer: int) -> dict:
    """One overlap's evidence; lo and hi are the overlap's local start and end (`_local_minutes`)."""
    ev = {"rule": rule, "venue_id": venue.pk, "venue": venue.name, "kind": venue.kind, "start": lo, "end": hi,
          "minutes": round(seconds / 60), "min_overlap": min_overlap, "buffer": buffer}
    if unit:
        ev["unit_id"], ev["unit"] = unit
    return ev


def _overlaps_at(venue: Venue, spans: list[tuple[dt.datetime, dt.datetime]], tracing: dict, *, exclude: set[int],
                 rule: str, unit: tuple[int, str] | None = None, unplaced: bool = False) -> dict[int, dict]:
    """Other people's stays overlapping the case's spans at one venue: {person: {last, evidence}}. With a unit (class,
    room, workshop) only stays in that unit count (and, with `unplaced`, stays at the venue that name no unit: staff
    moving between rooms, visitors whose place is unknown); without one, every stay at the venue. Close spans share
    one indexed range query; overlaps are computed on arrays (contacts.rules.overlap_arrays), the longest per person."""
    buffer_min = case_rules.kind_value(tracing.get("buffer_minutes", {}), venue.kind)
    min_overlap = case_rules.kind_value(tracing.get("min_overlap_minutes", {}), venue.kind)
    buffer = dt.timedelta(minutes=buffer_min)
    queries = [(_stays_sql("unit"), unit[0])] if unit else [(_stays_sql("venue"), venue.pk)]
    if unit and unplaced:
        queries.append((_stays_sql("unplaced"), venue.pk))
    adapt = connection.ops.adapt_datetimefield_value
    parts = []  # arrays of (person, seconds, lo, hi) per span
    with connection.cursor() as cursor:
        # a unit is small (a class, a room): one query over a few days beats one per day
        for a_in, a_out in _runs(spans, dt.timedelta(hours=48 if unit else 6)):
            bounds = [adapt(a_in - MAX_DWELL - buffer), adapt(a_out + buffer), adapt(a_in - buffer)]
            rows = []
            for sql, key in queries:
                cursor.execute(sql, [key, *bounds])
                rows.extend(cursor.fetchall())
            if not rows:
                continue
            arr = _int_array(rows, 3)
            pid, b_in, b_out = arr[:, 0], arr[:, 1], arr[:, 2]
            for s_in, s_out in spans:
                if a_in <= s_in and s_out <= a_out:
                    hit, seconds, lo, hi = rules.overlap_arrays(_epoch(s_in), _epoch(s_out), b_in, b_out,
                                                                buffer_s=buffer_min * 60, min_overlap_s=min_overlap * 60)
                    parts.append(np.stack([pid[hit], seconds[hit], lo[hit], hi[hit]], axis=1))
    out: dict[int, dict] = {}
    if not parts:
        return out
    hits = _longest(np.concatenate(parts), [0], seconds_col=1)
    hits = hits[~np.isin(hits[:, 0], np.fromiter(exclude, dtype=np.int64, count=len(exclude)))]
    starts, ends = _local_minutes(hits[:, 2], clock.zone()), _local_minutes(hits[:, 3], clock.zone())
    minutes = np.rint(hits[:, 1] / 60).astype(np.int64).tolist()  # round(seconds / 60), half to even as `round`
    template = _evidence(rule, venue, unit, 0, "", "", min_overlap=min_overlap, buffer=buffer_min)
    # one row per person: each evidence is a copy of the template with the hit's times (the key order kept); columns,
    # not hits.tolist(): a list per hit would be thousands more objects for the garbage collector to track
    for p, y, x_text, y_text, m in zip(hits[:, 0].tolist(), hits[:, 3].tolist(), starts, ends, minutes, strict=True):
        ev = template.copy()
        ev["start"], ev["end"], ev["minutes"] = x_text, y_text, m
        out[p] = {"last": _from_epoch(y), "evidence": [ev]}
    return out


def _runs(spans: list[tuple[dt.datetime, dt.datetime]], gap: dt.timedelta = dt.timedelta(hours=6)):
    """Spans merged into runs no more than `gap` apart, so close stays share one indexed range query."""
    run = None
    for a, b in sorted(spans):
        if run and a - run[1] <= gap:
            run = (run[0], max(run[1], b))
        else:
            if run:
                yield run
            run = (a, b)
    if run:
        yield run


def _merge(into: dict, found: dict) -> None:
    for pid, item in found.items():
        for ev in item["evidence"]:
            _add(into, pid, item["last"], ev)


def _by_ids(model, columns: list[str], key: str, ids, chunk: int = 900) -> list[tuple]:
    """Rows of `columns` of a model whose `key` column is in ids, in raw chunks of 900 parameters (a Django IN lookup
    prepares every value in Python: tens of milliseconds for the thousands of contacts of one case)."""
    ids = list(ids)
    qn = connection.ops.quote_name
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for i in range(0, len(ids), chunk):
            part = ids[i:i + chunk]
            cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)} "
                           f"WHERE {qn(key)} IN ({', '.join(['%s'] * len(part))})", part)
            out.extend(cursor.fetchall())
    return out


def _unit_names(ids) -> dict[int, str]:
    return dict(_by_ids(VenueUnit, ["id", "name"], "id", ids)) if ids else {}


# long: the case's stays read once into one map, then close and (by rule) secondary contacts from that same map
def identify(case: Case, *, now: dt.datetime | None = None) -> dict[str, dict[int, dict]]:  # noqa: C901 - one branch per contact rule of the rule set in force
    """Close (and, when the rule set says so, secondary) contacts of a case: {category: {person: {last, evidence, via?}}}."""
    now = now or clock.now()
    ruleset = policy.in_force(case.confirmed_at)
    tracing, measures = ruleset.section("tracing"), ruleset.section("measures")
    start, end = case_window(case, tracing)
    exclude = {case.person_id}
    # (venue, unit or None) -> spans; a stay naming its unit narrows the shared space to that unit
    stays: dict[tuple[int, int | None], list] = defaultdict(list)
    transport_venues: set[int] = set()
    for venue_id, unit_id, t_in, t_out in CheckIn.objects.filter(
            person_id=case.person_id, time_in__gte=start - MAX_DWELL, time_in__lt=end, time_out__gt=start,
    ).values_list("venue_id", "unit_id", "time_in", "time_out"):
        span = case_rules.clip(t_in, t_out, start, end)
        if span:
            stays[(venue_id, unit_id)].append(span)
    for venue_id, unit_id, t_in, t_out, kind in case.stays.filter(venue__isnull=False).values_list(
            "venue_id", "unit_id", "time_in", "time_out", "kind"):
        span = case_rules.clip(t_in, t_out, start, end)
        if span and span not in stays[(venue_id, unit_id)]:
            stays[(venue_id, unit_id)].append(span)
        if kind == "transport":
            transport_venues.add(venue_id)
    close: dict[int, dict] = {}
    general: dict[int, dict] = {}
    venues = {v.pk: v for v in Venue.objects.filter(pk__in={v for v, _ in stays})}
    units = _unit_names({u for _, u in stays if u})
    contact_level = tracing.get("venue_contact", {})
    for (venue_id, unit_id), spans in stays.items():
        venue = venues[venue_id]
        rule = "vehicle" if venue.kind == "bus" or venue_id in transport_venues else "venue_overlap"
        unit = (unit_id, units.get(unit_id, "")) if unit_id else None
        # Sharing a large public place makes a general contact; sharing a unit of it, or an enclosed space, a close one.
        level = "close" if unit or rule == "vehicle" else contact_level.get(venue.kind, contact_level.get("default", "close"))
        _merge(close if level == "close" else general,
               _overlaps_at(venue, sorted(spans), tracing, exclude=exclude, rule=rule, unit=unit, unplaced=True))
    person = case.person
    if tracing.get("household_is_close_contact", True) and person.household_id:
        for pid in Person.objects.filter(household_id=person.household_id).exclude(pk=person.pk).values_list("pk", flat=True):
            _add(close, pid, end, {"rule": "household", "household_id": person.household_id, "start": _iso(start), "end": _iso(end)})
    for pid, setting, protection, last in case.named_contacts.values_list("person_id", "setting", "protection", "last_exposure"):
        if start - dt.timedelta(days=1) <= last:
            _add(close, pid, min(last, end), {"rule": "named", "setting": setting, "protection": protection, "end": _iso(last)})
    companions: dict[int, dict] = {}
    if tracing.get("spacetime") and rules.identified("spacetime_companion", measures=measures):
        companions = companions_for_case(case=case, start=start, end=end, tracing=tracing, exclude=exclude | set(close))
    for pid in close:
        general.pop(pid, None)
    is_case = _cases_among([*close, *general, *companions])
    for pid in is_case:
        close.pop(pid, None)
        general.pop(pid, None)
        companions.pop(pid, None)
    out = {Category.CLOSE_CONTACT: close, GENERAL_CONTACT: general}
    if companions:
        out[Category.SPACETIME_COMPANION] = companions
    if tracing.get("identify_secondary_contacts") and rules.identified("secondary_contact", measures=measures) and close:
        # Close contacts are isolated once core tracing is done: their own exposure of others ends then.
        isolated = min(now, end + dt.timedelta(hours=tracing.get("sla_hours", {}).get("core_tracing", 4)))
        out[Category.SECONDARY_CONTACT] = _secondary(close, tracing, exclude=exclude | set(close) | is_case, now=isolated)
    return out


def _cases_among(pids: list[int]) -> set[int]:
    """Which of these people are cases themselves (they are not anyone's contacts)."""
    return {pid for (pid,) in _by_ids(Case, ["person_id"], "person_id", pids)}


def _secondary(close: dict[int, dict], tracing: dict, *, exclude: set[int], now: dt.datetime) -> dict[int, dict]:
    """Co-residents and co-workers of close contacts between their exposure and `now` (their isolation), set-based:
    one query for the households and three for the workplaces (see _workplace_secondary)."""
    sources = set(tracing.get("secondary_from", []))
    found: dict[int, dict] = {}
    rows = _by_ids(Person, ["id", "household_id", "workplace_id"], "id", close)
    if "household" in sources:
        by_household = defaultdict(list)
        for pid, hh, _ in rows:
            if hh:
                by_household[hh].append(pid)
        if by_household:
            end, starts = _iso(now), {}  # each text made once (thousands of co-residents per case)
            for pid, hh in _by_ids(Person, ["id", "household_id"], "household_id", by_household):
                if pid in exclude:
                    continue
                via = by_household[hh][0]
                if via not in starts:
                    starts[via] = _iso(close[via]["last"])
                _add(found, pid, now, {"rule": "household", "via_person": via, "start": starts[via], "end": end})
                found[pid].setdefault("via", via)
    if "workplace" in sources:
        work = {pid: w for pid, _, w in rows if w}
        if work:
            _workplace_secondary(close, work, tracing, exclude=exclude, now=now, found=found)
    return found


def _unit_stays(spaces: dict[tuple[int, int | None], list], buffers: dict[int, int], *, cols: str) -> list[tuple]:
    """Every stay in the units (class, room, team) of `spaces` over each unit's own period (its close contacts'
    stays there, widened by the venue's buffer and the longest dwell): one query per 200 units, a range of the
    checkin_unit_time index per unit, in (unit, time in) order."""
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    term = f"(c.{qn('unit_id')} = %s AND c.{qn('time_in')} >= %s AND c.{qn('time_in')} <= %s AND c.{qn('time_out')} > %s)"
    ranges = []
    for (venue_id, unit_id), items in sorted(spaces.items(), key=lambda kv: kv[0][1] or 0):
        if unit_id is not None:
            buffer = 60 * buffers[venue_id]
            lo, hi = _from_epoch(min(a for _, a, _ in items) - buffer), _from_epoch(max(b for _, _, b in items) + buffer)
            ranges.append([unit_id, adapt(lo - MAX_DWELL), adapt(hi), adapt(lo)])
    out: list[tuple] = []
    order = f"ORDER BY c.{qn('unit_id')}, c.{qn('time_in')}, c.{qn('id')}"
    with connection.cursor() as cursor:
        for i in range(0, len(ranges), 200):
            part = ranges[i:i + 200]
            if connection.vendor == "postgresql":
                # the ranges as a VALUES list joined to the index: PostgreSQL then reads each unit's range from
                # checkin_unit_time alone (an index-only scan per range) where 200 ORed terms make it combine bitmaps
                # and visit the table for every stay
                values = ", ".join(["(%s::integer, %s::timestamptz, %s::timestamptz, %s::timestamptz)"] * len(part))
                cursor.execute(f"SELECT {cols} FROM (VALUES {values}) r (u, a, b, o) JOIN {qn(CheckIn._meta.db_table)} c "
                               f"ON c.{qn('unit_id')} = r.u AND c.{qn('time_in')} >= r.a AND c.{qn('time_in')} <= r.b "
                               f"AND c.{qn('time_out')} > r.o {order}", [v for r in part for v in r])
            else:
                cursor.execute(f"SELECT {cols} FROM {qn(CheckIn._meta.db_table)} c WHERE {' OR '.join([term] * len(part))} "
                               f"{order}", [v for r in part for v in r])
            out.extend(cursor.fetchall())
    return out


def _workplace_stays(*, cols: str, since: dt.datetime, until: dt.datetime, work: dict[int, int] | None = None,
                     venues: list[int] | None = None) -> list[tuple]:
    """Stays at their own workplace in [since, until] of the people of `work` ({person: workplace}), or of the staff
    of `venues` naming no unit there, in (person, time in) order (the order the overlaps meet them in decides
    between equally long ones). The people's stays are read from the checkin_person_time index alone (person and
    venue in the two lists) and each kept only at that person's own workplace here; the staff are found in the
    database (the person row matched to the venue; CROSS JOIN keeps SQLite from scanning every visitor's stay at
    the venues instead), then their stays through the same index."""
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    times = (f"AND c.{qn('time_in')} >= %s AND c.{qn('time_in')} <= %s AND c.{qn('time_out')} > %s "
             f"ORDER BY c.{qn('person_id')}, c.{qn('time_in')}, c.{qn('id')}")
    bounds = [adapt(since - MAX_DWELL), adapt(until), adapt(since)]
    out: list[tuple] = []
    with connection.cursor() as cursor:
        if work is not None:
            people = sorted(work)
            # the venue is the first column of `cols`, the person the third; SQLite's unary + keeps its planner on
            # the person index (on checkin_venue_time it would read every visitor's stay at the workplaces)
            venue = ("+" if connection.vendor == "sqlite" else "") + f"c.{qn('venue_id')}"
            for i in range(0, len(people), 450):  # with their workplaces, at most 900 parameters
                chunk = people[i:i + 450]
                places = sorted({work[p] for p in chunk})
                cursor.execute(
                    f"SELECT {cols} FROM {qn(CheckIn._meta.db_table)} c WHERE c.{qn('person_id')} IN "
                    f"({', '.join(['%s'] * len(chunk))}) AND {venue} IN ({', '.join(['%s'] * len(places))}) {times}",
                    [*chunk, *places, *bounds])
                out.extend(row for row in cursor.fetchall() if work[row[2]] == row[0])
            return out
        ids = sorted(venues)
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            cursor.execute(
                f"SELECT {cols} FROM {qn(Person._meta.db_table)} p CROSS JOIN {qn(CheckIn._meta.db_table)} c "
                f"WHERE p.{qn('id')} = c.{qn('person_id')} AND p.{qn('workplace_id')} = c.{qn('venue_id')} "
                f"AND p.{qn('workplace_id')} IN ({', '.join(['%s'] * len(chunk))}) AND c.{qn('unit_id')} IS NULL {times}",
                [*chunk, *bounds])
            out.extend(cursor.fetchall())
    return out


# long: the spaces, their stays and the NumPy overlap over their arrays; split, the arrays would be passed around for nothing
def _workplace_secondary(close: dict[int, dict], work: dict[int, int], tracing: dict, *, exclude: set[int],
                         now: dt.datetime, found: dict) -> None:
    """Co-workers of close contacts, in three kinds of query whatever their number: the close contacts' own stays
    at their workplace after their exposure; every stay in those units (class, room, team) over each unit's period;
    and, for workplaces without units, their own staff's stays there over its period. Overlaps are computed per
    shared space on arrays."""
    qn = connection.ops.quote_name
    cols = (f"c.{qn('venue_id')}, COALESCE(c.{qn('unit_id')}, -1), c.{qn('person_id')}, "
            f"{bulk.epoch_sql(connection, 'c.' + qn('time_in'))}, {bulk.epoch_sql(connection, 'c.' + qn('time_out'))}")
    last = {p: _epoch(close[p]["last"]) for p in work}
    end = _epoch(now)
    # (venue, unit) -> [(via, in, out)]: each close contact's own stays at their workplace after their exposure
    spaces: dict[tuple[int, int | None], list] = defaultdict(list)
    for venue_id, unit_id, via, t_in, t_out in _workplace_stays(cols=cols, work=work, since=min(close[p]["last"] for p in work), until=now):
        lo, hi = max(t_in, last[via]), min(t_out, end)
        if hi > lo:
            spaces[(venue_id, None if unit_id < 0 else unit_id)].append((via, lo, hi))
    if not spaces:
        return
    venues = {pk: (name, kind) for pk, name, kind in _by_ids(Venue, ["id", "name", "kind"], "id", {v for v, _ in spaces})}
    units = _unit_names({u for _, u in spaces if u})
    buffers = {v: case_rules.kind_value(tracing.get("buffer_minutes", {}), kind) for v, (_, kind) in venues.items()}
    minimum = {v: case_rules.kind_value(tracing.get("min_overlap_minutes", {}), kind) for v, (_, kind) in venues.items()}
    rows = _unit_stays(spaces, buffers, cols=cols)
    plain = [v for v, u in spaces if u is None]
    if plain:
        span_lo = min(a for items in spaces.values() for _, a, _ in items) - 60 * max(buffers.values())
        span_hi = max(b for items in spaces.values() for _, _, b in items) + 60 * max(buffers.values())
        rows += _workplace_stays(cols=cols, venues=plain, since=_from_epoch(span_lo), until=_from_epoch(span_hi))
    if not rows:
        return
    arr = _int_array(rows, 5)
    arr = arr[~np.isin(arr[:, 2], np.fromiter(exclude, dtype=np.int64, count=len(exclude)))]
    key = np.where(arr[:, 1] >= 0, arr[:, 1], -arr[:, 0] - 1)  # a unit id, or minus the venue for staff rows
    order = np.argsort(key, kind="stable")
    arr, key = arr[order], key[order]
    parts = []
    for (venue_id, unit_id), items in spaces.items():
        k = unit_id if unit_id is not None else -venue_id - 1
        a, b = np.searchsorted(key, k), np.searchsorted(key, k, side="right")
        if a == b:
            continue
        pid, b_in, b_out = arr[a:b, 2], arr[a:b, 3], arr[a:b, 4]
        # all the space's close-contact stays against all its stays at once (items x stays, in blocks of at most
        # _CELLS cells); np.nonzero walks the block item by item, stay by stay: the order of one loop per item
        via, s_in, s_out = np.array(items, dtype=np.int64).T[:, :, None]
        step = max(1, _CELLS // (b - a))
        for c in range(0, len(items), step):
            hit, seconds, lo, hi = rules.overlap_arrays(s_in[c:c + step], s_out[c:c + step], b_in, b_out,
                                                        buffer_s=60 * buffers[venue_id], min_overlap_s=60 * minimum[venue_id])
            hit &= pid != via[c:c + step]
            i, j = np.nonzero(hit)
            if len(i):
                parts.append(np.stack([via[c:c + step][i, 0], pid[j], seconds[i, j], lo[i, j], hi[i, j],
                                       np.full(len(i), venue_id), np.full(len(i), -1 if unit_id is None else unit_id)], axis=1))
    if parts:
        # the longest overlap per (close contact, person), then each person's three longest ways in
        _add_workplace(found, _longest(_longest(np.concatenate(parts), [0, 1], seconds_col=2), [1], seconds_col=2, keep=3),
                       venues=venues, units=units, buffers=buffers, minimum=minimum)


def _add_workplace(found: dict, hits, *, venues: dict, units: dict, buffers: dict, minimum: dict) -> None:
    """Workplace hits (via, person, seconds, lo, hi, venue, unit or -1) into `found` with their evidence (venues:
    {id: (name, kind)}): the
    `_evidence` of each hit plus its via_person (same keys, same order), each a copy of its shared space's template
    with the hit's own four values set (a copy keeps the key order and costs a third of a dict display of twelve
    keys), minutes rounded in NumPy (half to even, as `round`), each hit's template and end time found by index,
    and `_add`'s rules inline (thousands of hits per case)."""
    starts, ends = _local_minutes(hits[:, 3], clock.zone()), _local_minutes(hits[:, 4], clock.zone())
    minutes = np.rint(hits[:, 2] / 60).astype(np.int64).tolist()
    stop_epochs, stop_of = np.unique(hits[:, 4], return_inverse=True)
    stops = [_from_epoch(y) for y in stop_epochs.tolist()]
    # a space is its unit (unit ids are unique across venues) or, for staff without one, its venue
    _, first, space_of = np.unique(np.where(hits[:, 6] >= 0, hits[:, 6], -hits[:, 5] - 1), return_index=True, return_inverse=True)
    templates = []
    for venue_id, unit_id in hits[first][:, 5:7].tolist():
        name, kind = venues[venue_id]
        template = {"rule": "workplace", "venue_id": venue_id, "venue": name, "kind": kind, "start": None,
                    "end": None, "minutes": None, "min_overlap": minimum[venue_id], "buffer": buffers[venue_id]}
        if unit_id >= 0:
            template["unit_id"], template["unit"] = unit_id, units.get(unit_id, "")
        template["via_person"] = None
        templates.append(template)
    # columns, not hits.tolist(): a list per hit would be tens of thousands more objects for the garbage collector
    columns = (hits[:, 0].tolist(), hits[:, 1].tolist(), space_of.reshape(-1).tolist(), stop_of.reshape(-1).tolist())
    for via, p, t, y, x_text, y_text, m in zip(*columns, starts, ends, minutes, strict=True):
        ev = templates[t].copy()
        ev["start"], ev["end"], ev["minutes"], ev["via_person"] = x_text, y_text, m, via
        item = found.get(p)
        if item is None:
            found[p] = {"last": stops[y], "evidence": [ev], "via": via}
            continue
        if stops[y] > item["last"]:
            item["last"] = stops[y]
        if len(item["evidence"]) < 20:
            item["evidence"].append(ev)
        item.setdefault("via", via)
