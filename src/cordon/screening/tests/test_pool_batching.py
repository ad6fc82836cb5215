"""Holding and releasing a positive pool's members is set-based on the health status side: the status queries of a
pool do not grow with its members (a city-wide round holds thousands of people; the digital twin does it every day)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.command.models import Task
from cordon.screening import services
from cordon.screening.enums import RetestStatus
from cordon.screening.factories import sampled_tube, tube_code
from cordon.screening.models import LabResult, Retest
from cordon.status.models import StatusReason


def _status_queries(ctx: CaptureQueriesContext) -> int:
    return sum(1 for q in ctx.captured_queries if '"status_' in q["sql"] or " status_" in q["sql"])


def _positive_pool(*, cast, rnd, site, grid, n: int) -> tuple[int, list[Retest]]:
    """A pool of n members resulted positive: (status queries of that, its retests)."""
    code, _people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=grid, n=n)
    with CaptureQueriesContext(connection) as ctx:
        out = services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "positive"}])
    assert out["held"] == n
    return _status_queries(ctx), list(Retest.objects.filter(pool_tube__code=code).order_by("id"))


def _all_negative(*, cast, retests: list[Retest]) -> int:
    """Every member retested negative in one result file: the status queries of that."""
    items = []
    for r in retests:
        code = tube_code()
        services.retest_register(actor=cast.officer_a, retest=r, tube=code)
        items.append({"tube": code, "result": "negative"})
    with CaptureQueriesContext(connection) as ctx:
        services.results_apply(actor=cast.commander, items=items)
    return _status_queries(ctx)


def test_holding_and_releasing_a_pool_costs_the_same_status_queries_for_2_or_6_members(setup, city, cast):
    rnd, site = setup
    small_hold, small = _positive_pool(cast=cast, rnd=rnd, site=site, grid=city.a_grid, n=2)
    large_hold, large = _positive_pool(cast=cast, rnd=rnd, site=site, grid=city.a_grid2, n=6)
    assert small_hold > 0 and large_hold == small_hold
    held = StatusReason.objects.filter(reason=services.HELD_REASON, active=True)
    assert held.count() == 8
    assert Task.objects.filter(kind="screening.retest", status="open").count() == 8
    assert all(r.task_id for r in Retest.objects.all())

    small_release = _all_negative(cast=cast, retests=small)
    large_release = _all_negative(cast=cast, retests=large)
    assert small_release > 0 and large_release == small_release
    assert not held.exists()
    assert set(Retest.objects.values_list("status", flat=True)) == {RetestStatus.NEGATIVE}
    assert not Task.objects.filter(kind="screening.retest", status="open").exists()
    assert LabResult.objects.filter(current=True).count() == 2 + 8  # two pools and eight single tubes


def test_releasing_some_members_keeps_the_others_held(setup, city, cast):
    rnd, site = setup
    _queries, retests = _positive_pool(cast=cast, rnd=rnd, site=site, grid=city.a_grid, n=4)
    _all_negative(cast=cast, retests=retests[:2])
    held = set(StatusReason.objects.filter(reason=services.HELD_REASON, active=True).values_list("person_id", flat=True))
    assert held == {r.person_id for r in retests[2:]}
    open_tasks = set(Task.objects.filter(kind="screening.retest", status="open").values_list("source", flat=True))
    assert open_tasks == {f"screening.retest:{r.pk}" for r in retests[2:]}
