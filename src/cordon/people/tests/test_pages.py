"""The residents pages through the shared layers: one PersonFilter for the register page, its export and the API;
forms for a move-in request and its decision; a bad value is named, never dropped."""

import pytest

from cordon.core.testing import exported_rows
from cordon.people.factories import PersonFactory
from cordon.people.models import Move

pytestmark = pytest.mark.django_db


def test_the_register_page_its_export_and_the_api_filter_the_same_way(city, cast, api_client):
    PersonFactory.create_batch(3, grid=city.a_grid)
    PersonFactory.create_batch(2, grid=city.a_grid2)
    client = api_client(cast.officer_a)
    page = client.get("/people/", {"grid": city.a_grid2.path})
    assert len(page.context["cards"]) == 2
    assert client.get("/api/v1/people/", {"grid": city.a_grid2.path}).json()["count"] == 2
    assert exported_rows(client, "/people/", {"grid": city.a_grid2.path}) == 2


def test_a_filter_value_that_does_not_fit_is_named(city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = client.get("/api/v1/people/", {"vulnerable": "tall"})
    assert answer.status_code == 400 and answer.json()["error"]["fields"][0]["field"] == "vulnerable"
    shown = client.get("/people/", {"vulnerable": "tall"})
    assert shown.status_code == 200 and shown.context["cards"] == []
    assert any("vulnerable" in str(m) for m in shown.context["messages"])


def test_a_move_in_request_form_names_the_bad_field_and_writes_nothing(city, cast, api_client):
    answer = api_client(cast.officer_a).post("/people/moves/", {"name": "Wang", "id_number": "123", "grid_id": city.a_grid.pk,
                                                                "address": "2 Lane"}, follow=True)
    assert Move.objects.count() == 0
    assert any("ID number" in str(m) or "身份证" in str(m) for m in answer.context["messages"])


def test_a_decision_must_be_accept_or_refuse(city, cast, api_client):
    answer = api_client(cast.officer_a).post("/people/moves/1/decide/", {"decision": "maybe"}, follow=True)
    assert answer.status_code == 200
    # the message names the field by its label in the user's language (审批结论) and the value refused
    assert any("maybe" in str(m) and ":" in str(m) for m in answer.context["messages"])
