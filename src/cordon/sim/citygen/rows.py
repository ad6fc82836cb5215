"""The planned city as table rows, in the order BulkWriter writes them (ids from CityPlan.ids)."""

import json

import numpy as np

from cordon.people.models import Household, Person
from cordon.regions.models import Building, Region, Unit
from cordon.sim.citygen.params import CITY_RECT, KINDS
from cordon.venues.models import Venue, VenueUnit


class Rows:
    """CityPlan's rows for each loaded table but the check-ins."""

    def table_rows(self) -> list:
        """(model, rows, field names of the tuples or None for dict rows) for every table but the check-ins,
        in the order they are written (parents first)."""
        return [(Region, self.region_rows(), None), (Building, self.building_rows(), None),
                (Unit, self.unit_rows(), None), (Venue, self.venue_rows(), None),
                (VenueUnit, self.venue_unit_rows(), None),
                (Household, self.household_rows(), self.HOUSEHOLD_COLUMNS),
                (Person, self.person_rows(), self.PERSON_COLUMNS)]

    def region_rows(self):
        base = self.ids[Region]
        for i, r in enumerate(self.regions):
            ring = [[round(CITY_RECT[0] + x / self._cos, 6), round(y, 6)] for x, y in r.poly]
            ring.append(ring[0])
            yield {"id": base + i, "code": r.code, "name": r.name, "level": int(r.level),
                   "parent_id": None if r.parent < 0 else base + r.parent, "path": r.path, "is_rural": r.rural,
                   "population": r.population, "households": r.households, "lon": round(r.lon, 6),
                   "lat": round(r.lat, 6), "boundary": json.dumps({"type": "Polygon", "coordinates": [ring]})}

    def building_rows(self):
        base, rbase = self.ids[Building], self.ids[Region]
        paths = [self.regions[g].path for g in self.grids]
        lonlat = np.round(self.b_lonlat, 6).tolist()
        for i, (compound, name, floors, gnum, ci) in enumerate(self.buildings):
            yield {"id": base + i, "region_path": paths[gnum], "community_id": rbase + ci,
                   "grid_id": rbase + int(self.grids[gnum]), "compound": compound, "name": name, "floors": floors,
                   "lon": lonlat[i][0], "lat": lonlat[i][1]}

    def unit_rows(self):
        base, bbase = self.ids[Unit], self.ids[Building]
        paths = [self.regions[g].path for g in self.grids]
        for i, (b, number) in enumerate(self.units):
            yield {"id": base + i, "region_path": paths[self.buildings[b][3]], "building_id": bbase + b, "number": number}

    def venue_rows(self):
        base, rbase = self.ids[Venue], self.ids[Region]
        lonlat = np.round(self.v_lonlat, 6).tolist()
        for i in range(self.n_venues):
            c = int(self.v_region[i])
            yield {"id": base + i, "region_path": self.regions[c].path, "name": self.v_name[i],
                   "kind": KINDS[int(self.v_kind[i])], "region_id": rbase + c, "address": self.v_address[i],
                   "capacity": int(self.v_capacity[i]), "code": self.v_code[i], "lon": lonlat[i][0],
                   "lat": lonlat[i][1], "enclosed": bool(self.v_enclosed[i]), "is_open": True}

    def venue_unit_rows(self):
        base, vbase = self.ids[VenueUnit], self.ids[Venue]
        for i, (v, name, kind) in enumerate(self.venue_units):
            yield {"id": base + i, "venue_id": vbase + v, "name": name, "kind": kind}

    def household_rows(self):
        base, rbase, bbase, ubase = self.ids[Household], self.ids[Region], self.ids[Building], self.ids[Unit]
        paths = [self.regions[g].path for g in self.grids]
        grid_ids = (rbase + self.grids).tolist()
        units = self.hh_unit.tolist()
        buildings = self.hh_building.tolist()
        for i, (g, size, sep) in enumerate(zip(self.hh_grid.tolist(), self.hh_size.tolist(), self.hh_separate.tolist(),
                                               strict=True)):
            yield (base + i, paths[g], grid_ids[g], bbase + buildings[i], None if units[i] < 0 else ubase + units[i],
                   self.hh_room[i], self.hh_address[i], size, sep)

    HOUSEHOLD_COLUMNS = ("id", "region_path", "grid_id", "building_id", "unit_id", "room", "address", "size",
                         "has_separate_room_with_bathroom")
    PERSON_COLUMNS = ("id", "region_path", "name", "id_number", "phone", "birth_date", "sex", "household_id",
                      "grid_id", "workplace_id", "token", "elderly_alone", "pregnant", "dialysis", "chronic",
                      "disability", "infant")

    def person_rows(self):
        base, hbase, rbase, vbase = self.ids[Person], self.ids[Household], self.ids[Region], self.ids[Venue]
        paths = [self.regions[g].path for g in self.grids]
        grid_num = self.hh_grid[self.hh]
        path_col = [paths[g] for g in grid_num.tolist()]
        wp = np.where(self.workplace >= 0, vbase + self.workplace, -1).tolist()
        cols = (
            range(base, base + self.people), path_col, self.name, self.id_number, self.phone, self.birth_str, self.sex,
            (hbase + self.hh).tolist(), (rbase + self.grids[grid_num]).tolist(), [None if w < 0 else w for w in wp],
            self.token, self.elderly_alone.tolist(), self.pregnant.tolist(), self.dialysis.tolist(),
            self.chronic.tolist(), self.disability.tolist(), self.infant.tolist())
        return zip(*cols, strict=True)
