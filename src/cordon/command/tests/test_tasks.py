import datetime as dt

import pytest

from cordon.command import selectors, services
from cordon.command.models import TaskStatus
from cordon.core import clock
from cordon.core.testing import SYSTEM

pytestmark = pytest.mark.django_db


def test_a_task_gets_the_nearest_responsible_post_and_is_filed_once_per_cause(city, cast):
    due = clock.now() + dt.timedelta(hours=2)
    t1 = services.task_create(actor=SYSTEM, title="核心流调超时", kind="tracing.overdue", region_path=city.a_grid.path,
                              deadline=due, source="cases.case:1")
    t2 = services.task_create(actor=SYSTEM, title="核心流调超时", kind="tracing.overdue", region_path=city.a_grid.path,
                              deadline=due, source="cases.case:1")
    assert t1.pk == t2.pk and t1.owner == cast.officer_a
    assert services.task_close_by_source(actor=SYSTEM, source="cases.case:1") == 1
    t1.refresh_from_db()
    assert t1.status == TaskStatus.DONE


def test_tasks_are_scoped(city, cast):
    services.task_create(actor=SYSTEM, title="x", kind="manual", region_path=city.b_grid.path, deadline=clock.now())
    assert selectors.task_list(actor=cast.officer_a).count() == 0
    assert selectors.task_list(actor=cast.officer_b, filters={"overdue": True}).count() == 1
