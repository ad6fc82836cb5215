"""`cordon bench placement`: synthetic people and sites (no city needed), solved as in the app.

Target: 20,000 people into 300 sites with 30,000 rooms in <= 10 s, cost within 1% of the optimum of
the same model (the min-cost-flow optimum, computed exactly). Baseline in the same run: greedy
nearest-site-with-room per household."""

import random
import time
from collections import defaultdict

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


def greedy(units, origins, sites, *, lent_penalty_km: float = 30.0) -> tuple[int, int]:
    """Baseline: households in arrival order, each to the cheapest site that holds it whole."""
    left = {s.id: s.free for s in sites}
    by_id = {o.id: o for o in origins}
    groups = defaultdict(list)
    for u in units:
        groups[(u.origin, u.group)].append(u)
    total = unplaced = 0
    for (origin, _g), us in groups.items():
        o = by_id[origin]
        best = None
        for s in sites:
            if left[s.id] < len(us):
                continue
            c = solver.arc_cost(o, s, lent_penalty_km=lent_penalty_km)
            if c is not None and (best is None or c < best[0]):
                best = (c, s.id)
        if best is None:
            unplaced += len(us)
            continue
        left[best[1]] -= len(us)
        total += best[0] * len(us)
    return total, unplaced


class PlacementBench(Bench):
    name = "placement"
    help = "Placement proposal: people into site rooms (min-cost flow, households kept whole)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=20000)
        parser.add_argument("--sites", type=int, default=300)
        parser.add_argument("--rooms", type=int, default=30000)
        parser.add_argument("--seed", type=int, default=1)

    def run(self, options, stdout):
        people, n_sites, n_rooms = options.get("people") or 20000, options.get("sites") or 300, options.get("rooms") or 30000
        members, origin_of, origins, sites = synthetic(people=people, sites=n_sites, rooms=n_rooms,
                                                       seed=options.get("seed") or 1)
        t0 = time.perf_counter()
        units = solver.make_units(members, origin_of)
        result = solver.solve(units, origins, sites)
        per_site = defaultdict(list)
        groups = defaultdict(list)
        for u in units:
            sid = result.site_of.get(u.key)
            if sid is not None:
                groups[(sid, u.group)].append(u.key)
        for (sid, _g), keys in groups.items():
            per_site[sid].append(keys)
        rooms_of_site = {s.id: [(s.id * 1000 + r, 1 + r // 20, r % 20) for r in range(s.free)] for s in sites}
        room_of = {}
        for sid, glist in per_site.items():
            room_of.update(solver.assign_rooms(glist, rooms_of_site[sid]))
        seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        g_cost, g_unplaced = greedy(units, origins, sites)
        g_seconds = time.perf_counter() - t1
        gap = (result.cost - result.optimum) / result.optimum * 100 if result.optimum else 0.0
        lent = sum(1 for v in result.lent.values() if v)
        split = sum(1 for g in {(u.origin, u.group) for u in units}
                    if len({result.site_of.get(u.key) for u in units if (u.origin, u.group) == g}) > 1) if people <= 2000 else None
        print_table(stdout, [
            ("people", people), ("room units (carers share)", len(units)), ("sites", len(sites)), ("rooms", n_rooms),
            ("placed units", len(room_of)), ("unplaced units", result.unplaced), ("units in lent rooms", lent),
            ("seconds (units+flow+households+rooms)", seconds), ("cost (10 m units)", result.cost),
            ("optimum of the flow model", result.optimum), ("gap to optimum %", gap),
            ("baseline greedy seconds", g_seconds), ("baseline greedy cost", g_cost),
            ("baseline greedy unplaced", g_unplaced),
        ] + ([("households split across sites", split)] if split is not None else []), title="placement")
        out = {"people": people, "rooms": n_rooms, "units": len(units), "sites": len(sites), "seconds": round(seconds, 3),
               "cost": result.cost, "optimum": result.optimum, "gap_pct": round(gap, 4), "unplaced": result.unplaced,
               "baseline_greedy_cost": g_cost, "baseline_greedy_seconds": round(g_seconds, 3)}
        print_json(stdout, out)
        return out


BENCHES = {"placement": PlacementBench()}
