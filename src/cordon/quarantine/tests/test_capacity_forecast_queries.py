"""The capacity forecast reads every district's cases, contacts and Rt forecast in one query each (not three per
district), with the figures a per-district count gives."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.cases.models import Case
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.quarantine import selectors

pytestmark = pytest.mark.django_db


def _case(grid, days_ago: int) -> Case:
    p = PersonFactory(grid=grid)
    at = clock.aware(dt.datetime.combine(clock.today() - dt.timedelta(days=days_ago), dt.time(12)))
    return Case.objects.create(person=p, region_path=p.region_path, kind="confirmed", found_by="screening", confirmed_at=at)


def _contacts(case: Case, n: int, grid) -> None:
    for _ in range(n):
        p = PersonFactory(grid=grid)
        RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", source_case=case,
                                  last_exposure=clock.now())


def test_capacity_forecast_counts_each_districts_cases_in_one_query(city, cast):
    for days_ago in (0, 1, 1, 3):
        _contacts(_case(city.a_grid, days_ago), 60, city.a_grid)  # 4 recent cases x 60 contacts: a case-driven forecast
    _case(city.a_grid, 40)  # too old for the trend, still a case to date
    _contacts(_case(city.b_grid, 2), 3, city.b_grid)
    with CaptureQueriesContext(connection) as ctx:
        rows = {r["path"]: r for r in selectors.capacity_forecast(actor=cast.commander)}
    a, b = rows[city.a.path], rows[city.b.path]
    assert a["basis"] == "cases" and sum(a["arrivals"]) > 0
    assert a["eligible"] == city.a.population - 5 if city.a.population else a["eligible"] is None
    case_queries = [q for q in ctx.captured_queries if '"cases_case"' in q["sql"]]
    assert len(case_queries) <= 3, [q["sql"][:120] for q in case_queries]
    # the officer of district A sees only A's cases: B's row (if shown) has no case-driven trend
    rows_a = {r["path"]: r for r in selectors.capacity_forecast(actor=cast.officer_a)}
    assert rows_a[city.a.path]["arrivals"] == a["arrivals"] and rows_a[city.a.path]["basis"] == "cases"
    assert b["basis"] in ("requests", "cases")
