"""Issue 19, the forecast backtest on the page: the quarantine capacity forecast page and the API show the latest
stored backtest (forecast 7 days ahead at each day of a simulated outbreak): its error and its band coverage, with
the date and the source; before any is stored they say so and how to run one, never a figure of their own."""

import io

import pytest
from django.utils import translation

from cordon.analytics import forecast
from cordon.bench.rt_forecast import ForecastBench
from cordon.core.errors import ServiceError
from cordon.core.testing import SYSTEM
from cordon.surveillance import selectors, services
from cordon.surveillance.models import ForecastBacktest

pytestmark = pytest.mark.django_db

OPTIONS = {"people": 2000, "days": 18, "horizon": 7, "min_days": 8, "seed": 1, "sims": 100}


def _page(client):
    with translation.override("en"):
        return client.get("/quarantine/forecast/", headers={"Accept-Language": "en"}).content.decode()


def test_issue19_forecast_page_and_api_say_no_backtest_yet_and_how_to_run_one(cast, api_client):
    client = api_client(cast.officer_a)
    html = _page(client)
    assert "No backtest yet" in html and selectors.BACKTEST_HOW in html and "95% band coverage" not in html
    body = client.get("/api/v1/surveillance/forecasts/backtest").json()
    assert body == {"backtest": None, "how": selectors.BACKTEST_HOW}


def test_issue19_forecast_backtest_is_stored_and_its_error_and_band_coverage_shown_on_the_page_and_api(cast, api_client):
    result = ForecastBench().run({**OPTIONS, "store": True}, io.StringIO())
    run = ForecastBacktest.objects.get()
    assert (run.mae, run.coverage, run.forecasts) == (result["mae"], result["coverage"], result["forecasts"]) and run.forecasts == 18 - 8 + 1
    assert "--people 2000" in run.source
    client = api_client(cast.officer_a)
    body = client.get("/api/v1/surveillance/forecasts/backtest").json()["backtest"]
    assert (body["mae"], body["coverage"], body["horizon"], body["source"]) == (run.mae, run.coverage, 7, run.source)
    html = _page(client)
    assert "No backtest yet" not in html and "95% band coverage" in html and "Mean absolute error" in html
    assert f"{run.mae:.2f}" in html and f"{round(run.coverage * 100)}%" in html and run.source in html
    # the newest run is the one shown
    later = services.forecast_backtest_record(actor=SYSTEM, result={**result, "mae": 123.45, "coverage": 0.5}, source="drill")
    assert selectors.forecast_backtest_latest(actor=cast.officer_a) == later
    assert "123.45" in _page(client) and "50%" in _page(client)


def test_issue19_the_bench_and_the_stored_backtest_score_the_same_kernel():
    truth = ForecastBench.outbreak(people=2000, days=25, seed=1)
    scored = forecast.backtest(truth, population=2000, horizon=7, min_days=8, n_sim=100, seed=1)
    assert scored.summary()["forecasts"] == 25 - 7 - 8 + 1 and 0 <= scored.coverage <= 1 and scored.bounded
    with pytest.raises(ValueError, match="at least"):
        forecast.backtest(truth[:10], population=2000)


def test_issue19_a_backtest_result_without_its_figures_is_refused():
    with pytest.raises(ServiceError):
        services.forecast_backtest_record(actor=SYSTEM, result={"mae": 1.0}, source="hand")
    assert not ForecastBacktest.objects.exists()
