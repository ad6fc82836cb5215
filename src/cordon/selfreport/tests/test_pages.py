"""The officers' list through the shared layers: the page, its export and the API filter the day's state the same way,
a bad filter value is named instead of dropped, and the export is masked."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import assert_filter_refused, exported_rows
from cordon.people.factories import PersonFactory
from cordon.selfreport import services
from cordon.selfreport.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_page_export_and_api_filter_the_days_state_alike(city, cast, api_client):
    reported, fever, silent = (EnrolmentFactory(person=PersonFactory(grid=city.a_grid, name=f"李{n}明", phone=f"1370000000{n}"))
                               for n in range(3))
    services.report_submit(token=services.link_token(reported), temperature="36.5")
    services.report_submit(token=services.link_token(fever), temperature="38.0")
    client = api_client(cast.officer_a)
    page = client.get("/selfreport/", {"state": "missing"})
    assert [e.pk for e in page.context["page"]] == [silent.pk]
    assert client.get("/api/v1/selfreport/enrolments", {"state": "reported"}).json()["count"] == 2
    assert exported_rows(client, "/selfreport/", {"state": "fever"}) == 1
    exported = client.get("/selfreport/", {"export": "csv", "format": "csv"}).content.decode("utf-8-sig")
    assert "李*" in exported and "李0明" not in exported and "13700000000" not in exported
    assert_filter_refused(client, api="/api/v1/selfreport/enrolments", page="/selfreport/", field="state", value="asleep")
    # another day: yesterday nobody reported
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    assert client.get("/selfreport/", {"day": yesterday}).context["total"]["missing"] == 3
