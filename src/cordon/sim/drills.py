"""Drills: the HQ starts a twin run from the web (cordon.sim.views / api) and watches it.

drill_start (a service: permission `sim.drill`, audited) records the Drill and queues `jobs.drill_run_job` on
Django's tasks (the database worker). The job, `drill_execute`, runs `cordon sim run ... --run-id <id>
--progress-file var/sim/<id>/progress.json` as a subprocess: `cordon.cli` sends it to the simulation's own
database (var/sim_pN.sqlite3), never the live city's. While it runs the job polls the Drill row every second
and ends the subprocess when the drill is cancelled; when the process ends, its run.json is imported as the
SimRun of the same run_id. One drill at a time: the simulation database of a size holds one run's transaction,
and the server has few cores."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.sim import scenarios, services
from cordon.sim.enums import DrillStatus
from cordon.sim.models import Drill

PERM = "sim.drill"
POLL_SECONDS = 1.0
LOG_TAIL = 2000  # characters of the subprocess's output kept when it fails


def folder(drill: Drill) -> Path:
    return services.runs_dir() / drill.run_id


def progress_path(drill: Drill) -> Path:
    return folder(drill) / "progress.json"


def sim_database(people: int) -> Path:
    """The SQLite file `cordon sim run --people N` uses (cordon.cli: var/sim_pN.sqlite3)."""
    return Path(settings.VAR_DIR) / f"sim_p{int(people)}.sqlite3"


def command(drill: Drill) -> list[str]:
    """The subprocess's argv: `cordon sim run` with the scenario's options."""
    scenario = scenarios.BY_CODE[drill.scenario]
    argv = [sys.executable, "-m", "cordon.cli", "sim", "run", "--db", "sqlite", "--people", str(drill.people),
            "--days", str(drill.days), "--seed", str(drill.seed), "--run-id", drill.run_id,
            "--label", f"{drill.scenario}{'' if drill.response else ', no response'}, seed {drill.seed}",
            "--progress-file", str(progress_path(drill)), "--no-progress", *scenario.argv()]
    if not drill.response:
        argv.append("--no-response")
    return argv


def drill_start(*, actor, scenario: str, people: int, days: int, seed: int = 1, response: bool = True) -> Drill:
    """Record a drill and queue its job (after commit). One drill at a time."""
    access.require(actor, PERM)
    if scenario not in scenarios.BY_CODE:
        raise ServiceError.field("scenario", _("unknown scenario %(s)r") % {"s": scenario})
    if people not in scenarios.SIZES:
        raise ServiceError.field("people", _("city size must be one of %(sizes)s") % {
            "sizes": ", ".join(str(n) for n in scenarios.SIZES)})
    if not 1 <= days <= scenarios.MAX_DAYS:
        raise ServiceError.field("days", _("days must be between 1 and %(n)d") % {"n": scenarios.MAX_DAYS})
    if not 1 <= seed <= 1_000_000:
        raise ServiceError.field("seed", _("seed must be between 1 and 1,000,000"))
    live = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and Path(live).resolve() == sim_database(people).resolve():
        raise ServiceError(_("the simulation database is the live database; refusing to run a drill on it"))
    with transaction.atomic():
        if Drill.objects.select_for_update().filter(status__in=[DrillStatus.QUEUED, DrillStatus.RUNNING]).exists():
            raise Conflict(_("a drill is running already: wait for it to finish or cancel it"))
        drill = Drill.objects.create(run_id=services.new_run_id("drill"), scenario=scenario, people=people, days=days,
                                     seed=seed, response=response, created_by=access.user_or_none(actor),
                                     created_at=clock.now())
        audit.record(actor, "sim.drill_start", drill, changes={"scenario": scenario, "people": people, "days": days,
                                                                "seed": seed, "response": response})
        transaction.on_commit(lambda: drill_run_job.enqueue(drill.pk))
    return drill


def drill_cancel(*, actor, drill: Drill) -> Drill:
    """Cancel a queued or running drill: the job ends its subprocess within a second."""
    access.require(actor, PERM)
    with transaction.atomic():
        drill = Drill.objects.select_for_update().get(pk=drill.pk)
        if not drill.active:
            raise Conflict(_("the drill is %(status)s already") % {"status": drill.get_status_display()})
        drill.status = DrillStatus.CANCELLED
        drill.finished_at = clock.now()
        drill.save(update_fields=["status", "finished_at"])
        audit.record(actor, "sim.drill_cancel", drill)
    return drill


def _status(drill: Drill) -> str:
    return Drill.objects.filter(pk=drill.pk).values_list("status", flat=True).first() or DrillStatus.CANCELLED


def _finish(drill: Drill, status: str, error: str = "") -> None:
    # a cancellation recorded meanwhile stands
    Drill.objects.filter(pk=drill.pk).exclude(status=DrillStatus.CANCELLED).update(
        status=status, error=error, finished_at=clock.now())


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def drill_execute(drill_id: int) -> str:
    """The job: run the drill's subprocess to its end or its cancellation; returns the drill's final status."""
    system = access.system("sim")
    drill = Drill.objects.filter(pk=drill_id).first()
    if drill is None or drill.status != DrillStatus.QUEUED:
        return drill.status if drill else "missing"
    out = folder(drill)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CORDON_VAR_DIR": str(settings.VAR_DIR), "CORDON_TESTING": "0"}
    env.pop("DATABASE_URL", None)  # cordon.cli names the simulation database; never inherit the live one
    log = open(out / "output.log", "wb")
    try:
        proc = subprocess.Popen(command(drill), cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    except OSError as exc:
        log.close()
        _finish(drill, DrillStatus.FAILED, str(exc))
        return DrillStatus.FAILED
    Drill.objects.filter(pk=drill.pk, status=DrillStatus.QUEUED).update(
        status=DrillStatus.RUNNING, pid=proc.pid, started_at=clock.now())
    try:
        while proc.poll() is None:
            if _status(drill) == DrillStatus.CANCELLED:
                _stop(proc)
                break
            time.sleep(POLL_SECONDS)
    finally:
        if proc.poll() is None:
            _stop(proc)
        log.close()
    if _status(drill) == DrillStatus.CANCELLED:
        audit.record(system, "sim.drill_cancelled", drill)
        return DrillStatus.CANCELLED
    run_file = out / "run.json"
    if proc.returncode != 0 or not run_file.is_file():
        tail = (out / "output.log").read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:]
        _finish(drill, DrillStatus.FAILED, f"exit {proc.returncode}\n{tail}")
        audit.record(system, "sim.drill_failed", drill, changes={"exit": proc.returncode})
        return DrillStatus.FAILED
    services.run_import(json.loads(run_file.read_text(encoding="utf-8")))
    _finish(drill, DrillStatus.DONE)
    audit.record(system, "sim.drill_done", drill)
    return DrillStatus.DONE


@task
def drill_run_job(drill_id: int) -> str:
    """The background job of one drill (queued by drill_start)."""
    return drill_execute(drill_id)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drills_reap(*, actor, stale_minutes: int = 30) -> int:
    """Drills left 'running' by a worker that died (their process is gone), or queued for longer than
    `stale_minutes` without a worker taking them: failed, so the HQ can start another. Returns how many."""
    access.require(actor, PERM)
    n = 0
    for drill in Drill.objects.filter(status=DrillStatus.RUNNING):
        if not _alive(drill.pid):
            _finish(drill, DrillStatus.FAILED, _("the worker running the drill stopped"))
            audit.record(actor, "sim.drill_failed", drill, changes={"reason": "worker gone"})
            n += 1
    stale = clock.now() - dt.timedelta(minutes=stale_minutes)
    for drill in Drill.objects.filter(status=DrillStatus.QUEUED, created_at__lt=stale):
        _finish(drill, DrillStatus.FAILED, _("no worker took the drill"))
        audit.record(actor, "sim.drill_failed", drill, changes={"reason": "never started"})
        n += 1
    return n
