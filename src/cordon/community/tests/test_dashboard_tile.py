"""The door-check tile is the door-check progress of every grid in the actor's area, summed, counted in two queries."""

import datetime as dt

import pytest
from django.utils import translation

from cordon.community import dashboard, selectors, services
from cordon.core import clock
from cordon.zones.tests.conftest import estate

pytestmark = pytest.mark.django_db


def test_the_door_check_tile_sums_the_progress_of_the_grids_in_scope(city, cast, django_assert_max_num_queries):
    a, b = estate(city.a_grid), estate(city.b_grid, compound="月光小区")
    services.doorcheck_bulk(actor=cast.officer_a, items=[{"household_id": a.households[0].pk, "symptoms": True, "symptom_note": "发热"},
                                                         {"household_id": a.households[1].pk}])
    services.doorcheck_bulk(actor=cast.officer_b, items=[{"household_id": b.households[0].pk}])
    services.doorcheck_bulk(actor=cast.officer_b, items=[{"household_id": b.households[1].pk, "symptoms": True, "symptom_note": "咳嗽"}],
                            day=clock.today() - dt.timedelta(days=1))  # yesterday's check is not today's
    seen = {}
    for actor in (cast.commander, cast.officer_a, cast.officer_b):
        rows = selectors.progress(actor=actor)
        with translation.override("en"), django_assert_max_num_queries(5):
            tile, = dashboard.tiles(actor)
        hh, visited = sum(r["households"] for r in rows), sum(r["visited"] for r in rows)
        assert tile["value"] == f"{visited}/{hh}"
        assert tile["sub"] == f"{sum(r['symptoms'] for r in rows)} with symptoms"
        seen[actor.username] = tile["value"]
    assert seen[cast.officer_a.username] == f"2/{len(a.households)}" and seen[cast.officer_b.username] == f"1/{len(b.households)}"
    assert seen[cast.commander.username] == f"3/{len(a.households) + len(b.households)}"
