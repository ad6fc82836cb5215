"""Where contact tracing missed, measured against the twin's ground truth (cordon.sim.epidemic).

Times are days since the run's day 0 (floats); people are the engine's agent indices. The pure functions below
take plain arrays and rows so a constructed case can check them; `load` reads a finished run's records.

- True contacts of a confirmed case: every exposure pair the engine recorded with the case as the infectious
  source (household members at home, overlapping check-ins in the same venue or unit), in the setting of the
  pair; a person who was confirmed as a case no later than the source is not counted (a case is nobody's contact).
- Identified: a risk record (any category, proposed or decided, not rejected) naming that case as its source, or
  extended by it (RiskPerson.sources).
- Recall by setting: identified true contacts / true contacts, by the true setting; infectee recall the same over
  the people the case truly infected. Precision by setting: of the close contacts and companions a case's records
  name, by the setting their evidence gives (household, venue overlap by venue kind, vehicle, ...), the share that
  were true contacts of that case. Secondary contacts are counted apart (their exposure was to someone else).
- Delays from infection to confirmed (case), identified (risk record written), notified (the record decided: the
  health code turns), measures (arrival in a site, or the decision when the plan has no site phase).
- Under measures: an infection from `from_day` on whose person then had a decided, unreleased record; the others
  are classed by their infector: never confirmed in the run, confirmed later, or under home measures itself.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from cordon.sim import epidemic

SETTINGS = ("home", "workplace", "school", "venue", "transport", "companion")
DATA_SETTINGS = ("home", "workplace", "school", "venue", "transport")  # where the platform holds the data
EVIDENCE_RULE = {"household": "home", "vehicle": "transport", "workplace": "workplace"}
PRECISION_CATEGORIES = ("close_contact", "spacetime_companion")


def evidence_settings(category: str, evidence: list[dict]) -> set[str]:
    """The settings a risk record's evidence names (a household, a venue overlap by the venue's kind, a vehicle)."""
    if category == "spacetime_companion":
        return {"companion"}
    out = set()
    for ev in evidence or []:
        rule = ev.get("rule")
        if rule in EVIDENCE_RULE:
            out.add(EVIDENCE_RULE[rule])
        elif rule == "venue_overlap":
            kind = ev.get("kind", "")
            code = epidemic.group_settings(np.array([0]), (kind,), unit=bool(ev.get("unit_id")))[0]
            out.add(epidemic.SETTINGS[code])
        else:
            out.add("other")
    return out or {"other"}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _true_pairs(exposures, case_time: dict[int, float]) -> dict[tuple[int, int], str]:
    """{(case, contact): setting} of the exposures whose source is a confirmed case (home wins over a venue)."""
    _day, src, tgt, setting = exposures
    out: dict[tuple[int, int], str] = {}
    keep = np.isin(src, np.fromiter(case_time, dtype=np.int64, count=len(case_time)))
    for s, t, k in zip(src[keep].tolist(), tgt[keep].tolist(), setting[keep].tolist(), strict=True):
        if t in case_time and case_time[t] <= case_time[s]:
            continue  # a case already: nobody's contact
        name = epidemic.SETTINGS[k]
        if out.get((s, t)) != "home":
            out[(s, t)] = name
    return out


# long: one pass per measure over the same pairs and rows; split, each part would rebuild the same maps
def score(*, exposures, case_time: dict[int, float], rows: list[dict], infector: np.ndarray, setting: np.ndarray,
          window_start: dict[int, float] | None = None) -> dict:
    """Recall and precision of contact identification by setting (see the module's docstring).

    exposures: (day, source, target, setting code) arrays; case_time: {agent: confirmation time} of confirmed cases;
    rows: risk records {"agent", "case", "cases" (extended by), "category", "evidence", "rejected"};
    infector/setting: the engine's truth per agent; window_start: {case agent: start of its tracing window}, to
    say how many missed contacts were exposed before it."""
    pairs = _true_pairs(exposures, case_time)
    first_day: dict[tuple[int, int], int] = {}
    day, src, tgt, _k = exposures
    for d, s, t in zip(day.tolist(), src.tolist(), tgt.tolist(), strict=True):
        if (s, t) in pairs and (s, t) not in first_day:
            first_day[(s, t)] = d
    identified: set[tuple[int, int]] = set()
    for r in rows:
        if r.get("rejected"):
            continue
        for c in [r["case"], *r.get("cases", [])]:
            if c is not None:
                identified.add((c, r["agent"]))
    out = {name: {"true_contacts": 0, "identified": 0, "infectees": 0, "infectees_identified": 0, "proposed": 0,
                  "proposed_true": 0, "proposed_infected": 0} for name in SETTINGS}
    missed_before_window = missed = 0
    for (s, t), name in pairs.items():
        row = out[name]
        row["true_contacts"] += 1
        if (s, t) in identified:
            row["identified"] += 1
        else:
            missed += 1
            if window_start and s in window_start and first_day[(s, t)] + 1 <= window_start[s]:
                missed_before_window += 1  # every exposure of the pair was on days before the window opened
    for t in np.flatnonzero(infector >= 0).tolist():
        s = int(infector[t])
        if s not in case_time or (t in case_time and case_time[t] <= case_time[s]):
            continue
        row = out[epidemic.SETTINGS[int(setting[t])]]
        row["infectees"] += 1
        row["infectees_identified"] += (s, t) in identified
    secondary = _precision(rows, pairs, infector, out)
    for row in out.values():
        row["recall"] = _ratio(row["identified"], row["true_contacts"])
        row["infectee_recall"] = _ratio(row["infectees_identified"], row["infectees"])
        row["precision"] = _ratio(row["proposed_true"], row["proposed"])
    data = [out[n] for n in DATA_SETTINGS]
    return {"by_setting": out,
            "recall": _ratio(sum(r["identified"] for r in out.values()), sum(r["true_contacts"] for r in out.values())),
            "recall_where_data": _ratio(sum(r["identified"] for r in data), sum(r["true_contacts"] for r in data)),
            "infectee_recall": _ratio(sum(r["infectees_identified"] for r in out.values()),
                                      sum(r["infectees"] for r in out.values())),
            "precision": _ratio(sum(r["proposed_true"] for r in out.values()), sum(r["proposed"] for r in out.values())),
            "missed_contacts": missed, "missed_before_window": missed_before_window,
            "secondary": {**secondary, "infected_share": _ratio(secondary["infected"], secondary["proposed"])}}


def _precision(rows: list[dict], pairs: dict, infector: np.ndarray, out: dict) -> dict:
    """Count each close contact's and companion's record under the settings its evidence names (true contact of
    its case or not, infected by it or not); returns the secondary contacts' count and how many were infected."""
    secondary = {"proposed": 0, "infected": 0}
    for r in rows:
        if r.get("rejected") or r["case"] is None:
            continue
        if r["category"] not in PRECISION_CATEGORIES:
            if r["category"] == "secondary_contact":
                secondary["proposed"] += 1
                secondary["infected"] += bool(infector[r["agent"]] != -2)  # infected at all (-2: never)
            continue
        for name in evidence_settings(r["category"], r.get("evidence", [])):
            if name not in out:
                out[name] = {k: 0 for k in out["home"]}
            out[name]["proposed"] += 1
            out[name]["proposed_true"] += (r["case"], r["agent"]) in pairs
            out[name]["proposed_infected"] += int(infector[r["agent"]]) == r["case"]
    return secondary


def distribution(hours: list[float]) -> dict:
    """n, median and 90th percentile (hours) of a list of delays."""
    if not hours:
        return {"n": 0, "median_h": None, "p90_h": None}
    a = np.asarray(hours, dtype=float)
    return {"n": len(a), "median_h": round(float(np.median(a)), 2), "p90_h": round(float(np.percentile(a, 90)), 2)}


def _open_at(r: dict, t: float) -> bool:
    return r["released"] is None or r["released"] > t


def delays(*, inf_time: np.ndarray, case_time: dict[int, float], rows: list[dict]) -> dict:
    """Infection -> confirmed, identified, notified, measures (site arrival or a home plan's decision), in hours.

    A record written before the infection and still open counts as a delay of 0 (the person was known already)."""
    by_agent: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        if not r.get("rejected"):
            by_agent[r["agent"]].append(r)
    steps = {"confirmed": [], "identified": [], "notified": [], "measures": []}
    for i in np.flatnonzero(~np.isnan(inf_time)).tolist():
        t = float(inf_time[i])
        if i in case_time:
            steps["confirmed"].append(max(0.0, case_time[i] - t) * 24)
        mine = [r for r in by_agent.get(i, []) if _open_at(r, t)]
        for step, key in (("identified", "created"), ("notified", "decided"), ("measures", "measures")):
            times = [r[key] for r in mine if r.get(key) is not None]
            if times:
                steps[step].append(max(0.0, min(times) - t) * 24)
    return {step: distribution(v) for step, v in steps.items()}


def under_measures(*, inf_day: np.ndarray, inf_time: np.ndarray, infector: np.ndarray, case_time: dict[int, float],
                   rows: list[dict], from_day: int = 14) -> dict:
    """Share of the infections from `from_day` on whose person was under measures then; the others by cause."""
    by_agent: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        if r.get("decided") is not None:
            by_agent[r["agent"]].append(r)

    def under(i: int, t: float) -> bool:
        return any(r["decided"] <= t and _open_at(r, t) for r in by_agent.get(i, []))

    causes = {"infector_not_confirmed": 0, "before_infector_confirmed": 0, "infector_under_measures": 0}
    lead = []  # hours from such an infection to its infector's confirmation
    late = np.flatnonzero(inf_day >= from_day).tolist()
    n_under = 0
    for i in late:
        t = float(inf_time[i])
        if under(i, t):
            n_under += 1
            continue
        j = int(infector[i])
        if j >= 0 and under(j, t):
            causes["infector_under_measures"] += 1
        elif j >= 0 and j in case_time:
            causes["before_infector_confirmed"] += 1
            lead.append((case_time[j] - t) * 24)
        else:
            causes["infector_not_confirmed"] += 1
    return {"infections": len(late), "under_measures": n_under, "share": _ratio(n_under, len(late)), "misses": causes,
            "lead_hours": distribution(lead)}
