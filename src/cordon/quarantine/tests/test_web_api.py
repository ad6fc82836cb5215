import datetime as dt

import pytest

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.quarantine.factories import RequestFactory, SiteFactory, rooms_for
from cordon.quarantine.models import PlacementRequest, Stay


@pytest.mark.django_db
def test_api_enqueue_build_confirm_and_follow_the_stay(city, cast, api_client):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=3)
    c = api_client(cast.officer_a)
    p = PersonFactory(grid=city.a_grid, name="王大明")
    body = {"person_id": p.pk, "category": "close_contact", "start": clock.today().isoformat(),
            "end": (clock.today() + dt.timedelta(days=4)).isoformat(), "source": "api.test:1"}
    r = c.post("/api/v1/quarantine/requests", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["person"]["name"] != "王大明"  # masked
    assert c.post("/api/v1/quarantine/requests", body, content_type="application/json").json()["id"] == r.json()["id"]
    r = c.post("/api/v1/quarantine/proposals", {"district_path": city.a.path}, content_type="application/json")
    assert r.status_code == 201 and r.json()["lines"] == 1
    lines = c.get("/api/v1/quarantine/proposals/lines").json()["items"]
    r = c.post("/api/v1/quarantine/proposals/confirm", {"line_ids": [ln["id"] for ln in lines]},
               content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert r.status_code == 201 and r.json()["confirmed"] == 1
    again = c.post("/api/v1/quarantine/proposals/confirm", {"line_ids": [ln["id"] for ln in lines]},
                   content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert again.json().get("replayed") is True
    stay_id = r.json()["stays"][0]
    r = c.post(f"/api/v1/quarantine/stays/{stay_id}/readings", {"temperature": 36.5}, content_type="application/json")
    assert r.status_code == 409  # not checked in yet
    assert c.post(f"/api/v1/quarantine/stays/{stay_id}/check-in").status_code == 200
    r = c.post(f"/api/v1/quarantine/stays/{stay_id}/readings", {"temperature": 36.5}, content_type="application/json")
    assert r.status_code == 201
    r = c.post(f"/api/v1/quarantine/stays/{stay_id}/release", {}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "early_release"
    assert c.get("/api/v1/quarantine/reserves").status_code == 200
    assert c.get("/api/v1/quarantine/forecast").status_code == 200
    assert c.get("/api/v1/quarantine/occupancy").json()["sites"][0]["occupied"] == 1


@pytest.mark.django_db
def test_api_bad_rooms_are_listed_by_row(city, cast, api_client):
    site = SiteFactory(region=city.a)
    r = api_client(cast.officer_a).post(f"/api/v1/quarantine/sites/{site.pk}/rooms",
                                        [{"number": "201"}, {"number": "201"}], content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["row"] == 2
    assert site.rooms.count() == 0


@pytest.mark.django_db
def test_web_pages_render_for_the_district_officer(city, cast, api_client):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=3)
    RequestFactory(person=PersonFactory(grid=city.a_grid))
    c = api_client(cast.officer_a)
    for name in ("", "reserves/", "forecast/", "sites/", "queue/", "proposals/", "stays/", "home/", "tests/",
                 "transfers/", f"sites/{site.pk}/"):
        r = c.get(f"/quarantine/{name}")
        assert r.status_code == 200, name
    r = c.post("/quarantine/queue/", {"district_path": city.a.path})
    assert r.status_code == 302
    ids = list(PlacementRequest.objects.filter(status="proposed").values_list("proposal_lines__id", flat=True))
    r = c.post("/quarantine/proposals/", {"line": ids})
    assert r.status_code == 302 and Stay.objects.count() == 1


@pytest.mark.django_db
def test_self_report_link_needs_no_login_and_shows_nothing_personal(city, cast, api_client):
    site = SiteFactory(region=city.a)
    room = rooms_for(site, per_floor=1)[0]
    p = PersonFactory(grid=city.a_grid, name="李秘密")
    stay = Stay.objects.create(person=p, site=site, room=room, region_path=site.region_path, start=clock.today(),
                               planned_end=clock.today(), status="in", monitor_token="selftoken123")
    c = api_client(None)
    r = c.get("/quarantine/m/selftoken123/")
    assert r.status_code == 200 and "李秘密" not in r.content.decode()
    r = c.post("/quarantine/m/selftoken123/", {"temperature": "36.7", "symptoms": ["cough"]})
    assert r.status_code == 200 and stay.readings.count() == 1
    assert c.get("/quarantine/m/wrong/").status_code == 404
