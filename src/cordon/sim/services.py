"""Writes for simulation results: store a finished run (files under var/sim/<run_id>/ plus a SimRun row)
and import run files made in other databases."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from cordon.core import access, audit, clock
from cordon.sim.models import SimRun


def runs_dir() -> Path:
    """The folder holding one sub-folder per run: var/sim/."""
    return Path(settings.VAR_DIR) / "sim"


def new_run_id(kind: str) -> str:
    """A sortable, unique run id: <kind>-YYYYmmdd-HHMMSS-<hex>."""
    return f"{kind}-{clock.local(clock.real_now()):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def run_store(*, run_id: str, kind: str, label: str, people: int, days: int, seconds: float, config: dict, kpis: dict,
              series: dict, charts: list[str]) -> SimRun:
    """Write run.json under var/sim/<run_id>/ and record the SimRun row (system write, audited)."""
    folder = runs_dir() / run_id
    folder.mkdir(parents=True, exist_ok=True)
    data = {"run_id": run_id, "kind": kind, "label": label, "created_at": clock.real_now().isoformat(),
            "people": people, "days": days, "seconds": round(seconds, 2), "config": config, "kpis": kpis,
            "series": series, "charts": charts,
            "database": f"{connection.vendor} {Path(str(connection.settings_dict['NAME'])).name}"}
    (folder / "run.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    run = _upsert(data)
    audit.record(access.system("sim"), "sim.run", run, changes={"kind": kind, "people": people, "days": days})
    return run


def run_import(data: dict) -> SimRun:
    """Record (or update) the SimRun of a run.json's content, made by a run in another database."""
    return _upsert(data)


def _upsert(data: dict) -> SimRun:
    created = dt.datetime.fromisoformat(data["created_at"])
    if timezone.is_naive(created):
        created = clock.aware(created)
    run, _ = SimRun.objects.update_or_create(run_id=data["run_id"], defaults={
        "kind": data.get("kind", "run"), "label": data.get("label", "")[:200], "created_at": created,
        "people": data.get("people", 0), "days": data.get("days", 0), "seconds": data.get("seconds", 0.0),
        "database": data.get("database", "")[:200], "config": data.get("config", {}), "kpis": data.get("kpis", {}),
        "series": data.get("series", {}), "charts": data.get("charts", [])})
    return run


MEASURED_DIR = Path(__file__).resolve().parent / "measured"


def measured_install(*, actor) -> list[SimRun]:
    """Record the measured scenarios shipped with cordon (src/cordon/sim/measured/<run_id>/: the run.json and charts
    of `cordon sim run --seeds ...` runs, named in docs/TWIN.md), so the HQ's drills page shows what the response
    achieves before the city runs a drill of its own (each takes tens of minutes). Their files are copied under
    var/sim/ and their SimRun recorded as made (label, date, database and figures untouched); audited."""
    access.require(actor, "sim.drill")
    folder = runs_dir()
    runs = []
    for src in sorted(p for p in MEASURED_DIR.iterdir() if (p / "run.json").is_file()):
        data = json.loads((src / "run.json").read_text(encoding="utf-8"))
        if data.get("run_id") != src.name or data.get("kpis", {}).get("averted") is None:
            raise ImproperlyConfigured(f"{src}: not a measured run (run_id must be the folder's name, averted known)")
        dest = folder / src.name
        dest.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            shutil.copyfile(f, dest / f.name)
        runs.append(_upsert(data))
    audit.record(actor, "sim.measured_install", object_type="sim.simrun", changes={"runs": [r.run_id for r in runs]})
    return runs


def runs_sync(*, actor) -> int:
    """Import run.json files under var/sim/ that this database does not list yet; returns how many."""
    access.require(actor, "sim.view")
    folder = runs_dir()
    if not folder.is_dir():
        return 0
    known = set(SimRun.objects.values_list("run_id", flat=True))
    n = 0
    for path in sorted(folder.glob("*/run.json")):
        if path.parent.name in known:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("run_id") != path.parent.name:
            continue
        _upsert(data)
        n += 1
    return n
