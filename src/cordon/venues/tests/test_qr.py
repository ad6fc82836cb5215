"""Venue codes (场所码) print with QR codes holding the venue's code: the register as filtered, or one as a poster."""

import pytest

from cordon.venues.factories import VenueFactory

pytestmark = pytest.mark.django_db


def test_the_venues_of_the_area_print_with_their_codes(city, cast, api_client):
    mine = [VenueFactory(region=city.a_community) for _ in range(2)]
    theirs = VenueFactory(region=city.b_community)
    client = api_client(cast.officer_a)
    sheet = client.get("/venues/print/").content.decode()
    assert sheet.count('class="qr-label"') == 2 and all(v.code in sheet for v in mine) and theirs.code not in sheet
    poster = client.get(f"/venues/print/?ids={mine[0].pk}&layout=cards").content.decode()
    assert poster.count('class="qr-label"') == 1 and "layout-cards" in poster
    assert client.get(f"/venues/print/?ids={theirs.pk}").status_code == 404
