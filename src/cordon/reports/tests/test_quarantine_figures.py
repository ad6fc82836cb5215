"""People in quarantine: one definition (quarantine.selectors.people_in_measures) behind the reports metrics, the
quarantine dashboard, bulletins and the sim invariant. A plan in its centralized phase is not a person in a site."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.quarantine import selectors
from cordon.quarantine.factories import SiteFactory, rooms_for
from cordon.quarantine.models import PlacementRequest, Room, Stay
from cordon.reports import metrics
from cordon.sim import invariants
from cordon.status.models import StatusReason

pytestmark = pytest.mark.django_db


def _stay(person, *, kind, room=None, status="in"):
    today = clock.today()
    if room is not None:
        Room.objects.filter(pk=room.pk).update(status="occupied")
    return Stay.objects.create(person=person, region_path=room.site.region_path if room else person.region_path, kind=kind,
                               room=room, site=room.site if room else None, start=today, status=status,
                               planned_end=today + dt.timedelta(days=5), category="close_contact",
                               monitor_token=f"fig{person.pk:012d}",
                               checked_in_at=clock.now() - dt.timedelta(hours=1) if status == "in" else None)


def _reason(person, reason):
    StatusReason.objects.create(person=person, region_path=person.region_path, reason=reason,
                                source=f"contacts.riskperson:{person.pk}", since=clock.now() - dt.timedelta(hours=2))


def test_people_in_centralized_quarantine_are_people_in_a_site_not_plans_in_their_centralized_phase_and_free_rooms_are_free(city):
    room, cleaning, _free = rooms_for(SiteFactory(region=city.a), per_floor=3)[:3]
    Room.objects.filter(pk=cleaning.pk).update(status="disinfection")  # neither occupied nor free
    in_site = PersonFactory(grid=city.a_grid)
    _stay(in_site, kind="centralized", room=room)
    _reason(in_site, "centralized_quarantine")
    queued = PersonFactory(grid=city.a_grid)  # plan in its centralized phase, due for a site, not placed
    _reason(queued, "centralized_quarantine")
    PlacementRequest.objects.create(person=queued, household=queued.household, category="close_contact",
                                    start=clock.today(), end=clock.today() + dt.timedelta(days=5),
                                    source=f"contacts.riskperson:{queued.pk}", region_path=queued.region_path)
    at_home = PersonFactory(grid=city.a_grid)
    _stay(at_home, kind="home_isolation")
    cut = clock.now() + dt.timedelta(minutes=1)
    fig = metrics.figures(region_path=city.city.path, cut_off=cut)
    dash = selectors.dashboard_figures(actor=SYSTEM)
    assert fig["measure_centralized_quarantine"] == dash["in_sites"] == 1
    assert fig["measure_awaiting_site"] == dash["awaiting_site"] == 1
    assert fig["measure_home_isolation"] + fig["measure_home_monitoring"] == dash["at_home"] == 1
    assert fig["quarantine_free"] == dash["free"] == 1 and fig["quarantine_occupied"] == 1
    assert invariants.check(actor=SYSTEM, now=cut, only=["figures_agree"])["figures_agree"] == []


def test_an_expected_stay_is_due_for_a_site_not_in_one(city):
    room = rooms_for(SiteFactory(region=city.a), per_floor=1)[0]
    p = PersonFactory(grid=city.a_grid)
    _stay(p, kind="centralized", room=room, status="expected")
    people = selectors.people_in_measures(region_path=city.city.path)
    assert people["centralized"] == 0 and people["awaiting_site"] == 1
