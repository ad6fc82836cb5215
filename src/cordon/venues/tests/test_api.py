import datetime as dt

import pytest

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.venues.factories import VenueFactory
from cordon.venues.models import CheckIn

pytestmark = pytest.mark.django_db


def test_bulk_checkins_are_idempotent_and_atomic(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    v = VenueFactory(region=city.a_community, kind="supermarket")
    t = (clock.now() - dt.timedelta(hours=2)).isoformat()
    body = {"items": [{"person_token": p.token, "venue_code": v.code, "time_in": t}]}
    c = api_client(cast.officer_a)
    r1 = c.post("/api/v1/venues/checkins/bulk", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    r2 = c.post("/api/v1/venues/checkins/bulk", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert r1.status_code == 201 and r2.status_code == 201 and r2.json()["replayed"] is True
    r3 = c.post("/api/v1/venues/checkins/bulk", body, content_type="application/json")
    assert r3.json()["stored"] == 0
    ci = CheckIn.objects.get()
    assert ci.estimated and (ci.time_out - ci.time_in) == dt.timedelta(minutes=35)
    other = c.post("/api/v1/venues/checkins/bulk", {"items": []}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 409


def test_a_bad_row_rejects_the_whole_batch_naming_it(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    v = VenueFactory(region=city.a_community)
    now = clock.now()
    body = {"items": [
        {"person_token": p.token, "venue_code": v.code, "time_in": (now - dt.timedelta(hours=2)).isoformat()},
        {"person_token": p.token, "venue_code": "NOPE", "time_in": (now - dt.timedelta(hours=2)).isoformat()},
        {"person_token": p.token, "venue_code": v.code, "time_in": (now - dt.timedelta(hours=2)).isoformat(),
         "time_out": (now - dt.timedelta(hours=3)).isoformat()},
        {"person_token": p.token, "venue_code": v.code, "time_in": (now + dt.timedelta(days=1)).isoformat()},
    ]}
    r = api_client(cast.officer_a).post("/api/v1/venues/checkins/bulk", body, content_type="application/json")
    assert r.status_code == 400
    fields = r.json()["error"]["fields"]
    assert {"row": 2, "field": "venue_code", "message": "未知场所码 'NOPE'"} in fields
    assert any(f["row"] == 3 and f["field"] == "time_out" for f in fields)
    assert any(f["row"] == 4 and f["field"] == "time_in" for f in fields)
    assert CheckIn.objects.count() == 0


def test_a_malformed_body_gets_the_one_error_shape(cast, api_client):
    r = api_client(cast.officer_a).post("/api/v1/venues/checkins/bulk", {"items": [{"venue_code": "x"}]}, content_type="application/json")
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "validation_error" and err["fields"][0]["row"] == 1


def test_a_scan_can_name_its_class_floor_or_workshop(city, cast, api_client):
    from cordon.venues.models import VenueUnit

    p = PersonFactory(grid=city.a_grid)
    school = VenueFactory(region=city.a_community, kind="school")
    VenueUnit.objects.create(venue=school, name="初二3班", kind="class")
    t = (clock.now() - dt.timedelta(hours=5)).isoformat()
    c = api_client(cast.officer_a)
    bad = c.post("/api/v1/venues/checkins/bulk", {"items": [
        {"person_token": p.token, "venue_code": school.code, "unit": "初二3班", "time_in": t},
        {"person_token": p.token, "venue_code": school.code, "unit": "初二9班", "time_in": t}]}, content_type="application/json")
    assert bad.status_code == 400 and CheckIn.objects.count() == 0
    assert bad.json()["error"]["fields"] == [{"row": 2, "field": "unit", "message": f"'初二9班' 不是场所 {school.code} 的单元"}]
    ok = c.post("/api/v1/venues/checkins/bulk", {"items": [
        {"person_token": p.token, "venue_code": school.code, "unit": "初二3班", "time_in": t}]}, content_type="application/json")
    assert ok.status_code == 201 and CheckIn.objects.get().unit.name == "初二3班"
