"""A zone's household list masks addresses unless the actor may unmask there; shown ones are audited."""

import pytest

from cordon.core.models import AuditEntry
from cordon.zones.tests.conftest import adopt, estate

pytestmark = pytest.mark.django_db


def _zone(city, commander):
    from cordon.zones import services

    adopt("protocol-8")
    homes = estate(city.a_grid, compound="幸福小区", buildings=1, units=1, per_unit=1)
    zone = services.zone_designate(actor=commander, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    return zone, homes.households[0]


def test_a_viewer_sees_zone_household_addresses_masked_and_nothing_is_audited(city, cast, api_client):
    zone, home = _zone(city, cast.commander)
    rows = api_client(cast.viewer_a).get(f"/api/v1/zones/{zone.pk}/households").json()["items"]
    assert [r["household_id"] for r in rows] == [home.pk]
    assert rows[0]["address"].endswith("***") and rows[0]["address"] != home.address
    assert home.address not in api_client(cast.viewer_a).get(f"/zones/{zone.pk}/households/").content.decode()
    assert not AuditEntry.objects.filter(action="address.unmask").exists()


def test_an_officer_who_may_unmask_sees_zone_household_addresses_and_the_view_is_audited(city, cast, api_client):
    zone, home = _zone(city, cast.commander)
    rows = api_client(cast.officer_a).get(f"/api/v1/zones/{zone.pk}/households").json()["items"]
    assert rows[0]["address"] == home.address
    entry = AuditEntry.objects.get(action="address.unmask", object_type="people.household", actor_label="officer_a")
    assert entry.changes["households"] == [home.pk] and entry.changes["zone"] == zone.pk
    assert home.address not in str(entry.changes)
