"""Reads of simulation results (city-wide analytics: `sim.view` needed, no regional scope)."""

import json
from collections.abc import Mapping
from pathlib import Path

from django.http import Http404

from cordon.core import access, clock
from cordon.screening.models import Round
from cordon.sim import drills, kpis
from cordon.sim.enums import DrillStatus
from cordon.sim.filters import RunFilter
from cordon.sim.models import Drill, SimRun
from cordon.sim.services import runs_dir


def run_list(*, actor, filters: Mapping | None = None):
    """Stored runs, newest first, filtered by RunFilter (kind)."""
    access.require(actor, "sim.view")
    return RunFilter.apply(filters, SimRun.objects.all())


def run_get(*, actor, run_id: str) -> SimRun:
    """One stored run (404 when unknown)."""
    access.require(actor, "sim.view")
    run = SimRun.objects.filter(run_id=run_id).first()
    if run is None:
        raise Http404("no such run")
    return run


def chart_path(*, actor, run_id: str, name: str) -> Path:
    """The PNG file of a run's chart (404 unless the run lists it and it exists)."""
    run = run_get(actor=actor, run_id=run_id)
    if name not in (run.charts or []):
        raise Http404("no such chart")
    path = runs_dir() / run.run_id / name
    if not path.is_file():
        raise Http404("chart file missing")
    return path


# ---------------------------------------------------------------------------------------------------- drills
def measured_runs(*, actor, limit: int = 20) -> list[dict]:
    """Runs that measured the response (every seed also run without it, so `averted` is known), newest first, each
    with its headline figures: what the response averted, where tracing missed, the bottleneck. The HQ's drills page
    lists them beside its own drills (shipped measured scenarios and runs made with `cordon sim run --seeds`)."""
    access.require(actor, drills.PERM)
    out = []
    for run in SimRun.objects.filter(kind="run")[:500]:
        k = run.kpis or {}
        if k.get("averted") is None:
            continue
        gaps = k.get("gaps") or {}
        weakest = sorted(((row.get("recall"), name) for name, row in (k.get("by_setting") or {}).items()
                          if row.get("recall") is not None and row.get("true_contacts")), key=lambda x: x[0])
        out.append({"run": run, "averted": k["averted"], "infections": k.get("infections"),
                    "infections_no_response": k.get("infections_no_response"),
                    "spread": k.get("averted_spread") or {}, "seeds": len(k.get("seeds") or []) or 1,
                    "recall": k.get("tracing_recall"), "weakest": weakest[0][1] if weakest else "",
                    "bottleneck": gaps.get("bottleneck") or ""})
        if len(out) >= limit:
            break
    return out


def drill_list(*, actor):
    """Drills started from the web, newest first (the HQ's: `sim.drill`)."""
    access.require(actor, drills.PERM)
    return Drill.objects.select_related("created_by")


def drill_get(*, actor, run_id: str) -> Drill:
    """One drill (404 when unknown)."""
    access.require(actor, drills.PERM)
    drill = Drill.objects.select_related("created_by").filter(run_id=run_id).first()
    if drill is None:
        raise Http404("no such drill")
    return drill


def drill_progress(drill: Drill) -> dict:
    """Where a drill stands: day n of N, infections and cases so far (the run's progress file), seconds elapsed."""
    data = {"day": 0, "days": drill.days, "infections": None, "cases": None}
    try:
        data.update(json.loads(drills.progress_path(drill).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    end = drill.finished_at or clock.now()
    data["elapsed_seconds"] = round((end - drill.started_at).total_seconds(), 1) if drill.started_at else 0.0
    data["percent"] = round(100.0 * data["day"] / data["days"]) if data["days"] else 0
    return data


def drill_result(drill: Drill) -> SimRun | None:
    """The finished drill's stored run."""
    return SimRun.objects.filter(run_id=drill.run_id).first() if drill.status == DrillStatus.DONE else None


def live_kpis(*, actor) -> dict:
    """The real city's figures under the twin's KPI definitions, where the platform's records hold them
    (cordon.sim.kpis.recorded over every record; no ground truth, so no infections or true recall)."""
    access.require(actor, drills.PERM)
    figures, _cases, _risks = kpis.recorded({"case": 0, "risk": 0, "stay": 0})
    figures["screening_rounds"] = Round.objects.exclude(status="draft").count()
    return figures


def comparison(*, actor, run: SimRun) -> list[tuple[str, object, object]]:
    """(KPI, drill's value, real city's value) for every KPI the run measured; '-' where the city has none."""
    live = live_kpis(actor=actor)
    return [(label, run.kpis[key], live.get(key)) for key, label in kpis.KPI_LABELS if key in run.kpis]
