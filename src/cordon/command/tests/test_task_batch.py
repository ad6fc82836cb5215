"""Filing many tasks at once (task_create_many) gives what filing them one by one gives: the same owners, deputies
and resolution paths, the same idempotency per open (kind, source); one insert, one audit entry and a number of
queries that does not grow with the batch."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.command import services
from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM

pytestmark = pytest.mark.django_db

FIELDS = ("title", "kind", "region_path", "deadline", "owner_id", "deputy_id", "owner_role", "priority", "detail",
          "status", "created_by_id", "resolution")


def _items(city, cast, prefix: str, n: int = 6) -> list[dict]:
    due = clock.now() + dt.timedelta(hours=4)
    grids = [city.a_grid.path, city.a_grid2.path, city.b_grid.path]
    out = []
    for i in range(n):
        item = {"title": f" 复核{i} ", "kind": "screening.retest", "region_path": grids[i % 3], "deadline": due,
                "owner_role": "grid_worker", "priority": 1, "detail": f"member {i}", "source": f"{prefix}:{i}"}
        if i == 4:
            item["owner"] = cast.officer_b
        out.append(item)
    return out


def _fields(task: Task) -> tuple:
    return tuple(getattr(task, f) for f in FIELDS)


def test_a_batch_files_the_same_tasks_as_one_call_per_item(city, cast):
    with time_machine.travel(clock.now(), tick=False):
        one_by_one = [services.task_create(actor=SYSTEM, **item) for item in _items(city, cast, "single")]
        batch = services.task_create_many(actor=SYSTEM, items=_items(city, cast, "batch"))
    assert [_fields(Task.objects.get(pk=t.pk)) for t in batch] == [_fields(Task.objects.get(pk=t.pk)) for t in one_by_one]
    assert [t.source for t in batch] == [f"batch:{i}" for i in range(6)]
    assert batch[4].owner == cast.officer_b and batch[0].owner is not None


def test_a_batch_returns_the_open_task_of_a_cause_filed_already_and_files_a_cause_twice_in_it_once(city, cast):
    first = services.task_create(actor=SYSTEM, **_items(city, cast, "cause")[0])
    items = _items(city, cast, "cause", n=3)
    tasks = services.task_create_many(actor=SYSTEM, items=[*items, items[1]])
    assert tasks[0].pk == first.pk
    assert tasks[3].pk == tasks[1].pk
    assert Task.objects.filter(source__startswith="cause:").count() == 3


def test_a_batch_writes_one_audit_entry_with_its_counts_and_ids(city, cast):
    before = AuditEntry.objects.count()
    tasks = services.task_create_many(actor=SYSTEM, items=_items(city, cast, "audit"))
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["task.create_bulk"]
    assert entries[0].changes["count"] == 6 and entries[0].changes["ids"] == [t.pk for t in tasks]
    assert entries[0].changes["kinds"] == {"screening.retest": 6}
    assert entries[0].region_path == city.a_grid.path.split(".")[0]  # districts a and b: the city


def test_filing_a_batch_takes_as_many_queries_for_thirty_items_as_for_six(city, cast, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as six:
        services.task_create_many(actor=SYSTEM, items=_items(city, cast, "small"))
    assert len(six) <= 24  # 4 owners to resolve (3 grids, one named owner): 2 queries each, the off-duty list once
    with django_assert_max_num_queries(len(six)):
        services.task_create_many(actor=SYSTEM, items=_items(city, cast, "large", n=30))
    assert Task.objects.filter(source__startswith="large:").count() == 30


def test_a_batch_with_a_region_outside_the_actors_area_is_refused_whole(city, cast):
    items = _items(city, cast, "scope")  # grids of districts a and b
    with pytest.raises(PermissionDenied):
        services.task_create_many(actor=cast.officer_a, items=items)
    assert not Task.objects.filter(source__startswith="scope:").exists()
    mine = [item for item in items if item["region_path"] != city.b_grid.path]
    assert len(services.task_create_many(actor=cast.officer_a, items=mine)) == 4


def test_a_batch_refuses_a_blank_title_naming_its_row_and_files_nothing(city, cast):
    items = _items(city, cast, "blank")
    items[2]["title"] = "  "
    with pytest.raises(ServiceError) as refused:
        services.task_create_many(actor=SYSTEM, items=items)
    assert [(f["field"], f["row"]) for f in refused.value.fields] == [("title", 2)]
    assert not Task.objects.filter(source__startswith="blank:").exists()


def test_closing_many_sources_closes_what_closing_each_closes_with_one_audit_entry(city, cast, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    each = services.task_create_many(actor=SYSTEM, items=_items(city, cast, "each", n=4))
    batch = services.task_create_many(actor=SYSTEM, items=_items(city, cast, "many", n=4))
    services.task_start(actor=SYSTEM, task=each[1])
    services.task_start(actor=SYSTEM, task=batch[1])
    for task in each:
        services.task_close_by_source(actor=SYSTEM, source=task.source, result="retest negative")
    before = AuditEntry.objects.count()
    assert services.task_close_by_sources(actor=SYSTEM, sources=[t.source for t in batch] + ["many:none"],
                                          result="retest negative") == 4
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:]) == ["task.close_bulk"]

    def closed(tasks):
        return [Task.objects.filter(pk=t.pk).values_list("status", "result", "done_at").get() for t in tasks]
    assert closed(batch) == closed(each)
    assert services.task_close_by_sources(actor=SYSTEM, sources=[t.source for t in batch]) == 0
