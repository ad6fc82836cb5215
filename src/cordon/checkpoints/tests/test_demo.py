import random

import pytest

from cordon.checkpoints.models import Checkpoint, Inspection
from cordon.core.demo import DemoContext
from cordon.gatherings.models import Gathering
from cordon.people.factories import PersonFactory
from cordon.sim.demo_accounts import ensure_accounts
from cordon.venues.factories import VenueFactory
from cordon.venues.models import ClosureOrder


@pytest.mark.django_db
def test_the_demo_seeders_fill_checkpoints_closures_and_gatherings(city):
    from cordon.checkpoints import demo as checkpoints_demo
    from cordon.gatherings import demo as gatherings_demo
    from cordon.venues import demo as venues_demo

    for _ in range(30):
        PersonFactory(grid=city.a_grid)
    for kind in ("ktv", "gym", "cinema", "restaurant"):
        VenueFactory(region=city.a_community, kind=kind)
    ctx = DemoContext(seed=1, accounts=ensure_accounts(), rng=random.Random(1))
    for module in (venues_demo, checkpoints_demo, gatherings_demo):
        module.seed(ctx)
    assert Checkpoint.objects.count() == 4 and Inspection.objects.count() > 20
    assert Inspection.objects.filter(result="pass").exists()
    assert ClosureOrder.objects.filter(status="in_force").exists() and ClosureOrder.objects.filter(status="lifted").exists()
    assert Gathering.objects.filter(status="suspended").count() >= 3
    assert len(ctx.log) == 3
