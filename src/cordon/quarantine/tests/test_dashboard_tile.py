"""The quarantine tiles show dashboard_figures' people in sites, at home, free rooms and overdue monitoring (without
the queued requests and open proposal lines no tile shows) and the reserves' gap."""

import datetime as dt

import pytest
from django.utils import translation

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.quarantine import dashboard, selectors, services
from cordon.quarantine.factories import RequestFactory, SiteFactory, rooms_for
from cordon.quarantine.models import Stay

pytestmark = pytest.mark.django_db


def test_the_quarantine_tiles_are_the_dashboard_figures(city, cast, django_assert_max_num_queries):
    today = clock.today()
    rooms_for(SiteFactory(region=city.a, status="open"), per_floor=4)
    for _ in range(2):
        RequestFactory(person=PersonFactory(grid=city.a_grid), source=f"case:{_}")
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    services.stays_check_in_many(actor=cast.officer_a, stays=list(Stay.objects.order_by("pk")))
    services.home_stay_start(actor=cast.officer_a, person_id=PersonFactory(grid=city.a_grid).pk, kind="home_monitoring",
                             start=today, end=today + dt.timedelta(days=3), community_worker_id=cast.officer_a.pk)
    for actor, in_sites in ((cast.commander, 2), (cast.officer_a, 2), (cast.officer_b, 0)):
        f = selectors.dashboard_figures(actor=actor)
        gap = sum(r["gap"] for r in selectors.reserves(actor=actor))
        with translation.override("en"), django_assert_max_num_queries(8):
            people, free, reserve, overdue = dashboard.tiles(actor)
        assert (people["value"], people["sub"]) == (f["in_sites"], f"{f['at_home']} at home")
        assert (free["value"], reserve["value"], overdue["value"]) == (f["free"], gap, f["overdue"])
        assert people["value"] == in_sites
