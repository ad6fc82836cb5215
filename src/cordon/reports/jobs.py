"""Background jobs of reports (Django tasks, database backend under `cordon serve`)."""

import datetime as dt

from django.tasks import task

from cordon.reports import services


@task
def snapshot_metrics(cut_off: str | None = None) -> dict:
    """Precompute the dashboard figures of the city and every district at a cut-off (now by default)."""
    at = dt.datetime.fromisoformat(cut_off) if cut_off else None
    snaps = services.snapshot_take(cut_off=at)
    return {"snapshots": len(snaps), "cut_off": snaps[0].cut_off.isoformat() if snaps else None}

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (snapshot_metrics, 300),
]
