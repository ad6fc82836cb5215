"""Writes for risk persons: automatic identification from a case, tracer decisions, manual entries,
measure plans (rule-set phases dated from the last exposure), their daily advance and release.

Identification (contacts_identify) reads the case's own check-ins and interview stays inside the
infectious window, then for each stay fetches the other stays at the same venue through the
checkin_venue_time index with time_in in [in - MAX_DWELL - buffer, out + buffer] and time_out after
in - buffer, and keeps people whose overlap reaches the venue kind's minimum. Household members and
named contacts are close contacts too. Secondary contacts (when the rule set identifies them) are the
close contacts' co-residents and the co-workers who overlapped them at their workplace. It writes
proposals with evidence; nothing changes anyone's colour until a tracer confirms."""

import datetime as dt
from collections import defaultdict

from django.db import transaction

from cordon.cases import rules as case_rules
from cordon.cases.models import Case
from cordon.cases.selectors import case_window
from cordon.contacts import events, rules
from cordon.contacts.enums import OPEN_STATUSES, Category, RiskStatus
from cordon.contacts.models import RiskPerson
from cordon.core import access, audit, bulk, clock, exports, policy
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.people.models import Person
from cordon.status import services as status_services
from cordon.venues.models import MAX_DWELL_MINUTES, CheckIn, Venue

MAX_DWELL = dt.timedelta(minutes=MAX_DWELL_MINUTES)
WRITTEN = (Category.CLOSE_CONTACT, Category.SECONDARY_CONTACT, Category.SPACETIME_COMPANION)  # what identification proposes
GENERAL_CONTACT = "general_contact"  # counted and listed for a test notice, not a risk person under measures
CATEGORY_REASONS = {"close_contact", "secondary_contact", "spacetime_companion", "high_risk_arrival", "medium_risk_arrival"}


def _iso(t: dt.datetime) -> str:
    return clock.local(t).isoformat(timespec="minutes")


def _add(found: dict, pid: int, last: dt.datetime, evidence: dict) -> None:
    item = found.setdefault(pid, {"last": last, "evidence": []})
    item["last"] = max(item["last"], last)
    if len(item["evidence"]) < 20:
        item["evidence"].append(evidence)


def _epoch_sql(connection) -> str:
    """A format string turning a date-time column into epoch seconds in the database (no per-row parsing in Python)."""
    return ("CAST(strftime('%%s', {}) AS INTEGER)" if connection.vendor == "sqlite"
            else "CAST(EXTRACT(EPOCH FROM {}) AS BIGINT)")


def _stays_sql(by: str) -> str:
    """Other stays at a venue (or in a unit) in a time range, times as epoch seconds computed by the database
    (no per-row datetime parsing): the indexed range scan of checkin_venue_time / checkin_unit_time."""
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(CheckIn._meta.db_table)
    epoch = _epoch_sql(connection)
    where = {"unit": f"{qn('unit_id')} = %s", "venue": f"{qn('venue_id')} = %s",
             "unplaced": f"{qn('venue_id')} = %s AND {qn('unit_id')} IS NULL"}[by]
    return (f"SELECT {qn('person_id')}, {epoch.format(qn('time_in'))}, {epoch.format(qn('time_out'))} FROM {table} "
            f"WHERE {where} AND {qn('time_in')} >= %s AND {qn('time_in')} <= %s AND {qn('time_out')} > %s")


def _epoch(t: dt.datetime) -> int:
    return int(t.timestamp())


def _from_epoch(s: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(s), dt.UTC)


def _longest(hits, group_cols: list[int], *, seconds_col: int, keep: int = 1):
    """Rows of a hit array reduced to the `keep` longest overlaps (seconds_col) of each group of `group_cols`."""
    import numpy as np

    hits = hits[np.lexsort((-hits[:, seconds_col], *[hits[:, c] for c in reversed(group_cols)]))]
    starts = np.ones(len(hits), dtype=bool)
    starts[1:] = np.any(hits[1:, group_cols] != hits[:-1, group_cols], axis=1)
    idx = np.arange(len(hits))
    return hits[(idx - np.maximum.accumulate(np.where(starts, idx, 0))) < keep]


def _evidence(rule: str, venue: Venue, unit: tuple[int, str] | None, seconds: int, lo: int, hi: int, *,
              min_overlap: int, buffer: int, tz) -> dict:
    ev = {"rule": rule, "venue_id": venue.pk, "venue": venue.name, "kind": venue.kind,
          "start": dt.datetime.fromtimestamp(lo, tz).isoformat(timespec="minutes"),
          "end": dt.datetime.fromtimestamp(hi, tz).isoformat(timespec="minutes"), "minutes": round(seconds / 60),
          "min_overlap": min_overlap, "buffer": buffer}
    if unit:
        ev["unit_id"], ev["unit"] = unit
    return ev


def _overlaps_at(venue: Venue, spans: list[tuple[dt.datetime, dt.datetime]], tracing: dict, *, exclude: set[int],
                 rule: str, unit: tuple[int, str] | None = None, unplaced: bool = False) -> dict[int, dict]:
    """Other people's stays overlapping the case's spans at one venue: {person: {last, evidence}}. With a unit (class,
    room, workshop) only stays in that unit count (and, with `unplaced`, stays at the venue that name no unit: staff
    moving between rooms, visitors whose place is unknown); without one, every stay at the venue. Close spans share
    one indexed range query; overlaps are computed on arrays (contacts.rules.overlap_arrays), the longest per person."""
    import numpy as np
    from django.db import connection

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
            arr = np.array(rows, dtype=np.int64)
            pid, b_in, b_out = arr[:, 0], arr[:, 1], arr[:, 2]
            for s_in, s_out in spans:
                if a_in <= s_in and s_out <= a_out:
                    hit, seconds, lo, hi = rules.overlap_arrays(_epoch(s_in), _epoch(s_out), b_in, b_out,
                                                                buffer_s=buffer_min * 60, min_overlap_s=min_overlap * 60)
                    parts.append(np.stack([pid[hit], seconds[hit], lo[hit], hi[hit]], axis=1))
    out: dict[int, dict] = {}
    if not parts:
        return out
    tz = clock.zone()
    for p, sec, x, y in _longest(np.concatenate(parts), [0], seconds_col=1).tolist():
        if p not in exclude:
            _add(out, p, _from_epoch(y), _evidence(rule, venue, unit, sec, x, y, min_overlap=min_overlap, buffer=buffer_min, tz=tz))
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


def _unit_names(ids) -> dict[int, str]:
    from cordon.venues.models import VenueUnit

    return dict(VenueUnit.objects.filter(pk__in=list(ids)).values_list("pk", "name")) if ids else {}


def identify(case: Case, *, now: dt.datetime | None = None) -> dict[str, dict[int, dict]]:
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
        from cordon.spacetime.selectors import companions_for_case

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


def _cases_among(pids: list[int], chunk: int = 5000) -> set[int]:
    """Which of these people are cases themselves (they are not anyone's contacts)."""
    out: set[int] = set()
    for i in range(0, len(pids), chunk):
        out.update(Case.objects.filter(person_id__in=pids[i:i + chunk]).values_list("person_id", flat=True))
    return out


def _secondary(close: dict[int, dict], tracing: dict, *, exclude: set[int], now: dt.datetime) -> dict[int, dict]:
    """Co-residents and co-workers of close contacts between their exposure and `now` (their isolation), set-based:
    one query for the households and three for the workplaces (see _workplace_secondary)."""
    sources = set(tracing.get("secondary_from", []))
    found: dict[int, dict] = {}
    rows = list(Person.objects.filter(pk__in=list(close)).values_list("pk", "household_id", "workplace_id"))
    if "household" in sources:
        by_household = defaultdict(list)
        for pid, hh, _ in rows:
            if hh:
                by_household[hh].append(pid)
        if by_household:
            for pid, hh in Person.objects.filter(household_id__in=list(by_household)).values_list("pk", "household_id"):
                if pid in exclude:
                    continue
                via = by_household[hh][0]
                _add(found, pid, now, {"rule": "household", "via_person": via, "start": _iso(close[via]["last"]), "end": _iso(now)})
                found[pid].setdefault("via", via)
    if "workplace" in sources:
        work = {pid: w for pid, _, w in rows if w}
        if work:
            _workplace_secondary(close, work, tracing, exclude=exclude, now=now, found=found)
    return found


def _workplace_secondary(close: dict[int, dict], work: dict[int, int], tracing: dict, *, exclude: set[int],
                         now: dt.datetime, found: dict) -> None:
    """Co-workers of close contacts, in three queries whatever their number: the close contacts' own stays at
    their workplace after their exposure; every stay in those units (class, room, team) over the period; and,
    for workplaces without units, their own staff's stays. Overlaps are computed per shared space on arrays."""
    import numpy as np
    from django.db import connection

    qn = connection.ops.quote_name
    epoch = _epoch_sql(connection)
    cols = f"{qn('venue_id')}, {qn('unit_id')}, {qn('person_id')}, {epoch.format(qn('time_in'))}, {epoch.format(qn('time_out'))}"
    table = qn(CheckIn._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value

    def fetch(where: str, ids: list[int], lo: dt.datetime, hi: dt.datetime) -> list[tuple]:
        out = []
        with connection.cursor() as cursor:
            for i in range(0, len(ids), 900):
                chunk = ids[i:i + 900]
                cursor.execute(f"SELECT {cols} FROM {table} WHERE {qn(where)} IN ({', '.join(['%s'] * len(chunk))}) "
                               f"AND {qn('time_in')} >= %s AND {qn('time_in')} <= %s AND {qn('time_out')} > %s",
                               [*chunk, adapt(lo - MAX_DWELL), adapt(hi), adapt(lo)])
                out.extend(cursor.fetchall())
        return out

    since = min(close[p]["last"] for p in work)
    last = {p: _epoch(close[p]["last"]) for p in work}
    end = _epoch(now)
    # (venue, unit) -> [(via, in, out)]: each close contact's own stays at their workplace after their exposure
    spaces: dict[tuple[int, int | None], list] = defaultdict(list)
    for venue_id, unit_id, via, t_in, t_out in fetch("person_id", list(work), since, now):
        lo, hi = max(t_in, last[via]), min(t_out, end)
        if venue_id == work[via] and hi > lo:
            spaces[(venue_id, unit_id)].append((via, lo, hi))
    if not spaces:
        return
    venues = {v.pk: v for v in Venue.objects.filter(pk__in={v for v, _ in spaces})}
    units = _unit_names({u for _, u in spaces if u})
    buffers = {v: case_rules.kind_value(tracing.get("buffer_minutes", {}), venue.kind) for v, venue in venues.items()}
    minimum = {v: case_rules.kind_value(tracing.get("min_overlap_minutes", {}), venue.kind) for v, venue in venues.items()}
    span_lo = min(a for items in spaces.values() for _, a, _ in items)
    span_hi = max(b for items in spaces.values() for _, _, b in items) + 60 * max(buffers.values())
    lo_dt, hi_dt = _from_epoch(span_lo - 60 * max(buffers.values())), _from_epoch(span_hi)
    rows = fetch("unit_id", sorted({u for _, u in spaces if u}), lo_dt, hi_dt)
    plain = {v for v, u in spaces if u is None}
    if plain:
        staff = dict(Person.objects.filter(workplace_id__in=list(plain)).values_list("pk", "workplace_id"))
        rows += [r for r in fetch("person_id", sorted(staff), lo_dt, hi_dt) if r[1] is None and staff.get(r[2]) == r[0]]
    if not rows:
        return
    arr = np.array([(v, -1 if u is None else u, p, a, b) for v, u, p, a, b in rows], dtype=np.int64)
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
        for via, s_in, s_out in items:
            hit, seconds, lo, hi = rules.overlap_arrays(s_in, s_out, b_in, b_out, buffer_s=60 * buffers[venue_id],
                                                        min_overlap_s=60 * minimum[venue_id])
            hit &= pid != via
            n = int(hit.sum())
            if n:
                parts.append(np.stack([np.full(n, via), pid[hit], seconds[hit], lo[hit], hi[hit],
                                       np.full(n, venue_id), np.full(n, -1 if unit_id is None else unit_id)], axis=1))
    if not parts:
        return
    # the longest overlap per (close contact, person), then each person's three longest ways in
    hits = _longest(_longest(np.concatenate(parts), [0, 1], seconds_col=2), [1], seconds_col=2, keep=3)
    tz = clock.zone()
    for via, p, sec, x, y, venue_id, unit_id in hits.tolist():
        unit = (unit_id, units.get(unit_id, "")) if unit_id >= 0 else None
        ev = {**_evidence("workplace", venues[venue_id], unit, sec, x, y, min_overlap=minimum[venue_id],
                          buffer=buffers[venue_id], tz=tz), "via_person": via}
        stop = _from_epoch(y)
        _add(found, p, stop, ev)
        found[p].setdefault("via", via)


# Stricter first: someone found in two of these categories (by two cases) is under the stricter one's plan.
STRICTNESS = {Category.CLOSE_CONTACT: 3, Category.SECONDARY_CONTACT: 2, Category.SPACETIME_COMPANION: 1}


def _open_elsewhere(pids, case: Case) -> dict[int, RiskPerson]:
    """Each person's open row in an identification category from another source (the one a new finding extends):
    under measures before confirmed before proposed, then the stricter category, then the oldest."""
    rank = {RiskStatus.UNDER_MEASURES: 0, RiskStatus.CONFIRMED: 1, RiskStatus.PROPOSED: 2}
    out: dict[int, RiskPerson] = {}
    pids = list(pids)
    for i in range(0, len(pids), 5000):
        for row in (RiskPerson.objects.filter(person_id__in=pids[i:i + 5000], category__in=WRITTEN, status__in=OPEN_STATUSES)
                    .exclude(source_case=case).select_related("person").order_by("pk")):
            have = out.get(row.person_id)
            key = (rank[row.status], -STRICTNESS.get(row.category, 0), row.pk)
            if have is None or key < (rank[have.status], -STRICTNESS.get(have.category, 0), have.pk):
                out[row.person_id] = row
    return out


def _source_entry(case_id: int | None, category: str, last: dt.datetime) -> dict:
    return {"case": case_id, "category": str(category), "last_exposure": last.isoformat(), "at": clock.now().isoformat()}


def _extend(*, actor, row: RiskPerson, case: Case | None, category: str, last: dt.datetime, evidence: list[dict],
            why: str) -> bool:
    """A further finding for a person with an open row: the row keeps one plan, extended to the later exposure and
    upgraded to the stricter category; the finding is kept in `sources` (and its evidence, tagged with the case);
    audited contacts.extend. True when the plan has to be recomputed."""
    case_id = case.pk if case is not None else None
    before = {"category": row.category, "last_exposure": row.last_exposure, "source_case": row.source_case_id}
    tagged = [{**e, "case": case_id} for e in evidence]
    kept = [e for e in row.evidence if not (e.get("case") == case_id and case_id is not None)]
    row.evidence = [*kept, *tagged][-40:]
    upgraded = STRICTNESS.get(category, 0) > STRICTNESS.get(row.category, 0)
    sources = [s for s in row.sources if s.get("case") != case_id or case_id is None]
    if upgraded:
        # the stricter finding becomes the row's source; the weaker one is history
        sources.append(_source_entry(row.source_case_id, row.category, row.last_exposure))
        row.category, row.source_case = category, case
        row.via = None
    else:
        sources.append(_source_entry(case_id, category, last))
    row.sources = sources[-50:]
    later = last > row.last_exposure
    if later:
        row.last_exposure = last
    row.save(update_fields=["evidence", "sources", "category", "source_case", "via", "last_exposure"])
    audit.record(actor, "contacts.extend", row, changes={
        "why": why, "case": case_id, "category": str(category), "last_exposure": last, "kept": before,
        "upgraded": upgraded, "extended": later})
    return row.status == RiskStatus.UNDER_MEASURES and (later or upgraded)


def _withdraw_case(*, actor, row: RiskPerson, case: Case) -> None:
    """A case no longer finds a person it had found: its part of the row goes; a row another case holds stays open
    (passed to that case when this one was its source); a proposal nobody else holds is deleted."""
    others = [s for s in row.sources if s.get("case") != case.pk]
    row.evidence = [e for e in row.evidence if e.get("case") != case.pk]
    if row.source_case_id == case.pk:
        holders = [s for s in others if s.get("case")]
        if not holders:
            if row.status == RiskStatus.PROPOSED:
                row.delete()
            return
        nxt = holders[-1]
        others = [s for s in others if s is not nxt]
        row.source_case_id, row.category = nxt["case"], nxt.get("category") or row.category
    row.sources = others
    row.save(update_fields=["evidence", "sources", "source_case", "category"])
    audit.record(actor, "contacts.source_withdrawn", row, changes={"case": case.pk, "now": row.source_case_id})


def contacts_identify(*, actor, case: Case, now: dt.datetime | None = None) -> dict:
    """Run identification for a case and write proposals with evidence (repeatable: updates, never duplicates).
    Someone with an open row from another case (or another source) keeps that one row, extended (`_extend`)."""
    now = now or clock.now()
    found = identify(case, now=now)
    general = found.pop(GENERAL_CONTACT, {})
    pids = {pid for items in found.values() for pid in items}
    paths = dict(Person.objects.filter(pk__in=list(pids)).values_list("pk", "region_path")) if pids else {}
    existing = {(r.person_id, r.category): r for r in RiskPerson.objects.filter(source_case=case)}
    elsewhere = _open_elsewhere(pids, case) if pids else {}
    held = [r for r in RiskPerson.objects.filter(status__in=OPEN_STATUSES, sources__icontains=f'"case": {case.pk}')
            .exclude(source_case=case) if any(s.get("case") == case.pk for s in r.sources)]
    counts = {"created": 0, "updated": 0, "withdrawn": 0, "extended": 0}
    replan = []
    seen_elsewhere: set[int] = set()
    with transaction.atomic():
        ids_by_person: dict[int, int] = {}
        # stricter categories first, so one person found in two categories of this case extends one row
        for category in sorted(WRITTEN, key=lambda c: -STRICTNESS[c]):
            items = found.get(category, {})
            new = []
            for pid, item in items.items():
                row = existing.pop((pid, category), None)
                via_id = ids_by_person.get(item.get("via")) if category == Category.SECONDARY_CONTACT else None
                other = elsewhere.get(pid)
                if row is None and other is not None:
                    if other.pk in seen_elsewhere and STRICTNESS[category] <= STRICTNESS.get(other.category, 0):
                        continue
                    seen_elsewhere.add(other.pk)
                    if _extend(actor=actor, row=other, case=case, category=category, last=item["last"],
                               evidence=item["evidence"], why="found by another case") and other not in replan:
                        replan.append(other)
                    counts["extended"] += 1
                    ids_by_person[pid] = other.pk
                    continue
                if row is None:
                    new.append({"person_id": pid, "region_path": paths[pid], "category": category, "source_case_id": case.pk,
                                "last_exposure": item["last"], "evidence": item["evidence"], "via_id": via_id})
                    continue
                if row.last_exposure != item["last"] or row.evidence != item["evidence"]:
                    if row.last_exposure != item["last"] and row.status == RiskStatus.UNDER_MEASURES:
                        replan.append(row)
                    row.last_exposure, row.evidence = item["last"], item["evidence"]
                    row.save(update_fields=["last_exposure", "evidence"])
                    counts["updated"] += 1
                ids_by_person[pid] = row.pk
            if new:
                bulk.insert_rows(RiskPerson, new)
                counts["created"] += len(new)
                if category == Category.CLOSE_CONTACT:
                    ids_by_person.update(dict(RiskPerson.objects.filter(source_case=case, category=category).values_list("person_id", "pk")))
        stale = [r for r in existing.values() if r.status == RiskStatus.PROPOSED and r.category in WRITTEN]
        gone = [r for r in held if r.pk not in seen_elsewhere]
        for r in stale + gone:
            if r.sources or r in gone:
                _withdraw_case(actor=actor, row=r, case=case)
                counts["withdrawn"] += 1
        plain = [r.pk for r in stale if not r.sources]
        if plain:
            counts["withdrawn"] += RiskPerson.objects.filter(pk__in=plain).delete()[0]
        Case.objects.filter(pk=case.pk).update(identified_at=now, general_contacts=len(general))
        audit.record(actor, "contacts.identify", case, changes={**counts, **{str(k): len(v) for k, v in found.items()},
                                                                GENERAL_CONTACT: len(general)})
        for row in replan:
            measures_apply(actor=actor, risk=row, why="exposure changed")
    counts.update({str(k): len(v) for k, v in found.items()})
    counts[GENERAL_CONTACT] = len(general)
    return counts


def _load_for_decision(actor, ids: list[int]) -> list[RiskPerson]:
    if not ids:
        raise ServiceError.field("ids", "choose at least one person")
    rows = {r.pk: r for r in RiskPerson.objects.visible_to(actor, "view").filter(pk__in=ids).select_related("person")}
    out = []
    for n, pk in enumerate(ids, 1):
        row = rows.get(pk)
        if row is None:
            raise NotFound(f"row {n}, ids: unknown risk person {pk}", fields=[{"field": "ids", "message": "unknown risk person", "row": n}])
        access.require(actor, "contacts.change", row.region_path)
        out.append(row)
    return out


def risk_decide(*, actor, ids: list[int], decision: str, note: str = "") -> dict:
    """Confirm or reject proposed risk persons in bulk (all or nothing); confirmed ones get their measures."""
    if decision not in ("confirm", "reject"):
        raise ServiceError.field("decision", "must be confirm or reject")
    rows = _load_for_decision(actor, list(dict.fromkeys(ids)))
    for n, row in enumerate(rows, 1):
        if row.status != RiskStatus.PROPOSED:
            raise Conflict(f"row {n}, ids: risk person {row.pk} is already {row.status}",
                           fields=[{"field": "ids", "message": f"already {row.status}", "row": n}])
    now = clock.now()
    with transaction.atomic():
        for row in rows:
            row.status = RiskStatus.CONFIRMED if decision == "confirm" else RiskStatus.REJECTED
            row.decided_by, row.decided_at, row.note = actor, now, note[:200]
            row.save(update_fields=["status", "decided_by", "decided_at", "note"])
        audit.record(actor, f"contacts.{decision}", object_type="contacts.riskperson", object_id=",".join(str(r.pk) for r in rows[:20]),
                     region_path=rows[0].region_path, changes={"count": len(rows), "ids": [r.pk for r in rows], "note": note})
        if decision == "confirm":
            for row in rows:
                measures_apply(actor=actor, risk=row, why="confirmed")
    return {"decided": len(rows), "decision": decision}


def risk_add(*, actor, person_id: int, category: str, last_exposure, note: str = "", source_case_id: int | None = None) -> RiskPerson:
    """Enter a risk person by hand (arrivals, discharged cases, contacts found otherwise): confirmed at once, measures applied."""
    from cordon.cases import services as case_services

    if category not in Category.values:
        raise ServiceError.field("category", f"must be one of {', '.join(Category.values)}")
    last = case_services._when(last_exposure, "last_exposure")
    if last > clock.now() + dt.timedelta(minutes=5):
        raise ServiceError.field("last_exposure", "is in the future")
    person = access.get_for(actor, Person.objects.all(), "view", pk=person_id) if person_id else None
    if person is None:
        raise ServiceError.field("person_id", "is required")
    access.require(actor, "contacts.change", person.region_path)
    measures = policy.in_force(clock.now()).section("measures")
    if not rules.identified(category, measures=measures):
        raise ServiceError.field("category", "is not identified under the rule set in force")
    case = None
    if source_case_id:
        case = Case.objects.visible_to(actor, "view").filter(pk=source_case_id).first()
        if case is None:
            raise ServiceError.field("source_case_id", f"unknown case {source_case_id}")
    if RiskPerson.objects.filter(person=person, category=category, source_case=case, status__in=OPEN_STATUSES).exists():
        raise Conflict("person_id: already an open risk person in this category",
                       fields=[{"field": "person_id", "message": "already an open risk person in this category"}])
    held = (RiskPerson.objects.filter(person=person, category=category, status__in=OPEN_STATUSES)
            .select_related("person").order_by("pk").first())
    if held is not None:  # one plan per person and category: the other source's row is extended
        with transaction.atomic():
            replan = _extend(actor=actor, row=held, case=case, category=category, last=last,
                             evidence=[{"rule": "manual", "note": note[:200]}], why="entered again")
            if replan:
                measures_apply(actor=actor, risk=held, why="exposure changed")
        return held
    with transaction.atomic():
        row = RiskPerson.objects.create(person=person, region_path=person.region_path, category=category, source_case=case,
                                        last_exposure=last, status=RiskStatus.CONFIRMED, evidence=[{"rule": "manual", "note": note[:200]}],
                                        decided_by=access.user_or_none(actor), decided_at=clock.now(), note=note[:200])
        audit.record(actor, "contacts.add", row, changes={"person": person.pk, "category": category, "last_exposure": last})
        measures_apply(actor=actor, risk=row, why="entered")
    return row


def riskperson_propose(*, actor, person_id: int, category: str, last_exposure: dt.datetime, source: str,
                       note: str = "") -> RiskPerson | None:
    """Propose a risk person found outside case tracing (a checkpoint hold, a returnee from a risk area) for a
    tracer or community worker to confirm; repeatable (an open proposal for the same person and category gains
    the new evidence). None when the rule set in force does not manage the category."""
    if category not in Category.values:
        raise ServiceError.field("category", f"must be one of {', '.join(Category.values)}")
    if not rules.identified(category, measures=policy.in_force(last_exposure).section("measures")):
        return None
    person = Person.objects.filter(pk=person_id).only("pk", "region_path").first()
    if person is None:
        raise ServiceError.field("person_id", f"unknown person {person_id}")
    evidence = {"rule": source.split(".", 1)[0], "source": source, "end": _iso(last_exposure), "note": note[:200]}
    with transaction.atomic():
        row = (RiskPerson.objects.select_for_update().filter(person_id=person.pk, category=category,
                                                             status__in=OPEN_STATUSES).order_by("pk").first())
        if row is not None:
            if any(e.get("source") == source for e in row.evidence):
                return row
            row.evidence = [*row.evidence, evidence][-20:]
            fields = ["evidence"]
            if last_exposure > row.last_exposure:
                row.last_exposure = last_exposure
                fields.append("last_exposure")
            row.save(update_fields=fields)
            audit.record(actor, "contacts.propose", row, changes={"source": source, "updated": True})
            if row.status == RiskStatus.UNDER_MEASURES and "last_exposure" in fields:
                measures_apply(actor=actor, risk=row, why="exposure changed")
            return row
        row = RiskPerson.objects.create(person_id=person.pk, region_path=person.region_path, category=category,
                                        last_exposure=last_exposure, evidence=[evidence], note=note[:200])
        audit.record(actor, "contacts.propose", row, changes={"source": source, "category": category})
    return row


def _end_of(day: dt.date) -> dt.datetime:
    return clock.aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _sync_reasons(risk: RiskPerson, *, today: dt.date, actor) -> None:
    """The risk person's status reasons: the category until the plan ends, the current phase's reason, no other
    phase's; one colour recompute."""
    phases = risk.plan
    wanted = []
    if risk.category in CATEGORY_REASONS and risk.measures_end:
        wanted.append((risk.category, risk.last_exposure, _end_of(risk.measures_end)))
    phase = rules.phase_on(phases, today) or (phases[0] if phases and today < dt.date.fromisoformat(phases[0]["start"]) else None)
    current = rules.PHASE_REASON.get(phase["kind"]) if phase else None
    if current:
        wanted.append((current, None, _end_of(dt.date.fromisoformat(phase["end"]))))
    status_services.reasons_apply(person_id=risk.person_id, source=risk.source, set_reasons=wanted, actor=actor,
                                  clear_reasons=sorted({r for r in rules.PHASE_REASON.values() if r} - {current}))


def _placement(risk: RiskPerson, *, today: dt.date, actor) -> None:
    """A centralized phase still to come asks quarantine for a placement; none withdraws an open request."""
    central = [p for p in risk.plan if p["kind"] == "centralized" and dt.date.fromisoformat(p["end"]) >= today]
    if central:
        events.CENTRALIZED_NEEDED.emit(
            actor=actor, person_id=risk.person_id, category=risk.category, start=dt.date.fromisoformat(central[0]["start"]),
            end=dt.date.fromisoformat(central[-1]["end"]), source=risk.source, household_id=risk.person.household_id)
    else:
        events.CENTRALIZED_NOT_NEEDED.emit(actor=actor, source=risk.source)


def measures_apply(*, actor, risk: RiskPerson, why: str = "") -> RiskPerson:
    """(Re)plan a risk person's measures from the rule set in force, dated from the last exposure; audited."""
    ruleset = policy.in_force(clock.now())
    today = clock.today()
    phases = rules.plan(risk.category, last_exposure=clock.day_of(risk.last_exposure), measures=ruleset.section("measures"))
    before = {"plan": risk.plan, "ruleset": risk.plan_ruleset}
    with transaction.atomic():
        risk.plan, risk.plan_ruleset, risk.measures_end = phases, ruleset.code, rules.plan_end(phases)
        if not phases:
            risk.status, risk.released_at = RiskStatus.RELEASED, clock.now()
            risk.note = f"not managed under {ruleset.code}"
        elif risk.status == RiskStatus.CONFIRMED:
            risk.status = RiskStatus.UNDER_MEASURES
        risk.save(update_fields=["plan", "plan_ruleset", "measures_end", "status", "released_at", "note"])
        audit.record(actor, "contacts.plan", risk, changes={"why": why, "ruleset": ruleset.code, "end": risk.measures_end,
                                                            "previous_ruleset": before["ruleset"], "replanned": bool(before["plan"])})
        if risk.status == RiskStatus.RELEASED:
            status_services.reason_clear(person_id=risk.person_id, source=risk.source, actor=actor)
            return risk
        _sync_reasons(risk, today=today, actor=actor)
        _placement(risk, today=today, actor=actor)
        if rules.release_due(phases, today=today, last_test_negative=_negative_since(risk), requires_negative=False):
            risk_release(actor=actor, risk=risk, why="plan already over")
    return risk


def _negative_since(risk: RiskPerson) -> bool:
    """Negative result on a sample taken on or after the plan's last test day."""
    from cordon.status.models import HealthStatus

    day = rules.last_test_day(risk.plan)
    if day is None:
        return True
    last = HealthStatus.objects.filter(person_id=risk.person_id).values_list("last_negative_at", flat=True).first()
    return bool(last and clock.day_of(last) >= day)


def risk_release(*, actor, risk: RiskPerson, why: str = "criteria met") -> RiskPerson:
    """Release a risk person from measures: clear their status reasons and (quarantine, in this transaction) any
    open placement request."""
    if risk.status != RiskStatus.UNDER_MEASURES:
        raise Conflict(f"status: risk person {risk.pk} is {risk.status}", fields=[{"field": "status", "message": f"is {risk.status}"}])
    with transaction.atomic():
        risk.status, risk.released_at = RiskStatus.RELEASED, clock.now()
        risk.save(update_fields=["status", "released_at"])
        status_services.reason_clear(person_id=risk.person_id, source=risk.source, actor=actor)
        events.RISK_RELEASED.emit(actor=actor, source=risk.source)
        audit.record(actor, "contacts.release", risk, changes={"why": why})
    return risk


def measures_advance(*, actor, rows=None, today: dt.date | None = None) -> dict:
    """Move open plans on by the calendar: current phase reasons, and release where the criteria are met."""
    today = today or clock.today()
    qs = (rows if rows is not None else RiskPerson.objects.all()).filter(status=RiskStatus.UNDER_MEASURES)
    counts = {"advanced": 0, "released": 0, "waiting_test": 0}
    requires = policy.in_force(today).get("measures.release_requires_last_test_negative", True)
    for risk in qs.select_related("person"):
        end = rules.plan_end(risk.plan)
        if end is not None and today > end:
            if rules.release_due(risk.plan, today=today, last_test_negative=_negative_since(risk), requires_negative=requires):
                risk_release(actor=actor, risk=risk)
                counts["released"] += 1
            else:
                counts["waiting_test"] += 1
            continue
        _sync_reasons(risk, today=today, actor=actor)
        counts["advanced"] += 1
    return counts


def measures_recompute_all(*, actor, why: str = "rule set changed") -> int:
    """Re-plan every open measure plan under the rule set now in force (each audited)."""
    n = 0
    for risk in RiskPerson.objects.filter(status=RiskStatus.UNDER_MEASURES).select_related("person"):
        measures_apply(actor=actor, risk=risk, why=why)
        n += 1
    return n


def risk_export(*, actor, unmask: bool = False, fmt: str = "xlsx", **filters):
    """A contact list (per case, venue or district) as a file, masked unless unmasking is asked for and granted (core.exports)."""
    from cordon.contacts import selectors

    qs = selectors.risk_list(actor=actor, **filters).select_related("person")
    return exports.export(actor=actor, domain="contacts", name="contacts", columns=selectors.EXPORT_COLUMNS, rows=qs,
                          filters=filters, fmt=fmt, unmask=unmask)
