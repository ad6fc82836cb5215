"""Background jobs of the command module (Django tasks, database backend under `cordon serve`)."""

import datetime as dt

from django.tasks import task


@task
def escalate_overdue() -> dict:
    """Escalate overdue tasks to the superior post and remind owners of tasks falling due."""
    from cordon.command import services

    return services.tasks_escalate_overdue()


@task
def snapshot_metrics(cut_off: str | None = None) -> dict:
    """Precompute the dashboard figures of the city and every district at a cut-off (now by default)."""
    from cordon.command import services

    at = dt.datetime.fromisoformat(cut_off) if cut_off else None
    snaps = services.snapshot_take(cut_off=at)
    return {"snapshots": len(snaps), "cut_off": snaps[0].cut_off.isoformat() if snaps else None}
