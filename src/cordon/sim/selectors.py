"""Reads of simulation results (city-wide analytics: `sim.view` needed, no regional scope)."""

from pathlib import Path

from django.http import Http404

from cordon.core import access
from cordon.sim.models import SimRun
from cordon.sim.services import runs_dir


def run_list(*, actor, kind: str | None = None):
    """Stored runs, newest first."""
    access.require(actor, "sim.view")
    qs = SimRun.objects.all()
    return qs.filter(kind=kind) if kind else qs


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
