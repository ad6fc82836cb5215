"""placement_enqueue_many (a tracer confirming a case's contacts) writes what placement_enqueue writes one at a time,
refuses like it, and costs a fixed number of queries and one audit entry per batch (issue 19)."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.http import Http404

from cordon.core import clock
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.quarantine import services
from cordon.quarantine.factories import RequestFactory, SiteFactory, rooms_for
from cordon.quarantine.models import PlacementRequest, ScheduledTest, Stay
from cordon.quarantine.services import queue
from cordon.status.models import StatusReason

pytestmark = pytest.mark.django_db


def _worlds(city, cast, n: int = 2) -> list[list]:
    """n alike worlds of four people of district A: new, with a queued request, in a site (checked in), at home
    (monitoring)."""
    today = clock.today()
    worlds = [[PersonFactory(grid=city.a_grid) for _p in range(4)] for _w in range(n)]
    for _new, _queued, placed, _home in worlds:
        RequestFactory(person=placed, source="case:2", end=today + dt.timedelta(days=3))
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=2 * n)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    services.stays_check_in_many(actor=cast.officer_a, stays=list(Stay.objects.order_by("pk")))
    for _new, queued, _placed, home in worlds:
        RequestFactory(person=queued, source="case:3", end=today + dt.timedelta(days=4))
        services.home_stay_start(actor=cast.officer_a, person_id=home.pk, kind="home_monitoring", start=today,
                                 end=today + dt.timedelta(days=3), community_worker_id=cast.officer_a.pk)
    return worlds


def _items(people) -> list[dict]:
    today = clock.today()
    out = []
    for n, person in enumerate(people):
        out.append({"person_id": person.pk, "category": "close_contact", "start": today,
                    "end": today + dt.timedelta(days=8 + n), "source": f"contacts.riskperson:{n}", "household_id": None})
    # the same person named twice in one batch: the second extends what the first filed
    out.append({**out[0], "source": "contacts.riskperson:9", "end": today + dt.timedelta(days=12)})
    return out


def _picture(people) -> list:
    out = []
    for person in people:
        reqs = [(r.status, r.category, r.start, r.end, r.source.split(":")[0], len(r.also_sources))
                for r in PlacementRequest.objects.filter(person=person).order_by("created_at", "id")]
        stays = [(s.kind, s.status, s.planned_end, sorted(ScheduledTest.objects.filter(stay=s).values_list("day", "due")))
                 for s in Stay.objects.filter(person=person).order_by("pk")]
        reasons = sorted((r.reason, r.until, r.active) for r in StatusReason.objects.filter(person=person))
        out.append((reqs, stays, reasons))
    return out


def test_a_batch_writes_what_one_at_a_time_writes_for_new_queued_placed_and_home_people(city, cast):
    with time_machine.travel(clock.now(), tick=False):
        one, many = _worlds(city, cast)
        got_one = [services.placement_enqueue(actor=cast.officer_a, **it) for it in _items(one)]
        got_many = services.placement_enqueue_many(actor=cast.officer_a, items=_items(many))
    assert _picture(one) == _picture(many)
    assert [one.index(r.person) for r in got_one] == [many.index(r.person) for r in got_many] == [0, 1, 2, 3, 0]
    assert got_many[0].pk == got_many[-1].pk  # one measure per person, within the batch too
    placed = Stay.objects.get(person=many[2], kind="centralized")
    assert placed.planned_end == clock.today() + dt.timedelta(days=10)


def test_a_person_outside_the_actors_area_refuses_the_batch_as_not_found_and_nothing_is_written(city, cast):
    ours, theirs = PersonFactory(grid=city.a_grid), PersonFactory(grid=city.b_grid)
    items = [{"person_id": p.pk, "category": "close_contact", "start": clock.today(),
              "end": clock.today() + dt.timedelta(days=5), "source": f"s:{p.pk}"} for p in (ours, theirs)]
    with pytest.raises(Http404):
        services.placement_enqueue_many(actor=cast.officer_a, items=items)
    with pytest.raises(Http404):
        services.placement_enqueue(actor=cast.officer_a, **items[1])
    assert not PlacementRequest.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="placement_request").exists()


def _fresh(city, n: int) -> list[dict]:
    return [{"person_id": PersonFactory(grid=city.a_grid).pk, "category": "close_contact", "start": clock.today(),
             "end": clock.today() + dt.timedelta(days=5), "source": f"contacts.riskperson:{i}"} for i in range(n)]


def test_a_batch_records_one_audit_entry_with_counts_and_ids(city, cast):
    got = services.placement_enqueue_many(actor=cast.officer_a, items=_fresh(city, 5))
    entries = list(AuditEntry.objects.filter(action__startswith="placement_request"))
    assert len(entries) == 1
    assert entries[0].changes["items"] == 5 and entries[0].changes["created"] == 5
    assert entries[0].changes["ids"] == [r.pk for r in got]


def test_a_batch_takes_as_many_queries_for_twenty_five_people_as_for_five(city, cast, django_assert_max_num_queries):
    worlds = _worlds(city, cast, n=6)  # new, queued, in a site, at home: each batch has all four, and a person twice
    small, large = _items(worlds[0]), [it for world in worlds[1:] for it in _items(world)]
    with django_assert_max_num_queries(40) as few:
        services.placement_enqueue_many(actor=cast.officer_a, items=small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.placement_enqueue_many(actor=cast.officer_a, items=large)
    assert PlacementRequest.objects.filter(status="queued").count() == 6 * 3  # new, queued and home; not the placed


def test_a_concurrent_enqueue_that_wins_the_race_is_the_request_returned(city, cast, monkeypatch):
    person = PersonFactory(grid=city.a_grid)
    item = {"person_id": person.pk, "category": "close_contact", "start": clock.today(),
            "end": clock.today() + dt.timedelta(days=5), "source": "contacts.riskperson:1"}
    locked, calls = queue._enqueue_locked, []

    def raced(actor, items, people):
        calls.append(1)
        if len(calls) == 1:  # another worker filed the same (person, source) between our read and our insert
            RequestFactory(person=person, source="contacts.riskperson:1", end=item["end"])
            raise IntegrityError("uniq_open_placement_per_person_source")
        return locked(actor, items, people)

    monkeypatch.setattr(queue, "_enqueue_locked", raced)
    got = services.placement_enqueue(actor=cast.officer_a, **item)
    assert len(calls) == 2
    assert PlacementRequest.objects.filter(person=person).count() == 1
    assert got.pk == PlacementRequest.objects.get(person=person).pk
