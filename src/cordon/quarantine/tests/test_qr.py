"""A site's room door codes print with QR codes (CQR.<site>.<room>), and the site page carries the room scanner."""

import pytest

from cordon.quarantine.factories import SiteFactory, rooms_for

pytestmark = pytest.mark.django_db


def test_every_room_of_a_site_prints_a_door_code(city, cast, api_client):
    site = SiteFactory(region=city.a_community)
    rooms = rooms_for(site, floors=2, per_floor=3)
    client = api_client(cast.officer_a)
    sheet = client.get(f"/quarantine/sites/{site.pk}/rooms/print/").content.decode()
    assert sheet.count('class="qr-label"') == 6 and all(f"{site.name} {r.number}" in sheet for r in rooms)
    one = client.get(f"/quarantine/sites/{site.pk}/rooms/print/?ids={rooms[0].pk}&layout=cards").content.decode()
    assert one.count('class="qr-label"') == 1
    page = client.get(f"/quarantine/sites/{site.pk}/").content.decode()
    assert 'id="room-code"' in page and f'id="room-{rooms[0].number}"' in page and "quarantine/roomscan.js" in page


def test_another_districts_site_is_not_found(city, cast, api_client):
    site = SiteFactory(region=city.b_community)
    rooms_for(site, per_floor=1)
    assert api_client(cast.officer_a).get(f"/quarantine/sites/{site.pk}/rooms/print/").status_code == 404
