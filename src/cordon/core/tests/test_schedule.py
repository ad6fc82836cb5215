import datetime as dt

import pytest

from cordon.core import clock, schedule
from cordon.core.models import ScheduledRun

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_scheduled_job_is_a_task():
    for dotted, every in schedule.SCHEDULE:
        assert hasattr(schedule.load(dotted), "enqueue"), dotted
        assert every >= 60


def test_each_job_is_queued_once_per_interval(monkeypatch):
    ran = []
    monkeypatch.setattr(schedule, "load", lambda dotted: type("T", (), {"enqueue": staticmethod(lambda: ran.append(dotted))}))
    now = clock.now()
    assert len(schedule.due(now)) == len(schedule.SCHEDULE)
    assert schedule.due(now + dt.timedelta(seconds=30)) == []
    assert schedule.due(now + dt.timedelta(seconds=61)) == ["cordon.livelihood.jobs.escalate_overdue"]
    assert ScheduledRun.objects.count() == len(schedule.SCHEDULE)
    assert len(ran) == len(schedule.SCHEDULE) + 1
