"""The gatherings pages through the shared layers: a form validates the registration, the FilterSet filters the
page, its export and the API alike, and a bad value is named instead of dropped."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import assert_filter_refused, assert_filtered_alike
from cordon.gatherings.models import Gathering

pytestmark = pytest.mark.django_db


def _register(client, city, **changes):
    start = clock.local(clock.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    data = {"title": "Temple fair", "organizer": "Li", "organizer_phone": "13800000000", "expected_attendance": "40",
            "region": city.a_community.path, "address": "1 Main St", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), **changes}
    return client.post("/gatherings/", data)


def test_an_officer_registers_a_gathering_on_the_page_in_city_time(city, cast, api_client):
    answer = _register(api_client(cast.officer_a), city)
    g = Gathering.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/gatherings/{g.pk}/"
    assert clock.local(g.starts_at).strftime("%H:%M") == clock.local(clock.now() + dt.timedelta(days=3)).strftime("%H:%M")
    assert g.region_path == city.a_community.path


def test_a_bad_registration_names_the_field_and_writes_nothing(city, cast, api_client):
    answer = _register(api_client(cast.officer_a), city, expected_attendance="0")
    assert answer.status_code == 200 and Gathering.objects.count() == 0
    assert "expected_attendance" in answer.context["form"].errors
    answer = _register(api_client(cast.officer_a), city, region=city.b_community.path)  # another district's area
    assert "region" in answer.context["form"].errors and Gathering.objects.count() == 0


def test_the_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    _register(client, city)
    _register(client, city, title="Wedding", expected_attendance="30")
    status = Gathering.objects.first().status
    assert_filtered_alike(client, page="/gatherings/", api="/api/v1/gatherings/", params={"q": "Wedding"}, names=["Wedding"], key="title")
    assert client.get("/api/v1/gatherings/", {"status": status}).json()["count"] == 2
    assert_filter_refused(client, api="/api/v1/gatherings/", page="/gatherings/", field="status", value="nonsense")
