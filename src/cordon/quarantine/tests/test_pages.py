"""The quarantine pages through the shared layers: forms validate the site, staff, rooms, reading and home-stay
inputs (a bad value names its field and writes nothing); the FilterSets filter each page, its export and the API alike."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import assert_filter_refused, exported_rows, label, messages_of
from cordon.people.factories import PersonFactory
from cordon.quarantine import forms
from cordon.quarantine.factories import SiteFactory, rooms_for
from cordon.quarantine.models import Reading, Room, Site, Stay

pytestmark = pytest.mark.django_db


def test_an_officer_registers_a_site_on_the_page(city, cast, api_client):
    answer = api_client(cast.officer_a).post("/quarantine/sites/", {"name": "Harbour Hotel", "address": "1 Quay",
                                                                    "region_id": city.a.pk, "lon": "", "lends_rooms": "on"})
    site = Site.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/quarantine/sites/{site.pk}/"
    assert site.lends_rooms and site.region_path == city.a.path


def test_a_bad_site_or_staff_value_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = client.post("/quarantine/sites/", {"name": "Harbour Hotel", "address": "1 Quay", "region_id": city.a.pk,
                                                "lon": "500"})
    assert answer.status_code == 200 and "lon" in answer.context["form"].errors and Site.objects.count() == 0
    site = SiteFactory(region=city.a)
    answer = client.post(f"/quarantine/sites/{site.pk}/", {"action": "staff", "doctors_on_duty": "-2",
                                                           "nurses_on_duty": "3"})
    site.refresh_from_db()
    assert answer.status_code == 200 and label(forms.StaffForm, "doctors_on_duty") in messages_of(answer) and site.nurses_on_duty != 3
    answer = client.post(f"/quarantine/sites/{site.pk}/", {"action": "generate", "floors": "two", "per_floor": "5"})
    assert answer.status_code == 200 and label(forms.GenerateRoomsForm, "floors") in messages_of(answer) and Room.objects.count() == 0
    answer = client.post(f"/quarantine/sites/{site.pk}/", {"action": "generate", "floors": "2", "per_floor": "5"})
    assert answer.status_code == 302 and Room.objects.count() == 10


def test_a_reading_out_of_range_names_the_temperature(city, cast, api_client):
    site = SiteFactory(region=city.a)
    room = rooms_for(site, per_floor=1)[0]
    stay = Stay.objects.create(person=PersonFactory(grid=city.a_grid), site=site, room=room, region_path=site.region_path,
                               start=clock.today(), planned_end=clock.today() + dt.timedelta(days=5), status="in",
                               monitor_token="pagetoken1")
    client = api_client(cast.officer_a)
    answer = client.post(f"/quarantine/stays/{stay.pk}/", {"action": "reading", "temperature": "55"})
    assert answer.status_code == 200 and label(forms.ReadingForm, "temperature") in messages_of(answer) and Reading.objects.count() == 0
    answer = client.post(f"/quarantine/stays/{stay.pk}/", {"action": "reading", "temperature": "36.6", "symptoms": ["cough"]})
    assert answer.status_code == 302 and Reading.objects.get().symptoms == ["cough"]


def test_a_home_stay_for_an_unknown_id_number_names_it(city, cast, api_client):
    answer = api_client(cast.officer_a).post("/quarantine/home/", {
        "id_number": "000000000000000000", "kind": "home_monitoring", "end": (clock.today() + dt.timedelta(days=7)).isoformat()})
    assert answer.status_code == 200 and "id_number" in answer.context["form"].errors and Stay.objects.count() == 0


def test_the_sites_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    SiteFactory(region=city.a, name="Harbour Hotel")
    SiteFactory(region=city.a, name="Hill Lodge")
    page = client.get("/quarantine/sites/", {"q": "harbour"})
    assert [s.name for s in page.context["page"]] == ["Harbour Hotel"]
    assert [s["name"] for s in client.get("/api/v1/quarantine/sites", {"q": "harbour"}).json()["items"]] == ["Harbour Hotel"]
    assert exported_rows(client, "/quarantine/sites/", {"q": "harbour"}) == 1
    assert client.get("/api/v1/quarantine/sites", {"region": city.a.path}).json()["count"] == 2
    assert_filter_refused(client, api="/api/v1/quarantine/sites", page="/quarantine/sites/", field="status", value="nonsense")


def test_the_stays_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    site = SiteFactory(region=city.a)
    room = rooms_for(site, per_floor=1)[0]
    for status in ("in", "released"):
        Stay.objects.create(person=PersonFactory(grid=city.a_grid), site=site, room=room, region_path=site.region_path,
                            start=clock.today(), planned_end=clock.today(), status=status, monitor_token=f"t-{status}")
    assert len(client.get("/quarantine/stays/").context["page"]) == 1  # active unless a status is given
    assert [s.status for s in client.get("/quarantine/stays/", {"status": "released"}).context["page"]] == ["released"]
    assert client.get("/api/v1/quarantine/stays", {"status": "released"}).json()["count"] == 1
    assert exported_rows(client, "/quarantine/stays/", {"status": "released"}) == 1
    assert client.get("/api/v1/quarantine/stays", {"kind": "nonsense"}).status_code == 400
