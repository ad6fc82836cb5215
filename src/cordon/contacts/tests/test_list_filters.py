"""The risk person list is filtered by things chosen by name (the shared search), never by a typed internal id:
the infected person, the venue of exposure and the area each carry the value their suggestion gave."""

import re

import pytest

from cordon.cases import services as case_services
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.venues.factories import VenueFactory

pytestmark = pytest.mark.django_db


def _risk(city, *, case=None, evidence=None):
    p = PersonFactory(grid=city.a_grid)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact",
                                     last_exposure=clock.now(), evidence=evidence or [{"rule": "named"}], source_case=case)


def test_the_list_filters_by_the_infected_person_and_the_venue_chosen_by_name(city, cast, api_client):
    client = api_client(cast.officer_a)
    infected = PersonFactory(grid=city.a_grid, name="上官婉儿")
    case = case_services.case_report(actor=cast.officer_a, person_id=infected.pk, kind="confirmed", found_by="manual")
    venue = VenueFactory(region=city.a_grid, name="幸福超市")
    mine = _risk(city, case=case)
    there = _risk(city, evidence=[{"rule": "venue", "venue_id": venue.pk}])
    _risk(city)
    # the values the suggestions carry are those the filters take (a venue's code, a person's number)
    person_value = client.get("/suggest/person/", {"q": "上官", "format": "json"}).json()["results"][0]["value"]
    venue_value = client.get("/suggest/venue/", {"q": "幸福超", "format": "json"}).json()["results"][0]["value"]
    page = client.get("/contacts/", {"case_person": person_value})
    assert [c["id"] for c in page.context["cards"]] == [mine.pk]
    assert [c["id"] for c in client.get("/contacts/", {"venue_code": venue_value}).context["cards"]] == [there.pk]
    # the chosen venue is shown again by its name, and no input asks for an id or a path
    html = client.get("/contacts/", {"venue_code": venue_value}).content.decode()
    assert 'value="幸福超市"' in html
    filters = re.search(r'<form class="filters".*?</form>', html, re.S).group(0)
    assert "Case id" not in filters and "Venue id" not in filters and "Region path" not in filters
    for name in re.findall(r'<input(?![^>]*type="hidden")[^>]*name="([^"]+)"', filters):
        assert name in ("q",), name  # only the search boxes (each posts its choice in a hidden input)


def test_a_case_link_still_lists_that_cases_contacts_and_keeps_the_case_in_the_filters(city, cast, api_client):
    client = api_client(cast.officer_a)
    case = case_services.case_report(actor=cast.officer_a, person_id=PersonFactory(grid=city.a_grid).pk, kind="confirmed",
                                     found_by="manual")
    mine = _risk(city, case=case)
    _risk(city)
    page = client.get("/contacts/", {"case": case.pk})
    assert [c["id"] for c in page.context["cards"]] == [mine.pk]
    assert f'type="hidden" name="case" value="{case.pk}"' in page.content.decode()
