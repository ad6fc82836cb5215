"""The shared search widget (cordon.core.autocomplete): things are found by name, only inside the user's area,
personal data masked, and a form takes the chosen suggestion (never a typed id)."""

import pytest
from django import forms

from cordon.core import autocomplete
from cordon.people.factories import PersonFactory
from cordon.quarantine.models import Room, Site
from cordon.venues.factories import VenueFactory

pytestmark = pytest.mark.django_db


def _results(client, kind, q):
    answer = client.get(f"/suggest/{kind}/", {"q": q, "format": "json"})
    assert answer.status_code == 200
    return answer.json()["results"]


def test_every_kind_of_thing_has_an_answer():
    assert set(autocomplete.kinds()) == {"person", "household", "venue", "region", "site", "room", "user"}
    assert all(question.answerer is not None for question in autocomplete.SUGGEST.values())


def test_a_resident_is_found_by_the_start_of_the_name_masked_and_only_inside_the_area(city, cast, api_client):
    person = PersonFactory(grid=city.a_grid, name="欧阳明华", phone="13912345678")
    PersonFactory(grid=city.b_grid, name="欧阳晓东")
    found = _results(api_client(cast.officer_a), "person", "欧阳")
    assert [r["value"] for r in found] == [str(person.pk)]
    assert "欧阳明华" not in found[0]["label"] and found[0]["label"].startswith("欧***")
    assert "139****5678" in found[0]["detail"] and "13912345678" not in str(found)
    assert str(person.pk) not in [r["value"] for r in _results(api_client(cast.officer_b), "person", "欧阳")]


def test_a_resident_is_found_by_the_last_digits_of_the_phone(city, cast, api_client):
    person = PersonFactory(grid=city.a_grid, phone="13700009876")
    assert [r["value"] for r in _results(api_client(cast.officer_a), "person", "9876")] == [str(person.pk)]


def test_a_household_is_found_by_its_address_or_a_members_name(city, cast, api_client):
    person = PersonFactory(grid=city.a_grid, name="司马光")
    household = person.household
    client = api_client(cast.officer_a)
    assert str(household.pk) in [r["value"] for r in _results(client, "household", "司马")]
    assert str(household.pk) in [r["value"] for r in _results(client, "household", household.address[:4])]


def test_a_region_is_chosen_by_name_and_sends_its_path(city, cast, api_client):
    found = _results(api_client(cast.officer_a), "region", city.a_grid.name)
    assert city.a_grid.path in [r["value"] for r in found]
    assert city.b_grid.path not in [r["value"] for r in _results(api_client(cast.officer_a), "region", city.b_grid.name)]


def test_a_venue_site_and_room_are_found_by_name(city, cast, api_client):
    venue = VenueFactory(region=city.a_community, name="幸福超市")
    site = Site.objects.create(name="锦江酒店", address="一号路", region=city.a, region_path=city.a.path)
    room = Room.objects.create(site=site, number="305", region_path=site.region_path)
    client = api_client(cast.officer_a)
    assert [r["value"] for r in _results(client, "venue", "幸福")] == [venue.code]
    assert [r["value"] for r in _results(client, "site", "锦江")] == [str(site.pk)]
    assert [r["label"] for r in _results(client, "room", "锦江 30")] == ["锦江酒店 305"]
    assert [r["value"] for r in _results(api_client(cast.officer_b), "venue", "幸福")] == []
    assert str(room.pk) in [r["value"] for r in _results(client, "room", "305")]


def test_a_staff_member_is_found_by_name_with_their_post(city, cast, api_client):
    found = _results(api_client(cast.commander), "user", cast.officer_a.username[:5])
    assert str(cast.officer_a.pk) in [r["value"] for r in found]


def test_the_html_answer_lists_buttons_that_carry_the_value_and_an_unknown_kind_is_not_found(city, cast, api_client):
    person = PersonFactory(grid=city.a_grid, name="诸葛亮")
    client = api_client(cast.officer_a)
    page = client.get("/suggest/person/", {"q": "诸葛"}).content.decode()
    assert f'data-value="{person.pk}"' in page and "诸葛亮" not in page
    assert client.get("/suggest/passport/", {"q": "x"}).status_code == 404
    assert api_client(None).get("/suggest/person/", {"q": "诸葛"}).status_code == 302


def test_a_form_takes_the_chosen_suggestion_and_refuses_typed_text():
    class Pick(forms.Form):
        person = autocomplete.SearchField("person")
        region = autocomplete.SearchField("region", path=True, required=False)

    assert Pick({"person": "12", "person__label": "张*"}).is_valid()
    chosen = Pick({"person": "12"})
    assert chosen.is_valid() and chosen.cleaned_data["person"] == 12
    assert Pick({"person": "12", "region": "3101.310101"}).is_valid()
    refused = Pick({"person": "", "person__label": "张三"})
    assert not refused.is_valid() and "person" in refused.errors
    assert not Pick({"person": "张三"}).is_valid()
    html = str(Pick({"person": "", "person__label": "张三"})["person"])
    assert 'value="张三"' in html and 'name="person"' in html and "/suggest/person/" in html


def test_the_api_operation_answers_exactly_as_the_web_suggestions(city, cast, api_client):
    person = PersonFactory(grid=city.a_grid, name="诸葛亮", phone="13811112222")
    PersonFactory(grid=city.b_grid, name="诸葛瑾")
    client = api_client(cast.officer_a)
    for kind, q in (("person", "诸葛"), ("region", city.a_grid.name), ("household", "诸葛")):
        api = client.get(f"/api/v1/suggest/{kind}", {"q": q})
        assert api.status_code == 200
        assert api.json() == client.get(f"/suggest/{kind}/", {"q": q, "format": "json"}).json()
    found = client.get("/api/v1/suggest/person", {"q": "诸葛"}).json()["results"]
    assert [r["value"] for r in found] == [str(person.pk)] and "诸葛亮" not in str(found)  # scoped, masked
    theirs = api_client(cast.officer_b).get("/api/v1/suggest/person", {"q": "诸葛"}).json()["results"]
    assert theirs and str(person.pk) not in [r["value"] for r in theirs]  # district B finds only its own
    empty = client.get("/api/v1/suggest/person").json()
    assert empty["results"] == [], empty
    assert client.get("/api/v1/suggest/nothing", {"q": "a"}).status_code == 404
    assert api_client(cast.anonymous).get("/api/v1/suggest/person", {"q": "诸葛"}).status_code == 401
