"""Pure measure rules: a category's plan from the measures section, the phase on a day, release."""

import datetime as dt

import numpy as np

PHASE_REASON = {"centralized": "centralized_quarantine", "home_isolation": "home_isolation",
                "home_monitoring": "home_monitoring", "tests_only": None}


def identified(category: str, *, measures: dict) -> bool:
    """Is the category identified at all under this rule set?"""
    return bool(measures.get("categories", {}).get(category, {}).get("identified", False))


def plan(category: str, *, last_exposure: dt.date, measures: dict) -> list[dict]:
    """Phases dated from the last exposure (day 1 is the day after it); test days as dates."""
    spec = measures.get("categories", {}).get(category, {})
    if not spec.get("identified", False):
        return []
    out = []
    day0 = last_exposure
    for phase in spec.get("phases", []):
        days = int(phase["days"])
        start = day0 + dt.timedelta(days=1)
        end = day0 + dt.timedelta(days=days)
        tests = [day0 + dt.timedelta(days=int(d)) for d in phase.get("test_days", [])]
        out.append({"kind": phase["kind"], "start": start.isoformat(), "end": end.isoformat(),
                    "test_days": [t.isoformat() for t in tests], "test_count": phase.get("test_count")})
        day0 = end
    return out


def plan_end(phases: list[dict]) -> dt.date | None:
    return dt.date.fromisoformat(phases[-1]["end"]) if phases else None


def phase_on(phases: list[dict], day: dt.date) -> dict | None:
    """The phase in force on a day, or None before the first / after the last."""
    for phase in phases:
        if dt.date.fromisoformat(phase["start"]) <= day <= dt.date.fromisoformat(phase["end"]):
            return phase
    return None


def release_due(phases: list[dict], *, today: dt.date, last_test_negative: bool, requires_negative: bool) -> bool:
    """The plan is over and, when the rule set asks for it, the last scheduled test was negative."""
    end = plan_end(phases)
    if end is None or today <= end:
        return False
    return last_test_negative or not requires_negative


def last_test_day(phases: list[dict]) -> dt.date | None:
    days = [dt.date.fromisoformat(d) for p in phases for d in p.get("test_days", [])]
    return max(days) if days else None


def overlap_arrays(a_in: int, a_out: int, b_in, b_out, *, buffer_s: int, min_overlap_s: int):
    """Vectorised `cases.rules.overlap_minutes` for one case stay [a_in, a_out] (epoch seconds) against arrays of
    other stays: (mask of stays that reach the minimum, overlap seconds, overlap start, overlap end)."""
    lo = np.maximum(b_in, a_in)
    hi = np.minimum(b_out, a_out + buffer_s)
    seconds = np.maximum(hi - lo, 0)
    return seconds >= min_overlap_s, seconds, lo, hi
