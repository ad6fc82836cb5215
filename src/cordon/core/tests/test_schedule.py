import datetime as dt
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import Task
from django.utils import translation

from cordon.core import clock, schedule
from cordon.core.models import ScheduledRun
from cordon.livelihood import jobs as livelihood_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_declared_periodic_job_is_a_task_run_at_most_once_a_minute():
    jobs = schedule.periodic()
    assert len(jobs) >= 14 and len({j.name for j in jobs}) == len(jobs)
    for job in jobs:
        assert isinstance(job.task, Task) and job.every >= 60, job.name
    names = {j.name for j in jobs}
    assert {"cordon.livelihood.jobs.escalate_overdue", "cordon.reports.jobs.snapshot_metrics",
            "cordon.people.jobs.moves_expire_job"} <= names


def test_an_apps_jobs_module_declares_its_own_schedule():
    assert (livelihood_jobs.escalate_overdue, 60) in livelihood_jobs.PERIODIC


def test_each_job_is_queued_once_per_interval():
    ran = []
    fake = [schedule.Periodic(SimpleNamespace(module_path=name, enqueue=lambda name=name: ran.append(name)), every)
            for name, every in (("a.minutely", 60), ("b.hourly", 3600))]
    # the fake tasks carry just what the scheduler uses; Periodic.name reads module_path
    now = clock.now()
    assert schedule.due(now, jobs=fake) == ["a.minutely", "b.hourly"]
    assert schedule.due(now + dt.timedelta(seconds=30), jobs=fake) == []
    assert schedule.due(now + dt.timedelta(seconds=61), jobs=fake) == ["a.minutely"]
    assert ScheduledRun.objects.count() == 2
    assert ran == ["a.minutely", "b.hourly", "a.minutely"]


def test_the_scheduler_command_lists_the_jobs_and_runs_one_by_its_short_name():
    out = StringIO()
    call_command("scheduler", "--list", stdout=out)
    assert "livelihood.escalate_overdue" in out.getvalue() and "every     60 s  never" in out.getvalue()
    out = StringIO()
    call_command("scheduler", "--run", "command.escalate_overdue", stdout=out)
    assert out.getvalue().startswith("command.escalate_overdue: {")
    with translation.override("en"), pytest.raises(CommandError, match="no periodic job"):
        call_command("scheduler", "--run", "nothing.here")
