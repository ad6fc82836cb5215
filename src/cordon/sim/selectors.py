"""Reads of simulation results (city-wide analytics: `sim.view` needed, no regional scope)."""

from collections.abc import Mapping
from pathlib import Path

from django.http import Http404

from cordon.core import access
from cordon.sim.filters import RunFilter
from cordon.sim.models import SimRun
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
