"""Free rooms are one figure: the site list (page, API, export), the occupancy page and the dashboard count the
same rooms as free, a free room of an open site, never the rooms of a site still being readied or in reserve."""

import pytest

from cordon.quarantine import selectors
from cordon.quarantine.factories import SiteFactory, rooms_for

pytestmark = pytest.mark.django_db


def test_the_site_list_occupancy_and_dashboard_agree_on_free_rooms(city, cast):
    rooms_for(SiteFactory(region=city.a, status="open"), per_floor=3)
    rooms_for(SiteFactory(region=city.a, status="readying"), per_floor=5)
    rooms_for(SiteFactory(region=city.a, status="reserve"), per_floor=7)
    actor = cast.commander
    dashboard = selectors.dashboard_figures(actor=actor)["free"]
    by_site = sum(s.rooms_free for s in selectors.site_list(actor=actor))
    occupancy = selectors.occupancy(actor=actor)
    by_district = sum(d["free"] for d in occupancy["districts"])
    assert dashboard == by_site == by_district == sum(s["free"] for s in occupancy["sites"]) == 3
    assert sum(d["rooms"] for d in occupancy["districts"]) == selectors.room_figures(actor=actor)["rooms"] == 8
