"""Response KPIs of a twin run, read from what the platform recorded (cases, risk persons, placement
requests and stays, tubes and scheduled tests), set against the engine's ground truth only where the
KPI is about the truth (time from infection, recall of true transmissions)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
from django.utils.translation import gettext_noop

from cordon.cases import selectors as case_selectors
from cordon.cases.models import Case
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.quarantine.models import Room, ScheduledTest, Stay
from cordon.screening.models import Round, Sample, Tube
from cordon.sim import gaps, tracing
from cordon.surveillance import selectors as surveillance_selectors
from cordon.surveillance.models import Forecast, RtEstimate

KPI_LABELS = [
    ("people", gettext_noop("residents")),
    ("days", gettext_noop("days simulated")),
    ("infections", gettext_noop("infections (ground truth)")),
    ("infections_no_response", gettext_noop("infections without the response (same seed)")),
    ("averted", gettext_noop("infections averted")),
    ("detected", gettext_noop("cases confirmed")),
    ("detected_share", gettext_noop("share of infections confirmed")),
    ("found_by", gettext_noop("cases by how they were found")),
    ("median_hours_infection_to_detection", gettext_noop("median h infection -> confirmation")),
    ("median_hours_to_contacts_identified", gettext_noop("median h confirmation -> contacts identified")),
    ("median_hours_to_contacts_confirmed", gettext_noop("median h confirmation -> contacts confirmed by tracer")),
    ("median_hours_to_contacts_placed", gettext_noop("median h confirmation -> contacts in a site")),
    ("cases_under_measures_share", gettext_noop("share of cases under measures when confirmed")),
    ("tracing_recall", gettext_noop("recall of cases' true contacts (identified)")),
    ("tracing_precision", gettext_noop("precision of contact identification")),
    ("infectee_recall", gettext_noop("recall of the people cases truly infected")),
    ("contact_recall_where_data", gettext_noop("recall of true contacts where the data exist")),
    ("share_infections_under_measures", gettext_noop("share of infections from day 14 among people under measures")),
    ("median_minutes_to_contacts_identified", gettext_noop("median min confirmation -> contacts identified")),
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
    cases = list(Case.objects.filter(pk__gt=base["case"]).values("pk", "person_id", "confirmed_at", "identified_at", "found_by",
                                                                         "sampled_at"))
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
        "cases_under_measures_share": round(under / len(cases), 3) if cases else None,
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
        "cases_under_measures_share": figures["cases_under_measures_share"],
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
    kpis.update(truth_measures(twin, cases))
    confirmed_by_day = Counter(clock.day_of(c["confirmed_at"]).isoformat() for c in cases)
    series = dict(twin.series)
    series["confirmed"] = [confirmed_by_day.get(d, 0) for d in series["date"]]
    return kpis, series


def _agent_rows(twin, case_agent: dict[int, int]) -> tuple[list[dict], dict[str, dict]]:
    """The run's risk records as cordon.sim.tracing rows (times in simulation days), and by their source string."""
    t = twin.t_days
    rows, by_source = [], {}
    for r in RiskPerson.objects.filter(pk__gt=twin.baseline["risk"]).values(
            "pk", "person_id", "source_case_id", "category", "status", "evidence", "sources", "created_at", "decided_at",
            "released_at", "plan"):
        row = {"agent": twin.idx_of[r["person_id"]], "case": case_agent.get(r["source_case_id"]),
               "cases": [case_agent[s["case"]] for s in r["sources"] or [] if s.get("case") in case_agent],
               "category": r["category"], "evidence": r["evidence"], "rejected": r["status"] == "rejected",
               "created": t(r["created_at"]), "decided": t(r["decided_at"]) if r["decided_at"] else None,
               "released": t(r["released_at"]) if r["released_at"] else None,
               "central": any(p.get("kind") == "centralized" for p in r["plan"] or [])}
        row["measures"] = None if row["central"] else row["decided"]
        rows.append(row)
        by_source[f"contacts.riskperson:{r['pk']}"] = row
    return rows, by_source


# long: the run's records read once into the rows, placements and resources the tracing and gap measures share
def truth_measures(twin, cases: list[dict]) -> dict:
    """Recall and precision of identification by setting, delays from infection, share under measures, the
    placement's stages, resources and targets (cordon.sim.tracing and cordon.sim.gaps)."""
    e = twin.engine
    t = twin.t_days
    case_agent = {c["pk"]: twin.idx_of[c["person_id"]] for c in cases}
    case_time: dict[int, float] = {}
    for c in cases:
        a = case_agent[c["pk"]]
        case_time[a] = min(case_time.get(a, np.inf), t(c["confirmed_at"]))
    rows, by_source = _agent_rows(twin, case_agent)
    placements = []
    for arrived, assigned, source in (Stay.objects.filter(pk__gt=twin.baseline["stay"], kind="centralized",
                                                          checked_in_at__isnull=False)
                                      .values_list("checked_in_at", "created_at", "request__source")):
        row = by_source.get(source or "")
        if row is None:
            continue
        if row["central"] and (row["measures"] is None or t(arrived) < row["measures"]):
            row["measures"] = t(arrived)
        if row["case"] is None or row["decided"] is None:
            continue
        placements.append({"confirmed": case_time[row["case"]], "decided": row["decided"], "assigned": t(assigned),
                           "arrived": t(arrived)})
    windows: dict[int, float] = {}  # each case's tracing window start (its first case when a person had two)
    for case in Case.objects.filter(pk__in=list(case_agent)):
        start = t(case_selectors.case_window(case)[0])
        windows[case_agent[case.pk]] = min(windows.get(case_agent[case.pk], np.inf), start)
    inf_time = e.infection_time()
    recall = tracing.score(exposures=e.exposure_pairs(), case_time=case_time, rows=rows, infector=e.infector,
                           setting=e.setting, window_start=windows)
    if not e.record_exposures:  # no exposures recorded (a run without the response): no truth to score against
        for row in recall["by_setting"].values():
            row.update(true_contacts=None, identified=None, recall=None, precision=None, proposed_true=None)
        recall.update(recall=None, recall_where_data=None, precision=None, missed_contacts=None, missed_before_window=None)
    under = tracing.under_measures(inf_day=e.inf_day, inf_time=inf_time, infector=e.infector, case_time=case_time,
                                   rows=rows, from_day=14)
    identified = [(c["identified_at"] - c["confirmed_at"]).total_seconds() / 60 for c in cases if c["identified_at"]]
    rooms = Room.objects.filter(site__name__contains="simulation site").count()
    queued = twin.series.get("queued", [])
    occupancy = twin.series.get("occupancy", [])
    needed = max((a + b for a, b in zip(occupancy, queued, strict=True)), default=0)
    lab = [(c["confirmed_at"] - c["sampled_at"]).total_seconds() / 3600 for c in cases if c.get("sampled_at")]
    resources = {"tracers": {"turnaround_h": twin.cfg.tracer_hours, "decisions": sum(1 for r in rows if r["decided"])},
                 "rooms": {"opened": rooms, "requested": sum(1 for r in rows if r["central"] and r["decided"] is not None),
                           "unplaced": sum(1 for r in rows if r["central"] and r["decided"] is not None and r["measures"] is None), "peak_occupancy": max(occupancy, default=0), "peak_queued": max(queued, default=0),
                           "needed": needed, "utilisation": round(max(occupancy, default=0) / rooms, 3) if rooms else None},
                 "transport": {"runs_per_day": len(np.arange(gaps.FIRST_RUN_HOUR, 24.0, twin.cfg.placement_every_hours)),
                               "every_hours": twin.cfg.placement_every_hours, "trips": len(placements)},
                 "lab": {"result_hours": tracing.distribution(lab), "clinic_swabs": twin.clinic_swabs}}
    report = gaps.assess(placements=placements, identified_minutes=identified, under=under, recall=recall,
                         resources=resources, cfg=twin.cfg)
    return {"tracing_precision": recall["precision"], "contact_recall_where_data": recall["recall_where_data"],
            "tracing_recall": recall["recall"], "infectee_recall": recall["infectee_recall"],
            "share_infections_under_measures": under["share"],
            "median_minutes_to_contacts_identified": round(float(np.median(identified)), 1) if identified else None,
            "by_setting": recall["by_setting"], "secondary_contacts": recall["secondary"],
            "missed_contacts": recall["missed_contacts"], "missed_before_window": recall["missed_before_window"],
            "delays": tracing.delays(inf_time=inf_time, case_time=case_time, rows=rows),
            "under_measures": under, "gaps": report}

