"""The health status page through the shared layers: its FilterSet filters the list (a bad value is named, the
list is empty), and the look-up by ID number is a form."""

import pytest

from cordon.people.factories import PersonFactory
from cordon.status.models import HealthStatus

pytestmark = pytest.mark.django_db


def _status(city, colour, **person):
    p = PersonFactory(grid=city.a_grid, **person)
    return HealthStatus.objects.create(person=p, region_path=p.region_path, colour=colour)


def test_the_status_page_filters_by_colour_and_region_and_names_a_bad_value(city, cast, api_client):
    client = api_client(cast.officer_a)
    _status(city, "red")
    _status(city, "yellow")
    assert len(client.get("/status/").context["page"]) == 2
    assert [s.colour for s in client.get("/status/", {"colour": "red"}).context["page"]] == ["red"]
    assert len(client.get("/status/", {"region": city.b.path}).context["page"]) == 0
    shown = client.get("/status/", {"colour": "purple"})
    assert shown.status_code == 200 and list(shown.context["page"]) == []
    assert any("colour" in str(m) for m in shown.context["messages"])


def test_a_look_up_by_id_number_opens_the_person(city, cast, api_client):
    s = _status(city, "red")
    answer = api_client(cast.officer_a).get("/status/", {"id_number": s.person.id_number})
    assert answer.status_code == 302 and answer["Location"] == f"/status/people/{s.person.pk}/"
