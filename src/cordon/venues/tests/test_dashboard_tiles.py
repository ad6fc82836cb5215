"""The venues tile counts the venues held closed now like the register's "closed" filter, without testing every venue."""

import datetime as dt

import pytest
from django.utils import translation

from cordon.core import clock
from cordon.venues import dashboard, selectors, services
from cordon.venues.factories import VenueFactory
from cordon.venues.models import Venue

pytestmark = pytest.mark.django_db


def _order(city, actor, kinds, **kw):
    args = {"title": "暂停娱乐场所", "kinds": kinds, "area": city.a, "starts_at": clock.now() - dt.timedelta(minutes=1),
            "ends_at": clock.now() + dt.timedelta(days=7), "reason": "疫情防控"}
    args.update(kw)
    return services.closure_issue(actor=actor, **args)


def test_closed_count_is_the_registers_closed_filter_counted(city, cast):
    VenueFactory(region=city.a_community, kind="ktv")
    VenueFactory(region=city.a_community, kind="ktv")
    VenueFactory(region=city.a_community, kind="gym")
    VenueFactory(region=city.a_community, kind="cinema")
    VenueFactory(region=city.a_community, kind="supermarket")
    VenueFactory(region=city.b_community, kind="ktv")
    _order(city, cast.officer_a, ["ktv"])  # in force: both district A KTVs
    _order(city, cast.officer_a, ["gym"], starts_at=clock.now() + dt.timedelta(days=1),
           ends_at=clock.now() + dt.timedelta(days=3))  # scheduled for tomorrow: the gym is still open
    lifted = _order(city, cast.officer_a, ["cinema"])
    services.closure_lift(actor=cast.officer_a, order=lifted, note="解除")
    for actor, closed in ((cast.commander, 2), (cast.officer_a, 2), (cast.officer_b, 0)):
        assert selectors.venue_list(actor=actor, filters={"is_open": False}).count() == closed
        assert selectors.closed_count(actor=actor) == closed
    later = clock.now() + dt.timedelta(days=2)  # the gym's order has started
    assert selectors.closed_count(actor=cast.commander, now=later) == 3
    assert selectors.with_open_now(Venue.objects.all(), later).filter(open_now=False).count() == 3
    with translation.override("en"):
        tile, = dashboard.tiles(cast.commander)
    assert tile["value"] == 1 and "2 venues closed" in tile["sub"]  # one order in force, two venues
