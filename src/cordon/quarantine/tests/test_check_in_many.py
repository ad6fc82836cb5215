"""stays_check_in_many (a placement run's arrivals at once) writes the same rows as stay_check_in one at a time."""

import datetime as dt

import pytest
import time_machine

from cordon.core import clock
from cordon.core.errors import Conflict
from cordon.core.models import AuditEntry
from cordon.people.factories import HouseholdFactory, PersonFactory
from cordon.quarantine import services
from cordon.quarantine.factories import RequestFactory, SiteFactory, rooms_for
from cordon.quarantine.models import Stay
from cordon.status.models import HealthStatus, StatusReason

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> dt.date:
    today = clock.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _families(city, cast) -> tuple[list[Stay], list[Stay]]:
    """Two households alike (a parent staying 2 days, a six-year-old 6 days, an adult alone 4 days), placed in one
    proposal: their expected stays, (first household, second household), children first."""
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=8)
    today = clock.today()
    people = []
    for _n in range(2):
        hh = HouseholdFactory(grid=city.a_grid)
        mine = [PersonFactory(grid=city.a_grid, household=hh, birth_date=_years_ago(y)) for y in (40, 6)]
        mine.append(PersonFactory(grid=city.a_grid, birth_date=_years_ago(30)))
        for person, days in zip(mine, (2, 6, 4), strict=True):
            RequestFactory(person=person, start=today, end=today + dt.timedelta(days=days))
        people.append(mine)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    return tuple([Stay.objects.get(person=p) for p in (mine[1], mine[0], mine[2])] for mine in people)


def _picture(stays: list[Stay]) -> list:
    out = []
    for s in stays:
        s.refresh_from_db()
        reasons = sorted((r.reason, r.since, r.until, r.active) for r in StatusReason.objects.filter(source=f"quarantine.stay:{s.pk}"))
        status = HealthStatus.objects.get(person_id=s.person_id)
        out.append((s.status, s.checked_in_at, s.planned_end, s.tests.count(), bool(s.carer_of_id), reasons,
                    status.colour, status.reasons))
    return out


def test_the_batch_writes_the_same_rows_as_one_at_a_time(city, cast):
    with time_machine.travel(clock.now(), tick=False):
        one, many = _families(city, cast)
        for stay in one:
            services.stay_check_in(actor=cast.officer_a, stay=stay)
        services.stays_check_in_many(actor=cast.officer_a, stays=many)
        a, b = _picture(one), _picture(many)
    assert a == b
    assert [row[0] for row in a] == ["in", "in", "in"] and a[1][4]  # the parent is the child's carer
    assert a[1][2] == a[0][2]  # the carer stays as long as the child
    assert a[0][5][0][0] == "centralized_quarantine" and a[0][6] == "red"
    entry = AuditEntry.objects.get(action="stay.check_in", changes__count=3)
    assert entry.changes["ids"] == [s.pk for s in many]


def test_a_stay_that_may_not_check_in_refuses_the_batch(city, cast):
    _one, many = _families(city, cast)
    services.stay_to_hospital(actor=cast.officer_a, stay=many[2])
    many[2].refresh_from_db()
    with pytest.raises(Conflict):
        services.stays_check_in_many(actor=cast.officer_a, stays=many)
    assert list(Stay.objects.filter(pk__in=[s.pk for s in many[:2]]).values_list("status", flat=True)) == ["expected"] * 2
