"""Venues, workplaces and the units inside them (CityPlan stages 4 and 5)."""

import numpy as np
from django.utils.translation import gettext as _

from cordon.sim import names as N
from cordon.sim.citygen.geometry import sample_in
from cordon.sim.citygen.params import (
    CAPACITY,
    CITY_RECT,
    DEPARTMENTS,
    DINING,
    GRADES,
    GYM_ZONES,
    KINDS,
    SCHOOL_STAFF_UNIT,
    UNIT_PLAN,
    VENUE_RATE,
    VENUE_RURAL_FACTOR,
    VISIT_UNITS,
    WORK_KIND_P,
    K,
)

# Venue names made of drawn words: kind -> (word lists drawn from in order, pattern of the words, {place} (the
# community's stem) and {street} (the street's stem)). Schools, hospitals, stations and buses are named in code.
BRAND_NAMES = {
    "market": ((), "{place}农贸市场"),
    "supermarket": ((N.SUPERMARKETS,), "{0}超市({place}店)"),
    "restaurant": ((N.RESTAURANT_PREFIX, N.RESTAURANT_KIND), "{0}{1}"),
    "office": ((N.OFFICE_WORDS, N.OFFICE_SUFFIXES), "{0}{1}"),
    "factory": ((N.FACTORY_PRODUCTS,), "{place}{0}厂"),
    "gym": ((N.GYMS,), "{0}({place}店)"),
    "ktv": ((N.KTVS,), "{0}({place}店)"),
    "cinema": ((N.CINEMAS,), "{0}({place}店)"),
    "mall": ((N.MALLS,), "{0}({street}店)"),
    "hotel": ((N.HOTELS,), "{0}({place}店)"),
}


class Venues:
    """CityPlan's venue stages: venues per community by kind (stream 4), then who works or studies where and in
    which class, room, workshop or department, plus visitors' spaces (stream 5)."""

    def _venues(self):
        rng = self.rng(4)
        regions = self.regions
        comm_pop = np.zeros(len(regions))
        np.add.at(comm_pop, self.grid_comm[self.hh_grid], self.hh_size)
        comms = self.community_regions
        comm_rural = np.array([regions[c].rural for c in comms])
        kinds, places = [], []
        for kind in KINDS:
            count = max(1, round(self.people * VENUE_RATE[kind]))
            w = comm_pop[comms] * np.where(comm_rural, VENUE_RURAL_FACTOR.get(kind, 1.0), 1.0) + 1e-9
            kinds.extend([K[kind]] * count)
            places.extend(comms[rng.choice(len(comms), size=count, p=w / w.sum())].tolist())
        kind = np.array(kinds, dtype=np.int64)
        place = np.array(places, dtype=np.int64)
        self.n_venues = len(kind)
        self.v_kind = kind
        self.v_region = place
        self.v_street = self.region_street_num[self.region_parent[place]]
        self.v_district = self.street_district[self.v_street]
        codes = rng.integers(10 ** 9, 10 ** 10, self.n_venues)
        while len(np.unique(codes)) < len(codes):
            _, first_at = np.unique(codes, return_index=True)
            dup = np.ones(len(codes), dtype=bool)
            dup[first_at] = False
            codes[dup] = rng.integers(10 ** 9, 10 ** 10, int(dup.sum()))
        self.v_code = [f"V{c}" for c in codes.tolist()]
        self.v_lonlat = np.zeros((self.n_venues, 2))
        order = np.argsort(place, kind="stable")
        ps = place[order]
        for c in np.unique(place):
            idx = order[np.searchsorted(ps, c):np.searchsorted(ps, c, side="right")]
            pts = sample_in(regions[c].poly, len(idx), rng)
            self.v_lonlat[idx, 0] = CITY_RECT[0] + pts[:, 0] / self._cos
            self.v_lonlat[idx, 1] = pts[:, 1]
        self.v_capacity = np.array([int(rng.integers(*CAPACITY[KINDS[k]])) for k in kind.tolist()])
        self.v_name, self.v_address = [], []
        counters: dict = {}
        for i, (k, c) in enumerate(zip(kind.tolist(), place.tolist(), strict=True)):
            self.v_name.append(self._venue_name(KINDS[k], c, rng, counters, i))
            street = regions[regions[c].parent]
            stem = _stem(street.name)
            self.v_address.append(f"{stem}路{int(rng.integers(1, 900))}号")
        self.v_enclosed = ~((kind == K["market"]) & (rng.random(self.n_venues) < 0.5))
        self.index = _VenueIndex(kind, self.v_street, len(KINDS), len(self.street_regions), self.street_district,
                                 len(self.district_regions))

    def _venue_name(self, kind, comm, rng, counters, i):
        regions = self.regions
        place = _stem(regions[comm].name)
        street = regions[regions[comm].parent]
        district = regions[street.parent]

        def pick(seq):
            return seq[int(rng.integers(0, len(seq)))]

        if kind in BRAND_NAMES:  # the words drawn in order, then put in the pattern
            words, pattern = BRAND_NAMES[kind]
            return pattern.format(*[pick(w) for w in words], place=place, street=_stem(street.name))
        if kind == "school":
            n = counters[kind] = counters.get(kind, 0) + 1
            return pick((f"{place}小学", f"{place}中学", f"{self.city_name[:-1] if self.city_name.endswith('市') else self.city_name}第{n}中学",
                         f"{_stem(district.name)}实验小学", f"{place}幼儿园"))
        if kind == "hospital":
            n = counters[kind] = counters.get(kind, 0) + 1
            if n <= 3:
                return f"市第{'一二三'[n - 1]}人民医院"
            return pick((f"{district.name}人民医院", f"{street.name}社区卫生服务中心", f"{district.name}中医医院",
                         f"{_stem(street.name)}卫生院"))
        if kind == "station":
            return pick((f"{_stem(street.name)}地铁站", f"{_stem(district.name)}客运站", f"{place}公交枢纽站"))
        if kind == "bus":
            n = counters[kind] = counters.get(kind, 0) + 1
            return f"公交{(n - 1) % 180 + 1}路 {10000 + i}号车"
        raise ValueError(_("no name pattern for venue kind %(kind)r") % {"kind": kind})

    def _workplaces(self):
        rng = self.rng(5)
        n = self.people
        age, female = self.age, self.female
        working_age = (age >= 19) & np.where(female, age < 55, age < 60)
        p_emp = np.where(age < 23, 0.45, np.where(female, 0.70, 0.80))
        worker = (working_age & (rng.random(n) < p_emp)) | ((age >= 60) & (age < 65) & (rng.random(n) < 0.15))
        worker &= ~self.dialysis
        student = (age >= 6) & (age < 18.5)
        kinds = np.array([K[k] for k in WORK_KIND_P])
        p = np.array(list(WORK_KIND_P.values()))
        rural = np.array([self.regions[g].rural for g in self.grids])[self.hh_grid[self.hh]]
        wk = np.where(rural & (rng.random(n) < 0.25), K["factory"], kinds[rng.choice(len(kinds), size=n, p=p / p.sum())])
        wk = np.where(rural & (wk == K["office"]) & (rng.random(n) < 0.5), K["factory"], wk)
        workplace = np.full(n, -1, dtype=np.int64)
        w_idx = np.flatnonzero(worker)
        workplace[w_idx] = self.index.pick(wk[w_idx], self.home_street[w_idx], self.home_district[w_idx], rng,
                                           p_street=0.25, p_district=0.45)
        s_idx = np.flatnonzero(student)
        workplace[s_idx] = self.index.pick(K["school"], self.home_street[s_idx], self.home_district[s_idx], rng,
                                           p_street=0.7, p_district=0.28)
        self.worker = worker
        self.student = student
        self.workplace = workplace
        self.work_kind = np.where(workplace >= 0, self.v_kind[np.maximum(workplace, 0)], -1)
        self._work_units(rng)
        # fixed habits: who commutes by public transport, how often one goes out
        self.transit = rng.random(n) < 0.45
        self.outgoing = rng.lognormal(0, 0.35, n)

    def _work_units(self, rng):
        """Each worker and pupil of a school, office, factory or hospital gets their class, floor, workshop or
        department: pupils by grade in classes of 45, teachers in staff rooms, others in groups per venue."""
        n = self.people
        unit_of = np.full(n, -1, dtype=np.int64)
        kinds = np.array([K[k] for k in UNIT_PLAN])
        who = np.flatnonzero(np.isin(self.work_kind, kinds))
        venue = self.workplace[who]
        kind = self.work_kind[who]
        pupil = self.student[who]
        # group: a grade for pupils (0..11), 12 for a school's teachers, 0 for everyone else
        grade = np.clip(np.floor(self.age[who]).astype(np.int64) - 6, 0, 11)
        group = np.where(pupil, grade, np.where(kind == K["school"], 12, 0))
        size = np.select([pupil, kind == K["school"]] + [kind == K[k] for k in UNIT_PLAN],
                         [UNIT_PLAN["school"][1], SCHOOL_STAFF_UNIT] + [UNIT_PLAN[k][1] for k in UNIT_PLAN], 50)
        order = np.lexsort((rng.random(len(who)), group, venue))
        v_s, g_s = venue[order], group[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (v_s[1:] != v_s[:-1]) | (g_s[1:] != g_s[:-1])
        starts = np.flatnonzero(first)
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
        number = rank // size[order]
        key = np.stack([v_s, g_s, number], axis=1)
        uniq, inverse = np.unique(key, axis=0, return_inverse=True)
        unit_of[who[order]] = inverse.ravel()
        self.work_unit = unit_of
        rows = []
        for v, g, k in uniq.tolist():
            vk = KINDS[int(self.v_kind[v])]
            if vk == "school":
                name, ukind = (f"教师办公室{k + 1}", "room") if g == 12 else (f"{GRADES[g]}{k + 1}班", "class")
            elif vk == "hospital":
                name, ukind = DEPARTMENTS[k % len(DEPARTMENTS)] + (f"{k // len(DEPARTMENTS) + 1}" if k >= len(DEPARTMENTS) else ""), "department"
            elif vk == "office":
                name, ukind = f"{k // 6 + 1}层{k // 6 + 1}{k % 6 + 1:02d}室", "room"
            else:
                name, ukind = f"{k // 4 + 1}号车间{k % 4 + 1}班组", "workshop"
            rows.append((v, name, ukind))
        # visitors' spaces, after the work units
        self.v_unit_base = np.full(self.n_venues, -1, dtype=np.int64)
        self.v_unit_n = np.zeros(self.n_venues, dtype=np.int64)
        for v in np.flatnonzero(np.isin(self.v_kind, [K[k] for k in VISIT_UNITS])).tolist():
            vk = KINDS[int(self.v_kind[v])]
            n_units = max(2, int(self.v_capacity[v]) // VISIT_UNITS[vk][0])
            self.v_unit_base[v], self.v_unit_n[v] = len(rows), n_units
            for k in range(n_units):
                if vk == "restaurant":
                    name = DINING[k] if k < len(DINING) and k < n_units - 1 else f"包间{k + 1}"
                elif vk == "gym":
                    name = GYM_ZONES[k % len(GYM_ZONES)] + (str(k // len(GYM_ZONES) + 1) if k >= len(GYM_ZONES) else "")
                else:
                    name = VISIT_UNITS[vk][1].format(n=k + 1)
                rows.append((v, name, "room"))
        self.venue_units = rows


def _stem(name: str) -> str:
    for suffix in ("街道", "社区", "镇", "区", "县"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class _VenueIndex:
    """Pick a venue of a kind near a place: same street, else same district, else anywhere in the city."""

    def __init__(self, kind, street, n_kinds, n_streets, street_district, n_districts):
        key = kind * n_streets + street
        self.order = np.argsort(key, kind="stable")
        ks = key[self.order]
        grid = np.arange(n_kinds * n_streets + 1)
        edges = np.searchsorted(ks, grid)
        self.s_start = edges[:-1].reshape(n_kinds, n_streets)
        self.s_count = (edges[1:] - edges[:-1]).reshape(n_kinds, n_streets)
        # streets of a district are consecutive numbers
        d_first = np.searchsorted(street_district, np.arange(n_districts))
        d_last = np.searchsorted(street_district, np.arange(n_districts), side="right")
        kk = np.arange(n_kinds)[:, None]
        self.d_start = np.searchsorted(ks, kk * n_streets + d_first[None, :])
        self.d_count = np.searchsorted(ks, kk * n_streets + d_last[None, :]) - self.d_start
        self.k_start = np.searchsorted(ks, np.arange(n_kinds) * n_streets)
        self.k_count = np.searchsorted(ks, (np.arange(n_kinds) + 1) * n_streets) - self.k_start

    def pick(self, kind, street, district, rng, *, p_street, p_district):
        m = len(street)
        kind = np.broadcast_to(np.asarray(kind), (m,))
        u = rng.random(m)
        start = self.k_start[kind].copy()
        count = self.k_count[kind].copy()
        ds, dc = self.d_start[kind, district], self.d_count[kind, district]
        use_d = (u < p_street + p_district) & (dc > 0)
        start[use_d], count[use_d] = ds[use_d], dc[use_d]
        ss, sc = self.s_start[kind, street], self.s_count[kind, street]
        use_s = (u < p_street) & (sc > 0)
        start[use_s], count[use_s] = ss[use_s], sc[use_s]
        if (count <= 0).any():  # pragma: no cover - every kind has at least one venue
            raise AssertionError(_("no venue of a kind"))
        return self.order[start + (rng.random(m) * count).astype(np.int64)]
