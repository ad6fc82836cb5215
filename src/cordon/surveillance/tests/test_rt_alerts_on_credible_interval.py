"""Issue 19, Rt alerts on the credible interval: a district is "Rt > 1" (the red cell, the dashboard tile's count and
tone, the bulletin and report figures) only when the lower bound of its 95% credible interval is above 1, never
because its mean is; and the count of districts with Rt > 1 is taken among the estimable districts only, saying how
many were not estimable (their stored figure, the prior, counts for nothing)."""

import pytest
from django.utils import translation

from cordon.core import clock
from cordon.reports import metrics
from cordon.surveillance import dashboard, selectors
from cordon.surveillance.models import RtEstimate

pytestmark = pytest.mark.django_db


def _rt(region, *, mean, q025, q975, cases):
    return RtEstimate.objects.create(region=region, region_path=region.path, date_end=clock.today(), mean=mean,
                                     std=(q975 - q025) / 4, q025=q025, median=mean, q975=q975, cases=cases)


def _tile(actor):
    with translation.override("en"):
        return next(t for t in dashboard.tiles(actor) if "Rt" in str(t["title"]))


def _figures(city):
    return metrics.figures(region_path=city.city.path, cut_off=clock.day_bounds(clock.today())[1])


def test_issue19_rt_alert_fires_on_the_lower_credible_bound_not_on_the_mean(city, cast, api_client):
    # enough cases to be shown (posterior CV < 0.3); mean above 1 but the interval reaches below 1: no alert
    _rt(city.a, mean=1.4, q025=0.95, q975=1.9, cases=40)
    row = next(r for r in selectors.rt_latest(actor=cast.commander) if r["region_path"] == city.a.path)
    assert row["estimable"] and row["mean"] > 1 and row["above_one"] is False
    assert selectors.rt_summary(selectors.rt_latest(actor=cast.commander))["above_one"] == 0
    tile = _tile(cast.commander)
    assert tile["value"].startswith("0/1") and tile["tone"] == "green"
    assert _figures(city)["rt_districts_above_one"] == 0
    assert api_client(cast.officer_a).get(f"/api/v1/surveillance/rt?region={city.a.path}").json()[-1]["above_one"] is False
    html = api_client(cast.commander).get("/surveillance/").content.decode()
    assert "colour-red" not in html
    # the lower bound passes 1: now it alerts
    RtEstimate.objects.filter(region=city.a).update(q025=1.05)
    assert selectors.rt_summary(selectors.rt_latest(actor=cast.commander))["above_one"] == 1
    tile = _tile(cast.commander)
    assert tile["value"].startswith("1/1") and tile["tone"] == "yellow"
    assert _figures(city)["rt_districts_above_one"] == 1
    assert "colour-red" in api_client(cast.commander).get("/surveillance/").content.decode()


def test_issue19_districts_with_rt_above_one_are_counted_among_estimable_districts_and_the_others_are_said(city, cast):
    _rt(city.a, mean=1.5, q025=1.1, q975=2.0, cases=60)
    # a district with 2 cases in its window: its stored posterior is mostly the prior (Rt about 5, lower bound > 1)
    _rt(city.b, mean=5.0, q025=1.6, q975=11.0, cases=2)
    summary = selectors.rt_summary(selectors.rt_latest(actor=cast.commander))
    assert summary == {"above_one": 1, "estimable": 1, "not_estimable": 1}
    assert selectors.rt_district_counts(region_path=city.city.path, on=clock.today()) == summary
    tile = _tile(cast.commander)
    assert tile["value"] == "1/1 (1 not estimable: not enough cases)"
    figures = _figures(city)
    assert (figures["rt_districts_above_one"], figures["rt_districts_not_estimable"]) == (1, 1)
