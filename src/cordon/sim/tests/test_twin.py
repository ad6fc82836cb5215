"""The twin on a small generated city: KPIs come from the platform's records, a seed repeats itself,
runs leave the city untouched, the compare command and the results page."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from cordon.cases.models import Case
from cordon.contacts.models import RiskPerson
from cordon.quarantine.models import Stay
from cordon.sim import citygen, gaps, twin
from cordon.sim.models import SimRun
from cordon.venues.models import CheckIn

PEOPLE = 2000
CONFIG = dict(people=PEOPLE, days=4, seed=3, index_cases=3, screening_every=2, screening_start=1, progress=False,
              clinic_result_hours=2.0, rules="measures-2022-11")


@pytest.fixture(scope="module")
def small_city(django_db_setup, django_db_blocker):
    """One 2,000-person city for the module (generated once, committed, deleted afterwards)."""
    with django_db_blocker.unblock():
        citygen.generate_city(people=PEOPLE, seed=5, progress=False, end_date=dt.date(2026, 3, 15))
        yield
        citygen.delete_city()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_kpis_are_read_from_what_the_platform_recorded(small_city):
    out = twin.run(twin.Config(**CONFIG), keep=True)
    k = out.kpis
    assert k["infections"] >= CONFIG["index_cases"]
    assert k["detected"] == Case.objects.count() > 0
    assert sum(k["found_by"].values()) == k["detected"]
    assert k["risk_persons"] == RiskPerson.objects.exclude(status__in=["proposed", "rejected"]).count()
    assert k["placed"] == Stay.objects.filter(kind="centralized", checked_in_at__isnull=False).count()
    assert sum(out.series["confirmed"]) == k["detected"]
    assert sum(out.series["infections"]) + CONFIG["index_cases"] == k["infections"]
    assert k["median_hours_infection_to_detection"] > 0
    assert 0 <= k["tracing_recall"] <= 1
    assert k["peak_quarantine_occupancy"] == max(out.series["occupancy"])
    # every confirmed case was identified (contacts_identify ran through the platform's signal)
    assert not Case.objects.filter(identified_at__isnull=True).exists()
    # tracing scored against the truth: each setting's identified true contacts are among its true contacts
    by = k["by_setting"]
    assert sum(row["true_contacts"] for row in by.values()) > 0
    assert all(row["identified"] <= row["true_contacts"] for row in by.values())
    assert 0 <= k["tracing_recall"] <= 1 and 0 <= k["tracing_precision"] <= 1
    assert sum(out.truth["by_setting"].values()) == k["infections"]
    assert k["delays"]["confirmed"]["n"] == len({c.person_id for c in Case.objects.all()})


@pytest.mark.django_db
def test_a_run_is_rolled_back_and_a_seed_repeats_itself(small_city):
    checkins = CheckIn.objects.count()
    short = {**CONFIG, "days": 4, "tracer_hours": 500.0}  # detection and identification; no tracer decisions
    a = twin.run(twin.Config(**short))
    assert Case.objects.count() == 0 and RiskPerson.objects.count() == 0
    assert CheckIn.objects.count() == checkins
    b = twin.run(twin.Config(**short))
    assert a.kpis == b.kpis
    assert a.series == b.series


@pytest.mark.django_db
def test_compare_runs_configurations_with_the_same_seeds(small_city, var_dir, capsys):
    call_command("sim", "compare", "--people", str(PEOPLE), "--days", "3", "--seeds", "1",
                 "--config", "rules=protocol-9", "--config", "rules=measures-2022-11,pool=20", "--no-progress")
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert set(result["configs"]) == {"rules=protocol-9", "rules=measures-2022-11,pool=20"}
    run = SimRun.objects.get(run_id=result["run_id"])
    assert run.kind == "compare" and (var_dir / "sim" / run.run_id / "compare.png").is_file()


@pytest.mark.django_db
def test_run_command_prints_kpis_and_a_final_json_line(small_city, var_dir, capsys):
    call_command("sim", "run", "--people", str(PEOPLE), "--days", "2", "--no-progress", "--index-cases", "4")
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("people", "days", "infections", "infections_no_response", "averted", "detected", "tracing_recall",
                "tracing_precision", "share_infections_under_measures", "median_hours_to_contacts_placed",
                "median_minutes_to_contacts_identified", "seconds"):
        assert key in result
    # the same seed without the response: averted is the difference, its spread over the one seed
    assert result["averted"] == result["infections_no_response"] - result["infections"]
    assert result["averted_spread"]["values"] == [result["averted"]]
    assert [t["code"] for t in result["gaps"]["targets"]] == list(gaps.TARGETS)
    assert (var_dir / "sim" / result["run_id"] / "epidemic.png").is_file()


@pytest.mark.django_db
def test_residents_try_gates_and_checkpoints_and_rt_is_refreshed_daily(small_city):
    from cordon.checkpoints.models import Inspection
    from cordon.community.models import EntranceLog
    from cordon.sim import invariants
    from cordon.surveillance.models import Forecast, RtEstimate

    out = twin.run(twin.Config(**{**CONFIG, "passages": 60}), keep=True)
    k = out.kpis
    assert 0 < k["exits_attempted"] + k["checkpoint_crossings"] <= 60 * CONFIG["days"]
    # refusals leave no row; every recorded exit and crossing is the platform's, overrides with their reason
    exits = EntranceLog.objects.filter(direction="out", purpose__startswith="simulation")
    assert exits.count() == k["exits"] == k["exits_attempted"] - k["exits_refused"] + k["exit_overrides"]
    assert exits.exclude(override_reason="").count() == k["exit_overrides"]
    crossings = Inspection.objects.filter(direction="out", destination="simulation")
    assert crossings.count() == k["checkpoint_crossings"]
    assert crossings.filter(result="hold").count() == k["checkpoint_holds"]
    assert crossings.filter(overridden_at__isnull=False).count() == k["checkpoint_overrides"]
    assert k["exits_refused"] + k["checkpoint_holds"] > 0  # people under measures tried and were refused
    assert k["passage_errors"] == 0
    assert RtEstimate.objects.count() == k["rt_estimates"] > 0 and Forecast.objects.count() == k["forecasts"] > 0
    found = invariants.check(actor=invariants.SYSTEM, only=["no_red_or_sealed_passage", "rt_hidden_when_uncertain",
                                                            "forecast_within_population"])
    assert found == {"no_red_or_sealed_passage": [], "rt_hidden_when_uncertain": [], "forecast_within_population": []}


@pytest.mark.django_db
def test_no_passages_tries_no_gate_or_checkpoint(small_city):
    from cordon.checkpoints.models import Inspection
    from cordon.community.models import EntranceLog

    out = twin.run(twin.Config(**{**CONFIG, "days": 2, "passages": 0, "surveillance": False}), keep=True)
    assert "exits_attempted" not in out.kpis and "rt_estimates" not in out.kpis
    assert not EntranceLog.objects.exists() and not Inspection.objects.exists()
