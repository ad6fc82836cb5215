"""The daily reports page through the shared layers: a bad day is named and nothing is generated."""

import datetime as dt

import pytest

from cordon.command.models import DailyReport
from cordon.core import clock

pytestmark = pytest.mark.django_db


def test_a_bad_report_day_is_named_and_nothing_is_generated(city, cast, api_client):
    client = api_client(cast.commander)
    for day in ("yesterday", "1999-12-31", (clock.today() + dt.timedelta(days=1)).isoformat()):
        answer = client.post("/command/reports/", {"report_date": day, "region_path": city.city.path}, headers={"Accept-Language": "en"})
        assert answer.status_code == 200 and any("Day" in str(m) or "report_date" in str(m) for m in answer.context["messages"]), day
    assert not DailyReport.objects.exists()


def test_a_report_defaults_to_the_home_region(city, cast, api_client):
    answer = api_client(cast.officer_a).post("/command/reports/", {"report_date": (clock.today() - dt.timedelta(days=1)).isoformat()})
    assert answer.status_code == 302 and DailyReport.objects.get().region_path == city.a.path
