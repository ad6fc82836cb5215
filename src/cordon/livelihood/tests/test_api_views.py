import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cordon.livelihood import factories
from cordon.livelihood.models import Emergency, Need
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_api_files_assigns_and_delivers_a_need(city, cast, api_client):
    c = api_client(cast.officer_a)
    person = PersonFactory(grid=city.a_grid)
    team = factories.team(city.a_community)
    r = c.post("/api/v1/livelihood/needs", {"household_id": person.household_id, "kind": "elderly_care"}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert "*" in r.json()["address"]
    r = c.post(f"/api/v1/livelihood/needs/{pk}/assign", {"team_id": team.pk}, content_type="application/json")
    assert r.json()["status"] == "assigned"
    r = c.post(f"/api/v1/livelihood/needs/{pk}/deliver", {"proof": SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"0" * 40, content_type="image/jpeg")})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "delivered" and r.json()["has_proof"]
    assert c.get(f"/livelihood/needs/{pk}/proof/").status_code == 200


def test_an_unknown_household_gets_a_clear_error_naming_the_field(city, cast, api_client):
    r = api_client(cast.officer_a).post("/api/v1/livelihood/needs", {"household_id": 424242, "kind": "food"}, content_type="application/json")
    assert r.status_code == 404
    assert r.json()["error"]["fields"][0]["field"] == "household_id"


def test_bulk_needs_replay_with_the_same_idempotency_key(city, cast, api_client):
    c = api_client(cast.officer_a)
    hh = PersonFactory(grid=city.a_grid).household_id
    body = [{"household_id": hh, "kind": "food"}, {"household_id": hh, "kind": "necessities"}]
    r1 = c.post("/api/v1/livelihood/needs/bulk", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    r2 = c.post("/api/v1/livelihood/needs/bulk", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert r1.status_code == r2.status_code == 201
    assert r2.json().get("replayed") and Need.objects.count() == 2


def test_the_board_api_escalates_and_lists_by_age(city, cast, api_client):
    e = factories.emergency(city.a_grid, minutes_ago=15)
    r = api_client(cast.commander).get("/api/v1/livelihood/emergencies/board")
    assert r.status_code == 200
    assert r.json()[0]["id"] == e.pk and r.json()[0]["escalation_level"] == 1


def test_the_emergency_board_page_refreshes_itself(city, cast, api_client):
    factories.emergency(city.a_grid, minutes_ago=3)
    c = api_client(cast.officer_a)
    page = c.get("/livelihood/emergencies/")
    assert page.status_code == 200 and b'hx-trigger="every 15s"' in page.content
    partial = c.get("/livelihood/emergencies/", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content


def test_the_public_portal_needs_no_login_and_refuses_strangers(city, client):
    person = PersonFactory(grid=city.a_grid)
    assert client.get("/livelihood/portal/").status_code == 200
    r = client.post("/livelihood/portal/", {"id_number": person.id_number, "phone": person.phone, "kind": "food", "detail": "米面"})
    assert r.status_code == 200 and Need.objects.filter(channel="portal", household_id=person.household_id).exists()
    client.post("/livelihood/portal/", {"id_number": person.id_number, "phone": person.phone, "kind": "chest_pain"})
    assert Emergency.objects.filter(channel="portal", person=person).exists()
    r = client.post("/livelihood/portal/", {"id_number": person.id_number, "phone": "139", "kind": "food"})
    assert b"no household matches" in r.content or "没有".encode() in r.content
    assert Need.objects.count() == 1


def test_the_screens_render_for_an_officer(city, cast, api_client):
    plan = factories.plan(city.a_street)
    factories.need(city.a_grid)
    c = api_client(cast.officer_a)
    for url in ["/livelihood/", "/livelihood/teams/", "/livelihood/essentials/", "/livelihood/enterprises/",
                f"/livelihood/enterprises/{plan.enterprise_id}/", f"/livelihood/plans/{plan.pk}/", "/livelihood/?export=1"]:
        assert c.get(url).status_code == 200, url


def test_a_grid_worker_files_a_need_from_the_web_form(city, api_client):
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post

    worker = get_user_model().objects.create_user(username="grid", password="pw-for-tests-1")
    Post.objects.create(user=worker, role="grid_worker", region=city.a_grid)
    person = PersonFactory(grid=city.a_grid)
    r = api_client(worker).post("/livelihood/", {"household": person.id_number, "kind": "medicine", "detail": "胰岛素"})
    assert r.status_code == 302
    assert Need.objects.get().household_id == person.household_id
