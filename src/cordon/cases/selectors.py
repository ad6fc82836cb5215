"""Reads of cases: lists, one case with its clock and timeline, probable infectors, chains and clusters."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.db.models import QuerySet

from cordon.cases import events, rules
from cordon.cases.enums import CaseStatus
from cordon.cases.filters import CaseFilter
from cordon.cases.models import Case, Stay
from cordon.core import access, clock, policy
from cordon.venues.models import CheckIn


def case_list(*, actor, filters: Mapping | None = None) -> QuerySet[Case]:
    """Cases inside the actor's jurisdiction, newest first, filtered by CaseFilter (status, kind, found_by, region, q)."""
    return CaseFilter.apply(filters, Case.objects.visible_to(actor, "view").select_related("person"), actor=actor)


def case_get(*, actor, pk: int, action: str = "view") -> Case:
    """One case, 404 outside the actor's area, 403 when the action is not granted."""
    return access.get_for(actor, Case.objects.select_related("person", "person__household", "infector"), action, pk=pk)


def reference_date(case: Case) -> dt.date:
    """Onset, else sampling, else confirmation day: what the serial interval is measured between."""
    if case.onset_date:
        return case.onset_date
    return clock.day_of(case.sampled_at or case.confirmed_at)


def case_clock(case: Case, *, now: dt.datetime | None = None) -> list[dict]:
    """The 2 h / 4 h / 24 h clock of a case under the rule set in force at confirmation."""
    sla = policy.in_force(case.confirmed_at).get("tracing.sla_hours", {})
    return rules.sla_clock(confirmed_at=case.confirmed_at, now=now or clock.now(), sla_hours=sla,
                           done={"on_site": case.on_site_at, "core_tracing": case.core_done_at, "full_report": case.report_done_at})


def case_window(case: Case, tracing: dict | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The infectious window used for tracing, under the given tracing rules (by default those in force when the
    case was confirmed)."""
    if tracing is None:
        tracing = policy.in_force(case.confirmed_at).section("tracing")
    return rules.exposure_window(
        onset_date=case.onset_date, sampled_at=case.sampled_at, confirmed_at=case.confirmed_at, window_end=case.window_end,
        found_by=case.found_by, last_negative_at=case.last_negative_at, tracing=tracing, tz=clock.zone())


def _venue_visits(cases: list[Case]) -> dict[int, list[tuple[int, dt.datetime]]]:
    """{case id: [(venue id, time in)]} inside each case's window, from check-ins and interview stays."""
    if not cases:
        return {}
    windows = {c.pk: case_window(c) for c in cases}
    by_person = {c.person_id: c.pk for c in cases}
    earliest = min(w[0] for w in windows.values()) - dt.timedelta(hours=12)
    out: dict[int, list] = defaultdict(list)
    for pid, venue_id, t_in, t_out in CheckIn.objects.filter(person_id__in=list(by_person), time_in__gte=earliest).values_list(
            "person_id", "venue_id", "time_in", "time_out"):
        cid = by_person[pid]
        start, end = windows[cid]
        if t_out > start and t_in < end:
            out[cid].append((venue_id, t_in))
    for cid, venue_id, t_in in Stay.objects.filter(case_id__in=list(windows), venue__isnull=False).values_list("case_id", "venue_id", "time_in"):
        out[cid].append((venue_id, t_in))
    return out


LINK_PRIORITY = {"infector": 5, "household": 4, "close_contact": 3, "vehicle": 2, "venue": 1}


def links(cases: list[Case]) -> list[dict]:  # noqa: C901 - one edge kind per branch (infector, household, contact, venue, trip)
    """Edges between cases: infector, same household, named/identified as a contact (contacts answer which), shared
    venue or vehicle trip."""
    ids = {c.pk for c in cases}
    by_person = {c.person_id: c.pk for c in cases}
    edges: dict[tuple[int, int], str] = {}
    directed: dict[tuple[int, int], tuple[int, int]] = {}

    def add(a, b, kind):
        if a != b and a in ids and b in ids:
            key = (min(a, b), max(a, b))
            if key not in edges or LINK_PRIORITY[kind] > LINK_PRIORITY[edges[key]]:
                edges[key] = kind
                directed[key] = (a, b)

    for c in cases:
        if c.infector_id:
            add(c.infector_id, c.pk, "infector")
    households = defaultdict(list)
    for c in cases:
        if c.person.household_id:
            households[c.person.household_id].append(c.pk)
    for members in households.values():
        for other in members[1:]:
            add(members[0], other, "household")
    for pid, source in events.CONTACT_LINKS.ask(person_ids=list(by_person), case_ids=list(ids)):
        add(source, by_person[pid], "close_contact")
    visits = _venue_visits(cases)
    by_venue = defaultdict(list)
    for cid, items in visits.items():
        for venue_id, t_in in items:
            by_venue[venue_id].append((t_in, cid))
    for items in by_venue.values():
        items.sort()
        for i, (t1, c1) in enumerate(items):
            for t2, c2 in items[i + 1:]:
                if t2 - t1 > dt.timedelta(hours=24):
                    break
                add(c1, c2, "venue")
    trips = defaultdict(set)
    for cid, vehicle, t_in in Stay.objects.filter(case_id__in=list(ids)).exclude(vehicle="").values_list("case_id", "vehicle", "time_in"):
        trips[(vehicle.upper(), clock.day_of(t_in))].add(cid)
    for members in trips.values():
        members = sorted(members)
        for other in members[1:]:
            add(members[0], other, "vehicle")
    return [{"source": directed[key][0], "target": directed[key][1], "kind": k} for key, k in sorted(edges.items())]


def clusters(*, actor, days: int = 60) -> list[dict]:
    """Clusters of visible cases linked by infector, household, contact, venue or vehicle; with generation counts."""
    since = clock.now() - dt.timedelta(days=days)
    cases = list(Case.objects.visible_to(actor, "view").filter(confirmed_at__gte=since).select_related("person"))
    edges = links(cases)
    groups = rules.components([c.pk for c in cases], [(e["source"], e["target"]) for e in edges])
    gen = rules.generations({c.pk: c.infector_id for c in cases})
    by_id = {c.pk: c for c in cases}
    out = []
    for group in groups:
        members = [by_id[i] for i in group]
        per_gen = defaultdict(int)
        for i in group:
            per_gen[gen.get(i, 1)] += 1
        out.append({"id": group[0], "size": len(group), "cases": members,
                    "first": min(c.confirmed_at for c in members), "last": max(c.confirmed_at for c in members),
                    "generations": dict(sorted(per_gen.items())),
                    "edges": [e for e in edges if e["source"] in set(group)]})
    return out


def cluster_get(*, actor, pk: int) -> dict:
    """The cluster a visible case belongs to (404 when the case is not visible)."""
    case = case_get(actor=actor, pk=pk)
    for cluster in clusters(actor=actor, days=365):
        if case.pk in {c.pk for c in cluster["cases"]}:
            return cluster
    return {"id": case.pk, "size": 1, "cases": [case], "first": case.confirmed_at, "last": case.confirmed_at,
            "generations": {1: 1}, "edges": []}


def probable_infectors(*, actor, case: Case, limit: int = 5) -> list[dict]:
    """Earlier visible cases sharing an exposure with this one, weighted by the serial interval (probabilities sum to 1)."""
    since = case.confirmed_at - dt.timedelta(days=21)
    pool = list(Case.objects.visible_to(actor, "view").filter(confirmed_at__gte=since, confirmed_at__lte=case.confirmed_at + dt.timedelta(days=1))
                .select_related("person"))
    if case not in pool:
        pool.append(case)
    mine = reference_date(case)
    exposure = {}
    for e in links(pool):
        if case.pk in (e["source"], e["target"]) and e["kind"] != "infector":
            other = e["target"] if e["source"] == case.pk else e["source"]
            exposure[other] = e["kind"]
    by_id = {c.pk: c for c in pool}
    candidates = []
    for other_id, kind in exposure.items():
        other = by_id[other_id]
        gap = (mine - reference_date(other)).days
        if gap > 0:
            candidates.append({"case_id": other_id, "days_before": gap, "exposure": kind, "case": other})
    si = policy.in_force(case.confirmed_at).get("tracing.serial_interval", {"mean": 3.0, "sd": 1.9})
    return rules.infector_scores(candidates, serial_interval=si)[:limit]


def dashboard_counts(*, actor) -> dict:
    """Open cases and overdue steps in the actor's area."""
    qs = Case.objects.visible_to(actor, "view")
    open_qs = qs.exclude(status=CaseStatus.REPORT_DONE)
    now = clock.now()
    overdue = sum(1 for c in open_qs[:500] if any(s["overdue"] for s in case_clock(c, now=now)))
    return {"total": qs.count(), "open": open_qs.count(), "overdue": overdue,
            "today": qs.filter(confirmed_at__date=clock.today()).count()}
