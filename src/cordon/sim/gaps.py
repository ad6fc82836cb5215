"""The response's targets, its bottleneck and what would close each gap, for a finished twin run.

Targets (China CDC practice and Kucharski et al. 2020 as anchors): contacts identified within 5 minutes of a
case's confirmation; median confirmation -> contacts in a site <= 6 h with the modelled transport and rooms;
>= 90% of the infections from day 14 on among people already under measures; recall of the true contacts
where the platform holds the data (household, check-ins at workplaces, schools, venues and transport) >= 0.9.

Resources and how the twin models them: tracers decide a case's proposed contacts a fixed `tracer_hours` after
confirmation (a turnaround, no queue); rooms are the sites opened at the start (`rooms_per_1000`), assigned at
the placement runs; transport takes a person whose room was assigned at one placement run to the site at the
next (runs every `placement_every_hours` from 02:00); the lab reports a clinic swab `clinic_result_hours` after
it is taken and a screening round's tubes the next night. A placement's delay from the case's confirmation
splits into tracers (confirmation -> decision), rooms (decision -> room assigned: the wait for the next run and
for a free room) and transport (room assigned -> arrival).

What would close a gap is queue arithmetic over the run's own placements (each placement's decision and extra
room wait kept, the runs' times recomputed for another cadence or turnaround), checked by a re-run where the
docs say so; rooms needed are the run's peak of people in sites plus people waiting."""

from __future__ import annotations

import numpy as np

from cordon.sim.tracing import distribution

TARGETS = {"minutes_to_contacts_identified": 5.0, "hours_to_contacts_placed": 6.0, "share_under_measures": 0.9,
           "recall_where_data": 0.9}
CADENCES = (4.0, 3.0, 2.0, 1.0)  # hours between transport runs tried by the arithmetic
FIRST_RUN_HOUR = 2.0


def next_run(t: float, every_hours: float) -> float:
    """The first placement run at or after t (days): runs at 02:00 and every `every_hours` after, within the day."""
    hours = np.arange(FIRST_RUN_HOUR, 24.0, every_hours)
    day = np.floor(t)
    h = (t - day) * 24.0
    later = hours[hours >= h - 1e-9]
    return float(day + (later[0] if len(later) else 24.0 + hours[0]) / 24.0)


def stages(placements: list[dict]) -> dict:
    """Median and p90 hours of each stage of confirmation -> arrival: tracers, rooms, transport, and the total."""
    out = {"tracers": [], "rooms": [], "transport": [], "total": []}
    for p in placements:
        out["tracers"].append((p["decided"] - p["confirmed"]) * 24)
        out["rooms"].append((p["assigned"] - p["decided"]) * 24)
        out["transport"].append((p["arrived"] - p["assigned"]) * 24)
        out["total"].append((p["arrived"] - p["confirmed"]) * 24)
    return {k: distribution(v) for k, v in out.items()}


def replay(placements: list[dict], *, every_hours: float, now_every_hours: float, tracer_hours: float | None = None) -> float | None:
    """Median hours confirmation -> arrival had the transport run every `every_hours` (and tracers decided after
    `tracer_hours`, when given): each placement keeps its extra wait for a room beyond the first run it could take."""
    totals = []
    for p in placements:
        extra = max(0.0, p["assigned"] - next_run(p["decided"], now_every_hours))
        decided = p["confirmed"] + tracer_hours / 24.0 if tracer_hours is not None else p["decided"]
        assigned = next_run(decided, every_hours) + extra
        totals.append((assigned + every_hours / 24.0 - p["confirmed"]) * 24)
    return round(float(np.median(totals)), 2) if totals else None


# long: one block per target, each a few lines of arithmetic over the same measured figures
def assess(*, placements: list[dict], identified_minutes: list[float], under: dict, recall: dict, resources: dict,
           cfg) -> dict:
    """Targets met or not, the bottleneck of the placement delay, and for each missed target the resource and how
    much more of it would meet the target (with the method: queue arithmetic, or what the figures show)."""
    st = stages(placements)
    medians = {k: st[k]["median_h"] for k in ("tracers", "rooms", "transport")}
    bottleneck = max((k for k in medians if medians[k] is not None), key=lambda k: medians[k], default=None)
    rooms = resources["rooms"]
    if rooms.get("unplaced", 0) > len(placements):
        bottleneck = "rooms"  # most people asked for a room never reached one: the placed ones' delays hide it
    targets = []
    ident = float(np.median(identified_minutes)) if identified_minutes else None
    targets.append({"code": "minutes_to_contacts_identified", "goal": TARGETS["minutes_to_contacts_identified"],
                    "value": None if ident is None else round(ident, 1),
                    "met": None if ident is None else ident <= TARGETS["minutes_to_contacts_identified"],
                    "resource": None, "fix": None})
    total = st["total"]["median_h"]
    goal = TARGETS["hours_to_contacts_placed"]
    fix = None
    censored = rooms.get("unplaced", 0) > len(placements)  # the median over everyone asked is beyond the run
    if total is not None and (total > goal or censored):
        every = cfg.placement_every_hours
        for k in [c for c in CADENCES if c < every]:
            median = replay(placements, every_hours=k, now_every_hours=every)
            if median is not None and median <= goal:
                fix = {"resource": "transport", "now": every, "needed": k, "median_h": median, "method": "arithmetic"}
                break
        if fix is None:  # transport alone cannot: tracers as well, at the fastest cadence tried
            for h in (1.0, 0.5, 0.25):
                median = replay(placements, every_hours=CADENCES[-1], now_every_hours=every, tracer_hours=h)
                if median is not None and median <= goal:
                    fix = {"resource": "tracers", "now": cfg.tracer_hours, "needed": h, "transport_every": CADENCES[-1],
                           "median_h": median, "method": "arithmetic"}
                    break
        if rooms["needed"] > rooms["opened"]:
            rooms_fix = {"resource": "rooms", "now": rooms["opened"], "needed": rooms["needed"], "method": "peak"}
            if fix is None:
                fix = rooms_fix
            elif bottleneck == "rooms":  # rooms first; what transport would do for those placed stays beside it
                fix = {**rooms_fix, "also": fix}
            else:
                fix = {**fix, "also": rooms_fix}
    targets.append({"code": "hours_to_contacts_placed", "goal": goal, "value": total, "unplaced": rooms.get("unplaced", 0),
                    "met": None if total is None else total <= goal and not censored, "resource": fix["resource"] if fix else bottleneck,
                    "fix": fix})
    share = under.get("share")
    misses = under.get("misses", {})
    detection = misses.get("before_infector_confirmed", 0) + misses.get("infector_not_confirmed", 0)
    targets.append({"code": "share_under_measures", "goal": TARGETS["share_under_measures"], "value": share,
                    "met": None if share is None else share >= TARGETS["share_under_measures"],
                    "resource": None if share is None or share >= TARGETS["share_under_measures"] else
                    ("lab" if detection >= misses.get("infector_under_measures", 0) else "home_measures"),
                    "fix": None if share is None or share >= TARGETS["share_under_measures"] else
                    {"misses": misses, "lead_hours": under.get("lead_hours"), "method": "causes"}})
    value = recall.get("recall_where_data")
    targets.append({"code": "recall_where_data", "goal": TARGETS["recall_where_data"], "value": value,
                    "met": None if value is None else value >= TARGETS["recall_where_data"],
                    "resource": None if value is None or value >= TARGETS["recall_where_data"] else "identification",
                    "fix": None if value is None or value >= TARGETS["recall_where_data"] else
                    {"missed": recall.get("missed_contacts"), "before_window": recall.get("missed_before_window"),
                     "settings": [s for s, row in recall["by_setting"].items()
                                  if row.get("recall") is not None and row["recall"] < TARGETS["recall_where_data"]],
                     "method": "causes"}})
    return {"stages": st, "bottleneck": bottleneck, "resources": resources, "targets": targets,
            "targets_met": sum(1 for t in targets if t["met"]), "targets_measured": sum(1 for t in targets if t["met"] is not None)}
