import datetime as dt
import json

import pytest

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.spacetime.models import CellPresence

URL = "/api/v1/spacetime/presence/bulk"


def _body(person, **extra):
    # yesterday 10:00 city time: a 40-minute stay that never crosses the city's midnight (a presence is stored per
    # city day, so "now - 4 h" made two rows when the suite ran between 03:20 and 04:00 in the city)
    start = clock.at(clock.today() - dt.timedelta(days=1), dt.time(10, 0))
    return {"source": "mobile", "items": [{"person_id": person.pk, "cell_id": "E10N10", "start": start.isoformat(),
                                           "end": (start + dt.timedelta(minutes=40)).isoformat()}], **extra}


def _post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def person(city):
    return PersonFactory(grid=city.a_grid)


def test_bulk_upload_with_a_key_is_stored_once(api_client, cast, person):
    client = api_client(cast.officer_a)
    body = _body(person)
    first = _post(client, body, key="k1")
    assert first.status_code == 201 and first.json()["stored"] == 1
    again = _post(client, body, key="k1")
    assert again.status_code == 201 and again.json()["replayed"] is True
    assert _post(client, {**body, "source": "other"}, key="k1").status_code == 409
    assert CellPresence.objects.count() == 1


def test_the_same_batch_name_again_stores_nothing(api_client, cast, person):
    client = api_client(cast.officer_a)
    body = _body(person, batch="2022-06-01-a")
    assert _post(client, body).json()["stored"] == 1
    assert _post(client, body).json()["already_loaded"] is True
    assert CellPresence.objects.count() == 1


def test_bad_rows_come_back_with_field_and_row(api_client, cast, person):
    body = _body(person)
    body["items"].append({**body["items"][0], "end": body["items"][0]["start"]})
    response = _post(api_client(cast.officer_a), body)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields == [{"row": 2, "field": "end", "message": "须晚于开始时间"}]
    assert CellPresence.objects.count() == 0


def test_readers_may_not_upload(api_client, cast, person):
    assert _post(api_client(cast.viewer_a), _body(person)).status_code == 403
    assert _post(api_client(), _body(person)).status_code == 401


def test_a_persons_presence_is_listed_newest_first(api_client, cast, person):
    _post(api_client(cast.officer_a), _body(person))
    data = api_client(cast.viewer_a).get(f"/api/v1/spacetime/people/{person.pk}/presence").json()
    assert data["count"] == 1 and data["items"][0]["cell_label"] == "E10N10"
    assert api_client(cast.officer_b).get(f"/api/v1/spacetime/people/{person.pk}/presence").status_code == 404
    batches = api_client(cast.viewer_a).get("/api/v1/spacetime/batches").json()
    assert batches["count"] == 1 and batches["items"][0]["rows"] == 1
    assert api_client(cast.officer_b).get("/api/v1/spacetime/batches").json()["count"] == 0


def test_pages_show_batches_upload_and_a_persons_presence(api_client, cast, person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_client(cast.officer_a)
    assert client.get("/spacetime/").status_code == 200
    start = (clock.local() - dt.timedelta(hours=5)).strftime("%Y-%m-%d %H:%M")
    end = (clock.local() - dt.timedelta(hours=4)).strftime("%Y-%m-%d %H:%M")
    upload = SimpleUploadedFile("p.csv", f"person_id,cell_id,start,end\n{person.pk},E1N1,{start},{end}\n".encode())
    response = client.post("/spacetime/upload/", {"file": upload, "source": "mobile"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    page = client.get(f"/spacetime/people/{person.pk}/")
    assert page.status_code == 200 and "E1N1" in page.content.decode() and person.name not in page.content.decode()
    assert client.get("/spacetime/?export=1")["Content-Type"].startswith("application/vnd.openxml")
    bad = SimpleUploadedFile("p.csv", f"person_id,cell_id,start,end\n{person.pk},E1N1,{end},{start}\n".encode())
    assert "须晚于开始时间" in client.post("/spacetime/upload/", {"file": bad}).content.decode()


def test_a_batch_name_reused_for_other_rows_is_a_conflict(api_client, cast, person):
    client = api_client(cast.officer_a)
    body = _body(person, batch="2022-06-01-b")
    assert _post(client, body).status_code == 201
    body["items"][0]["cell_id"] = "E11N10"
    response = _post(client, body)
    assert response.status_code == 409 and response.json()["error"]["code"] == "batch_conflict"
