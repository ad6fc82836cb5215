"""Drills from the HQ: a tiny twin run (300 residents, 2 days) started from the page and from the API, run by its
job synchronously (a real `cordon sim run` subprocess on its own database under the test's VAR_DIR), with progress,
KPIs next to the live city's, cancellation, failure, one drill at a time, and only the HQ may start one."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cordon.cases.models import Case
from cordon.core.testing import SYSTEM
from cordon.sim import drills, scenarios
from cordon.sim.enums import DrillStatus
from cordon.sim.models import Drill, SimRun
from cordon.venues.models import CheckIn

TINY = {"scenario": "imported", "people": 300, "days": 2, "seed": 2}


@pytest.fixture(scope="module")
def sim_var(tmp_path_factory):
    """One VAR_DIR for the module: its simulation database (var/sim_p300.sqlite3) is made by the first drill and
    reused by the next, as on a server."""
    return tmp_path_factory.mktemp("drills-var")


@pytest.fixture
def var(settings, sim_var):
    settings.VAR_DIR = sim_var
    return sim_var


def _live_db() -> str:
    from django.db import connection

    return str(connection.settings_dict["NAME"])


@pytest.mark.django_db
def test_the_hq_starts_a_drill_from_the_page_and_reads_its_kpis_next_to_the_city(
        api_client, cast, var, django_capture_on_commit_callbacks):
    c = api_client(cast.commander)
    assert c.get("/sim/drills/").status_code == 200
    cases, checkins = Case.objects.count(), CheckIn.objects.count()
    with django_capture_on_commit_callbacks(execute=True):  # the job runs here, synchronously (immediate backend)
        answer = c.post("/sim/drills/", {**TINY, "response": "on"})
    drill = Drill.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/sim/drills/{drill.run_id}/"
    drill.refresh_from_db()
    assert drill.status == DrillStatus.DONE, drill.error
    assert drill.created_by == cast.commander and drill.started_at and drill.finished_at
    # the run wrote to its own database, never the live one
    assert (var / "sim_p300.sqlite3").is_file() and Path(_live_db()).name != "sim_p300.sqlite3"
    assert Case.objects.count() == cases and CheckIn.objects.count() == checkins
    progress = json.loads((var / "sim" / drill.run_id / "progress.json").read_text())
    assert progress["day"] == progress["days"] == 2 and progress["infections"] >= 10  # ten index cases
    run = SimRun.objects.get(run_id=drill.run_id)
    assert run.kpis["infections"] == progress["infections"] and run.days == 2 and run.people == 300
    answer = c.get(f"/sim/drills/{drill.run_id}/")
    page = answer.content.decode()
    assert answer.context["progress"]["day"] == 2 and "hx-trigger=\"every" not in page  # done: no more polling
    table = {label: (mine, live) for label, mine, live in answer.context["table"]}
    assert len(table) >= 10 and any(mine == run.kpis["infections"] and live is None for mine, live in table.values())
    assert str(run.kpis["infections"]) in page
    # the measurement: the same seed without the response, targets and tracing by setting
    m = answer.context["m"]
    assert m["averted"] == run.kpis["infections_no_response"] - run.kpis["infections"] == run.kpis["averted"]
    assert len(m["targets"]) == 4 and 'id="measurement"' in page
    assert c.get(f"/sim/drills/{drill.run_id}/progress/").status_code == 200
    assert c.get(f"/sim/runs/{drill.run_id}/").status_code == 200


@pytest.mark.django_db
def test_the_api_starts_a_drill_without_the_response_and_reports_progress_and_kpis(
        api_client, cast, var, django_capture_on_commit_callbacks):
    c = api_client(cast.commander)
    with django_capture_on_commit_callbacks(execute=True):
        answer = c.post("/api/v1/sim/runs", {**TINY, "response": False}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    run_id = answer.json()["run_id"]
    got = c.get(f"/api/v1/sim/runs/{run_id}").json()
    assert got["status"] == "done", got["error"]
    assert got["progress"]["day"] == got["progress"]["days"] == 2 and got["progress"]["percent"] == 100
    kpis = {k["key"]: k for k in got["kpis"]}
    assert kpis["infections"]["drill"] >= 10 and kpis["infections"]["real_city"] is None  # no ground truth live
    assert kpis["detected"]["real_city"] == Case.objects.count()
    run = SimRun.objects.get(run_id=run_id)
    assert run.config["response"] is False and run.kpis["screening_rounds"] == 0 and "exits" not in run.kpis
    listed = c.get("/api/v1/sim/runs").json()
    assert listed["count"] == 1 and listed["items"][0]["run_id"] == run_id
    assert c.get("/api/v1/sim/scenarios").json()["sizes"] == scenarios.SIZES


@pytest.mark.django_db
def test_one_drill_at_a_time_and_a_queued_one_is_cancelled(api_client, cast, var):
    c = api_client(cast.commander)
    first = c.post("/api/v1/sim/runs", TINY, content_type="application/json").json()  # queued: no job ran
    assert first["status"] == "queued"
    second = c.post("/api/v1/sim/runs", TINY, content_type="application/json")
    assert second.status_code == 409
    cancelled = c.post(f"/api/v1/sim/runs/{first['run_id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert c.post(f"/api/v1/sim/runs/{first['run_id']}/cancel").status_code == 409
    # the job finds it cancelled and starts nothing
    assert drills.drill_execute(Drill.objects.get(run_id=first["run_id"]).pk) == DrillStatus.CANCELLED
    assert not (var / "sim" / first["run_id"] / "output.log").exists()


@pytest.mark.django_db
def test_cancelling_a_running_drill_ends_its_process(cast, var, monkeypatch):
    drill = drills.drill_start(actor=cast.commander, **TINY)
    monkeypatch.setattr(drills, "command", lambda d: [sys.executable, "-c", "import time; time.sleep(120)"])
    seen = {}

    def hq_clicks_cancel(_seconds):  # the first poll: the HQ cancels while the process runs
        if not seen:
            seen["pid"] = Drill.objects.get(pk=drill.pk).pid
            drills.drill_cancel(actor=cast.commander, drill=drill)

    monkeypatch.setattr(drills.time, "sleep", hq_clicks_cancel)
    assert drills.drill_execute(drill.pk) == DrillStatus.CANCELLED
    assert seen["pid"] and not drills._alive(seen["pid"])
    assert Drill.objects.get(pk=drill.pk).status == DrillStatus.CANCELLED


@pytest.mark.django_db
def test_a_failed_run_is_reported_with_its_output(cast, var, monkeypatch):
    drill = drills.drill_start(actor=cast.commander, **TINY)
    monkeypatch.setattr(drills, "command", lambda d: [sys.executable, "-c", "import sys; print('no city'); sys.exit(3)"])
    assert drills.drill_execute(drill.pk) == DrillStatus.FAILED
    drill.refresh_from_db()
    assert drill.status == DrillStatus.FAILED and "exit 3" in drill.error and "no city" in drill.error


@pytest.mark.django_db
def test_a_drill_whose_worker_died_is_failed_by_the_sweep(cast, var):
    drill = drills.drill_start(actor=cast.commander, **TINY)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    Drill.objects.filter(pk=drill.pk).update(status=DrillStatus.RUNNING, pid=gone.pid)
    assert drills.drills_reap(actor=SYSTEM) == 1
    assert Drill.objects.get(pk=drill.pk).status == DrillStatus.FAILED


@pytest.mark.django_db
def test_inputs_are_checked_by_name(api_client, cast, var):
    c = api_client(cast.commander)
    bad = c.post("/api/v1/sim/runs", {**TINY, "people": 123}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "people"
    page = c.post("/sim/drills/", {**TINY, "days": 0})
    assert page.status_code == 200 and not Drill.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_a", "viewer_a", "field_a"])
def test_only_the_hq_runs_drills(api_client, cast, var, who):
    c = api_client(getattr(cast, who))
    assert c.get("/sim/drills/").status_code == 403
    assert c.post("/sim/drills/", TINY).status_code == 403
    assert c.post("/api/v1/sim/runs", TINY, content_type="application/json").status_code == 403
    assert not Drill.objects.exists()
    drill = drills.drill_start(actor=cast.commander, **TINY)
    assert c.get(f"/api/v1/sim/runs/{drill.run_id}").status_code == 403
    assert c.post(f"/api/v1/sim/runs/{drill.run_id}/cancel").status_code == 403
    assert c.post(f"/sim/drills/{drill.run_id}/cancel/").status_code == 403
