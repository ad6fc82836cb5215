"""risks_release_many (the day's releases in one batch) writes the same rows as risk_release one row at a time: risk
rows, status reasons, colours and placement requests (cancelled, or kept with another source), with one audit entry
and a number of queries that does not grow with the batch."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.contacts import services
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.errors import Conflict
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.quarantine import services as quarantine_services
from cordon.quarantine.models import PlacementRequest
from cordon.status.models import HealthStatus, StatusReason

pytestmark = pytest.mark.django_db


def _risk(person, category, days):
    return RiskPerson.objects.create(person=person, region_path=person.region_path, category=category,
                                     last_exposure=clock.now() - dt.timedelta(days=days, hours=3),
                                     status="confirmed", evidence=[{"rule": "manual"}])


def _family(city, actor, extra: int = 0) -> tuple[list[RiskPerson], RiskPerson]:
    """Risk persons under measures with their reasons and placement requests: two close contacts, a third one whose
    person is also named by a second row (same request, two sources), and `extra` more; returns (released, kept):
    the second source of the shared request is not released, so the request stays with it."""
    people = [PersonFactory(grid=city.a_grid) for _n in range(3 + extra)]
    rows = [_risk(p, "close_contact", 1 + n % 3) for n, p in enumerate(people)]
    other = _risk(people[2], "close_contact", 2)  # a second plan naming the same person
    for r in [*rows, other]:
        services.measures_apply(actor=actor, risk=r, why="confirmed")
    return rows, other


def _picture(rows) -> list:
    out = []
    for r in rows:
        r.refresh_from_db()
        reasons = sorted((s.reason, s.active) for s in StatusReason.objects.filter(source=r.source))
        status = HealthStatus.objects.get(person_id=r.person_id)
        requests = sorted((q.category, q.start, q.end, q.status, q.source.startswith("contacts."), len(q.also_sources))
                          for q in PlacementRequest.objects.filter(person_id=r.person_id))
        out.append({"row": (r.category, r.status, r.released_at is not None), "reasons": reasons,
                    "colour": (status.colour, status.reasons), "requests": requests})
    return out


def test_the_batch_writes_the_same_rows_as_one_at_a_time(city, cast):
    actor = cast.officer_a
    with time_machine.travel(clock.now(), tick=False):
        one, one_other = _family(city, actor)
        many, many_other = _family(city, actor)
        assert PlacementRequest.objects.get(person_id=one[2].person_id).also_sources  # the shared request
        for r in one:
            services.risk_release(actor=actor, risk=r)
        before = AuditEntry.objects.filter(action="contacts.release").count()
        services.risks_release_many(actor=actor, risks=many)
        a, b = _picture([*one, one_other]), _picture([*many, many_other])
    assert a == b
    assert [p["row"][1] for p in a] == ["released"] * 3 + ["under_measures"]
    assert all(not active for p in a[:3] for _r, active in p["reasons"]) and any(active for _r, active in a[3]["reasons"])
    assert [q[3] for q in a[0]["requests"]] == ["cancelled"]
    assert [q[3] for q in a[2]["requests"]] == ["queued"]  # kept: passed to the other source
    shared = PlacementRequest.objects.get(person_id=many[2].person_id)
    assert shared.source == many_other.source and shared.also_sources == []
    entry = AuditEntry.objects.filter(action="contacts.release", changes__count=3).get()
    assert entry.changes["ids"] == [r.pk for r in many]
    assert AuditEntry.objects.filter(action="contacts.release").count() == before + 1


def test_both_sources_released_in_one_batch_cancel_the_shared_request(city, cast):
    rows, other = _family(city, cast.officer_a)
    services.risks_release_many(actor=cast.officer_a, risks=[other, *rows])
    assert set(PlacementRequest.objects.filter(person_id__in=[r.person_id for r in rows])
               .values_list("status", flat=True)) == {"cancelled"}


def _queries(city, actor, extra: int) -> int:
    rows, _other = _family(city, actor, extra=extra)
    with CaptureQueriesContext(connection) as ctx:
        services.risks_release_many(actor=actor, risks=rows)
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_batch(city, cast, django_assert_max_num_queries):
    small = _queries(city, cast.officer_a, 0)
    rows, _other = _family(city, cast.officer_a, extra=20)
    with django_assert_max_num_queries(small):
        services.risks_release_many(actor=cast.officer_a, risks=rows)


def test_measures_advance_releases_the_ended_plans_in_one_batch(city, cast):
    rows, other = _family(city, cast.officer_a, extra=2)
    later = clock.today() + dt.timedelta(days=60)
    negative = [r.person_id for r in rows[::2]]  # a negative test after the plans: released; the rest wait for one
    HealthStatus.objects.filter(person_id__in=negative).update(
        last_negative_at=clock.aware(dt.datetime.combine(later - dt.timedelta(days=1), dt.time(9))))
    with time_machine.travel(clock.aware(dt.datetime.combine(later, dt.time(10))), tick=False):
        counts = services.measures_advance(actor=cast.officer_a, today=later)
    released = set(RiskPerson.objects.filter(status="released").values_list("person_id", flat=True))
    assert counts["released"] == RiskPerson.objects.filter(status="released").count() >= 3
    assert released == set(negative) and counts["waiting_test"] == 6 - counts["released"]
    assert AuditEntry.objects.filter(action="contacts.release").count() == 1
    assert not StatusReason.objects.filter(person_id__in=negative, active=True).exclude(source=other.source).exists()


def test_refused_rows_refuse_the_batch(city, cast):
    rows, _other = _family(city, cast.officer_a)
    proposal = _risk(PersonFactory(grid=city.a_grid), "close_contact", 1)  # proposed: never under measures
    proposal.status = "proposed"
    proposal.save(update_fields=["status"])
    with pytest.raises(Conflict):
        services.risks_release_many(actor=cast.officer_a, risks=[*rows, proposal])
    assert not RiskPerson.objects.filter(status="released").exists()


def test_out_of_scope_is_refused_as_one_at_a_time(city, cast):
    rows, _other = _family(city, cast.officer_a)
    with pytest.raises(PermissionDenied):
        services.risk_release(actor=cast.viewer_a, risk=rows[0])
    rows[0].refresh_from_db()  # the refused release rolled back; the instance is read again
    with pytest.raises(PermissionDenied):
        services.risks_release_many(actor=cast.viewer_a, risks=rows)
    assert not RiskPerson.objects.filter(status="released").exists()
    assert not PlacementRequest.objects.filter(status="cancelled").exists()


def test_a_batch_of_many_sources_is_read_in_parts(city, cast):
    """Hundreds of sources (a day's releases in a large city): the requests are found a part at a time."""
    rows, other = _family(city, cast.officer_a)
    padding = [f"contacts.riskperson:{900000 + n}" for n in range(700)]
    cancelled = quarantine_services.placement_cancel_many(actor=cast.officer_a,
                                                          sources=[*padding, other.source, *(r.source for r in rows)])
    assert cancelled == 3
    assert set(PlacementRequest.objects.values_list("status", flat=True)) == {"cancelled"}
