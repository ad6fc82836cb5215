"""Buildings, their units and the households' homes in them (CityPlan stage 2)."""

import numpy as np

from cordon.sim.citygen.geometry import sample_in
from cordon.sim.citygen.params import CITY_RECT, RATES


class Housing:
    """CityPlan's second stage (stream 2): compounds of buildings per grid (village houses or blocks of flats
    with units and rooms), each household's address and building position."""

    # long: random draws in a fixed order that the generated city depends on (same seed, same city)
    def _housing(self):
        rng = self.rng(2)
        regions = self.regions
        b_rows = []   # compound, name, floors, grid_num, community_region
        u_rows = []   # building index, number
        hh_building = np.empty(self.n_households, dtype=np.int64)
        hh_unit = np.full(self.n_households, -1, dtype=np.int64)
        hh_room = [""] * self.n_households
        hh_address = [""] * self.n_households
        next_no: dict[tuple, int] = {}
        start = 0
        grid_counts = np.bincount(self.hh_grid, minlength=len(self.grids))
        grid_nth = {}
        for gnum, gi in enumerate(self.grids):
            h = int(grid_counts[gnum])
            ci = regions[gi].parent
            nth = grid_nth.get(ci, 0)
            grid_nth[ci] = nth + 1
            comps = self.compounds[ci]
            compound = comps[min(nth // 2, len(comps) - 1)]
            key = (ci, compound)
            if regions[gi].rural:
                no = next_no.get(key, 1)
                floors = rng.integers(1, 4, size=h)
                for k in range(h):
                    b = len(b_rows)
                    b_rows.append((compound, f"{no + k}号", int(floors[k]), gnum, ci))
                    hh_building[start + k] = b
                    hh_address[start + k] = f"{compound} {no + k}号"
                next_no[key] = no + h
            else:
                rooms = []  # (building, unit index, room)
                high = rng.random() < 0.45
                while len(rooms) < h / 0.88 or not rooms:
                    no = next_no.get(key, 1)
                    next_no[key] = no + 1
                    if high:
                        floors, n_units, doors = int(rng.choice([11, 18, 26, 33])), int(rng.integers(1, 3)), int(rng.integers(2, 5))
                    else:
                        floors, n_units, doors = int(rng.choice([5, 6, 6, 7])), int(rng.integers(2, 5)), 2
                    b = len(b_rows)
                    b_rows.append((compound, f"{no}号楼", floors, gnum, ci))
                    for u in range(1, n_units + 1):
                        ui = len(u_rows)
                        u_rows.append((b, u))
                        for f in range(1, floors + 1):
                            for door in range(1, doors + 1):
                                rooms.append((b, ui, f * 100 + door))
                chosen = np.sort(rng.choice(len(rooms), size=h, replace=False))
                for k, r in enumerate(chosen.tolist()):
                    b, ui, room = rooms[r]
                    hh_building[start + k] = b
                    hh_unit[start + k] = ui
                    hh_room[start + k] = str(room)
                    hh_address[start + k] = f"{compound} {b_rows[b][1]} {u_rows[ui][1]}单元 {room}"
            start += h
        self.buildings = b_rows
        self.units = u_rows
        self.hh_building = hh_building
        self.hh_unit = hh_unit
        self.hh_room = hh_room
        self.hh_address = hh_address
        rural_hh = np.array([regions[g].rural for g in self.grids])[self.hh_grid]
        self.hh_separate = rng.random(self.n_households) < np.where(rural_hh, 0.75, RATES["separate_room"])
        # building positions inside their grid
        b_grid = np.array([b[3] for b in b_rows], dtype=np.int64)
        self.b_lonlat = np.zeros((len(b_rows), 2))
        order = np.argsort(b_grid, kind="stable")
        bounds = np.searchsorted(b_grid[order], np.arange(len(self.grids) + 1))
        for gnum, gi in enumerate(self.grids):
            idx = order[bounds[gnum]:bounds[gnum + 1]]
            pts = sample_in(regions[gi].poly, len(idx), rng)
            self.b_lonlat[idx, 0] = CITY_RECT[0] + pts[:, 0] / self._cos
            self.b_lonlat[idx, 1] = pts[:, 1]
