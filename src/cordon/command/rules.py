"""Pure rules of the command module: task outcomes, escalation targets, reminder and ledger deadlines,
dispatch matching. No ORM; policy values are passed in."""

import datetime as dt

import numpy as np
from scipy.optimize import linear_sum_assignment

from cordon.analytics import geo

OPEN_STATUSES = ("open", "in_progress")


def display_name(user) -> str:
    """How a person is named in lists and messages: full name, else user name; "" for nobody."""
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def task_outcome(*, status: str, deadline: dt.datetime, done_at: dt.datetime | None, now: dt.datetime) -> str:
    """on_time | late | open | overdue | cancelled for one task."""
    if status == "cancelled":
        return "cancelled"
    if status == "done":
        return "on_time" if done_at is not None and done_at <= deadline else "late"
    return "overdue" if deadline < now else "open"


def superior_paths(region_path: str, *, below_depth: int) -> list[str]:
    """Ancestor paths of `region_path` strictly above depth `below_depth`, nearest first."""
    parts = region_path.split(".")
    start = min(len(parts), below_depth - 1)
    return [".".join(parts[:d]) for d in range(start, 0, -1)]


def escalation_due(*, deadline: dt.datetime, escalated_at: dt.datetime | None, level: int, now: dt.datetime,
                   every_hours: float, max_level: int) -> bool:
    """An open task past its deadline goes up one level, then again every `every_hours` while still late."""
    if deadline >= now or level >= max_level:
        return False
    if escalated_at is None:
        return True
    return now - escalated_at >= dt.timedelta(hours=every_hours)


def reminder_due(*, deadline: dt.datetime, reminded_at: dt.datetime | None, now: dt.datetime, hours_before: float) -> bool:
    """Remind the owner once when the deadline is within `hours_before` and not yet passed."""
    return reminded_at is None and now <= deadline <= now + dt.timedelta(hours=hours_before)


def ledger_deadline(*, severity: str, found_at: dt.datetime, hours_by_severity: dict) -> dt.datetime:
    """Rectification deadline of a finding from its severity."""
    return found_at + dt.timedelta(hours=float(hours_by_severity.get(severity, 168)))


def distance_km(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> float:
    """Great-circle distance between two (lon, lat) points; 0 when either is unknown."""
    if None in a or None in b:
        return 0.0
    return geo.distance_km(a[0], a[1], b[0], b[1])


def suggest_matches(requests: list[dict], offers: list[dict]) -> list[dict]:
    """Pair requests with offers of the same resource from other districts (minimum total distance, fill
    as much as possible) with the Hungarian method. Items: {id, district, resource, remaining, lon, lat}.
    Returns [{request, offer, quantity, distance_km}]."""
    out = []
    for resource in sorted({r["resource"] for r in requests}):
        reqs = [r for r in requests if r["resource"] == resource and r["remaining"] > 0]
        offs = [o for o in offers if o["resource"] == resource and o["remaining"] > 0]
        if not reqs or not offs:
            continue
        big = 1e9
        cost = np.full((len(reqs), len(offs)), big)
        for i, r in enumerate(reqs):
            for j, o in enumerate(offs):
                if o["district"] == r["district"]:
                    continue
                filled = min(r["remaining"], o["remaining"])
                d = distance_km((r.get("lon"), r.get("lat")), (o.get("lon"), o.get("lat")))
                # Shortfall dominates distance: fill the most first, then go the shortest way.
                cost[i, j] = (r["remaining"] - filled) * 1000.0 + d
        rows, cols = linear_sum_assignment(cost)
        for i, j in zip(rows, cols, strict=True):
            if cost[i, j] >= big:
                continue
            r, o = reqs[i], offs[j]
            out.append({"request": r["id"], "offer": o["id"], "quantity": min(r["remaining"], o["remaining"]),
                        "distance_km": round(distance_km((r.get("lon"), r.get("lat")), (o.get("lon"), o.get("lat"))), 1)})
    return out
