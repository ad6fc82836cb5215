"""The bulletins pages through the shared layers: a draft's cut-off is typed in city time, a bad value or a refused
edit is named and writes nothing, and the list page and the API filter alike."""

import datetime as dt

import pytest

from cordon.bulletins.models import Bulletin
from cordon.core import clock
from cordon.core.testing import assert_filter_refused

pytestmark = pytest.mark.django_db


def test_a_draft_cut_off_is_read_in_city_time(city, cast, api_client):
    cut = clock.day_start(clock.today()) - dt.timedelta(hours=6)
    answer = api_client(cast.officer_a).post("/bulletins/", {"region_path": city.a.path, "cut_off": clock.local(cut).strftime("%Y-%m-%dT%H:%M")})
    b = Bulletin.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/bulletins/{b.pk}/" and b.cut_off == cut


def test_a_bad_draft_or_edit_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = client.post("/bulletins/", {"region_path": city.a.path, "cut_off": "yesterday"}, headers={"Accept-Language": "en"})
    assert answer.status_code == 200 and any("Cut-off" in str(m) for m in answer.context["messages"])
    assert not Bulletin.objects.exists()
    answer = client.post("/bulletins/", {"region_path": city.a.path, "cut_off": clock.local(clock.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")})
    assert answer.status_code == 200 and not Bulletin.objects.exists()  # the service refuses a cut-off in the future
    client.post("/bulletins/", {"region_path": city.a.path})
    b = Bulletin.objects.get()
    client.post(f"/bulletins/{b.pk}/edit/", {"title": "", "body": "x"})
    client.post(f"/bulletins/{b.pk}/edit/", {"title": "t", "body": "新增{made_up_number}例"})
    b.refresh_from_db()
    assert b.version == 1 and b.versions.count() == 1
    client.post(f"/bulletins/{b.pk}/approve/")
    client.post(f"/bulletins/{b.pk}/publish/")
    client.post(f"/bulletins/{b.pk}/withdraw/", {"reason": ""})
    b.refresh_from_db()
    assert b.status == "published"


def test_the_list_page_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    client.post("/bulletins/", {"region_path": city.a.path})
    client.post("/bulletins/", {"region_path": city.a.path})
    b = Bulletin.objects.order_by("id").first()
    client.post(f"/bulletins/{b.pk}/approve/")
    assert [x.pk for x in client.get("/bulletins/", {"status": "approved"}).context["page"]] == [b.pk]
    assert [x["id"] for x in client.get("/api/v1/bulletins/", {"status": "approved"}).json()["items"]] == [b.pk]
    assert_filter_refused(client, api="/api/v1/bulletins/", page="/bulletins/", field="status", value="nonsense")
