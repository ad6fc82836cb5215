"""The door-check tile is the door-check progress of every grid in the actor's area, summed; the households of an
area are counted once per HOUSEHOLDS_TTL in a process, and again at once when a household is added."""

import datetime as dt

import pytest
from django.utils import translation

from cordon.community import dashboard, selectors, services
from cordon.core import clock
from cordon.people.factories import HouseholdFactory
from cordon.people.models import Household
from cordon.zones.tests.conftest import estate

pytestmark = pytest.mark.django_db


def test_the_door_check_tile_sums_the_progress_of_the_grids_in_scope(city, cast, django_assert_max_num_queries):
    dashboard.clear_cache()
    a, b = estate(city.a_grid), estate(city.b_grid, compound="月光小区")
    services.doorcheck_bulk(actor=cast.officer_a, items=[{"household_id": a.households[0].pk, "symptoms": True, "symptom_note": "发热"},
                                                         {"household_id": a.households[1].pk}])
    services.doorcheck_bulk(actor=cast.officer_b, items=[{"household_id": b.households[0].pk}])
    services.doorcheck_bulk(actor=cast.officer_b, items=[{"household_id": b.households[1].pk, "symptoms": True, "symptom_note": "咳嗽"}],
                            day=clock.today() - dt.timedelta(days=1))  # yesterday's check is not today's
    seen = {}
    for actor in (cast.commander, cast.officer_a, cast.officer_b):
        rows = selectors.progress(actor=actor)
        with translation.override("en"), django_assert_max_num_queries(4):
            tile, = dashboard.tiles(actor)
        hh, visited = sum(r["households"] for r in rows), sum(r["visited"] for r in rows)
        assert tile["value"] == f"{visited}/{hh}"
        assert tile["sub"] == f"{sum(r['symptoms'] for r in rows)} with symptoms"
        seen[actor.username] = tile["value"]
    assert seen[cast.officer_a.username] == f"2/{len(a.households)}" and seen[cast.officer_b.username] == f"1/{len(b.households)}"
    assert seen[cast.commander.username] == f"3/{len(a.households) + len(b.households)}"


def test_the_households_of_an_area_are_counted_again_when_one_is_added_or_the_count_is_old(city, cast, monkeypatch):
    dashboard.clear_cache()
    estate(city.a_grid)

    def shown():
        with translation.override("en"):
            return dashboard.tiles(cast.officer_a)[0]["value"]

    n = Household.objects.filter(region_path=city.a_grid.path).count()
    assert shown() == f"0/{n}"
    HouseholdFactory(grid=city.a_grid)
    assert shown() == f"0/{n + 1}"  # a new household: counted at once
    moved = Household.objects.filter(region_path=city.a_grid.path).order_by("id").first()
    Household.objects.filter(pk=moved.pk).update(grid=city.b_grid, region_path=city.b_grid.path)
    assert shown() == f"0/{n + 1}"  # a household moved away: the count is kept for HOUSEHOLDS_TTL seconds
    later = dashboard.monotonic() + dashboard.HOUSEHOLDS_TTL + 1
    monkeypatch.setattr(dashboard, "monotonic", lambda: later)
    assert shown() == f"0/{n}"  # counted again once the count is older than that
