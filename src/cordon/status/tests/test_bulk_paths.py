"""The bulk paths of health status (reasons_apply_many, reasons_sync, status_bulk_negatives) leave what the one-person
paths leave, write one audit entry per chunk and take a number of queries that does not grow with the batch."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.core import clock
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.status import services
from cordon.status.models import HealthStatus, StatusChange, StatusReason

pytestmark = pytest.mark.django_db


def _steps(person_id: int, until: dt.datetime) -> list[tuple]:
    """A measure plan's life for one person as reasons_apply items (source, set, clear), with a moved end, a phase change
    and a reason set and cleared again."""
    source = f"contacts.riskperson:{person_id}"
    later = until + dt.timedelta(days=2)
    return [(source, [("close_contact", None, until), ("centralized_quarantine", None, until)], ["home_isolation"]),
            (source, [("close_contact", None, later)], []),
            (source, [("home_isolation", None, later)], ["centralized_quarantine"]),
            (f"zones.zone:{person_id}", [("home_monitoring", None, None)], []),
            (f"zones.zone:{person_id}", [], ["home_monitoring"])]


def _state(person_id: int) -> tuple:
    status = HealthStatus.objects.get(person_id=person_id)
    reasons = sorted(StatusReason.objects.filter(person_id=person_id)
                     .values_list("reason", "source", "since", "until", "active", "cleared_at"))
    history = list(StatusChange.objects.filter(person_id=person_id).order_by("at", "id")
                   .values_list("colour_from", "colour_to", "reasons"))
    strip = [(r, s.split(":")[0], since, until, active, cleared) for r, s, since, until, active, cleared in reasons]
    return status.colour, status.reasons, strip, history


def test_reasons_applied_in_a_batch_leave_what_reasons_apply_one_by_one_leaves(city, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    until = clock.now() + dt.timedelta(days=5)
    one, batched = PersonFactory(grid=city.a_grid), PersonFactory(grid=city.a_grid)
    for source, set_reasons, clear_reasons in _steps(one.pk, until):
        services.reasons_apply(person_id=one.pk, source=source, set_reasons=set_reasons, clear_reasons=clear_reasons, actor=SYSTEM)
    services.reasons_apply_many(items=[(batched.pk, *step) for step in _steps(batched.pk, until)], actor=SYSTEM)
    assert _state(batched.pk)[:3] == _state(one.pk)[:3]
    assert _state(batched.pk)[0] == "red"  # close contact under home isolation
    assert not StatusReason.objects.filter(person=batched, reason="home_monitoring", active=True).exists()


def test_a_batch_moves_and_clears_reasons_set_before_it_as_one_by_one(city, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    until = clock.now() + dt.timedelta(days=5)
    one, batched = PersonFactory(grid=city.a_grid), PersonFactory(grid=city.b_grid)
    steps = {p.pk: _steps(p.pk, until) for p in (one, batched)}
    services.reasons_apply_many(items=[(p, *steps[p][0]) for p in steps], actor=SYSTEM)
    for source, set_reasons, clear_reasons in steps[one.pk][1:]:
        services.reasons_apply(person_id=one.pk, source=source, set_reasons=set_reasons, clear_reasons=clear_reasons, actor=SYSTEM)
    services.reasons_apply_many(items=[(batched.pk, *step) for step in steps[batched.pk][1:]], actor=SYSTEM)
    assert _state(batched.pk)[:3] == _state(one.pk)[:3]


def _people(city, n):
    return [PersonFactory(grid=city.a_grid if i % 2 else city.a_grid2).pk for i in range(n)]


def test_reasons_applied_to_thirty_people_take_as_many_queries_as_to_three(city, django_assert_max_num_queries):
    until = clock.now() + dt.timedelta(days=5)
    few, many = _people(city, 3), _people(city, 30)
    HealthStatus.objects.create(person_id=many[0], region_path=city.a_grid.path)  # some have a status row, some not

    def items(people):
        return [(p, f"contacts.riskperson:{p}", [("close_contact", None, until)], []) for p in people]
    before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as three:
        services.reasons_apply_many(items=items(few), actor=SYSTEM)
    assert len(three) <= 26
    with django_assert_max_num_queries(len(three)):
        result = services.reasons_apply_many(items=items(many), actor=SYSTEM)
    (colour, changed), = result["to"].items()
    assert result["changed"] == changed == 30 and colour != "green"
    assert AuditEntry.objects.count() - before == 2  # one status.change_bulk per batch
    assert HealthStatus.objects.filter(person_id__in=many, colour=colour, reasons=["close_contact"], version=1).count() == 30
    assert StatusChange.objects.filter(person_id__in=many, colour_from="green", colour_to=colour).count() == 30


def test_a_pool_held_and_released_through_reasons_sync_writes_one_audit_entry_each_way(city):
    people = _people(city, 12)
    before = AuditEntry.objects.count()
    held = services.reasons_sync(source="screening.tube:1", reason="held_positive_pool", person_ids=people, actor=SYSTEM)
    assert (held["set"], held["changed"]) == (12, 12)
    released = services.reasons_sync(source="screening.tube:1", reason="held_positive_pool", person_ids=people[:2], actor=SYSTEM)
    assert (released["cleared"], released["changed"]) == (10, 10)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:]) == ["status.change_bulk"] * 2
    assert HealthStatus.objects.filter(person_id__in=people, version=2, colour="green", reasons=[]).count() == 10


def test_bulk_negatives_build_no_model_instances_and_bump_each_status_once(city, monkeypatch, django_assert_max_num_queries):
    people = _people(city, 30)
    t0 = clock.now() - dt.timedelta(hours=3)
    services.sample_recorded(person_id=people[0], sampled_at=t0 - dt.timedelta(hours=1), negative=True, actor=SYSTEM)
    built = []
    real = HealthStatus.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        real(self, *args, **kwargs)
    monkeypatch.setattr(HealthStatus, "__init__", counting)
    with django_assert_max_num_queries(8):
        assert services.status_bulk_negatives(items=[(p, t0) for p in people] + [(people[1], t0 - dt.timedelta(hours=1))]) == 30
    assert built == []
    monkeypatch.undo()
    assert HealthStatus.objects.filter(person_id__in=people, last_negative_at=t0).count() == 30
    assert HealthStatus.objects.get(person_id=people[0]).version == 2 and HealthStatus.objects.get(person_id=people[1]).version == 1
    assert HealthStatus.objects.get(person_id=people[1]).region_path == city.a_grid.path


def test_pools_held_together_leave_what_holding_each_leaves_with_one_audit_entry(city, time_machine, django_assert_max_num_queries):
    time_machine.move_to(clock.now(), tick=False)
    each, together = [_people(city, 3) for _pool in range(4)], [_people(city, 3) for _pool in range(4)]
    services.reasons_sync(source="screening.tube:0", reason="held_positive_pool", person_ids=each[0][:1], actor=SYSTEM)
    services.reasons_sync(source="screening.tube:100", reason="held_positive_pool", person_ids=together[0][:1], actor=SYSTEM)
    for n, pool in enumerate(each):
        services.reasons_sync(source=f"screening.tube:{n}", reason="held_positive_pool", person_ids=pool[1:] if n == 0 else pool,
                              actor=SYSTEM)
    before = AuditEntry.objects.count()
    with django_assert_max_num_queries(24):  # four pools: what one pool takes (reasons_sync is its one-item case)
        out = services.reasons_sync_many(items=[(f"screening.tube:{100 + n}", "held_positive_pool", pool[1:] if n == 0 else pool)
                                                for n, pool in enumerate(together)], actor=SYSTEM)
    assert (out["set"], out["cleared"], out["changed"]) == (11, 1, 12)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:]) == ["status.change_bulk"]
    assert [_state(p)[:3] for pool in together for p in pool] == [_state(p)[:3] for pool in each for p in pool]
