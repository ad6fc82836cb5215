"""Pure tracing rules: exposure windows, stay overlaps, SLA clocks, serial-interval weights.

No ORM; rule-set values come in as arguments (the tracing section of the rule set in force)."""

import datetime as dt
import math
from collections.abc import Iterable

MINUTE = dt.timedelta(minutes=1)


def exposure_window(*, onset_date: dt.date | None, sampled_at: dt.datetime | None, confirmed_at: dt.datetime,
                    window_end: dt.datetime, found_by: str, last_negative_at: dt.datetime | None,
                    tracing: dict, tz) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the infectious window: N days before onset (or sampling), or from the last negative
    test for cases found by screening when that is later; ends when the case was isolated."""
    days = dt.timedelta(days=tracing.get("window_days_before_onset", 2))
    if onset_date is not None:
        anchor = dt.datetime.combine(onset_date, dt.time(0, 0), tzinfo=tz)
    elif sampled_at is not None:
        anchor = sampled_at
    else:
        anchor = confirmed_at
    start = anchor - days
    if found_by == "screening" and tracing.get("screening_found_from_last_negative") and last_negative_at is not None:
        start = max(start, last_negative_at)
    return start, max(window_end, start)


def kind_value(table: dict, kind: str) -> int:
    return int(table.get(kind, table.get("default", 0)))


def overlap_minutes(a_in: dt.datetime, a_out: dt.datetime, b_in: dt.datetime, b_out: dt.datetime, *,
                    buffer: dt.timedelta) -> float:
    """Minutes another stay [b_in, b_out] shares with a case stay extended by the buffer after the case left
    (the air stays contaminated; arriving within the buffer counts)."""
    lo = max(a_in, b_in)
    hi = min(a_out + buffer, b_out)
    return max(0.0, (hi - lo) / MINUTE)


def venue_contacts(case_stays: Iterable[tuple[dt.datetime, dt.datetime]],
                   others: Iterable[tuple[int, dt.datetime, dt.datetime]], *, buffer_minutes: int,
                   min_overlap_minutes: int) -> dict[int, dict]:
    """People whose stays overlap any case stay by at least the minimum: {person: {minutes, start, end}}
    (the longest overlap per person wins)."""
    buffer = dt.timedelta(minutes=buffer_minutes)
    stays = list(case_stays)
    out: dict[int, dict] = {}
    for pid, b_in, b_out in others:
        for a_in, a_out in stays:
            minutes = overlap_minutes(a_in, a_out, b_in, b_out, buffer=buffer)
            if minutes >= min_overlap_minutes and minutes > out.get(pid, {}).get("minutes", -1):
                out[pid] = {"minutes": round(minutes), "start": max(a_in, b_in), "end": min(a_out + buffer, b_out)}
    return out


def clip(stay_in: dt.datetime, stay_out: dt.datetime, start: dt.datetime, end: dt.datetime):
    """The part of a stay inside [start, end], or None."""
    lo, hi = max(stay_in, start), min(stay_out, end)
    return (lo, hi) if hi > lo else None


def stays_overlap(stays: list[tuple[dt.datetime, dt.datetime]]) -> int | None:
    """Index (in the given order) of the first stay that overlaps an earlier one, or None."""
    order = sorted(range(len(stays)), key=lambda i: stays[i][0])
    for prev, cur in zip(order, order[1:], strict=False):
        if stays[cur][0] < stays[prev][1]:
            return cur
    return None


STEPS = ("on_site", "core_tracing", "full_report")


def sla_clock(*, confirmed_at: dt.datetime, done: dict[str, dt.datetime | None], sla_hours: dict,
              now: dt.datetime) -> list[dict]:
    """Each SLA step with its deadline, when it was done, and whether it is overdue now (or was late)."""
    out = []
    for step in STEPS:
        deadline = confirmed_at + dt.timedelta(hours=sla_hours.get(step, 24))
        at = done.get(step)
        out.append({"step": step, "deadline": deadline, "done_at": at,
                    "overdue": at is None and now > deadline, "late": at is not None and at > deadline,
                    "minutes_left": None if at is not None else round((deadline - now) / MINUTE)})
    return out


def serial_interval_pdf(days: float, *, mean: float, sd: float, family: str = "gamma") -> float:
    """Density of the serial interval at `days` (gamma or lognormal with the rule set's mean and sd)."""
    from scipy import (
        stats,  # local on purpose: scipy.stats takes about a second to import, only infector ranking needs it
    )

    if days <= 0:
        return 0.0
    if family == "lognormal":
        sigma2 = math.log(1 + (sd / mean) ** 2)
        return float(stats.lognorm.pdf(days, s=math.sqrt(sigma2), scale=math.exp(math.log(mean) - sigma2 / 2)))
    shape = (mean / sd) ** 2
    return float(stats.gamma.pdf(days, a=shape, scale=sd * sd / mean))


EXPOSURE_WEIGHT = {"household": 1.0, "close_contact": 1.0, "named": 1.0, "venue": 0.6, "vehicle": 0.6}


def infector_scores(candidates: list[dict], *, serial_interval: dict) -> list[dict]:
    """Rank candidate infectors: exposure weight x serial-interval density, normalised to sum 1.

    Each candidate: {"case_id", "days_before" (onset gap in days), "exposure" (kind)}."""
    scored = []
    for c in candidates:
        density = serial_interval_pdf(c["days_before"], mean=serial_interval.get("mean", 3.0), sd=serial_interval.get("sd", 1.9),
                                      family=serial_interval.get("family", "gamma"))
        w = EXPOSURE_WEIGHT.get(c["exposure"], 0.3) * density
        if w > 0:
            scored.append({**c, "weight": w})
    total = sum(c["weight"] for c in scored)
    for c in scored:
        c["probability"] = round(c["weight"] / total, 3) if total else 0.0
    return sorted(scored, key=lambda c: -c["weight"])


def generations(parent: dict[int, int | None]) -> dict[int, int]:
    """Generation number per case in an infector forest (roots are generation 1); cycles are cut."""
    out: dict[int, int] = {}
    for node in parent:
        chain, cur, seen = [], node, set()
        while cur is not None and cur not in out and cur not in seen:
            seen.add(cur)
            chain.append(cur)
            cur = parent.get(cur)
        base = out.get(cur, 0) if cur is not None and cur in out else 0
        for i, n in enumerate(reversed(chain), 1):
            out[n] = base + i
    return out


def components(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find), each sorted, largest first."""
    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for n in parent:
        groups.setdefault(find(n), []).append(n)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))
