"""The region tree: city, districts (urban districts and rural counties), streets and townships,
communities and villages, grids, each with a map polygon and its households."""

import math
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from cordon.regions.models import Level
from cordon.sim import names as N
from cordon.sim.citygen.geometry import area_centroid, area_weighted, partition, split_counts
from cordon.sim.citygen.params import (
    CITY_RECT,
    COMMUNITY_HOUSEHOLDS,
    GRID_HOUSEHOLDS,
    HOUSEHOLD_SIZE_P,
    STREET_HOUSEHOLDS,
)


@dataclass
class _Region:
    code: str
    name: str
    level: int
    parent: int  # index, -1 for the city
    path: str
    rural: bool
    poly: list
    households: int = 0
    population: int = 0
    lon: float = 0.0
    lat: float = 0.0


class RegionTree:
    """CityPlan's first stage (stream 1): household sizes, the region tree with its polygons and households
    per grid, and the numbering of streets and districts every later stage indexes by."""

    def _tree(self):
        """One stream (1), drawn from in this order: household sizes, district layout, the tree below the districts."""
        rng = self.rng(1)
        h = self._household_sizes(rng)
        rural, district_hh, rect, district_polys = self._districts(rng, h)
        regions, grid_of_region = self._region_list(rng, rural, district_hh, rect, district_polys)
        self._number_regions(regions, grid_of_region)

    def _household_sizes(self, rng) -> int:
        """Household sizes adding up to the population (self.hh_size); returns the number of households."""
        n = self.people
        sizes = rng.choice(np.arange(1, 8), size=int(n / 2.62 * 1.1) + 20, p=HOUSEHOLD_SIZE_P)
        while sizes.sum() < n:  # pragma: no cover - 10% headroom is 30+ standard deviations
            sizes = np.concatenate([sizes, rng.choice(np.arange(1, 8), size=n // 10 + 20, p=HOUSEHOLD_SIZE_P)])
        cum = np.cumsum(sizes)
        h = int(np.searchsorted(cum, n)) + 1
        sizes = sizes[:h].copy()
        sizes[-1] -= int(cum[h - 1] - n)
        if sizes[-1] <= 0:  # pragma: no cover - searchsorted guarantees a positive remainder
            raise AssertionError(_("household split"))
        self.hh_size = sizes.astype(np.int64)
        self.n_households = h
        return h

    def _districts(self, rng, h: int):
        """Urban districts round the centre, counties outside, their households and polygons (area by households,
        five times as spread out in the counties): (rural, households, city rectangle, polygons) per district."""
        n = self.people
        n_districts = int(np.clip(round(6 + 6 * math.log10(max(n, 100_000) / 100_000)), 6, 12))
        n_rural = max(1, n_districts // 3)
        rural = np.array([False] * (n_districts - n_rural) + [True] * n_rural)
        weights = rng.lognormal(0, 0.25, n_districts) * np.where(rural, 0.55, 1.0)
        district_hh = split_counts(h, weights)

        lon0, lat0, lon1, lat1 = CITY_RECT
        x1 = (lon1 - lon0) * self._cos
        rect = [(0.0, lat0), (x1, lat0), (x1, lat1), (0.0, lat1)]
        cx, cy, rx, ry = x1 / 2, (lat0 + lat1) / 2, x1 / 2, (lat1 - lat0) / 2
        urban = n_districts - n_rural
        sites = []
        ring = urban - 1 if urban >= 5 else urban
        if urban >= 5:
            sites.append((cx + rng.normal(0, 0.02) * rx, cy + rng.normal(0, 0.02) * ry))
        phase = rng.uniform(0, 2 * math.pi)
        for i in range(ring):
            ang = phase + 2 * math.pi * i / ring
            sites.append((cx + 0.28 * rx * math.cos(ang), cy + 0.3 * ry * math.sin(ang)))
        phase = rng.uniform(0, 2 * math.pi)
        for i in range(n_rural):
            ang = phase + 2 * math.pi * i / n_rural + rng.normal(0, 0.15)
            sites.append((cx + 0.8 * rx * math.cos(ang), cy + 0.8 * ry * math.sin(ang)))
        # Area per district: its households, five times as spread out in the counties.
        district_polys = area_weighted(rect, sites, (district_hh * np.where(rural, 5.0, 1.0)).tolist())
        return rural, district_hh, rect, district_polys

    def _region_list(self, rng, rural, district_hh, rect, district_polys):
        """The regions, parents before children (city, district, its streets, each street's communities and their
        grids), and the region index of each grid in order; sets self.compounds."""
        n_districts = len(rural)
        urban = n_districts - int(rural.sum())
        regions: list[_Region] = [_Region(self.city_code, self.city_name, Level.CITY, -1, self.city_code, False, rect)]
        grid_of_region = []
        place_words = [str(w) for w in rng.permutation(N.PLACE_WORDS)]
        town_names = [a + b for a in N.TOWN_FIRST for b in N.TOWN_SECOND]
        town_names = [town_names[i] for i in rng.permutation(len(town_names))]
        urban_names = [str(w) for w in rng.permutation(N.URBAN_DISTRICTS)]
        county_names = [str(w) for w in rng.permutation(N.COUNTIES)]
        street_seq = town_seq = 0
        surnames = [s for s, _ in N.SURNAMES[:60]]
        comm_words = list(N.PLACE_WORDS + N.COMPOUND_WORDS)
        self.compounds = {}  # community index -> list of compound names
        for d in range(n_districts):
            is_rural = bool(rural[d])
            if is_rural:
                code = f"{self.city_code}{21 + (d - urban):02d}"
                name = county_names[(d - urban) % len(county_names)]
            else:
                code = f"{self.city_code}{2 + d:02d}"
                name = urban_names[d % len(urban_names)]
            di = len(regions)
            regions.append(_Region(code, name, Level.DISTRICT, 0, f"{self.city_code}.{code}", is_rural, district_polys[d]))
            n_streets = max(2, round(district_hh[d] / STREET_HOUSEHOLDS[is_rural]))
            street_hh = split_counts(int(district_hh[d]), rng.uniform(0.6, 1.4, n_streets))
            street_polys = partition(district_polys[d], n_streets, rng)
            for s in range(n_streets):
                if is_rural:
                    scode = f"{code}{100 + s:03d}"
                    sname = "城关镇" if s == 0 else f"{town_names[town_seq % len(town_names)]}镇"
                    town_seq += s > 0
                    villages = s > 0
                else:
                    scode = f"{code}{s + 1:03d}"
                    word = place_words[street_seq % len(place_words)]
                    sname = f"{word}街道" if street_seq < len(place_words) else f"{word}{street_seq // len(place_words) + 1}街道"
                    street_seq += 1
                    villages = False
                si = len(regions)
                regions.append(_Region(scode, sname, Level.STREET, di, f"{regions[di].path}.{scode}", is_rural,
                                       street_polys[s]))
                self._communities(rng, regions, grid_of_region, si, villages, street_polys[s], int(street_hh[s]),
                                  comm_words, surnames)
        return regions, grid_of_region

    def _communities(self, rng, regions, grid_of_region, si, villages, poly, households, comm_words, surnames):
        """A street's communities (villages in a township but its seat) with their compounds and grids, appended."""
        scode = regions[si].code
        n_comm = max(1, round(households / COMMUNITY_HOUSEHOLDS[villages]))
        comm_hh = split_counts(households, rng.uniform(0.6, 1.4, n_comm))
        comm_polys = partition(poly, n_comm, rng)
        cwords = [comm_words[i] for i in rng.permutation(len(comm_words))]
        used = set()
        for c in range(n_comm):
            if villages:
                ccode = f"{scode}{200 + c:03d}"
                for _ in range(50):
                    pick = int(rng.integers(0, 4))
                    if pick <= 1:
                        cname = surnames[int(rng.integers(0, len(surnames)))] + ("家村" if pick == 0 else "庄村")
                    else:
                        cname = N.TOWN_FIRST[int(rng.integers(0, len(N.TOWN_FIRST)))] + \
                            N.TOWN_SECOND[int(rng.integers(0, len(N.TOWN_SECOND)))] + "村"
                    if cname not in used:
                        break
            else:
                ccode = f"{scode}{c + 1:03d}"
                word = cwords[c % len(cwords)]
                cname = f"{word}社区" if c < len(cwords) else f"{word}{c // len(cwords) + 1}社区"
            used.add(cname)
            ci = len(regions)
            regions.append(_Region(ccode, cname, Level.COMMUNITY, si, f"{regions[si].path}.{ccode}", villages,
                                   comm_polys[c]))
            n_grid = max(1, round(comm_hh[c] / GRID_HOUSEHOLDS))
            grid_hh = split_counts(int(comm_hh[c]), rng.uniform(0.8, 1.2, n_grid))
            grid_polys = partition(comm_polys[c], n_grid, rng, lloyd=1)
            if villages:
                self.compounds[ci] = [cname]
            else:
                n_comp = (n_grid + 1) // 2
                words = rng.choice(len(N.COMPOUND_WORDS), size=n_comp, replace=n_comp > len(N.COMPOUND_WORDS))
                sufs = rng.choice(len(N.COMPOUND_SUFFIXES), size=n_comp)
                self.compounds[ci] = [N.COMPOUND_WORDS[w] + N.COMPOUND_SUFFIXES[x] for w, x in zip(words, sufs, strict=True)]
            for g in range(n_grid):
                gcode = f"{ccode}{g + 1:03d}"
                gi = len(regions)
                regions.append(_Region(gcode, f"第{g + 1}网格", Level.GRID, ci, f"{regions[ci].path}.{gcode}",
                                       villages, grid_polys[g], households=int(grid_hh[g])))
                grid_of_region.append(gi)

    def _number_regions(self, regions, grid_of_region):
        """Positions, and the arrays later stages index by: grid of each household, parents, dense street and
        district numbers."""
        for r in regions:
            _, (x, y) = area_centroid(r.poly)
            r.lon, r.lat = self._lonlat(x, y)
        self.regions = regions
        self.grids = np.array(grid_of_region, dtype=np.int64)              # grid number -> region index
        grid_hh = np.array([regions[g].households for g in grid_of_region], dtype=np.int64)
        self.hh_grid = np.repeat(np.arange(len(grid_of_region)), grid_hh)  # household -> grid number
        parent = np.array([r.parent for r in regions], dtype=np.int64)
        self.region_parent = parent
        comm = parent[self.grids]
        street = parent[comm]
        district = parent[street]
        # dense numbering of streets and districts
        self.street_regions = np.array([i for i, r in enumerate(regions) if r.level == Level.STREET])
        self.district_regions = np.array([i for i, r in enumerate(regions) if r.level == Level.DISTRICT])
        self.community_regions = np.array([i for i, r in enumerate(regions) if r.level == Level.COMMUNITY])
        s_num = np.full(len(regions), -1)
        s_num[self.street_regions] = np.arange(len(self.street_regions))
        d_num = np.full(len(regions), -1)
        d_num[self.district_regions] = np.arange(len(self.district_regions))
        self.region_street_num = s_num
        self.region_district_num = d_num
        self.grid_comm = comm
        self.grid_street = s_num[street]
        self.grid_district = d_num[district]
        self.street_district = d_num[parent[self.street_regions]]
        self.district_code = [regions[i].code for i in self.district_regions]
