import datetime as dt
import random

import pytest

from cordon.core import clock
from cordon.core.demo import DemoContext
from cordon.people.factories import HouseholdFactory, PersonFactory
from cordon.regions.factories import BuildingFactory
from cordon.sim.demo_accounts import ensure_accounts
from cordon.spacetime import demo
from cordon.spacetime.models import CellPresence, PresenceBatch
from cordon.venues.factories import CheckInFactory, VenueFactory


@pytest.mark.django_db
def test_the_demo_gives_a_community_presence_from_check_ins_and_homes(city):
    building = BuildingFactory(grid=city.a_grid, lon=121.30, lat=31.20)
    venue = VenueFactory(region=city.a_community, lon=121.31, lat=31.21)
    for i in range(3):
        person = PersonFactory(grid=city.a_grid, household=HouseholdFactory(grid=city.a_grid, building=building))
        t_in = clock.now().replace(microsecond=0) - dt.timedelta(days=1, hours=i)
        CheckInFactory(person=person, venue=venue, time_in=t_in, time_out=t_in + dt.timedelta(hours=1))
    ctx = DemoContext(seed=1, accounts=ensure_accounts(), rng=random.Random(1))
    demo.seed(ctx)
    assert CellPresence.objects.values("person").distinct().count() == 3
    assert PresenceBatch.objects.get().kind == "synthetic" and len(ctx.log) == 1
