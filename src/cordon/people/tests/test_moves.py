"""Moving a resident between districts (迁入): filed by the receiving side, decided by the side they live in,
seen by both, never an import side effect; the filing side cannot tell whether the ID number exists."""

import datetime as dt

import pytest
from django.utils import translation

from cordon.core import access, clock
from cordon.core.ids import make_id_number
from cordon.core.models import AuditEntry
from cordon.people import services
from cordon.people.factories import PersonFactory
from cordon.people.models import Move, Person
from cordon.status.models import HealthStatus

pytestmark = pytest.mark.django_db


def _request(api_client, cast, city, id_number, name="王小明"):
    return api_client(cast.officer_b).post("/api/v1/people/moves", {
        "id_number": id_number, "name": name, "grid_id": city.b_grid.pk, "address": "乙区幸福里 3号"},
        content_type="application/json")


def _shape(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in ("id", "id_number", "name", "created_at")}


def test_the_filing_side_gets_the_same_answer_whether_or_not_the_person_exists(city, cast, api_client):
    resident = PersonFactory(grid=city.a_grid)
    known = _request(api_client, cast, city, resident.id_number)
    unknown = _request(api_client, cast, city, make_id_number("110105", dt.date(1990, 5, 5), 321, "F"))
    assert known.status_code == unknown.status_code == 201
    assert _shape(known.json()) == _shape(unknown.json())
    assert known.json()["resident"] is None and known.json()["status"] == "requested"
    listed = api_client(cast.officer_b).get("/api/v1/people/moves").json()["items"]
    assert {m["status"] for m in listed} == {"requested"} and all(m["resident"] is None for m in listed)


def test_the_resident_s_district_sees_the_request_and_accepting_moves_them_with_their_status(
        city, cast, api_client, django_capture_on_commit_callbacks):
    resident = PersonFactory(grid=city.a_grid)
    HealthStatus.objects.create(person=resident, region_path=resident.region_path)
    move_id = _request(api_client, cast, city, resident.id_number).json()["id"]
    mine = api_client(cast.officer_a).get("/api/v1/people/moves").json()["items"]
    assert [m["id"] for m in mine] == [move_id] and mine[0]["can_decide"] and mine[0]["resident"]["id"] == resident.pk
    # the requester cannot decide: the request answers as a missing one would
    assert api_client(cast.officer_b).post(f"/api/v1/people/moves/{move_id}/accept", {}, content_type="application/json").status_code == 404
    assert api_client(cast.officer_b).post("/api/v1/people/moves/987654321/accept", {}, content_type="application/json").status_code == 404
    assert api_client(cast.viewer_a).post(f"/api/v1/people/moves/{move_id}/accept", {}, content_type="application/json").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        r = api_client(cast.officer_a).post(f"/api/v1/people/moves/{move_id}/accept", {"note": "已核实"},
                                            content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    resident.refresh_from_db()
    assert resident.region_path == city.b_grid.path and resident.household.address == "乙区幸福里 3号"
    assert HealthStatus.objects.get(person=resident).region_path == city.b_grid.path
    assert api_client(cast.officer_b).get("/api/v1/people/moves").json()["items"][0]["status"] == "accepted"
    assert api_client(cast.officer_a).get(f"/api/v1/people/{resident.pk}").status_code == 404  # moved out of A
    assert AuditEntry.objects.filter(action="person.move.accept", actor_id=cast.officer_a.pk).exists()


def test_refusing_keeps_the_resident_where_they_are_and_a_decision_is_final(city, cast):
    resident = PersonFactory(grid=city.a_grid)
    move = services.move_request(actor=cast.officer_b, id_number=resident.id_number, name=resident.name,
                                 grid_id=city.b_grid.pk, address="乙区")
    services.move_decide(actor=cast.officer_a, move_id=move.pk, accept=False, note="户籍未迁")
    assert Person.objects.get(pk=resident.pk).region_path == city.a_grid.path
    with translation.override("en"), pytest.raises(Exception, match="rejected already"):
        services.move_decide(actor=cast.officer_a, move_id=move.pk, accept=True)


def test_a_viewer_may_not_file_and_bad_input_names_the_field(city, cast, api_client):
    r = api_client(cast.viewer_a).post("/api/v1/people/moves", {"id_number": "x", "name": "a", "grid_id": city.a_grid.pk,
                                                                "address": "a"}, content_type="application/json")
    assert r.status_code == 403
    r = api_client(cast.officer_b).post("/api/v1/people/moves", {"id_number": "1101051990", "name": "a",
                                                                 "grid_id": city.b_grid.pk, "address": "a"},
                                        content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["field"] == "id_number"
    assert not Move.objects.exists()


def test_undecided_requests_expire_after_a_week_matched_or_not(city, cast):
    resident = PersonFactory(grid=city.a_grid)
    for idn in (resident.id_number, make_id_number("110105", dt.date(1991, 1, 1), 11, "M")):
        services.move_request(actor=cast.officer_b, id_number=idn, name="x", grid_id=city.b_grid.pk, address="乙区")
    Move.objects.update(created_at=clock.now() - dt.timedelta(days=8))
    assert services.moves_expire(actor=access.system("tests")) == 2
    assert set(Move.objects.values_list("status", flat=True)) == {"expired"}


def test_the_moves_page_files_a_request_and_the_resident_s_district_accepts_it(city, cast, client):
    resident = PersonFactory(grid=city.a_grid)
    client.force_login(cast.officer_b)
    r = client.post("/people/moves/", {"id_number": resident.id_number, "name": resident.name,
                                       "grid_id": city.b_grid.pk, "address": "乙区 5号"})
    assert r.status_code == 302
    move = Move.objects.get()
    client.force_login(cast.officer_a)
    page = client.get("/people/moves/").content.decode()
    assert f"/people/moves/{move.pk}/decide/" in page and resident.id_number not in page
    assert client.post(f"/people/moves/{move.pk}/decide/", {"decision": "accept"}).status_code == 302
    assert Person.objects.get(pk=resident.pk).region_path == city.b_grid.path
