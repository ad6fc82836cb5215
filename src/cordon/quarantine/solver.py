"""Placement solver (pure, no ORM): people -> room units -> sites -> rooms.

1. Room units: one person per room, except that a child under the age limit, a pregnant woman or a
   dependent person shares a room with one carer from the same household (the rule set says which). A
   person needing care for whom no carer is queued is never placed alone: the unit is withheld before the
   flow (it takes no room and is listed in Result.withheld), so the optimiser sees each dependant and carer
   as one room-sized unit and never a dependant on their own.
2. Sites: a min-cost flow (OR-Tools SimpleMinCostFlow) from origins (people at the same place share
   their costs) to sites with their free rooms. Cost: distance in units of 10 m, plus a penalty for a
   room lent by another district; sites of other districts that do not lend get no arc. Units that
   find no room flow to an "unplaced" arc with a prohibitive cost. The flow's optimal cost is the exact
   optimum of this model (households may split across sites in it: a lower bound for the real plan).
3. Households: each household's units are packed whole into the flow's quotas of its origin (best fit,
   largest first); what does not fit goes whole to the cheapest site with room left.
4. Rooms: inside a site a household takes a run of neighbouring rooms on one floor when there is one.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from ortools.graph.python import min_cost_flow

COST_PER_KM = 100
UNPLACED_COST = 10**7


@dataclass
class Member:
    person_id: int
    household: int | None
    age: int
    pregnant: bool = False
    dependent: bool = False


@dataclass
class Unit:
    """One room's worth of people: a person, or a person needing care plus one carer."""

    key: int
    person_ids: list[int]
    group: int  # household (or the person alone): kept together
    origin: int
    carer_of: int | None = None  # person id cared for when the unit holds a carer
    needs_carer: bool = False  # a dependant without a carer: withheld, never placed alone


@dataclass
class Origin:
    id: int
    lon: float
    lat: float
    district: str


@dataclass
class SiteCap:
    id: int
    district: str
    lon: float
    lat: float
    free: int
    lends: bool = False


@dataclass
class Result:
    site_of: dict[int, int | None]  # unit key -> site id (None: unplaced)
    cost: int  # cost of the plan (placed units)
    optimum: int  # optimum of the flow model on the same costs (placed units)
    unplaced: int
    unit_cost: dict[int, int] = field(default_factory=dict)
    lent: dict[int, bool] = field(default_factory=dict)
    withheld: list[int] = field(default_factory=list)  # unit keys of dependants waiting for a carer


def needs_carer(m: Member, *, child_age_limit: int, carer_for: list[str]) -> bool:
    """Does this person qualify for a carer in the room under the rule set?"""
    return (("child_under_14" in carer_for and m.age < child_age_limit)
            or ("pregnant" in carer_for and m.pregnant)
            or ("dependent" in carer_for and m.dependent))


def make_units(members: list[Member], origin_of: dict[int, int], *, child_age_limit: int = 14,
               carer_for: list[str] | tuple = ("child_under_14", "pregnant", "dependent")) -> list[Unit]:
    """Group people into room units: carers join the person they care for, one per room otherwise."""
    by_household: dict[object, list[Member]] = defaultdict(list)
    for m in members:
        by_household[m.household if m.household is not None else ("p", m.person_id)].append(m)
    units: list[Unit] = []
    for hh, people in by_household.items():
        group = hh if isinstance(hh, int) else -people[0].person_id
        cared = [m for m in people if needs_carer(m, child_age_limit=child_age_limit, carer_for=list(carer_for))]
        carers = [m for m in people if m.age >= 18 and m not in cared]
        carers.sort(key=lambda m: m.age)
        used: set[int] = set()
        # Youngest first: they need a carer most.
        for m in sorted(cared, key=lambda m: m.age):
            carer = next((c for c in carers if c.person_id not in used), None)
            ids = [m.person_id]
            if carer is not None:
                used.add(carer.person_id)
                ids.append(carer.person_id)
            units.append(Unit(key=len(units), person_ids=ids, group=group, origin=origin_of[m.person_id],
                              carer_of=m.person_id if carer is not None else None, needs_carer=carer is None))
        for m in people:
            if m in cared or m.person_id in used:
                continue
            units.append(Unit(key=len(units), person_ids=[m.person_id], group=group, origin=origin_of[m.person_id]))
    return units


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Equirectangular distance; good to a few metres inside a city."""
    x = (lon1 - lon2) * math.cos(math.radians((lat1 + lat2) / 2)) * 111.32
    y = (lat1 - lat2) * 110.57
    return math.hypot(x, y)


def arc_cost(o: Origin, s: SiteCap, *, lent_penalty_km: float) -> int | None:
    """Cost of one room of site s for a person from origin o; None when the room may not be used."""
    lent = s.district != o.district
    if lent and not s.lends:
        return None
    km = distance_km(o.lon, o.lat, s.lon, s.lat) + (lent_penalty_km if lent else 0)
    return int(round(km * COST_PER_KM))


def cost_matrix(origins: list[Origin], sites: list[SiteCap], *, lent_penalty_km: float) -> np.ndarray:
    """arc_cost for every origin and site at once (numpy); -1 where the room may not be used."""
    if not origins or not sites:
        return np.full((len(origins), len(sites)), -1, dtype=np.int64)
    olon = np.array([o.lon for o in origins])[:, None]
    olat = np.array([o.lat for o in origins])[:, None]
    slon = np.array([s.lon for s in sites])[None, :]
    slat = np.array([s.lat for s in sites])[None, :]
    x = (olon - slon) * np.cos(np.radians((olat + slat) / 2)) * 111.32
    y = (olat - slat) * 110.57
    km = np.hypot(x, y)
    od = np.array([o.district for o in origins], dtype=object)[:, None]
    sd = np.array([s.district for s in sites], dtype=object)[None, :]
    lent = od != sd
    lends = np.array([s.lends for s in sites])[None, :]
    cost = np.rint((km + np.where(lent, lent_penalty_km, 0.0)) * COST_PER_KM).astype(np.int64)
    usable = (~lent | lends) & (np.array([s.free for s in sites])[None, :] > 0)
    return np.where(usable, cost, -1)


# long: one MILP formulation (variables, family and carer constraints, objective) kept together so it reads like the model it is
def solve(units: list[Unit], origins: list[Origin], sites: list[SiteCap], *, lent_penalty_km: float = 30.0) -> Result:  # noqa: C901 - one MILP formulation, one branch per constraint family
    """Place units into sites: exact min-cost flow, then households kept whole (see module doc).

    Units needing a carer that have none are withheld: no site, not counted as unplaced, listed in withheld."""
    withheld = [u.key for u in units if u.needs_carer]
    if withheld:
        placeable = [u for u in units if not u.needs_carer]
        result = solve(placeable, origins, sites, lent_penalty_km=lent_penalty_km)
        result.site_of.update(dict.fromkeys(withheld))
        result.withheld = withheld
        return result
    if not units:
        return Result(site_of={}, cost=0, optimum=0, unplaced=0)
    supply = defaultdict(int)
    for u in units:
        supply[u.origin] += 1
    origin_list = [o for o in origins if supply.get(o.id)]
    n_o, n_s = len(origin_list), len(sites)
    sink = n_o + n_s
    matrix = cost_matrix(origin_list, sites, lent_penalty_km=lent_penalty_km)
    oi, sj = np.nonzero(matrix >= 0)
    sup = np.array([supply[o.id] for o in origin_list], dtype=np.int64)
    tails = np.concatenate([oi, np.arange(n_o), n_o + np.arange(n_s)]).astype(np.int32)
    heads = np.concatenate([n_o + sj, np.full(n_o, sink), np.full(n_s, sink)]).astype(np.int32)
    caps = np.concatenate([sup[oi], sup, np.array([max(0, s.free) for s in sites], dtype=np.int64)])
    costs = np.concatenate([matrix[oi, sj], np.full(n_o, UNPLACED_COST), np.zeros(n_s)]).astype(np.int64)
    o_index = {o.id: i for i, o in enumerate(origin_list)}
    s_index = {s.id: j for j, s in enumerate(sites)}

    class _Costs:
        def __contains__(self, key):
            return key[0] in o_index and matrix[o_index[key[0]], s_index[key[1]]] >= 0

        def __getitem__(self, key):
            return int(matrix[o_index[key[0]], s_index[key[1]]])

    cost_of = _Costs()
    site_arc_start = len(tails) - n_s
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n_o + n_s + 1, dtype=np.int64)
    for i, o in enumerate(origin_list):
        supplies[i] = supply[o.id]
    supplies[sink] = -len(units)
    flow.set_nodes_supplies(np.arange(n_o + n_s + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(_("placement flow not solved: %(status)s") % {"status": status})
    flows = flow.flows(np.arange(site_arc_start, dtype=np.int32))
    quota: dict[int, dict[int, int]] = defaultdict(dict)  # origin -> site -> rooms
    flow_unplaced = 0
    for a in np.nonzero(flows)[0]:
        i, h, f = int(tails[a]), int(heads[a]), int(flows[a])
        if h == sink:
            flow_unplaced += f
        else:
            quota[origin_list[i].id][sites[h - n_o].id] = f
    optimum = int(flow.optimal_cost()) - flow_unplaced * UNPLACED_COST

    residual = {s.id: max(0, s.free) for s in sites}
    for q in quota.values():
        for sid, f in q.items():
            residual[sid] -= f
    groups: dict[tuple[int, int], list[Unit]] = defaultdict(list)
    for u in units:
        groups[(u.origin, u.group)].append(u)
    by_origin: dict[int, list[list[Unit]]] = defaultdict(list)
    for (origin, _g), us in groups.items():
        by_origin[origin].append(us)
    site_of: dict[int, int | None] = {}
    leftovers: list[list[Unit]] = []
    for origin, glist in by_origin.items():
        q = quota.get(origin, {})
        glist.sort(key=lambda us: -len(us))
        for us in glist:
            fits = [sid for sid, left in q.items() if left >= len(us)]
            if not fits:
                leftovers.append(us)
                continue
            # best fit: the cheapest site among those whose quota holds the whole household
            sid = min(fits, key=lambda s: (cost_of[(origin, s)], q[s]))
            q[sid] -= len(us)
            for u in us:
                site_of[u.key] = sid
        for sid, left in q.items():
            residual[sid] += left
    origin_by_id = {o.id: o for o in origins}
    site_by_id = {s.id: s for s in sites}
    leftovers.sort(key=lambda us: -len(us))
    for us in leftovers:
        origin = us[0].origin
        cands = [(cost_of[(origin, sid)], sid) for sid, left in residual.items()
                 if left >= len(us) and (origin, sid) in cost_of]
        if cands:
            _c, sid = min(cands)
            residual[sid] -= len(us)
            for u in us:
                site_of[u.key] = sid
            continue
        # No site holds the household whole: nearest rooms wherever they are, else unplaced.
        for u in us:
            cands = [(cost_of[(origin, sid)], sid) for sid, left in residual.items()
                     if left > 0 and (origin, sid) in cost_of]
            if cands:
                _c, sid = min(cands)
                residual[sid] -= 1
                site_of[u.key] = sid
            else:
                site_of[u.key] = None
    unit_cost, lent, total, unplaced = {}, {}, 0, 0
    for u in units:
        sid = site_of.get(u.key)
        if sid is None:
            unplaced += 1
            continue
        c = cost_of[(u.origin, sid)]
        unit_cost[u.key] = c
        lent[u.key] = site_by_id[sid].district != origin_by_id[u.origin].district
        total += c
    return Result(site_of=site_of, cost=total, optimum=optimum, unplaced=unplaced, unit_cost=unit_cost, lent=lent)


def assign_rooms(groups: list[list[int]], rooms: list[tuple[int, int, int]]) -> dict[int, int]:
    """Rooms inside one site: groups (lists of unit keys) get runs of neighbouring free rooms on one floor.

    rooms: (room_id, floor, position) of the free rooms. Largest groups first; a group takes the first
    run on a floor long enough for it, else the free rooms nearest each other."""
    free = sorted(rooms, key=lambda r: (r[1], r[2]))
    taken = [False] * len(free)
    out: dict[int, int] = {}
    for units in sorted(groups, key=lambda g: -len(g)):
        need = len(units)
        start = _find_run(free, taken, need)
        if start is None:
            idx = [i for i, t in enumerate(taken) if not t][:need]
        else:
            idx = list(range(start, start + need))
        for key, i in zip(units, idx, strict=False):
            taken[i] = True
            out[key] = free[i][0]
    return out


def _find_run(free, taken, need: int) -> int | None:
    """First index of `need` untaken rooms on one floor with consecutive positions."""
    run_start, run_len, prev = 0, 0, None
    for i, (_rid, floor, pos) in enumerate(free):
        if taken[i]:
            run_len, prev = 0, None
            continue
        if run_len and prev is not None and prev == (floor, pos - 1):
            run_len += 1
        else:
            run_start, run_len = i, 1
        prev = (floor, pos)
        if run_len >= need:
            return run_start
    return None
