"""`cordon bench placement`: synthetic people and sites (no city needed), solved as in the app.

Target: 500,000 people into 750,000 rooms in <= 5 s, cost within 1% of the optimum of the same model (the
min-cost-flow optimum over every usable arc, certified by the solver's dual check), households kept whole and
every child or dependant with a carer, both checked on the result. The time runs from the people's columns to
rooms (the synthetic city, its Member objects -> columns and the room list are not timed; the conversion is
printed beside). Baseline in the same run: greedy cheapest-site-with-room per household."""

import random
import time
from collections import defaultdict

import numpy as np

from cordon.bench.base import Bench
from cordon.core.figures import print_json, print_table
from cordon.quarantine import solver


def synthetic(*, people: int, sites: int, rooms: int, districts: int = 10, seed: int = 1):
    """Districts on a 5x2 grid of ~10 km squares; origins (grids) and sites scattered inside; households of 1-5."""
    rng = random.Random(seed)
    cols = 5
    boxes = []
    for d in range(districts):
        lon0 = 121.2 + (d % cols) * 0.1
        lat0 = 31.0 + (d // cols) * 0.09
        boxes.append((f"D{d:02d}", lon0, lat0))
    weights = [1.0 + 2.0 * (d % 4 == 0) for d in range(districts)]  # some districts have more people than rooms
    origins = []
    for code, lon0, lat0 in boxes:
        for _ in range(200):
            origins.append(solver.Origin(id=len(origins), lon=lon0 + rng.random() * 0.1, lat=lat0 + rng.random() * 0.09,
                                         district=code))
    by_district = defaultdict(list)
    for o in origins:
        by_district[o.district].append(o)
    site_caps, per_site = [], rooms // sites
    for j in range(sites):
        code, lon0, lat0 = boxes[j % districts]
        free = per_site + (1 if j < rooms - per_site * sites else 0)
        site_caps.append(solver.SiteCap(id=j, district=code, lon=lon0 + rng.random() * 0.1, lat=lat0 + rng.random() * 0.09,
                                        free=free, lends=(j % 3 == 0)))
    members, origin_of, hh = [], {}, 0
    codes = [b[0] for b in boxes]
    while len(members) < people:
        hh += 1
        district = rng.choices(codes, weights)[0]
        origin = rng.choice(by_district[district])
        size = min(people - len(members), rng.choices([1, 2, 3, 4, 5], [35, 30, 20, 10, 5])[0])
        for k in range(size):
            pid = len(members)
            age = rng.randint(1, 13) if (k >= 2 and rng.random() < 0.7) else rng.randint(18, 80)
            members.append(solver.Member(person_id=pid, household=hh, age=age,
                                         pregnant=(k == 1 and rng.random() < 0.05), dependent=rng.random() < 0.01))
            origin_of[pid] = origin.id
    return members, origin_of, origins, site_caps


def columns(members, origin_of) -> solver.People:
    """The synthetic people as the solver's columns (what the app's query would hand over)."""
    return solver.People(person_id=np.array([m.person_id for m in members], dtype=np.int64),
                         household=np.array([-1 if m.household is None else m.household for m in members], dtype=np.int64),
                         age=np.array([m.age for m in members], dtype=np.int64),
                         pregnant=np.array([m.pregnant for m in members], dtype=bool),
                         dependent=np.array([m.dependent for m in members], dtype=bool),
                         origin=np.array([origin_of[m.person_id] for m in members], dtype=np.int64))


def room_columns(sites) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Free rooms of every site: (site index, floor, position), 20 rooms a floor."""
    free = np.array([s.free for s in sites], dtype=np.int64)
    site = np.repeat(np.arange(len(sites)), free)
    r = np.arange(len(site)) - np.repeat(np.cumsum(free) - free, free)
    return site, 1 + r // 20, r % 20


def greedy(units: solver.UnitTable, origins, sites, *, lent_penalty_km: float = 30.0) -> tuple[int, int]:
    """Baseline: households in arrival order, each to the cheapest site that holds it whole."""
    live = ~units.withheld
    row = {o.id: i for i, o in enumerate(origins)}
    matrix = solver.cost_matrix(origins, sites, lent_penalty_km=lent_penalty_km)
    left = np.array([s.free for s in sites], dtype=np.int64)
    first, size, origin = {}, defaultdict(int), {}
    for p, g, o in zip(units.person[live].tolist(), units.group[live].tolist(), units.origin[live].tolist(), strict=True):
        first[g] = min(first.get(g, p), p)
        size[g] += 1
        origin[g] = o
    total = unplaced = 0
    for g in sorted(first, key=first.get):
        costs, need = matrix[row[origin[g]]], size[g]
        cand = np.flatnonzero((costs >= 0) & (left >= need))
        if not len(cand):
            unplaced += need
            continue
        best = int(cand[np.argmin(costs[cand])])
        left[best] -= need
        total += int(costs[best]) * need
    return total, unplaced


def split_households(units: solver.UnitTable, site: np.ndarray) -> int:
    """Households whose placeable units are not all in one site (some elsewhere or left without a room)."""
    live = ~units.withheld
    g, s = units.group[live], site[live]
    pairs = np.unique(np.stack([g, s]), axis=1)
    _groups, counts = np.unique(pairs[0], return_counts=True)
    return int((counts > 1).sum())


def carer_violations(people: solver.People, units: solver.UnitTable, room: np.ndarray) -> dict:
    """From the final rooms only: people in two rooms, rooms over two, people needing care alone in a room or
    with someone who is not an adult of their household needing no care, two people without a carer pair."""
    n = len(people.person_id)
    by_id = np.argsort(people.person_id)
    def rows(ids):
        return by_id[np.searchsorted(people.person_id[by_id], ids)]
    has = units.carer >= 0
    who = np.concatenate([rows(units.person), rows(units.carer[has])])
    where = np.concatenate([room, room[has]])
    twice = int((np.bincount(who, minlength=n) > 1).sum())
    at = np.full(n, -1, dtype=np.int64)
    at[who] = where
    cared = solver.cared_mask(people.age, people.pregnant, people.dependent)
    placed = np.flatnonzero(at >= 0)
    placed = placed[np.argsort(at[placed], kind="stable")]
    r = at[placed]
    first = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.zeros(0, dtype=np.int64)
    occ = np.diff(np.append(first, len(r)))
    over = int((occ > 2).sum())
    alone = int(cared[placed[first[occ == 1]]].sum())
    a, b = placed[first[occ == 2]], placed[first[occ == 2] + 1]
    one_cared = cared[a] ^ cared[b]
    carer = np.where(cared[a], b, a)
    good = (one_cared & (people.age[carer] >= 18) & (people.household[a] == people.household[b])
            & (people.household[a] >= 0))
    return {"in_two_rooms": twice, "rooms_over_two": over, "cared_alone": alone, "bad_pairs": int((~good).sum())}


class PlacementBench(Bench):
    name = "placement"
    help = "Placement proposal: people into site rooms (min-cost flow, households kept whole)."

    arguments = {
        "people": 20000,
        "sites": 300,
        "rooms": 30000,
        "seed": 1,
        "prune": (solver.PRUNE, "arcs per origin in the first flow (the dual check adds what the optimum needs)"),
    }

    # long: one timed run, its independent checks and the same-run baseline, printed as one table
    def run(self, options, stdout):
        people, n_sites, n_rooms = options.get("people") or 20000, options.get("sites") or 300, options.get("rooms") or 30000
        members, origin_of, origins, sites = synthetic(people=people, sites=n_sites, rooms=n_rooms,
                                                       seed=options.get("seed") or 1)
        t = time.perf_counter()
        cols = columns(members, origin_of)
        room_site, room_floor, room_pos = room_columns(sites)
        columns_seconds = time.perf_counter() - t
        t0 = time.perf_counter()
        units = solver.unit_table(cols)
        t_units = time.perf_counter() - t0
        plan = solver.plan(units, origins, sites, prune=options.get("prune") or solver.PRUNE)
        t1 = time.perf_counter()
        room = solver.room_table(plan.site, units.group, room_site, room_floor, room_pos)
        t_rooms = time.perf_counter() - t1
        seconds = time.perf_counter() - t0
        # checked on the result, not assumed: households split, carers, every placed unit with a room in its site
        split = split_households(units, plan.site)
        care = carer_violations(cols, units, room)
        wrong_site = int(((plan.site >= 0) & ((room < 0) | (room_site[np.maximum(room, 0)] != plan.site))).sum())
        t2 = time.perf_counter()
        g_cost, g_unplaced = greedy(units, origins, sites)
        g_seconds = time.perf_counter() - t2
        gap = (plan.total - plan.optimum) / plan.optimum * 100 if plan.optimum else 0.0
        withheld = int(units.withheld.sum())
        steps = {"units": t_units, **plan.seconds, "rooms": t_rooms}
        print_table(stdout, [
            ("people", people), ("room units (carers share)", len(units)), ("sites", len(sites)), ("rooms", n_rooms),
            ("placed units", int((room >= 0).sum())), ("unplaced units", plan.unplaced),
            ("withheld units (need a carer, none queued)", withheld), ("units in lent rooms", int(plan.lent.sum())),
            ("seconds (units+flow+households+rooms)", seconds),
            *[(f"  seconds: {k}", v) for k, v in steps.items()],
            ("seconds: members -> columns (not in the figure)", columns_seconds),
            ("arcs in the last flow / usable arcs", f"{plan.arcs:,} / {plan.arcs_full:,}"),
            ("flows solved (dual check rounds)", plan.rounds),
            ("cost (10 m units)", plan.total), ("optimum of the flow model (all arcs)", plan.optimum),
            ("gap to optimum %", gap), ("within 1% of the optimum", "yes" if gap <= 1.0 else "no"),
            ("households split across sites", split),
            ("carer violations (checked on the rooms)", sum(care.values())), ("units without a room in their site", wrong_site),
            ("baseline greedy seconds", g_seconds), ("baseline greedy cost", g_cost),
            ("baseline greedy unplaced", g_unplaced),
        ], title="placement")
        out = {"people": people, "rooms": n_rooms, "units": len(units), "sites": len(sites), "seconds": round(seconds, 3),
               "steps": {k: round(v, 3) for k, v in steps.items()}, "cost": plan.total, "optimum": plan.optimum,
               "gap_pct": round(gap, 4), "within_1pct": gap <= 1.0, "unplaced": plan.unplaced, "withheld": withheld,
               "split_households": split, "carer_violations": care, "units_without_room": wrong_site,
               "arcs": plan.arcs, "arcs_full": plan.arcs_full, "flow_rounds": plan.rounds,
               "baseline_greedy_cost": g_cost, "baseline_greedy_seconds": round(g_seconds, 3)}
        print_json(stdout, out)
        return out


BENCHES = {"placement": PlacementBench()}
