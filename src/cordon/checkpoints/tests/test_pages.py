"""The checkpoint pages through the shared layers: forms validate the registry, shift and pass inputs, the
FilterSets filter the page, its export and the API alike, and a bad value is named instead of dropped."""

import datetime as dt

import pytest

from cordon.checkpoints.models import Checkpoint, Pass, Shift
from cordon.core import clock
from cordon.core.testing import assert_filter_refused, assert_filtered_alike

pytestmark = pytest.mark.django_db


def _register(client, city, **changes):
    data = {"name": "North gate", "kind": "road", "region_path": city.a_community.path, "location": "G4", "code": "", **changes}
    return client.post("/checkpoints/", data)


def _minute(delta: dt.timedelta) -> str:
    return clock.local(clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_an_officer_registers_a_checkpoint_and_a_shift_in_city_time(city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = _register(client, city)
    cp = Checkpoint.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/checkpoints/{cp.pk}/"
    assert cp.region_path == city.a_community.path
    answer = client.post(f"/checkpoints/{cp.pk}/", {"action": "shift", "starts_at": _minute(dt.timedelta(hours=1)),
                                                    "ends_at": _minute(dt.timedelta(hours=9)), "leader": "Wang", "staff": "Li，Zhao, "})
    shift = Shift.objects.get()
    assert answer.status_code == 302 and shift.staff == ["Li", "Zhao"]
    assert clock.local(shift.starts_at).strftime("%Y-%m-%dT%H:%M") == _minute(dt.timedelta(hours=1))


def test_a_bad_input_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = _register(client, city, kind="moat")
    assert answer.status_code == 200 and "kind" in answer.context["form"].errors and Checkpoint.objects.count() == 0
    answer = _register(client, city, region_path=city.b_community.path)  # another district's area
    assert "region_path" in answer.context["form"].errors and Checkpoint.objects.count() == 0
    _register(client, city)
    cp = Checkpoint.objects.get()
    answer = client.post(f"/checkpoints/{cp.pk}/", {"action": "shift", "starts_at": "not a time",
                                                    "ends_at": _minute(dt.timedelta(hours=9)), "leader": "Wang"})
    assert answer.status_code == 200 and "starts_at" in answer.context["form"].errors and Shift.objects.count() == 0
    answer = client.post("/checkpoints/passes/", {"plate": "京A12345", "enterprise": "Grain Co", "region_path": city.a_community.path,
                                                  "valid_from": _minute(dt.timedelta(hours=2)), "valid_until": _minute(dt.timedelta(hours=1))})
    assert answer.status_code == 200 and "valid_until" in answer.context["form"].errors and Pass.objects.count() == 0


def test_the_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    _register(client, city)
    _register(client, city, name="Rail yard", kind="rail")
    assert_filtered_alike(client, page="/checkpoints/", api="/api/v1/checkpoints/", params={"q": "Rail"}, names=["Rail yard"])
    assert client.get("/api/v1/checkpoints/", {"kind": "road"}).json()["count"] == 1
    assert_filter_refused(client, api="/api/v1/checkpoints/", page="/checkpoints/", field="kind", value="moat")
    bad = client.get("/api/v1/checkpoints/inspections", {"result": "maybe"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "result"
