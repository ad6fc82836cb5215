"""Secondary contacts at work count only a close contact's stays at their OWN workplace: the stays are read for all
the close contacts' workplaces at once, so a stay at another close contact's workplace is among the rows read."""

import datetime as dt

import pytest

from cordon.cases import services as case_services
from cordon.contacts import services
from cordon.core import clock, policy
from cordon.people.factories import PersonFactory
from cordon.venues.factories import CheckInFactory, VenueFactory
from cordon.venues.models import VenueUnit

pytestmark = pytest.mark.django_db


def _at(hours_ago: float) -> dt.datetime:
    return clock.now().replace(second=0, microsecond=0) - dt.timedelta(hours=hours_ago)


def _protocol_9():
    from cordon.core.models import RuleSet, RuleSetAdoption

    policy.sync_fixtures()
    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="protocol-9"), effective_from=clock.today() - dt.timedelta(days=30))
    policy.clear_cache()


def test_a_close_contacts_visit_to_another_close_contacts_workplace_makes_no_secondary_contacts(city, cast):
    _protocol_9()
    cafe = VenueFactory(region=city.a_community, kind="restaurant")
    office = VenueFactory(region=city.a_community, kind="office")
    floor5 = VenueUnit.objects.create(venue=office, name="5层", kind="floor")
    case_person = PersonFactory(grid=city.a_grid)
    clerk = PersonFactory(grid=city.a_grid, workplace=office)
    waiter = PersonFactory(grid=city.a_grid, workplace=cafe)
    cook = PersonFactory(grid=city.a_grid, workplace=cafe)
    colleague = PersonFactory(grid=city.a_grid, workplace=office)
    floor_mate = PersonFactory(grid=city.a_grid, workplace=office)
    for p in (case_person, clerk, waiter):  # clerk and waiter are close contacts
        CheckInFactory(person=p, venue=cafe, time_in=_at(30), time_out=_at(29))
    # after the exposure the clerk dines at the cafe while the cook works there (the waiter is off): not at the
    # clerk's workplace, so the cook is nobody's secondary contact
    CheckInFactory(person=clerk, venue=cafe, time_in=_at(20), time_out=_at(18))
    CheckInFactory(person=cook, venue=cafe, time_in=_at(21), time_out=_at(17))
    # the waiter calls at the office's floor 5 and the office's staff room while the clerk's colleagues are there
    CheckInFactory(person=waiter, venue=office, unit=floor5, time_in=_at(12), time_out=_at(10))
    CheckInFactory(person=floor_mate, venue=office, unit=floor5, time_in=_at(12), time_out=_at(9))
    CheckInFactory(person=waiter, venue=office, time_in=_at(8), time_out=_at(6))
    CheckInFactory(person=colleague, venue=office, time_in=_at(8), time_out=_at(5))
    case = case_services.case_report(actor=cast.officer_a, person_id=case_person.pk, kind="confirmed", found_by="community",
                                     onset_date=clock.today())
    found = services.identify(case)
    assert {clerk.pk, waiter.pk} <= set(found["close_contact"])
    assert not {cook.pk, floor_mate.pk, colleague.pk} & set(found.get("secondary_contact", {}))

    # the same stays at their own workplaces do make secondary contacts (the check above is not vacuous)
    CheckInFactory(person=waiter, venue=cafe, time_in=_at(20), time_out=_at(18))
    CheckInFactory(person=clerk, venue=office, unit=floor5, time_in=_at(12), time_out=_at(10))
    CheckInFactory(person=clerk, venue=office, time_in=_at(8), time_out=_at(6))
    sec = services.identify(case)["secondary_contact"]
    assert sec[cook.pk]["via"] == waiter.pk and sec[floor_mate.pk]["via"] == clerk.pk and sec[colleague.pk]["via"] == clerk.pk
