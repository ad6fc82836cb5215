"""CityPlan: everything about the city in memory, built stage by stage (one module per generated layer)."""

import datetime as dt
import math
import zoneinfo

import numpy as np
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from cordon.core import bulk
from cordon.people.models import Household, Person
from cordon.regions.models import Building, Region, Unit
from cordon.sim.citygen.checkins import Checkins
from cordon.sim.citygen.housing import Housing
from cordon.sim.citygen.params import CITY_RECT, DAYS
from cordon.sim.citygen.regions import RegionTree
from cordon.sim.citygen.residents import Residents
from cordon.sim.citygen.rows import Rows
from cordon.sim.citygen.venues import Venues
from cordon.venues.models import Venue, VenueUnit


class CityPlan(RegionTree, Housing, Residents, Venues, Checkins, Rows):
    """Everything about the city, in memory: arrays indexed by resident, household, venue."""

    def __init__(self, *, people, seed, end_date, days=DAYS, city_code="3101", city_name="示范市", using="default"):
        self.people = people
        self.seed = seed
        self.end_date = end_date
        self.days = days
        self.city_code = city_code
        self.city_name = city_name
        self.connection = connections[using]
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        lon0, lat0, lon1, lat1 = CITY_RECT
        self._cos = math.cos(math.radians((lat0 + lat1) / 2))
        self.ids = {}

    def assign_ids(self):
        """Primary keys continue after the tables' current maximum (1 on an empty database)."""
        self.ids = {m: bulk.next_id(self.connection, m) for m in (Region, Building, Unit, Venue, VenueUnit, Household, Person)}

    def rng(self, *stream) -> np.random.Generator:
        return np.random.default_rng([self.seed, *stream])

    def day_date(self, day: int) -> dt.date:
        return self.end_date - dt.timedelta(days=self.days - 1 - day)

    def _lonlat(self, x, y):
        return CITY_RECT[0] + x / self._cos, y

    # -- build ---------------------------------------------------------------------------------

    def build(self, bar):
        self._tree()
        bar.step("planning buildings and households")
        self._housing()
        bar.step("planning residents")
        self._residents()
        bar.step("planning venues and workplaces")
        self._venues()
        self._workplaces()
        self._aggregate()

    def _aggregate(self):
        regions = self.regions
        pop = np.zeros(len(regions), dtype=np.int64)
        hhs = np.zeros(len(regions), dtype=np.int64)
        np.add.at(pop, self.grids[self.hh_grid], self.hh_size)
        np.add.at(hhs, self.grids[self.hh_grid], 1)
        for i in range(len(regions) - 1, 0, -1):  # children always come after their parent
            p = regions[i].parent
            pop[p] += pop[i]
            hhs[p] += hhs[i]
        for r, a, b in zip(regions, pop.tolist(), hhs.tolist(), strict=True):
            r.population, r.households = a, b
        if regions[0].population != self.people:  # pragma: no cover
            raise AssertionError(_("population roll-up"))
