import pytest


@pytest.mark.django_db
def test_the_demo_seeds_zones_in_several_states_and_grid_work():
    from cordon.community import demo as community_demo
    from cordon.community.models import DoorCheck
    from cordon.core.demo import DemoContext
    from cordon.sim import citygen
    from cordon.sim.demo_accounts import ensure_accounts
    from cordon.zones import demo as zones_demo
    from cordon.zones.models import Zone

    citygen.generate_city(people=1500, seed=3, progress=False)
    ctx = DemoContext(seed=1, accounts=ensure_accounts())
    zones_demo.seed(ctx)
    community_demo.seed(ctx)
    statuses = set(Zone.objects.values_list("status", flat=True))
    assert {"designated", "in_force", "countdown", "eligible", "lifted"} <= statuses, ctx.log
    assert DoorCheck.objects.exists()
    from cordon.zones import selectors

    assert selectors.external_counts() == {"high": 14, "middle": 177, "low": 0}  # the two real April 2022 snapshots
    assert len(selectors.national_lists()) == 2
