"""A child who accompanies their only carer to hospital leaves the room empty: it goes to disinfection, not
"occupied" with nobody in it (the twin's room_status_matches_stays invariant found room 1801 so on the 100k run)."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.quarantine import services
from cordon.quarantine.factories import RequestFactory, household_at_site
from cordon.quarantine.models import Room, Stay
from cordon.sim import invariants

pytestmark = pytest.mark.django_db


def test_the_room_of_a_child_who_accompanies_their_carer_to_hospital_is_vacated(city, cast):
    _site, (parent, child) = household_at_site(city, 40, 4)
    today = clock.today()
    for person in (parent, child):
        RequestFactory(person=person, start=today, end=today + dt.timedelta(days=6))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    carer, cared = Stay.objects.get(person=parent), Stay.objects.get(person=child)
    services.stays_check_in_many(actor=cast.officer_a, stays=[cared, carer])
    services.stay_to_hospital(actor=cast.officer_a, stay=carer)
    cared.refresh_from_db()
    assert cared.status == "to_hospital"
    assert Room.objects.get(pk=cared.room_id).status == "disinfection"
    assert not invariants.room_status_matches_stays(actor=cast.officer_a, now=clock.now())
