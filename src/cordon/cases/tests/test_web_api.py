import datetime as dt

import pytest

from cordon.cases import services
from cordon.cases.models import Case, Stay
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.venues.factories import CheckInFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_a_tracer_reports_enters_a_trajectory_and_sees_proposals_in_the_ui(city, cast, api_client, django_capture_on_commit_callbacks):
    client = api_client(cast.officer_a)
    venue = VenueFactory(region=city.a_community, kind="restaurant")
    p = PersonFactory(grid=city.a_grid)
    other = PersonFactory(grid=city.a_grid)
    t = clock.local(clock.now() - dt.timedelta(hours=6)).replace(second=0, microsecond=0, tzinfo=None)
    CheckInFactory(person=other, venue=venue, time_in=clock.aware(t), time_out=clock.aware(t + dt.timedelta(hours=1)))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/cases/report/", {"id_number": p.id_number, "kind": "confirmed", "found_by": "fever_clinic",
                                           "severity": "mild", "onset_date": clock.today().isoformat()})
    case = Case.objects.get(person=p)
    assert r.status_code == 302 and r["Location"].endswith(f"/cases/{case.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/cases/{case.pk}/stays/", {"kind": "place", "venue_code": venue.code, "time_in": t.strftime("%Y-%m-%dT%H:%M"),
                                                     "time_out": (t + dt.timedelta(minutes=50)).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 302 and Stay.objects.filter(case=case).count() == 1
    assert RiskPerson.objects.filter(source_case=case, person=other, status="proposed").exists()
    page = client.get(f"/contacts/?case={case.pk}")
    assert page.status_code == 200 and venue.name in page.content.decode() and other.name not in page.content.decode()
    detail = client.get(f"/cases/{case.pk}/")
    assert detail.status_code == 200 and venue.code in detail.content.decode()
    rp = RiskPerson.objects.get(source_case=case, person=other)
    r = client.post("/contacts/decide/", {"ids": [rp.pk], "decision": "confirm", "next": "/contacts/"})
    rp.refresh_from_db()
    assert rp.status == "under_measures"
    assert client.get(f"/contacts/{rp.pk}/").status_code == 200
    assert client.get(f"/status/people/{other.pk}/").status_code == 200
    assert client.get("/status/").status_code == 200
    assert client.get(f"/cases/{case.pk}/cluster/").status_code == 200
    assert client.get("/cases/clusters/").status_code == 200
    export = client.get(f"/contacts/?case={case.pk}&export=1")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bad_trajectory_rows_come_back_as_one_error_shape(city, cast, api_client):
    client = api_client(cast.officer_a)
    case = services.case_report(actor=cast.officer_a, person_id=PersonFactory(grid=city.a_grid).pk, kind="confirmed", found_by="manual")
    t = clock.now() - dt.timedelta(hours=3)
    r = client.post(f"/api/v1/cases/{case.pk}/stays", {"items": [
        {"place": "home", "time_in": t.isoformat(), "time_out": (t + dt.timedelta(hours=1)).isoformat()},
        {"venue_code": "NOPE", "time_in": t.isoformat(), "time_out": (t + dt.timedelta(hours=1)).isoformat()}]}, content_type="application/json",
        headers={"Accept-Language": "en"})
    assert r.status_code == 400
    assert r.json()["error"]["fields"] == [{"field": "venue_code", "message": "unknown venue code NOPE", "row": 2}]
    assert Stay.objects.count() == 0


def test_the_api_reports_idempotently_and_masks_names(city, cast, api_client):
    client = api_client(cast.officer_a)
    p = PersonFactory(grid=city.a_grid)
    body = {"person_id": p.pk, "kind": "asymptomatic", "found_by": "screening", "source": "screening.sample:77"}
    a = client.post("/api/v1/cases/", body, content_type="application/json")
    b = client.post("/api/v1/cases/", body, content_type="application/json")
    assert a.status_code == b.status_code == 201 and a.json()["id"] == b.json()["id"]
    assert a.json()["name"] != p.name
    listed = client.get("/api/v1/cases/").json()
    assert listed["count"] == 1
    assert api_client(cast.officer_b).get("/api/v1/cases/").json()["count"] == 0
    status = client.get(f"/api/v1/status/people/{p.pk}").json()
    assert status["colour"] == "red" and status["active_reasons"][0]["reason"] == "asymptomatic"


def test_contact_decisions_by_api_are_idempotent_with_a_key(city, cast, api_client):
    client = api_client(cast.officer_a)
    p = PersonFactory(grid=city.a_grid)
    rp = RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", last_exposure=clock.now(),
                                   evidence=[{"rule": "named"}])
    body = {"ids": [rp.pk], "decision": "confirm"}
    first = client.post("/api/v1/contacts/decide", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    again = client.post("/api/v1/contacts/decide", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == 200 and again.json().get("replayed")
    twice = client.post("/api/v1/contacts/decide", body, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["error"]["fields"][0]["row"] == 1


def test_pages_are_in_chinese_by_default(city, cast, api_client):
    client = api_client(cast.officer_a)
    assert "报告病例" in client.get("/cases/").content.decode()
    assert "密接及风险人员" in client.get("/contacts/").content.decode()
    assert "健康码" in client.get("/status/").content.decode()
