"""Issue 19: dependants placed with a carer, one measure of each kind per person, test times that make sense."""

import datetime as dt

import pytest
import time_machine

from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.quarantine import selectors, services, solver
from cordon.quarantine.factories import RequestFactory, born, household_at_site
from cordon.quarantine.models import PlacementRequest, ScheduledTest, Stay
from cordon.status.models import StatusReason

# --------------------------------------------------------------------------- families and dependants

def test_the_solver_withholds_a_child_without_a_carer_instead_of_placing_it_alone():
    members = [solver.Member(person_id=1, household=7, age=5), solver.Member(person_id=2, household=8, age=40)]
    units = solver.make_units(members, {1: 0, 2: 0})
    res = solver.solve(units, [solver.Origin(0, 121.3, 31.2, "A")], [solver.SiteCap(1, "A", 121.3, 31.2, free=5)])
    child = next(u for u in units if 1 in u.person_ids)
    assert child.needs_carer and res.site_of[child.key] is None and res.withheld == [child.key]
    assert res.unplaced == 0 and res.cost == res.optimum
    adult = next(u for u in units if 2 in u.person_ids)
    assert res.site_of[adult.key] == 1


def test_the_solver_places_a_child_and_its_carer_as_one_room_sized_unit():
    members = [solver.Member(person_id=1, household=7, age=5), solver.Member(person_id=2, household=7, age=35),
               solver.Member(person_id=3, household=9, age=30, pregnant=True)]
    units = solver.make_units(members, {1: 0, 2: 0, 3: 0})
    # one free room: the child and carer take it together, never the child alone
    res = solver.solve(units, [solver.Origin(0, 121.3, 31.2, "A")], [solver.SiteCap(1, "A", 121.3, 31.2, free=1)])
    pair = next(u for u in units if 1 in u.person_ids)
    assert sorted(pair.person_ids) == [1, 2] and pair.carer_of == 1
    assert res.withheld == [next(u.key for u in units if 3 in u.person_ids)]  # pregnant, no carer queued
    assert res.site_of[pair.key] == 1


@pytest.mark.django_db
def test_a_child_whose_household_adult_is_queued_shares_the_adults_room(city, cast):
    _site, (parent, child) = household_at_site(city, 35, 8)
    RequestFactory(person=parent)
    RequestFactory(person=child)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    lines = {ln.request.person_id: ln for ln in proposal.lines.select_related("request")}
    assert lines[child.pk].room_id == lines[parent.pk].room_id
    assert lines[parent.pk].carer_of.person_id == child.pk


@pytest.mark.django_db
def test_a_child_with_no_queued_adult_is_not_proposed_alone_and_a_carer_task_is_filed(city, cast):
    _site, (_adult, child) = household_at_site(city, 40, 6)  # the household adult is not queued
    req = RequestFactory(person=child)
    other = RequestFactory(person=PersonFactory(grid=city.a_grid, birth_date=born(30)))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    assert list(proposal.lines.values_list("request_id", flat=True)) == [other.pk]
    assert PlacementRequest.objects.get(pk=req.pk).status == "queued"
    task = Task.objects.get(kind="quarantine.carer_needed", source=f"quarantine.request:{req.pk}:carer")
    assert "1 adult" in task.detail
    entry = AuditEntry.objects.get(action="proposal.build")
    assert entry.changes["withheld_need_carer"] == [req.pk]


# --------------------------------------------------------------------------- one measure of each kind

def _enqueue(actor, person, source, end):
    return services.placement_enqueue(actor=actor, person_id=person.pk, category="close_contact",
                                      start=clock.today(), end=end, source=source)


@pytest.mark.django_db
def test_a_second_source_extends_the_open_request_instead_of_queueing_again(city, cast):
    p = PersonFactory(grid=city.a_grid)
    today = clock.today()
    first = _enqueue(cast.officer_a, p, "contacts.riskperson:1", today + dt.timedelta(days=5))
    again = _enqueue(cast.officer_a, p, "contacts.riskperson:2", today + dt.timedelta(days=8))
    assert again.pk == first.pk
    assert PlacementRequest.objects.filter(person=p).count() == 1
    first.refresh_from_db()
    assert first.end == today + dt.timedelta(days=8) and first.also_sources == ["contacts.riskperson:2"]
    entry = AuditEntry.objects.get(action="placement_request.extend", object_id=str(first.pk))
    assert entry.changes["source"] == "contacts.riskperson:2"
    # an earlier end never shortens the measure
    _enqueue(cast.officer_a, p, "contacts.riskperson:3", today + dt.timedelta(days=2))
    first.refresh_from_db()
    assert first.end == today + dt.timedelta(days=8)
    # withdrawing the first source hands the request on; it is cancelled only when no source is left
    assert services.placement_cancel(actor=cast.officer_a, source="contacts.riskperson:1") == 0
    first.refresh_from_db()
    assert first.status == "queued" and first.source == "contacts.riskperson:2"
    assert first.also_sources == ["contacts.riskperson:3"]
    assert services.placement_cancel(actor=cast.officer_a, source="contacts.riskperson:3") == 0
    assert services.placement_cancel(actor=cast.officer_a, source="contacts.riskperson:2") == 1
    first.refresh_from_db()
    assert first.status == "cancelled"


@pytest.mark.django_db
def test_someone_already_in_a_site_gets_the_stay_extended_not_a_second_queue_entry_or_room(city, cast):
    _site, [p] = household_at_site(city, 40)  # an adult: placed alone
    today = clock.today()
    req = _enqueue(cast.officer_a, p, "contacts.riskperson:1", today + dt.timedelta(days=4))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    stay = Stay.objects.get(person=p)
    later = today + dt.timedelta(days=9)
    got = _enqueue(cast.officer_a, p, "contacts.riskperson:2", later)
    assert got.pk == req.pk
    assert PlacementRequest.objects.filter(person=p).count() == 1
    assert Stay.objects.filter(person=p).count() == 1
    stay.refresh_from_db()
    assert stay.planned_end == later
    assert ScheduledTest.objects.filter(stay=stay, due=later).exists()  # the new last day is tested
    assert AuditEntry.objects.filter(action="placement_request.extend", changes__stay=stay.pk).exists()


@pytest.mark.django_db
def test_a_person_at_home_is_upgraded_to_a_site_by_one_request_and_the_home_stay_ends(city, cast):
    _site, [p] = household_at_site(city, 40)  # an adult: placed alone
    today = clock.today()
    home = services.home_stay_start(actor=cast.officer_a, person_id=p.pk, kind="home_monitoring", start=today,
                                    end=today + dt.timedelta(days=3), community_worker_id=cast.officer_a.pk)
    req = _enqueue(cast.officer_a, p, "contacts.riskperson:1", today + dt.timedelta(days=6))
    assert AuditEntry.objects.get(action="placement_request.enqueue", object_id=str(req.pk)).changes[
        "upgrades_kind"] == "home_monitoring"
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    home.refresh_from_db()
    assert home.status == "cancelled"
    assert Stay.objects.filter(person=p, status__in=["expected", "in"]).count() == 1
    assert not StatusReason.objects.filter(person=p, reason="home_monitoring", active=True).exists()


# --------------------------------------------------------------------------- time makes sense

def _in_site(city, cast, days=5):
    _site, [p] = household_at_site(city, 40, rooms=3)
    today = clock.today()
    _enqueue(cast.officer_a, p, "test.time", today + dt.timedelta(days=days - 1))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    return services.stay_check_in(actor=cast.officer_a, stay=Stay.objects.get(person=p))


@pytest.mark.django_db
def test_a_result_sampled_before_the_due_day_is_an_early_test_that_does_not_count_for_release(city, cast):
    stay = _in_site(city, cast)
    last = stay.tests.order_by("-due").first()
    assert last.due > clock.today()
    for t in stay.tests.exclude(pk=last.pk):
        services.test_result_record(actor=cast.officer_a, test=t, result="negative")
    out = services.test_result_record(actor=cast.officer_a, test=last, result="negative")
    assert out.early
    assert selectors.tests_due(actor=cast.officer_a, on=last.due).filter(pk=last.pk).exists()
    with pytest.raises(ServiceError) as e:
        services.stay_release(actor=cast.officer_a, stay=stay, today=stay.planned_end)
    assert e.value.code == "early_release"
    # the test taken on its due day replaces the early one and counts
    on_due = clock.aware(dt.datetime.combine(last.due, dt.time(9)))
    with time_machine.travel(on_due + dt.timedelta(hours=2), tick=False):
        out = services.test_result_record(actor=cast.officer_a, test=last, result="negative", sampled_at=on_due)
        assert not out.early
        services.stay_release(actor=cast.officer_a, stay=stay, today=stay.planned_end)
    stay.refresh_from_db()
    assert stay.status == "released"


@pytest.mark.django_db
def test_a_scheduled_test_sampled_in_the_future_is_a_row_error_naming_sampled_at(city, cast):
    stay = _in_site(city, cast)
    t = stay.tests.order_by("due").first()
    with pytest.raises(ServiceError) as e:
        services.test_results_import(actor=cast.officer_a, rows=[
            {"test_id": t.pk, "result": "negative", "sampled_at": (clock.now() + dt.timedelta(days=1)).isoformat()}])
    assert e.value.fields[0]["field"] == "sampled_at"
