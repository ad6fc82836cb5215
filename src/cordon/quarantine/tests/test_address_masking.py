"""Transfer pickup and destination addresses are masked unless the actor may unmask there; shown ones are audited."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HOME = "幸福小区 1号楼 1单元 101"


def _transfer(city):
    from cordon.people.factories import PersonFactory
    from cordon.quarantine.factories import SiteFactory, rooms_for
    from cordon.quarantine.models import Stay, Transfer

    site = SiteFactory(region=city.a_community)
    rooms_for(site, per_floor=2)
    p = PersonFactory(grid=city.a_grid)
    today = clock.today()
    stay = Stay.objects.create(person=p, site=site, room=site.rooms.first(), region_path=site.region_path, start=today,
                               planned_end=today + dt.timedelta(days=4), status="in", category="close_contact",
                               monitor_token=f"tok-address-{p.pk}")
    now = clock.now()
    return Transfer.objects.create(stay=stay, region_path=stay.region_path, direction="in", pickup_address=HOME,
                                   destination="隔离酒店 A座 1201", window_start=now, window_end=now + dt.timedelta(hours=3))


def test_a_viewer_sees_transfer_pickup_addresses_masked_and_nothing_is_audited(city, cast, api_client):
    t = _transfer(city)
    row = api_client(cast.viewer_a).get("/api/v1/quarantine/transfers").json()["items"][0]
    assert row["id"] == t.pk and row["pickup_address"] == "幸福小区 1号楼 1单元 ***" and "101" not in row["pickup_address"]
    page = api_client(cast.viewer_a).get("/quarantine/transfers/").content.decode()
    assert "幸福小区 1号楼 1单元 ***" in page and HOME not in page
    assert not AuditEntry.objects.filter(action="address.unmask").exists()


def test_an_officer_who_may_unmask_sees_transfer_addresses_and_each_view_is_audited(city, cast, api_client):
    t = _transfer(city)
    row = api_client(cast.officer_a).get("/api/v1/quarantine/transfers").json()["items"][0]
    assert row["pickup_address"] == HOME
    assert HOME in api_client(cast.officer_a).get("/quarantine/transfers/").content.decode()
    entries = AuditEntry.objects.filter(action="address.unmask", object_type="quarantine.transfer", actor_label="officer_a")
    assert entries.count() == 2
    assert all(e.changes["transfers"] == [t.pk] and HOME not in str(e.changes) for e in entries)
