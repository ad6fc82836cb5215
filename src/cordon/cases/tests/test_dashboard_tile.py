"""The cases tiles show selectors.dashboard_counts (open, confirmed today, overdue steps), counted in two queries."""

import datetime as dt

import pytest

from cordon.cases import dashboard, selectors, services
from cordon.cases.models import Case
from cordon.core import clock
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_case_tiles_are_the_dashboard_counts(city, cast, django_assert_max_num_queries):
    def report(actor, grid):
        return services.case_report(actor=actor, person_id=PersonFactory(grid=grid).pk, kind="confirmed", found_by="manual")

    late = report(cast.officer_a, city.a_grid)
    Case.objects.filter(pk=late.pk).update(confirmed_at=clock.now() - dt.timedelta(days=2))  # its 2 h on-site step is overdue
    done = report(cast.officer_a, city.a_grid)
    for status in ("core_done", "report_done"):
        services.case_advance(actor=cast.officer_a, case=done, status=status)
    report(cast.officer_b, city.b_grid)
    seen = {}
    for actor in (cast.commander, cast.officer_a, cast.officer_b):
        expected = selectors.dashboard_counts(actor=actor)
        with django_assert_max_num_queries(3):
            got = dashboard.counts(actor=actor)
        assert got == {k: expected[k] for k in ("open", "today", "overdue")}
        seen[actor.username] = got
    assert seen[cast.commander.username] == {"open": 2, "today": 2, "overdue": 1}
    assert seen[cast.officer_b.username] == {"open": 1, "today": 1, "overdue": 0}
