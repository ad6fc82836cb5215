"""The workforce pages through the shared layers: forms validate a mission, a person and a deployment; the
WorkerFilter filters the roster page, its export and the API alike; a bad value is named, not dropped."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import assert_filter_refused, exported_rows
from cordon.workforce.models import Deployment, Mission, Worker

pytestmark = pytest.mark.django_db


START = "2100-01-02T09:30"  # city wall time


def _mission(client, city, **changes):
    start = dt.datetime.fromisoformat(START)
    data = {"kind": "site", "name": "Stadium site", "region_id": city.a_street.path, "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"), "need_sampler": "2", **changes}
    return client.post("/workforce/", data)


def _worker(client, city, **changes):
    data = {"name": "Zhang Min", "phone": "13800000000", "home_district_id": city.a.path, "skills": ["sampler"],
            "certificates": "first aid", **changes}
    return client.post("/workforce/workers/", data)


def test_an_officer_opens_a_mission_on_the_page_in_city_time(city, cast, api_client):
    answer = _mission(api_client(cast.officer_a), city)
    m = Mission.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/workforce/missions/{m.pk}/"
    assert m.needs == {"sampler": 2}
    assert clock.local(m.starts_at).strftime("%Y-%m-%dT%H:%M") == START


def test_a_bad_mission_names_the_field_and_writes_nothing(city, cast, api_client):
    answer = _mission(api_client(cast.officer_a), city, need_sampler="-1")
    assert answer.status_code == 200 and "need_sampler" in answer.context["form"].errors and Mission.objects.count() == 0
    answer = _mission(api_client(cast.officer_a), city, starts_at="tomorrow")
    assert "starts_at" in answer.context["form"].errors and Mission.objects.count() == 0
    answer = _mission(api_client(cast.officer_a), city, region_id=city.b_community.path)  # another district's area
    assert "region_id" in answer.context["form"].errors and Mission.objects.count() == 0


def test_a_person_is_added_made_unavailable_deployed_and_released(city, cast, api_client):
    client = api_client(cast.officer_a)
    assert _worker(client, city).status_code == 302
    w = Worker.objects.get()
    assert w.skills == ["sampler"] and w.certificates == ["first aid"]
    assert _worker(client, city, skills=["juggler"]).status_code == 302 and Worker.objects.count() == 1
    _mission(client, city)
    m = Mission.objects.get()
    client.post(f"/workforce/missions/{m.pk}/", {"action": "deploy", "worker_id": str(w.pk), "skill": "sampler"})
    d = Deployment.objects.get()
    client.post(f"/workforce/missions/{m.pk}/", {"action": "cancel", "deployment": str(d.pk)})
    d.refresh_from_db()
    assert d.cancelled
    client.post("/workforce/workers/", {"form": "availability", "pk": str(w.pk), "available": "0"})
    w.refresh_from_db()
    assert not w.available


def test_the_roster_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    _worker(client, city)
    _worker(client, city, name="Wang Tracer", skills=["tracer"])
    page = client.get("/workforce/workers/", {"skill": "tracer"})
    assert [c["id"] for c in page.context["cards"]] == [Worker.objects.get(name="Wang Tracer").pk]
    assert client.get("/api/v1/workforce/workers", {"skill": "tracer"}).json()["count"] == 1
    assert client.get("/api/v1/workforce/workers", {"available": "true"}).json()["count"] == 2
    assert_filter_refused(client, api="/api/v1/workforce/workers", page="/workforce/workers/", field="skill", value="juggler")
    assert exported_rows(client, "/workforce/workers/", {"skill": "tracer"}) == 1
