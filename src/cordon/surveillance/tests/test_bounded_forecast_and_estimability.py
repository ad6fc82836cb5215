"""Issue 19: forecasts bounded by the population; Rt shown only where the window's cases carry it."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.reports import metrics
from cordon.surveillance import dashboard, selectors, services
from cordon.surveillance.models import Forecast

pytestmark = pytest.mark.django_db


def _cases(city, counts, grid=None):
    from cordon.cases.models import Case
    from cordon.people.factories import PersonFactory

    today = clock.today()
    for d, n in enumerate(counts):
        day = clock.aware(dt.datetime.combine(today - dt.timedelta(days=len(counts) - 1 - d), dt.time(12)))
        for _ in range(n):
            p = PersonFactory(grid=grid or city.a_grid)
            Case.objects.create(person=p, region_path=p.region_path, kind="confirmed", found_by="screening", confirmed_at=day)


def test_a_district_whose_last_cases_were_weeks_ago_shows_not_enough_cases_instead_of_the_prior(city, cast, api_client):
    _cases(city, [3, 3, 3] + [0] * 25)
    services.rt_refresh(actor=SYSTEM, on=clock.today())
    latest = selectors.rt_latest(actor=cast.officer_a)
    assert latest[0]["estimable"] is False and latest[0]["mean"] is None and latest[0]["q025"] is None
    rows = api_client(cast.officer_a).get(f"/api/v1/surveillance/rt?region={city.a.path}").json()
    assert rows[-1]["mean"] is None and rows[-1]["estimable"] is False
    html = api_client(cast.officer_a).get("/surveillance/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "不足以估计" in html


def test_a_district_with_enough_cases_in_the_window_shows_its_rt(city, cast):
    _cases(city, [1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 22])
    services.rt_refresh(actor=SYSTEM, on=clock.today())
    row = selectors.rt_latest(actor=cast.officer_a)[0]
    assert row["estimable"] and row["mean"] > 1 and row["above_one"] == (row["q025"] > 1)


def test_districts_with_rt_above_one_count_only_estimable_districts_and_name_the_others(city, cast):
    _cases(city, [1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 22])
    _cases(city, [2] + [0] * 20, grid=city.b_grid)
    services.rt_refresh(actor=SYSTEM, on=clock.today())
    summary = selectors.rt_summary(selectors.rt_latest(actor=cast.commander))
    assert summary == {"above_one": 1, "estimable": 1, "not_estimable": 1}
    tile = next(t for t in dashboard.tiles(cast.commander) if "Rt" in str(t["title"]))
    assert tile["value"].startswith("1/1 ") and "1" in tile["value"][4:]
    cut_off = clock.day_bounds(clock.today())[1]
    figures = metrics.figures(region_path=city.city.path, cut_off=cut_off)
    assert figures["rt_districts_above_one"] == 1 and figures["rt_districts_not_estimable"] == 1


def test_the_forecast_never_projects_more_cases_than_the_district_has_people(city, cast):
    city.a.population = 400
    city.a.save(update_fields=["population"])
    _cases(city, [1, 2, 3, 5, 8, 12, 18, 27, 40, 60])
    services.rt_refresh(actor=SYSTEM, on=clock.today())
    f = Forecast.objects.get(region=city.a)
    assert f.days[-1]["cumulative"] <= 400
    assert sum(d["median"] for d in f.days) <= 400 - 176
    eligible = 400 - 176
    assert max(d["rooms"] for d in f.days) <= eligible
    assert sum(d["contacts"] for d in f.days) <= eligible + 0.5


def test_quarantine_arrivals_never_add_up_to_more_than_the_people_eligible():
    from cordon.quarantine import rules as quarantine_rules

    capped = quarantine_rules.cap_arrivals([500.0] * 7, eligible=1_200)
    assert sum(capped) == 1_200 and capped[-1] == 0
    assert quarantine_rules.cap_arrivals([1.0, 2.0], eligible=None) == [1.0, 2.0]
