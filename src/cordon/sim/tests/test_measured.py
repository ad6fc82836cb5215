"""Issue 24, the twin's report on the HQ's drills page: the measured scenarios shipped with cordon (runs of
`cordon sim run --seeds ...`, each seed also without the response) are installed by the demo and listed on the
drills page and by the API with what the response averted, where tracing missed and the bottleneck; the full
report is the run's page. Runs without the counterfactual are not listed as measured."""

import json

import pytest

from cordon.core.testing import SYSTEM
from cordon.sim import services
from cordon.sim.models import SimRun


@pytest.fixture
def var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def _shipped() -> list[dict]:
    return [json.loads((p / "run.json").read_text(encoding="utf-8"))
            for p in sorted(services.MEASURED_DIR.iterdir()) if (p / "run.json").is_file()]


def test_at_least_two_shipped_scenarios_are_big_enough_to_measure_over_several_seeds():
    runs = _shipped()
    configs = {json.dumps({k: v for k, v in r["config"].items() if k in ("index_cases", "beta_home", "beta_venue")},
                          sort_keys=True) for r in runs}
    assert len(runs) >= 2 and len(configs) >= 2  # two different scenarios
    for r in runs:
        k = r["kpis"]
        assert len(k["seeds"]) >= 2 and k["averted_spread"]["n"] == len(k["seeds"])
        assert k["infections_no_response"] >= 1000  # thousands of infections unchecked
        assert k["averted"] == pytest.approx(k["infections_no_response"] - k["infections"], abs=0.6)
        assert k["gaps"]["bottleneck"] and k["gaps"]["targets"] and k["by_setting"]


@pytest.mark.django_db
def test_the_demo_installs_them_and_the_drills_page_and_api_show_what_the_response_averted(api_client, cast, var):
    plain = SimRun.objects.create(run_id="run-plain", kind="run", label="no counterfactual", created_at="2026-12-01T00:00Z",
                                  kpis={"infections": 5, "averted": None})
    runs = services.measured_install(actor=SYSTEM)
    assert {r.run_id for r in runs} == {r["run_id"] for r in _shipped()}
    for r in runs:
        assert (var / "sim" / r.run_id / "run.json").is_file()
        for chart in r.charts:
            assert (var / "sim" / r.run_id / chart).is_file()
    again = services.measured_install(actor=SYSTEM)  # idempotent: the same rows
    assert sorted(r.pk for r in again) == sorted(r.pk for r in runs)

    c = api_client(cast.commander)
    page = c.get("/sim/drills/").content.decode()
    for r in runs:
        assert r.run_id in page
        assert f"<strong>{r.kpis['averted']:g}</strong>" in page.replace(".0</strong>", "</strong>")
    assert plain.run_id not in page
    listed = c.get("/api/v1/sim/measured").json()
    assert {m["run_id"] for m in listed} == {r.run_id for r in runs}
    by_id = {r.run_id: r for r in runs}
    for m in listed:
        k = by_id[m["run_id"]].kpis
        assert m["averted"] == k["averted"] and m["infections_no_response"] == k["infections_no_response"]
        assert m["bottleneck"] == k["gaps"]["bottleneck"] and m["targets"] == k["gaps"]["targets"]
        weakest = min((row["recall"], name) for name, row in k["by_setting"].items()
                      if row.get("recall") is not None and row.get("true_contacts"))[1]
        assert m["weakest_setting"] == weakest
        report = c.get(f"/sim/runs/{m['run_id']}/")
        assert report.status_code == 200
    assert c.get("/api/v1/sim/measured", **{}).status_code == 200
    assert api_client(cast.officer_a).get("/api/v1/sim/measured").status_code == 403
