"""Periodic jobs: the scheduler queues each one on Django's tasks framework when it is due; the
database worker runs them. Intervals in seconds; minute-level deadlines (the emergency medical
channel) are checked every minute.

Each app declares its periodic jobs next to them: `PERIODIC = [(task, seconds), ...]` in `<app>/jobs.py`
(for example cordon.livelihood.jobs). A job is known by its task's dotted path, the name kept in ScheduledRun."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.tasks import Task

from cordon.core import clock, registry
from cordon.core.models import ScheduledRun


@dataclass(frozen=True)
class Periodic:
    task: Task
    every: int  # seconds

    @property
    def name(self) -> str:
        return self.task.module_path


def periodic() -> list[Periodic]:
    """Every app's declared periodic jobs, in settings.CORDON_APPS order."""
    return [Periodic(task, every) for _label, module in registry.app_submodules("jobs")
            for task, every in getattr(module, "PERIODIC", ())]


def due(now: dt.datetime | None = None, *, jobs: list[Periodic] | None = None) -> list[str]:
    """Queue every job whose interval has passed since it was last queued; return their names."""
    now = now or clock.now()
    queued = []
    for job in periodic() if jobs is None else jobs:
        with transaction.atomic():
            run = ScheduledRun.objects.select_for_update().filter(name=job.name).first()
            if run is not None and (now - run.last_enqueued_at).total_seconds() < job.every:
                continue
            transaction.on_commit(job.task.enqueue)
            if run is None:
                ScheduledRun.objects.create(name=job.name, last_enqueued_at=now)
            else:
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
            queued.append(job.name)
    return queued
