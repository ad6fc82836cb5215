"""Issue 19, venues and neighbouring zones: a venue's reopening (one venue early, or an order lifted or expired) checks
every risk zone of a neighbour level within the rule set's distance (gatherings.neighbour_km) and in the same
community, not only the zones that contain the venue's area, and names the zone that kept it closed."""

import datetime as dt

import pytest
from django.utils import translation

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.venues import services
from cordon.venues.factories import VenueFactory
from cordon.venues.models import ClosureNotice, Venue
from cordon.zones import services as zone_services
from cordon.zones.tests.conftest import adopt, estate

pytestmark = pytest.mark.django_db


def _sealed_zone(grid, *, lon=121.30, lat=31.20):
    """A sealed zone in force over one building of `grid` (protocol 8: neighbours within 1 km count)."""
    adopt("protocol-8")
    homes = estate(grid, compound="封控小区", buildings=1, units=1, per_unit=1, lon=lon, lat=lat)
    zone = zone_services.zone_designate(actor=SYSTEM, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    return zone_services.zone_confirm(actor=SYSTEM, zone=zone)


@pytest.fixture
def around(city):
    """Restaurants around a sealed building of district A: one 480 m away in district B (outside the zone's area), one
    9.5 km away in district B, one in the zone's own community but in another grid, 9.5 km away."""
    zone = _sealed_zone(city.a_grid)
    near = VenueFactory(region=city.b_community, name="近邻饭店", lon=121.305, lat=31.20)
    far = VenueFactory(region=city.b_community, name="远处饭店", lon=121.40, lat=31.20)
    same_community = VenueFactory(region=city.a_grid2, name="同社区饭店", lon=121.40, lat=31.25)
    return zone, near, far, same_community


def _order(cast, city, **kw):
    return services.closure_issue(actor=cast.commander, title="餐饮堂食暂停", kinds=["restaurant"], area=city.city,
                                  starts_at=clock.now(), **kw)


def _open(venue) -> bool:
    return Venue.objects.get(pk=venue.pk).is_open


def test_issue19_a_venue_within_the_distance_of_a_sealed_zone_outside_it_may_not_reopen_and_the_zone_is_named(city, cast, around):
    zone, near, far, same_community = around
    order = _order(cast, city)
    for venue, how in ((near, "km"), (same_community, "same community")):
        notice = ClosureNotice.objects.get(order=order, venue=venue)
        with translation.override("en"), pytest.raises(ServiceError) as exc:
            services.closure_reopen_venue(actor=cast.commander, notice=notice, note="条件具备")
        assert exc.value.code == "risk_zone" and zone.name in exc.value.message and how in exc.value.message
        assert not _open(venue)
    services.closure_reopen_venue(actor=cast.commander, notice=ClosureNotice.objects.get(order=order, venue=far), note="条件具备")
    assert _open(far)


def test_issue19_lifting_an_order_keeps_the_venues_next_to_a_sealed_zone_closed_and_says_which_zone(city, cast, around):
    zone, near, far, same_community = around
    order = _order(cast, city)
    services.closure_lift(actor=cast.commander, order=order, note="解除")
    assert (_open(near), _open(same_community), _open(far)) == (False, False, True)
    kept = AuditEntry.objects.get(action="closure.lift").changes["kept_closed"]
    assert set(kept) == {str(near.pk), str(same_community.pk)} and all(zone.name in text for text in kept.values())


def test_issue19_an_expiring_order_keeps_the_venue_next_to_a_sealed_zone_closed(city, cast, around):
    zone, near, far, _same = around
    order = _order(cast, city, ends_at=clock.now() + dt.timedelta(minutes=5))
    services.closures_sync(now=order.ends_at + dt.timedelta(minutes=1))
    assert (_open(near), _open(far)) == (False, True)
    assert zone.name in AuditEntry.objects.get(action="closure.expire").changes["kept_closed"][str(near.pk)]


def test_issue19_a_venue_in_another_community_beyond_the_distance_reopens(city, cast):
    _sealed_zone(city.a_grid)
    venue = VenueFactory(region=city.b_grid, lon=121.32, lat=31.20)  # about 1.9 km: beyond protocol 8's 1 km
    order = _order(cast, city)
    services.closure_lift(actor=cast.commander, order=order, note="解除")
    assert _open(venue)


def test_issue19_the_reopen_api_refuses_a_venue_next_to_a_sealed_zone_naming_the_zone(city, cast, api_client, around):
    zone, near, far, _same = around
    order = _order(cast, city)
    client = api_client(cast.commander)
    notice = ClosureNotice.objects.get(order=order, venue=near)
    r = client.post(f"/api/v1/venues/closures/notices/{notice.pk}/reopen", {"note": "条件具备"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "risk_zone" and zone.name in r.json()["error"]["message"]
    assert not _open(near)
    notice = ClosureNotice.objects.get(order=order, venue=far)
    r = client.post(f"/api/v1/venues/closures/notices/{notice.pk}/reopen", {"note": "条件具备"}, content_type="application/json")
    assert r.status_code == 200 and _open(far)
