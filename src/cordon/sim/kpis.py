"""Response KPIs of a twin run, read from what the platform recorded (cases, risk persons, placement
requests and stays, tubes and scheduled tests), set against the engine's ground truth only where the
KPI is about the truth (time from infection, recall of true transmissions)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
from django.utils.translation import gettext_noop

from cordon.cases.models import Case
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.quarantine.models import ScheduledTest, Stay
from cordon.screening.models import Round, Sample, Tube
from cordon.surveillance import selectors as surveillance_selectors
from cordon.surveillance.models import Forecast, RtEstimate

KPI_LABELS = [
    ("people", gettext_noop("residents")),
    ("days", gettext_noop("days simulated")),
    ("infections", gettext_noop("infections (ground truth)")),
    ("detected", gettext_noop("cases confirmed")),
    ("detected_share", gettext_noop("share of infections confirmed")),
    ("found_by", gettext_noop("cases by how they were found")),
    ("median_hours_infection_to_detection", gettext_noop("median h infection -> confirmation")),
    ("median_hours_to_contacts_identified", gettext_noop("median h confirmation -> contacts identified")),
    ("median_hours_to_contacts_confirmed", gettext_noop("median h confirmation -> contacts confirmed by tracer")),
    ("median_hours_to_contacts_placed", gettext_noop("median h confirmation -> contacts in a site")),
    ("tracing_recall", gettext_noop("share of cases under measures when confirmed")),
    ("contact_recall_truth", gettext_noop("share of true transmissions from cases traced")),
    ("risk_persons", gettext_noop("risk persons confirmed")),
    ("placed", gettext_noop("people placed in sites")),
    ("peak_quarantine_occupancy", gettext_noop("peak site occupancy")),
    ("tests_used", gettext_noop("PCR tests (tubes + site tests)")),
    ("swabs", gettext_noop("swabs (screening + site + clinic)")),
    ("screening_rounds", gettext_noop("screening rounds")),
    ("exits_attempted", gettext_noop("compound exits tried")),
    ("exits", gettext_noop("compound exits recorded (overrides included)")),
    ("exits_refused", gettext_noop("compound exits refused")),
    ("exit_overrides", gettext_noop("refused exits overridden (emergency)")),
    ("checkpoint_crossings", gettext_noop("checkpoint crossings tried (out)")),
    ("checkpoint_passes", gettext_noop("checkpoint passes")),
    ("checkpoint_holds", gettext_noop("checkpoint holds")),
    ("checkpoint_redirects", gettext_noop("checkpoint redirects")),
    ("checkpoint_overrides", gettext_noop("checkpoint holds overridden (emergency)")),
    ("passage_errors", gettext_noop("passage attempts the services rejected otherwise")),
    ("rt_estimates", gettext_noop("Rt estimates stored")),
    ("rt_shown", gettext_noop("Rt estimates shown (estimable)")),
    ("forecasts", gettext_noop("forecasts stored")),
    ("seconds", gettext_noop("seconds")),
]


def _median(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(float(np.median(values)), 2) if values else None


def _hours(a: dt.datetime, b: dt.datetime) -> float:
    return (a - b).total_seconds() / 3600.0


def recorded(base: dict) -> tuple[dict, list[dict], list[dict]]:
    """The response KPIs that need no ground truth, from the platform's records made after `base` (the last case,
    risk person and stay ids before the run; all zero: every record, i.e. the live city's own figures).
    Returns (figures, cases, risks) so the twin can set the same rows against its truth."""
    cases = list(Case.objects.filter(pk__gt=base["case"]).values("pk", "person_id", "confirmed_at", "identified_at", "found_by"))
    case_at = {c["pk"]: c["confirmed_at"] for c in cases}
    identified = [_hours(c["identified_at"], c["confirmed_at"]) for c in cases if c["identified_at"]]
    risks = list(RiskPerson.objects.filter(pk__gt=base["risk"]).exclude(status__in=["proposed", "rejected"])
                 .values("pk", "person_id", "source_case_id", "decided_at", "released_at", "category"))
    confirmed = [_hours(r["decided_at"], case_at[r["source_case_id"]]) for r in risks
                 if r["source_case_id"] in case_at and r["decided_at"]]
    risk_case = {f"contacts.riskperson:{r['pk']}": r["source_case_id"] for r in risks}
    placed_hours, placed = [], 0
    for checked_in, source in (Stay.objects.filter(pk__gt=base["stay"], kind="centralized", checked_in_at__isnull=False)
                               .values_list("checked_in_at", "request__source")):
        placed += 1
        case_id = risk_case.get(source or "")
        if case_id in case_at:
            placed_hours.append(_hours(checked_in, case_at[case_id]))
    # under measures when confirmed: a confirmed risk record decided before and not released before
    by_person: dict[int, list] = {}
    for r in risks:
        by_person.setdefault(r["person_id"], []).append(r)
    under = 0
    for c in cases:
        for r in by_person.get(c["person_id"], []):
            if r["decided_at"] and r["decided_at"] <= c["confirmed_at"] and (
                    r["released_at"] is None or r["released_at"] >= c["confirmed_at"]):
                under += 1
                break
    figures = {
        "detected": len(cases),
        "found_by": dict(Counter(c["found_by"] for c in cases)),
        "median_hours_to_contacts_identified": _median(identified),
        "median_hours_to_contacts_confirmed": _median(confirmed),
        "median_hours_to_contacts_placed": _median(placed_hours),
        "tracing_recall": round(under / len(cases), 3) if cases else None,
        "risk_persons": len(risks),
        "placed": placed,
    }
    return figures, cases, risks


# long: one table of KPIs computed from the same loaded run; each block is a few lines
def measure(twin) -> tuple[dict, dict]:
    """(kpis, series) of a finished run, from the platform's records."""
    e = twin.engine
    inf_time = e.infection_time()
    base = twin.baseline
    figures, cases, risks = recorded(base)
    idx = {c["pk"]: twin.idx_of[c["person_id"]] for c in cases}
    to_detection = []
    for c in cases:
        t = inf_time[idx[c["pk"]]]
        if not np.isnan(t):
            to_detection.append(_hours(c["confirmed_at"], twin.at(0, 0) + dt.timedelta(days=float(t))))
    # ground truth: transmissions whose infector was confirmed; was the infectee traced (any case's risk record)?
    case_agents = {idx[c["pk"]] for c in cases}
    traced_agents = {twin.idx_of[r["person_id"]] for r in risks}
    from_cases = [i for i in np.flatnonzero(e.infector >= 0).tolist() if int(e.infector[i]) in case_agents]
    recall_truth = (sum(1 for i in from_cases if i in traced_agents) / len(from_cases)) if from_cases else None
    sim_rounds = Round.objects.filter(name__startswith="simulation round")
    tubes = Tube.objects.filter(status="tested", round__in=sim_rounds).count()
    site_tests = ScheduledTest.objects.filter(stay_id__gt=base["stay"], result__in=["negative", "positive"]).count()
    infections = int((e.inf_day >= 0).sum())
    kpis = {
        "people": len(twin.pids),
        "days": twin.cfg.days,
        "infections": infections,
        "detected": figures["detected"],
        "detected_share": round(len(cases) / infections, 3) if infections else None,
        "found_by": figures["found_by"],
        "median_hours_infection_to_detection": _median(to_detection),
        "median_hours_to_contacts_identified": figures["median_hours_to_contacts_identified"],
        "median_hours_to_contacts_confirmed": figures["median_hours_to_contacts_confirmed"],
        "median_hours_to_contacts_placed": figures["median_hours_to_contacts_placed"],
        "tracing_recall": figures["tracing_recall"],
        "contact_recall_truth": round(recall_truth, 3) if recall_truth is not None else None,
        "risk_persons": figures["risk_persons"],
        "placed": figures["placed"],
        "peak_quarantine_occupancy": max(twin.series["occupancy"], default=0),
        "tests_used": tubes + site_tests,
        "swabs": Sample.objects.filter(round__in=sim_rounds).count() + site_tests + twin.clinic_swabs,
        "screening_rounds": sim_rounds.count(),
    }
    if twin.cfg.passages > 0:
        kpis.update(twin.passages.counts)
    if twin.cfg.surveillance:
        th = surveillance_selectors.rt_thresholds(twin.date(twin.cfg.days - 1))
        estimates = list(RtEstimate.objects.select_related("region"))
        kpis["rt_estimates"] = len(estimates)
        kpis["rt_shown"] = sum(1 for r in estimates if surveillance_selectors.rt_row(r, **th)["estimable"])
        kpis["forecasts"] = Forecast.objects.count()
    confirmed_by_day = Counter(clock.day_of(c["confirmed_at"]).isoformat() for c in cases)
    series = dict(twin.series)
    series["confirmed"] = [confirmed_by_day.get(d, 0) for d in series["date"]]
    return kpis, series
