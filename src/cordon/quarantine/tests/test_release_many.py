"""The day's releases in one batch (stays_release_many) leave the same stays, rooms, status reasons and colours as
stay_release one stay after the other, report the stays it refuses instead of raising, write one audit entry and
take as many queries for six stays as for two."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.quarantine import services
from cordon.quarantine.factories import RequestFactory, household_at_site
from cordon.quarantine.models import Room, ScheduledTest, Stay
from cordon.status.models import HealthStatus, StatusReason

DAYS = 4


def _placed(city, cast, people) -> dict:
    """The people placed (a child with its carer) and checked in, each stay `DAYS` days from today: {person: stay}."""
    today = clock.today()
    for p in people:
        RequestFactory(person=p, start=today, end=today + dt.timedelta(days=DAYS))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    stays = {s.person_id: s for s in Stay.objects.filter(person__in=people)}
    services.stays_check_in_many(actor=cast.officer_a, stays=list(stays.values()))
    return {p: Stay.objects.get(pk=stays[p.pk].pk) for p in people}


def _scenario(city, cast) -> tuple[dict, list[Stay]]:
    """A plain stay, one waiting for its negative, a carer and child, and a room of two where one leaves:
    ({role: person}, the stays due in the twin's order)."""
    _site, (plain, waiting, parent, child, leaves, remains) = household_at_site(city, 30, 31, 40, 6, 32, 33, rooms=8)
    roles = {"plain": plain, "waiting": waiting, "parent": parent, "child": child, "leaves": leaves, "remains": remains}
    for p in (plain, waiting, leaves, remains):  # not of the family's household
        p.household = None
        p.save(update_fields=["household"])
    stays = _placed(city, cast, list(roles.values()))
    assert stays[parent].carer_of_id == stays[child].pk
    Stay.objects.filter(pk=stays[remains].pk).update(room_id=stays[leaves].room_id,
                                                     planned_end=clock.today() + dt.timedelta(days=DAYS + 5))
    Room.objects.filter(pk=stays[remains].room_id).update(status="free")
    ScheduledTest.objects.filter(stay__in=[stays[roles[r]] for r in ("plain", "parent", "child", "leaves")]).update(
        result="negative", early=False, result_at=clock.now())
    due = [stays[roles[r]] for r in ("plain", "waiting", "parent", "child", "leaves")]
    return roles, [Stay.objects.get(pk=s.pk) for s in due]


def _state(roles: dict) -> dict:
    """What a release leaves, by role: each stay's status, kind and room status, active reasons, colour."""
    out = {}
    for role, person in roles.items():
        stays = Stay.objects.filter(person=person).order_by("pk").select_related("room")
        out[role] = {
            "stays": [(s.status, s.kind, s.room.status if s.room else None, s.previous_id is not None,
                       s.planned_end, s.transfers.filter(direction="home").count()) for s in stays],
            "reasons": sorted(StatusReason.objects.filter(person=person, active=True).values_list("reason", "until")),
            "colour": HealthStatus.objects.get(person=person).colour,
        }
    return out


def _release_day() -> dt.date:
    return clock.today() + dt.timedelta(days=DAYS)


@pytest.mark.django_db
def test_the_batch_leaves_what_releases_one_by_one_leave_and_reports_the_stay_waiting_for_its_negative(city, cast):
    one_roles, one_due = _scenario(city, cast)
    for stay in one_due:
        try:
            services.stay_release(actor=cast.officer_a, stay=stay, today=_release_day())
        except ServiceError:
            pass
    many_roles, many_due = _scenario(city, cast)
    out = services.stays_release_many(actor=cast.officer_a, stays=many_due, today=_release_day())
    assert _state(many_roles) == _state(one_roles)
    assert [(s.person_id, e.code) for s, e in out["refused"]] == [(many_roles["waiting"].pk, "early_release")]
    assert {s.person_id for s in out["released"]} == {many_roles[r].pk for r in ("plain", "parent", "child", "leaves")}
    state = _state(many_roles)
    assert state["waiting"]["stays"][0][0] == "in" and state["remains"]["stays"][0][0] == "in"
    assert state["leaves"]["stays"][0][2] == "occupied"  # the one who remains is still in the room
    assert state["plain"]["stays"][0][2] == "disinfection" and state["child"]["stays"][0][2] == "disinfection"
    assert [r for r, _until in state["plain"]["reasons"]] == [state["plain"]["stays"][1][1]]  # the home phase only


@pytest.mark.django_db
def test_a_batch_writes_one_release_audit_entry_with_counts_and_ids(city, cast):
    _roles, due = _scenario(city, cast)
    before = AuditEntry.objects.filter(action="stay.release").count()
    out = services.stays_release_many(actor=cast.officer_a, stays=due, today=_release_day())
    entries = AuditEntry.objects.filter(action="stay.release")
    assert entries.count() == before + 1
    changes = entries.latest("pk").changes
    assert changes["count"] == 4 and sorted(changes["ids"]) == sorted(s.pk for s in out["released"])
    assert changes["refused"] == 1


@pytest.mark.django_db
def test_the_single_release_still_raises_its_refusal(city, cast):
    roles, due = _scenario(city, cast)
    waiting = next(s for s in due if s.person_id == roles["waiting"].pk)
    with pytest.raises(ServiceError) as e:
        services.stay_release(actor=cast.officer_a, stay=waiting, today=_release_day())
    assert e.value.code == "early_release"
    assert Stay.objects.get(pk=waiting.pk).status == "in"


def _plain(city, cast, n: int) -> list[Stay]:
    """n stays of people on their own, due and tested negative."""
    _site, people = household_at_site(city, *([30] * n), rooms=n)
    for p in people:
        p.household = None
        p.save(update_fields=["household"])
    stays = list(_placed(city, cast, people).values())
    ScheduledTest.objects.filter(stay__in=stays).update(result="negative", early=False, result_at=clock.now())
    return stays


@pytest.mark.django_db
def test_a_batch_of_six_takes_no_more_queries_than_a_batch_of_two(city, cast, django_assert_max_num_queries):
    two, six = _plain(city, cast, 2), _plain(city, cast, 6)
    with CaptureQueriesContext(connection) as small:
        services.stays_release_many(actor=cast.officer_a, stays=two, today=_release_day())
    with django_assert_max_num_queries(len(small.captured_queries)):
        out = services.stays_release_many(actor=cast.officer_a, stays=six, today=_release_day())
    assert len(out["released"]) == 6 and not out["refused"]


@pytest.mark.django_db
def test_a_batch_with_a_stay_out_of_scope_is_refused_whole(city, cast):
    _roles, due = _scenario(city, cast)
    with pytest.raises(PermissionDenied):
        services.stays_release_many(actor=cast.officer_b, stays=due, today=_release_day())
    assert set(Stay.objects.filter(pk__in=[s.pk for s in due]).values_list("status", flat=True)) == {"in"}
