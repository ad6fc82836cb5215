"""Mass-testing statistics, one module for the dashboard, the API and the bulletins: coverage per
grid/community/street/district (roster vs sampled), who is not yet sampled, turnaround, tubes in
transit and at labs, positives per round.

Coverage is computed from two grouped counts at grid level (people per grid, samples per grid) and
rolled up by path prefix in Python, so a million-person round is two indexed GROUP BY scans.
"""

import statistics

from django.db.models import Count

from cordon.core import access
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.screening.enums import RetestStatus, SampleResult, TubeStatus
from cordon.screening.models import Retest, Round, Sample, Tube

LEVEL_NAMES = {2: "district", 3: "street", 4: "community", 5: "grid"}
# turnaround stages: (name, from, to) as positions in (opened_at, received_at, tested_at, reported_at)
STAGES = (("to_lab", 0, 1), ("in_lab", 1, 2), ("to_report", 2, 3), ("total", 0, 3))


def _scoped(qs, actor):
    return access.scope(qs, actor, "screening.view")


def grid_counts(rnd: Round, *, actor) -> dict[str, tuple[int, int]]:
    """{grid path: (roster, sampled)} for the round's area (inside the actor's view when given)."""
    people = Person.objects.filter(region_path__startswith=rnd.region_path + ".")
    if actor is not None:
        people = access.scope(people, actor, "screening.view")
    roster = dict(people.values("region_path").annotate(n=Count("id")).values_list("region_path", "n"))
    sampled_qs = _scoped(Sample.objects.filter(round=rnd, is_retest=False), actor)
    sampled = dict(sampled_qs.values("region_path").annotate(n=Count("id")).values_list("region_path", "n"))
    return {p: (roster.get(p, 0), sampled.get(p, 0)) for p in set(roster) | set(sampled)}


def coverage(rnd: Round, *, level: int = 2, parent: str | None = None, actor) -> list[dict]:
    """Roster, sampled and coverage per region of `level` (2 district .. 5 grid), optionally under `parent`."""
    totals: dict[str, list[int]] = {}
    for path, (roster, sampled) in grid_counts(rnd, actor=actor).items():
        parts = path.split(".")
        if len(parts) < level:
            continue
        key = ".".join(parts[:level])
        if parent and not (key == parent or key.startswith(parent + ".")):
            continue
        acc = totals.setdefault(key, [0, 0])
        acc[0] += roster
        acc[1] += sampled
    names = dict(Region.objects.filter(path__in=list(totals)).values_list("path", "name"))
    rows = [{"path": p, "name": names.get(p, p), "level": level, "roster": r, "sampled": s, "missing": max(0, r - s),
             "coverage": round(100.0 * s / r, 2) if r else 0.0} for p, (r, s) in totals.items()]
    return sorted(rows, key=lambda x: (x["coverage"], x["path"]))


def totals(rnd: Round, *, actor) -> dict:
    """Roster, sampled and coverage for the whole round area."""
    roster = sampled = 0
    for r, s in grid_counts(rnd, actor=actor).values():
        roster += r
        sampled += s
    return {"roster": roster, "sampled": sampled, "missing": max(0, roster - sampled),
            "coverage": round(100.0 * sampled / roster, 2) if roster else 0.0}


def unsampled(rnd: Round, *, grid_path: str, actor):
    """Residents of a grid with no sample in the round (the grid worker's list)."""
    qs = Person.objects.filter(region_path=grid_path)
    qs = access.scope(qs, actor, "screening.view")
    done = Sample.objects.filter(round=rnd, is_retest=False, region_path=grid_path).values("person_id")
    return qs.exclude(pk__in=done).select_related("household").order_by("id")


def tube_pipeline(rnd: Round, *, actor) -> dict:
    """Tubes by stage: open at sites, closed in transit, received at labs, tested."""
    counts = dict(_scoped(Tube.objects.filter(round=rnd), actor).values("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"open": counts.get(TubeStatus.OPEN, 0), "in_transit": counts.get(TubeStatus.CLOSED, 0),
            "at_lab": counts.get(TubeStatus.RECEIVED, 0), "tested": counts.get(TubeStatus.TESTED, 0),
            "total": sum(counts.values())}


def _hours(a, b):
    return (b - a).total_seconds() / 3600.0


def turnaround(rnd: Round, *, actor, limit: int = 20000) -> dict:
    """Hours sampled -> received -> tested -> reported (median and p90 over tested tubes, newest first)."""
    rows = list(_scoped(Tube.objects.filter(round=rnd, status=TubeStatus.TESTED), actor)
                .order_by("-id").values_list("opened_at", "received_at", "tested_at", "reported_at")[:limit])
    stages: dict[str, list[float]] = {stage: [] for stage, _start, _end in STAGES}
    for row in rows:  # (opened, received, tested, reported): each stage from one of them to another
        for stage, start, end in STAGES:
            if row[start] and row[end]:
                stages[stage].append(_hours(row[start], row[end]))
    out = {}
    for k, v in stages.items():
        v.sort()
        out[k] = {"median": round(statistics.median(v), 2) if v else None,
                  "p90": round(v[min(len(v) - 1, int(len(v) * 0.9))], 2) if v else None, "n": len(v)}
    return out


def positives(rnd: Round, *, actor) -> dict:
    """Positive pools, members held, retests by state, positive people."""
    pools = _scoped(Tube.objects.filter(round=rnd, result="positive", is_retest=False), actor).count()
    retests = dict(_scoped(Retest.objects.filter(round=rnd), actor).values("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"positive_pools": pools, "held": sum(retests.values()),
            "retest_pending": retests.get(RetestStatus.PENDING, 0), "retest_sampled": retests.get(RetestStatus.SAMPLED, 0),
            "retest_negative": retests.get(RetestStatus.NEGATIVE, 0), "retest_positive": retests.get(RetestStatus.POSITIVE, 0),
            "positive_people": _scoped(Sample.objects.filter(round=rnd, result=SampleResult.POSITIVE), actor).count()}


def round_summary(rnd: Round, *, actor) -> dict:
    """Everything the dashboard and bulletins show for one round."""
    return {"round": {"id": rnd.pk, "name": rnd.name, "status": rnd.status, "starts_at": rnd.starts_at, "ends_at": rnd.ends_at},
            "totals": totals(rnd, actor=actor), "tubes": tube_pipeline(rnd, actor=actor),
            "turnaround": turnaround(rnd, actor=actor), "positives": positives(rnd, actor=actor)}


def rounds_overview(rounds) -> list[dict]:
    """Per round: samples, tubes and positive pools (for the rounds list and bulletins)."""
    ids = [r.pk for r in rounds]
    samples = dict(Sample.objects.filter(round_id__in=ids, is_retest=False).values("round_id").annotate(n=Count("id"))
                   .values_list("round_id", "n"))
    pos = dict(Tube.objects.filter(round_id__in=ids, result="positive", is_retest=False).values("round_id")
               .annotate(n=Count("id")).values_list("round_id", "n"))
    return [{"round": r, "samples": samples.get(r.pk, 0), "positive_pools": pos.get(r.pk, 0)} for r in rounds]
