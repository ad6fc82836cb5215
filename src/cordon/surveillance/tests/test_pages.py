"""The surveillance pages through the shared layers: the triage and upload forms name a bad field and write nothing;
the signals' FilterSet filters the page and the API alike (a bad value is named, never dropped)."""

import datetime as dt
import io

import pytest

from cordon.surveillance.models import Observation, Signal

pytestmark = pytest.mark.django_db


def _signal(city, status="new", stream="ili"):
    return Signal.objects.create(stream=stream, region=city.a, region_path=city.a.path, date=dt.date(2022, 1, 3),
                                 method="EARS-C1", observed=1, upperbound=0, status=status)


def test_dismissing_without_a_note_on_the_page_names_the_note_and_changes_nothing(city, cast, api_client):
    s = _signal(city)
    client = api_client(cast.officer_a)
    answer = client.post(f"/surveillance/signals/{s.pk}/triage/", {"action": "dismiss"}, follow=True)
    s.refresh_from_db()
    assert s.status == "new" and any("note" in str(m) for m in answer.context["messages"])
    client.post(f"/surveillance/signals/{s.pk}/triage/", {"action": "dismiss", "note": "duplicate feed"})
    s.refresh_from_db()
    assert s.status == "dismissed"


def test_an_upload_with_a_bad_row_lists_it_and_stores_nothing(city, cast, api_client):
    f = io.BytesIO(f"date,region_code,stream,count\n2022-05-01,{city.a.code},fever_clinic,many\n".encode())
    f.name = "obs.csv"
    answer = api_client(cast.officer_a).post("/surveillance/upload/", {"file": f})
    assert answer.status_code == 200 and answer.context["report"]["errors"][0]["field"] == "count"
    assert Observation.objects.count() == 0


def test_the_signals_page_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    _signal(city, status="new")
    _signal(city, status="dismissed", stream="fever_clinic")
    assert [s.status for s in client.get("/surveillance/").context["page"]] == ["new"]  # new unless chosen
    assert [s.status for s in client.get("/surveillance/", {"status": "dismissed"}).context["page"]] == ["dismissed"]
    assert [s["status"] for s in client.get("/api/v1/surveillance/signals", {"status": "dismissed"}).json()["items"]] == ["dismissed"]
    bad = client.get("/api/v1/surveillance/signals", {"status": "nonsense"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "status"
