import random

import pytest

from cordon.core.demo import DemoContext
from cordon.people.factories import HouseholdFactory, PersonFactory
from cordon.quarantine import demo, selectors
from cordon.quarantine.models import Site, Stay
from cordon.sim.demo_accounts import ensure_accounts


@pytest.mark.django_db
def test_demo_seeds_sites_people_in_quarantine_and_a_proposal_for_the_site_manager(city):
    from cordon.regions.models import Region

    Region.objects.filter(pk__in=[city.a.pk, city.b.pk]).update(population=30000)
    for grid in (city.a_grid, city.b_grid):
        for _ in range(20):
            PersonFactory(grid=grid)
    hh = HouseholdFactory(grid=city.a_grid, size=3)
    for _ in range(3):
        PersonFactory(grid=city.a_grid, household=hh)
    accounts = ensure_accounts()
    demo.seed(DemoContext(seed=1, accounts=accounts, rng=random.Random(1)))
    assert Site.objects.filter(status="open").count() == 2
    assert Stay.objects.filter(kind="centralized").exists()
    manager = accounts["site_manager"]
    assert selectors.proposal_lines(actor=manager, open_only=True).exists()
    assert any(r["gap"] for r in selectors.reserves(actor=accounts["commander"]))
