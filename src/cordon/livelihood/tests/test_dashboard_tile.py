"""The livelihood tiles show selectors.summary's figures, counted with one query per model."""

import pytest

from cordon.livelihood import dashboard, factories, selectors

pytestmark = pytest.mark.django_db


def test_the_livelihood_tiles_are_the_summary(city, cast, django_assert_max_num_queries):
    factories.need(city.a_grid), factories.need(city.b_grid)
    factories.emergency(city.a_grid), factories.emergency(city.a_grid, minutes_ago=600)  # the second is past its deadline
    factories.enterprise(city.a), factories.enterprise(city.b, whitelisted=False), factories.plan(city.a)
    shown = ("needs_pending", "needs_overdue", "emergencies_open", "emergencies_overdue", "incidents_open",
             "enterprises_whitelisted", "plans_running")
    for actor in (cast.commander, cast.officer_a, cast.officer_b):
        expected = selectors.summary(actor=actor)
        with django_assert_max_num_queries(5):
            got = dashboard.summary(actor=actor)
        assert got == {k: expected[k] for k in shown}
    got = dashboard.summary(actor=cast.officer_a)
    assert (got["needs_pending"], got["emergencies_open"], got["emergencies_overdue"], got["enterprises_whitelisted"]) == (1, 2, 1, 2)
