"""The venue pages through the shared layers: a form validates the closure order and the notice actions, the
FilterSets filter the page, its export and the API alike, and a bad value is named instead of dropped."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import assert_filter_refused, assert_filtered_alike
from cordon.venues.factories import VenueFactory
from cordon.venues.models import ClosureOrder, ComplianceInspection

pytestmark = pytest.mark.django_db


def _minute(delta: dt.timedelta) -> str:
    return clock.local(clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


def _issue(client, city, **changes):
    data = {"title": "Close karaoke", "kinds": ["ktv"], "area_path": city.a.path, "starts_at": _minute(-dt.timedelta(minutes=5)),
            "ends_at": _minute(dt.timedelta(days=7)), "reason": "cluster", **changes}
    return client.post("/venues/closures/new/", data)


def test_an_officer_issues_an_order_in_city_time_and_records_a_visit(city, cast, api_client):
    ktv = VenueFactory(region=city.a_community, kind="ktv")
    client = api_client(cast.officer_a)
    answer = _issue(client, city)
    order = ClosureOrder.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/venues/closures/{order.pk}/"
    assert clock.local(order.starts_at).strftime("%Y-%m-%dT%H:%M") == _minute(-dt.timedelta(minutes=5))
    notice = order.notices.get(venue=ktv)
    answer = client.post(f"/venues/closures/{order.pk}/", {"action": "closed", "notice": notice.pk, "note": "shut"})
    assert answer.status_code == 302 and ComplianceInspection.objects.get().found_open is False


def test_a_bad_order_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = _issue(client, city, kinds=["moat"])
    assert answer.status_code == 200 and "kinds" in answer.context["form"].errors and ClosureOrder.objects.count() == 0
    answer = _issue(client, city, area_path=city.b.path)  # another district
    assert "area_path" in answer.context["form"].errors and ClosureOrder.objects.count() == 0
    answer = _issue(client, city, starts_at="tomorrow")
    assert "starts_at" in answer.context["form"].errors and ClosureOrder.objects.count() == 0


def test_the_page_export_and_api_filter_the_same_way(city, cast, api_client):
    VenueFactory(region=city.a_community, kind="ktv", name="Golden Voice")
    VenueFactory(region=city.a_community, kind="gym", name="Iron Gym")
    client = api_client(cast.officer_a)
    assert_filtered_alike(client, page="/venues/", api="/api/v1/venues/", params={"kind": "gym"}, names=["Iron Gym"])
    assert client.get("/api/v1/venues/", {"q": "Golden"}).json()["count"] == 1
    assert_filter_refused(client, api="/api/v1/venues/", page="/venues/", field="kind", value="moat")
    _issue(client, city)
    assert client.get("/api/v1/venues/closures", {"kind": "ktv"}).json()["count"] == 1
    assert client.get("/api/v1/venues/closures", {"kind": "gym"}).json()["count"] == 0
    assert len(client.get("/venues/closures/", {"kind": "gym"}).context["page"]) == 0
    assert client.get("/api/v1/venues/closures", {"status": "nonsense"}).status_code == 400


def test_the_open_filter_reads_the_pages_one_and_zero(city, cast, api_client):
    VenueFactory(region=city.a_community, kind="ktv", name="Golden Voice")
    client = api_client(cast.officer_a)
    _issue(client, city)
    VenueFactory(region=city.a_community, kind="gym", name="Iron Gym")
    assert [v.name for v in client.get("/venues/", {"is_open": "1"}).context["page"]] == ["Iron Gym"]
    assert [v.name for v in client.get("/venues/", {"is_open": "0"}).context["page"]] == ["Golden Voice"]
