"""The transfers list is searched by a resident's name, an address or vehicle, and filtered by a site or a resident
chosen by name (the search widget), never by typing an id."""

import pytest

from cordon.quarantine.tests.scope import _stay

pytestmark = pytest.mark.django_db


def test_the_transfers_list_finds_a_transfer_by_name_vehicle_site_or_resident(city, cast, api_client):
    first, second = _stay(city), _stay(city)
    first.transfers.update(vehicle="沪A12345")
    client = api_client(cast.officer_a)

    def names(**query):
        page = client.get("/quarantine/transfers/", query)
        assert page.status_code == 200
        return [row[0].stay_id for row in page.context["rows"]]

    assert sorted(names()) == sorted([first.pk, second.pk])
    assert names(q="沪A123") == [first.pk]
    assert names(q=second.person.name) == [second.pk]
    assert names(person=str(second.person_id)) == [second.pk]
    assert sorted(names(site=str(first.site_id))) == sorted([s.pk for s in (first, second) if s.site_id == first.site_id])
    page = client.get("/quarantine/transfers/").content.decode()
    assert "/suggest/site/" in page and "/suggest/person/" in page
