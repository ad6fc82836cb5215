"""Placement solver (pure, no ORM): people -> room units -> sites -> rooms, on NumPy columns.

1. Room units (unit_table): one person per room, except that a child under the age limit, a pregnant woman or
   a dependent person shares a room with one carer from the same household (the rule set says which; the
   youngest is served first, by the youngest adult who needs no care). A person needing care for whom no
   carer is queued is never placed alone: the unit is withheld before the flow (it takes no room), so the
   optimiser sees each dependant and carer as one room-sized unit and never a dependant on their own.
2. Sites (plan): a min-cost flow (OR-Tools SimpleMinCostFlow) from origins (people at the same place share
   their costs) to sites with their free rooms. Cost: distance in units of 10 m, plus a penalty for a room
   lent by another district; sites of other districts that do not lend get no arc. Units that find no room
   flow to an "unplaced" arc with a prohibitive cost. The flow first gets only each origin's `prune`
   cheapest arcs; then node potentials (shortest distances in the residual graph) prove that no left-out
   arc has a negative reduced cost, or the arcs that do are added and the flow solved again. So the cost
   reported as the optimum is the exact optimum of the full model (every usable arc), certified by the
   dual, not an estimate. Households may split across sites in that model: it is a lower bound for a plan.
3. Households (_pack): per origin, households (largest first) are laid along the flow's quotas (cheapest site
   first); a household that would straddle two quotas goes whole to the cheapest site with room left.
   Only a household that no site can hold whole is split (counted in Plan.split).
4. Rooms (room_table): inside a site a household takes a run of neighbouring rooms on one floor (the first
   run long enough, largest households first), else the first free rooms.

The list-of-objects interface (make_units, solve, assign_rooms) used by the app wraps the column functions.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from ortools.graph.python import min_cost_flow

COST_PER_KM = 100
UNPLACED_COST = 10**7
PRUNE = 16  # arcs per origin in the first flow (the cheapest); the dual check adds any others the optimum needs
CARER_FOR = ("child_under_14", "pregnant", "dependent")


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
    split: int = 0  # households whose units are not all in one site


@dataclass
class People:
    """One row per person (NumPy arrays of one length); household -1: none; origin: an Origin id."""

    person_id: np.ndarray
    household: np.ndarray
    age: np.ndarray
    pregnant: np.ndarray
    dependent: np.ndarray
    origin: np.ndarray


@dataclass
class UnitTable:
    """One row per room unit: the person (the one cared for when there is a carer), the carer or -1."""

    person: np.ndarray
    carer: np.ndarray
    group: np.ndarray  # household id, or -person_id - 1 for someone without one
    origin: np.ndarray  # Origin id
    withheld: np.ndarray  # bool: needs a carer and has none queued

    def __len__(self) -> int:
        return len(self.person)


@dataclass
class Plan:
    """Sites for a UnitTable: site is an index into the sites list (-1: unplaced or withheld)."""

    site: np.ndarray
    cost: np.ndarray  # per unit (0 when not placed)
    lent: np.ndarray  # per unit: a room lent by another district
    total: int
    optimum: int  # exact optimum of the flow model (placed units), certified by the dual check
    unplaced: int
    split: int
    arcs: int = 0  # arcs given to the last flow
    arcs_full: int = 0  # usable arcs of the full model
    rounds: int = 0  # flows solved (1: the pruned arcs were proven enough at once)
    seconds: dict = field(default_factory=dict)


def needs_carer(m: Member, *, child_age_limit: int, carer_for: list[str]) -> bool:
    """Does this person qualify for a carer in the room under the rule set?"""
    return (("child_under_14" in carer_for and m.age < child_age_limit)
            or ("pregnant" in carer_for and m.pregnant)
            or ("dependent" in carer_for and m.dependent))


def cared_mask(age: np.ndarray, pregnant: np.ndarray, dependent: np.ndarray, *, child_age_limit: int = 14,
               carer_for=CARER_FOR) -> np.ndarray:
    """needs_carer for columns of people."""
    out = np.zeros(len(age), dtype=bool)
    if "child_under_14" in carer_for:
        out |= age < child_age_limit
    if "pregnant" in carer_for:
        out |= pregnant.astype(bool)
    if "dependent" in carer_for:
        out |= dependent.astype(bool)
    return out


def unit_table(people: People, *, child_age_limit: int = 14, carer_for=CARER_FOR) -> UnitTable:
    """Room units for columns of people: in each household the k-th youngest person needing care shares a room
    with the k-th youngest adult needing none; one room per person otherwise."""
    n = len(people.person_id)
    pid = np.asarray(people.person_id, dtype=np.int64)
    age = np.asarray(people.age, dtype=np.int64)
    cared = cared_mask(age, np.asarray(people.pregnant), np.asarray(people.dependent),
                       child_age_limit=child_age_limit, carer_for=carer_for)
    hh = np.asarray(people.household, dtype=np.int64)
    group = np.where(hh >= 0, hh, -pid - 1)
    kind = np.where(cared, 0, np.where(age >= 18, 1, 2))  # 0 needs care, 1 may care, 2 neither
    order = np.lexsort((np.arange(n), age, kind, group))
    gs, ks = group[order], kind[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (gs[1:] != gs[:-1]) | (ks[1:] != ks[:-1])
    starts = np.flatnonzero(new)
    block = np.cumsum(new) - 1
    lens = np.diff(np.append(starts, n))
    rank = np.arange(n) - starts[block]
    cp = np.flatnonzero(ks == 0)  # sorted positions of people needing care
    nxt = starts[block[cp]] + lens[block[cp]]  # first position after their block: the carers' block if any
    nx = np.minimum(nxt, max(n - 1, 0))
    has_carers = (nxt < n) & (gs[nx] == gs[cp]) & (ks[nx] == 1)
    paired = has_carers & (rank[cp] < np.where(has_carers, lens[block[nx]], 0))
    carer_pos = np.where(paired, nxt + rank[cp], 0)
    used = np.zeros(n, dtype=bool)
    used[carer_pos[paired]] = True
    single = np.flatnonzero((ks != 0) & ~used)
    rows = np.concatenate([order[cp], order[single]])
    carer = np.concatenate([np.where(paired, pid[order[carer_pos]], -1), np.full(len(single), -1)])
    origin = np.asarray(people.origin, dtype=np.int64)
    return UnitTable(person=pid[rows], carer=carer.astype(np.int64), group=group[rows], origin=origin[rows],
                     withheld=np.concatenate([~paired, np.zeros(len(single), dtype=bool)]))


def make_units(members: list[Member], origin_of: dict[int, int], *, child_age_limit: int = 14,
               carer_for: list[str] | tuple = CARER_FOR) -> list[Unit]:
    """Group people into room units: carers join the person they care for, one per room otherwise."""
    people = People(person_id=np.array([m.person_id for m in members], dtype=np.int64),
                    household=np.array([-1 if m.household is None else m.household for m in members], dtype=np.int64),
                    age=np.array([m.age for m in members], dtype=np.int64),
                    pregnant=np.array([bool(m.pregnant) for m in members], dtype=bool),
                    dependent=np.array([bool(m.dependent) for m in members], dtype=bool),
                    origin=np.array([origin_of[m.person_id] for m in members], dtype=np.int64))
    t = unit_table(people, child_age_limit=child_age_limit, carer_for=tuple(carer_for))
    return [Unit(key=k, person_ids=[p] if c < 0 else [p, c], group=g, origin=o, carer_of=p if c >= 0 else None,
                 needs_carer=w)
            for k, (p, c, g, o, w) in enumerate(zip(t.person.tolist(), t.carer.tolist(), t.group.tolist(),
                                                    t.origin.tolist(), t.withheld.tolist(), strict=True))]


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
    return _costs(origins, sites, lent_penalty_km=lent_penalty_km)[0]


def _costs(origins: list[Origin], sites: list[SiteCap], *, lent_penalty_km: float) -> tuple[np.ndarray, np.ndarray]:
    """(cost_matrix, lent: the site is of another district), the same operations as arc_cost done in place."""
    if not origins or not sites:
        shape = (len(origins), len(sites))
        return np.full(shape, -1, dtype=np.int64), np.zeros(shape, dtype=bool)
    olon = np.array([o.lon for o in origins])[:, None]
    olat = np.array([o.lat for o in origins])[:, None]
    slon = np.array([s.lon for s in sites])[None, :]
    slat = np.array([s.lat for s in sites])[None, :]
    t = olat + slat
    t /= 2
    np.radians(t, out=t)
    np.cos(t, out=t)
    x = olon - slon
    x *= t
    x *= 111.32
    np.subtract(olat, slat, out=t)
    t *= 110.57
    np.hypot(x, t, out=x)
    codes = {d: i for i, d in enumerate(sorted({o.district for o in origins} | {s.district for s in sites}))}
    lent = np.array([codes[o.district] for o in origins])[:, None] != np.array([codes[s.district] for s in sites])[None, :]
    x[lent] += lent_penalty_km
    x *= COST_PER_KM
    np.rint(x, out=x)
    cost = x.astype(np.int64)
    cost[lent & ~np.array([s.lends for s in sites])[None, :]] = -1
    cost[:, np.array([s.free for s in sites]) <= 0] = -1
    return cost, lent


def _cheapest_arcs(matrix: np.ndarray, k: int, among: np.ndarray | None = None) -> np.ndarray:
    """Mask of each origin's k cheapest usable arcs (among the masked ones when `among` is given)."""
    usable = matrix >= 0 if among is None else (matrix >= 0) & among
    if k >= matrix.shape[1]:
        return usable
    big = np.where(usable, matrix, np.iinfo(np.int64).max)
    part = np.argpartition(big, k - 1, axis=1)[:, :k]
    mask = np.zeros_like(usable)
    np.put_along_axis(mask, part, True, axis=1)
    return mask & usable


def _potentials(tails: np.ndarray, heads: np.ndarray, costs: np.ndarray, n: int) -> np.ndarray | None:
    """Shortest distances from a virtual root (0 to every node) over the given arcs: Bellman-Ford, one NumPy
    pass per round. None when it does not settle (a negative cycle: the flow was not optimal)."""
    by_head = np.argsort(heads, kind="stable")
    t, c, h = tails[by_head], costs[by_head], heads[by_head]
    first = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if len(h) else np.zeros(0, dtype=np.int64)
    hs = h[first]
    d = np.zeros(n, dtype=np.int64)
    for _round in range(n + 1):
        if not len(h):
            return d
        best = np.minimum.reduceat(d[t] + c, first)
        better = best < d[hs]
        if not better.any():
            return d
        d[hs[better]] = best[better]
    return None


def _flow(matrix: np.ndarray, supply: np.ndarray, free: np.ndarray, mask: np.ndarray):
    """Min-cost flow on the masked arcs: (arc origin, arc site, flow, cost of placed units, unplaced, potentials)."""
    n_o, n_s = matrix.shape
    sink = n_o + n_s
    oi, sj = np.nonzero(mask)
    tails = np.concatenate([oi, np.arange(n_o), n_o + np.arange(n_s)]).astype(np.int32)
    heads = np.concatenate([n_o + sj, np.full(n_o, sink), np.full(n_s, sink)]).astype(np.int32)
    caps = np.concatenate([supply[oi], supply, free]).astype(np.int64)
    costs = np.concatenate([matrix[oi, sj], np.full(n_o, UNPLACED_COST), np.zeros(n_s)]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_o] = supply
    supplies[sink] = -int(supply.sum())
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(_("placement flow not solved: %(status)s") % {"status": status})
    f = flow.flows(np.arange(len(tails), dtype=np.int32))
    unplaced = int(f[len(oi):len(oi) + n_o].sum())
    # the residual graph: an arc forward while below capacity, backward while it carries flow
    fwd, back = f < caps, f > 0
    rt = np.concatenate([tails[fwd], heads[back]]).astype(np.int64)
    rh = np.concatenate([heads[fwd], tails[back]]).astype(np.int64)
    rc = np.concatenate([costs[fwd], -costs[back]])
    pot = _potentials(rt, rh, rc, sink + 1)
    on = f[:len(oi)] > 0
    return oi[on], sj[on], f[:len(oi)][on], int(flow.optimal_cost()) - unplaced * UNPLACED_COST, unplaced, pot


def _optimal_quotas(matrix: np.ndarray, lent: np.ndarray, supply: np.ndarray, free: np.ndarray, prune: int):
    """The exact optimum of the full model from pruned flows: solve on each origin's cheapest arcs (and cheapest
    lent ones: a district short of rooms needs them), add the left-out arcs with the most negative reduced costs
    under the flow's potentials (at most `prune` per origin a round), repeat until no left-out arc has one."""
    usable = matrix >= 0
    k = max(1, prune)
    mask = _cheapest_arcs(matrix, k) | _cheapest_arcs(matrix, max(1, k // 4), among=lent)
    n_o, n_s = matrix.shape
    rounds = 0
    while True:
        rounds += 1
        oi, sj, f, optimum, unplaced, pot = _flow(matrix, supply, free, mask)
        if pot is None:  # cannot happen after an optimal solve; never certify without potentials
            if mask.sum() == usable.sum():
                raise RuntimeError(_("placement flow not solved: %(status)s") % {"status": "no potentials"})
            mask = usable.copy()
            continue
        reduced = matrix + pot[:n_o, None]
        reduced -= pot[None, n_o:n_o + n_s]
        bad = usable & ~mask & (reduced < 0)
        rows = np.flatnonzero(bad.any(axis=1))
        if not len(rows):
            return oi, sj, f, optimum, unplaced, rounds, int(mask.sum())
        worst = np.where(bad[rows], reduced[rows] - reduced[rows].min(), -1)
        mask[rows] |= _cheapest_arcs(worst, k)


def _lay(size: np.ndarray, origin: np.ndarray, room: np.ndarray, room_origin: np.ndarray) -> np.ndarray:
    """Households (sorted by origin) laid end to end along their origin's quotas (sorted by origin, cheapest
    first): the quota index each lies in whole, -1 when it would straddle two quotas or overflow them."""
    n_o = int(max(origin.max(initial=-1), room_origin.max(initial=-1))) + 2
    h_base = np.cumsum(np.bincount(origin + 1, weights=size, minlength=n_o)).astype(np.int64)
    q_base = np.cumsum(np.bincount(room_origin + 1, weights=room, minlength=n_o)).astype(np.int64)
    start = q_base[origin] + (np.cumsum(size) - size - h_base[origin])
    end = start + size - 1
    q_end = np.cumsum(room)
    seg_a = np.searchsorted(q_end, start, side="right")
    ok = (size > 0) & (end < q_base[origin + 1]) & (seg_a == np.searchsorted(q_end, end, side="right"))
    return np.where(ok, seg_a, -1)


# long: three vectorised or short passes (households of several, those that straddled, singles) and the few left over
def _pack(oi: np.ndarray, group: np.ndarray, matrix: np.ndarray, free: np.ndarray, q_o, q_s, q_f):
    """Site index per unit (-1: none): households whole into their origin's quotas, cheapest quota first: those
    of several rooms (largest first), then any that straddled two quotas where one still holds them, then singles.
    What is left goes whole to the cheapest site with rooms left; only what no site holds whole is split."""
    n = len(oi)
    site = np.full(n, -1, dtype=np.int64)
    if not n:
        return site, 0
    uo = np.lexsort((group, oi))  # the units of one household (origin, group) are contiguous after this sort
    h_first = np.flatnonzero(np.r_[True, (oi[uo][1:] != oi[uo][:-1]) | (group[uo][1:] != group[uo][:-1])])
    h_size = np.diff(np.append(h_first, n))
    h_origin = oi[uo][h_first]
    q_order = np.lexsort((q_s, matrix[q_o, q_s], q_o))
    qo, qs, rem = q_o[q_order], q_s[q_order], q_f[q_order].astype(np.int64)
    h_site = np.full(len(h_first), -1, dtype=np.int64)
    multi = np.flatnonzero(h_size > 1)
    multi = multi[np.lexsort((multi, -h_size[multi], h_origin[multi]))]
    seg = _lay(h_size[multi], h_origin[multi], rem, qo)
    h_site[multi[seg >= 0]] = qs[seg[seg >= 0]]
    np.subtract.at(rem, seg[seg >= 0], h_size[multi[seg >= 0]])
    q_first = np.searchsorted(qo, np.arange(matrix.shape[0] + 1))
    for h in multi[seg < 0].tolist():  # straddlers: the cheapest quota of their origin that still holds them
        lo, hi = q_first[h_origin[h]], q_first[h_origin[h] + 1]
        fit = np.flatnonzero(rem[lo:hi] >= h_size[h])
        if len(fit):
            rem[lo + fit[0]] -= h_size[h]
            h_site[h] = qs[lo + fit[0]]
    ones = np.flatnonzero(h_size == 1)
    seg = _lay(h_size[ones], h_origin[ones], rem, qo)
    h_site[ones[seg >= 0]] = qs[seg[seg >= 0]]
    used = h_site >= 0
    residual = free.astype(np.int64) - np.bincount(h_site[used], weights=h_size[used], minlength=len(free)).astype(np.int64)
    split, one_by_one = 0, []
    for h in sorted(np.flatnonzero(~used).tolist(), key=lambda i: -int(h_size[i])):
        row, size = matrix[h_origin[h]], int(h_size[h])
        cand = np.flatnonzero((row >= 0) & (residual >= size))
        if len(cand):
            h_site[h] = int(cand[np.argmin(row[cand])])
            residual[h_site[h]] -= size
            continue
        where = []
        for u in uo[h_first[h]:h_first[h] + size].tolist():  # no site holds it whole: nearest rooms, else none
            cand = np.flatnonzero((row >= 0) & (residual > 0))
            s = int(cand[np.argmin(row[cand])]) if len(cand) else -1
            if s >= 0:
                residual[s] -= 1
            one_by_one.append((u, s))
            where.append(s)
        split += len(set(where)) > 1
    site[uo] = np.repeat(h_site, h_size)
    for u, s in one_by_one:
        site[u] = s
    return site, split


# long: the steps of one plan share their arrays (origins used, the cost matrix); each step is timed for the bench
def plan(units: UnitTable, origins: list[Origin], sites: list[SiteCap], *, lent_penalty_km: float = 30.0,
         prune: int = PRUNE) -> Plan:
    """Sites for room units: exact min-cost flow (pruned arcs, certified), then households kept whole."""
    clock = _Clock()
    n = len(units)
    site = np.full(n, -1, dtype=np.int64)
    live = np.flatnonzero(~np.asarray(units.withheld, dtype=bool))
    origin_ids = np.array([o.id for o in origins], dtype=np.int64)
    by_id = np.argsort(origin_ids, kind="stable")
    pos = np.searchsorted(origin_ids[by_id], units.origin[live])
    pos = np.minimum(pos, max(len(origins) - 1, 0))
    unknown = units.origin[live][origin_ids[by_id][pos] != units.origin[live]] if len(origins) else units.origin[live]
    if len(unknown):
        raise KeyError(int(unknown[0]))  # a unit's origin missing from the origins, as a dict lookup would say
    o_row = by_id[pos]  # index into origins
    supply_all = np.bincount(o_row, minlength=len(origins))
    used = np.flatnonzero(supply_all)
    row_of = np.full(len(origins), -1, dtype=np.int64)
    row_of[used] = np.arange(len(used))
    matrix, lent_arc = _costs([origins[i] for i in used], sites, lent_penalty_km=lent_penalty_km)
    free = np.array([max(0, s.free) for s in sites], dtype=np.int64)
    clock.lap("arcs")
    if not len(live):
        return Plan(site=site, cost=np.zeros(n, dtype=np.int64), lent=np.zeros(n, dtype=bool), total=0, optimum=0,
                    unplaced=0, split=0, seconds=clock.laps)
    q_o, q_s, q_f, optimum, _unplaced, rounds, arcs = _optimal_quotas(matrix, lent_arc, supply_all[used], free, prune)
    clock.lap("flow")
    rows = row_of[o_row]
    site[live], split = _pack(rows, units.group[live], matrix, free, q_o, q_s, q_f)
    clock.lap("households")
    placed = live[site[live] >= 0]
    cost = np.zeros(n, dtype=np.int64)
    cost[placed] = matrix[row_of[o_row[site[live] >= 0]], site[placed]]
    lent = np.zeros(n, dtype=bool)
    lent[placed] = lent_arc[row_of[o_row[site[live] >= 0]], site[placed]]
    return Plan(site=site, cost=cost, lent=lent, total=int(cost.sum()), optimum=optimum,
                unplaced=int((site[live] < 0).sum()), split=split, arcs=arcs, arcs_full=int((matrix >= 0).sum()),
                rounds=rounds, seconds=clock.laps)


class _Clock:
    """Seconds per step of a plan (perf_counter laps)."""

    def __init__(self):
        self.laps, self.t = {}, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.t
        self.t = now


def solve(units: list[Unit], origins: list[Origin], sites: list[SiteCap], *, lent_penalty_km: float = 30.0) -> Result:
    """Place units into sites: exact min-cost flow, then households kept whole (see module doc).

    Units needing a carer that have none are withheld: no site, not counted as unplaced, listed in withheld."""
    table = UnitTable(person=np.array([u.person_ids[0] for u in units], dtype=np.int64),
                      carer=np.array([u.person_ids[1] if len(u.person_ids) > 1 else -1 for u in units], dtype=np.int64),
                      group=np.array([u.group for u in units], dtype=np.int64),
                      origin=np.array([u.origin for u in units], dtype=np.int64),
                      withheld=np.array([u.needs_carer for u in units], dtype=bool))
    p = plan(table, origins, sites, lent_penalty_km=lent_penalty_km)
    site_ids = [s.id for s in sites]
    site_of, unit_cost, lent = {}, {}, {}
    for u, s, c, le in zip(units, p.site.tolist(), p.cost.tolist(), p.lent.tolist(), strict=True):
        site_of[u.key] = site_ids[s] if s >= 0 else None
        if s >= 0:
            unit_cost[u.key], lent[u.key] = c, le
    return Result(site_of=site_of, cost=p.total, optimum=p.optimum, unplaced=p.unplaced, unit_cost=unit_cost,
                  lent=lent, withheld=[u.key for u in units if u.needs_carer], split=p.split)


# long: one size class at a time, for every site at once (a vectorised pass), then the few households with no run
def room_table(unit_site: np.ndarray, unit_group: np.ndarray, room_site: np.ndarray, room_floor: np.ndarray,
               room_pos: np.ndarray) -> np.ndarray:
    """Room (index into the room arrays) per unit, -1: none. In each site the households, largest first (then in
    unit order), take the first run of neighbouring free rooms on one floor long enough; else the first free rooms."""
    out = np.full(len(unit_site), -1, dtype=np.int64)
    ro = np.lexsort((room_pos, room_floor, room_site))
    rs, rf, rp = room_site[ro], room_floor[ro], room_pos[ro]
    m = len(ro)
    seg_start = np.flatnonzero(np.r_[True, (rs[1:] != rs[:-1]) | (rf[1:] != rf[:-1]) | (rp[1:] != rp[:-1] + 1)]) if m else np.zeros(0, dtype=np.int64)
    seg_len = np.diff(np.append(seg_start, m))
    seg_site = rs[seg_start]
    placed = np.flatnonzero(unit_site >= 0)
    if not len(placed) or not m:
        return out
    uo = placed[np.lexsort((placed, unit_group[placed], unit_site[placed]))]
    first = np.flatnonzero(np.r_[True, (unit_site[uo][1:] != unit_site[uo][:-1]) | (unit_group[uo][1:] != unit_group[uo][:-1])])
    g_size = np.diff(np.append(first, len(uo)))
    g_site = unit_site[uo][first]
    g_lead = uo[first]  # households in unit order within a size class: by their first unit
    for size in sorted(set(g_size.tolist()), reverse=True):
        gi = np.flatnonzero(g_size == size)
        gi = gi[np.lexsort((g_lead[gi], g_site[gi]))]
        cap = seg_len // size
        cap_end = np.cumsum(cap)
        site_first_seg = np.searchsorted(seg_site, g_site[gi], side="left")
        site_end_seg = np.searchsorted(seg_site, g_site[gi], side="right")
        base = np.where(site_first_seg > 0, cap_end[np.maximum(site_first_seg - 1, 0)], 0)
        top = np.where(site_end_seg > 0, cap_end[np.maximum(site_end_seg - 1, 0)], 0)
        rank = np.arange(len(gi)) - np.searchsorted(g_site[gi], g_site[gi], side="left")
        slot = base + rank
        ok = (slot < top) & (site_end_seg > site_first_seg)
        seg = np.searchsorted(cap_end, slot[ok], side="right")
        start = seg_start[seg] + (slot[ok] - (cap_end[seg] - cap[seg])) * size
        for k in range(size):
            out[uo[first[gi[ok]] + k]] = ro[start + k]
        took = np.bincount(seg, minlength=len(seg_start)) * size
        seg_start += took
        seg_len -= took
        for g in gi[~ok].tolist():  # no run long enough: the first free rooms of the site
            need, units = size, uo[first[g]:first[g] + size].tolist()
            for s in range(int(np.searchsorted(seg_site, g_site[g], side="left")),
                           int(np.searchsorted(seg_site, g_site[g], side="right"))):
                while need and seg_len[s]:
                    out[units[size - need]] = ro[seg_start[s]]
                    seg_start[s] += 1
                    seg_len[s] -= 1
                    need -= 1
    return out


def assign_rooms(groups: list[list[int]], rooms: list[tuple[int, int, int]]) -> dict[int, int]:
    """Rooms inside one site: groups (lists of unit keys) get runs of neighbouring free rooms on one floor.

    rooms: (room_id, floor, position) of the free rooms. Largest groups first; a group takes the first
    run on a floor long enough for it, else the free rooms nearest each other."""
    keys = [k for g in groups for k in g]
    group = np.repeat(np.arange(len(groups)), [len(g) for g in groups]).astype(np.int64)
    got = room_table(np.zeros(len(keys), dtype=np.int64), group, np.zeros(len(rooms), dtype=np.int64),
                     np.array([r[1] for r in rooms], dtype=np.int64), np.array([r[2] for r in rooms], dtype=np.int64))
    return {k: rooms[i][0] for k, i in zip(keys, got.tolist(), strict=True) if i >= 0}
