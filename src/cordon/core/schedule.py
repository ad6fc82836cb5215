"""Periodic jobs: the scheduler queues each one on Django's tasks framework when it is due; the
database worker runs them. Intervals in seconds; minute-level deadlines (the emergency medical
channel) are checked every minute."""

import datetime as dt
import importlib

from django.db import transaction

from cordon.core import clock
from cordon.core.models import ScheduledRun

SCHEDULE: list[tuple[str, int]] = [
    ("cordon.livelihood.jobs.escalate_overdue", 60),
    ("cordon.cases.jobs.check_overdue", 300),
    ("cordon.reports.jobs.snapshot_metrics", 300),
    ("cordon.command.jobs.escalate_overdue", 900),
    ("cordon.contacts.jobs.advance_measures", 900),
    ("cordon.quarantine.jobs.monitoring_sweep_job", 900),
    ("cordon.venues.jobs.closures_sync_job", 300),
    ("cordon.gatherings.jobs.gatherings_recheck_job", 1800),
    ("cordon.zones.jobs.zones_refresh_job", 3600),
    ("cordon.quarantine.jobs.forecast_refresh_job", 6 * 3600),  # Rt and forecasts, rooms bounded by people in sites
    ("cordon.surveillance.jobs.detect_all", 24 * 3600),
    ("cordon.community.jobs.retention_job", 24 * 3600),
    ("cordon.livelihood.jobs.retention_job", 24 * 3600),
    ("cordon.people.jobs.moves_expire_job", 24 * 3600),
]


def load(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def due(now: dt.datetime | None = None) -> list[str]:
    """Queue every job whose interval has passed since it was last queued; return their names."""
    now = now or clock.now()
    queued = []
    for dotted, every in SCHEDULE:
        with transaction.atomic():
            run = ScheduledRun.objects.select_for_update().filter(name=dotted).first()
            if run is not None and (now - run.last_enqueued_at).total_seconds() < every:
                continue
            task = load(dotted)
            transaction.on_commit(task.enqueue)
            if run is None:
                ScheduledRun.objects.create(name=dotted, last_enqueued_at=now)
            else:
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
            queued.append(dotted)
    return queued
