"""The sites' test results in bulk (issue 24): one query for the stays' people and one UPDATE per set of equal
values, however many tests; every test written with its result, time, early flag and recorder."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.quarantine import services
from cordon.quarantine.factories import RequestFactory, SiteFactory, rooms_for
from cordon.quarantine.models import ScheduledTest, Stay


def _stays(city, cast, n):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=max(5, n))
    people = [PersonFactory(grid=city.a_grid) for _ in range(n)]
    for p in people:
        RequestFactory(person=p)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    return [services.stay_check_in(actor=cast.officer_a, stay=s) for s in Stay.objects.filter(person__in=people)]


def _import(cast, stays, result):
    tests = list(ScheduledTest.objects.filter(stay__in=stays))
    sampled = clock.now() - dt.timedelta(hours=1)
    rows = [{"test_id": t.pk, "result": result, "sampled_at": sampled} for t in tests]
    with CaptureQueriesContext(connection) as ctx:
        services.test_results_import(actor=cast.officer_a, rows=rows)
    return tests, len(ctx.captured_queries)


@pytest.mark.django_db
def test_results_of_more_tests_take_no_more_queries(city, cast):
    few, q_few = _import(cast, _stays(city, cast, 1), "阴性")
    many, q_many = _import(cast, _stays(city, cast, 4), "阴性")
    assert len(many) >= 4 * len(few) >= 4
    assert q_many == q_few  # per test: no load of its stay, no save of its own
    for t in ScheduledTest.objects.filter(pk__in=[t.pk for t in few + many]):
        assert t.result == "negative" and t.result_at is not None and t.sampled_at is not None
        assert t.recorded_by_id == cast.officer_a.pk
        assert t.early == (clock.day_of(t.sampled_at) < t.due)


@pytest.mark.django_db
def test_a_test_named_twice_keeps_its_last_row(city, cast):
    stay = _stays(city, cast, 1)[0]
    t = stay.tests.order_by("due").last()
    sampled = clock.now() - dt.timedelta(hours=2)
    services.test_results_import(actor=cast.officer_a, rows=[
        {"test_id": t.pk, "result": "已采样", "sampled_at": sampled}, {"test_id": t.pk, "result": "阴性"}])
    t.refresh_from_db()
    assert t.result == "negative" and t.result_at is not None and t.sampled_at == sampled
