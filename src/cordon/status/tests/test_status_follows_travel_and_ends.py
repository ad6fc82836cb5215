"""Issue 19, status from travel from a risk area: a returnee's colour changes the moment the arrival is registered and
goes back when the rule set's period ends (the periodic job recomputes ended reasons; before it, the colour stayed
until some unrelated change happened to the person)."""

import datetime as dt

import pytest
import time_machine

from cordon.community import services as community_services
from cordon.core import clock, policy
from cordon.people.factories import PersonFactory
from cordon.status import jobs, selectors, services
from cordon.status.models import HealthStatus, StatusChange, StatusReason

pytestmark = pytest.mark.django_db


def _colour(person) -> str:
    return HealthStatus.objects.get(person=person).colour


def test_issue19_status_turns_on_arrival_from_a_risk_area_and_goes_back_when_the_period_ends(city, cast):
    city.a_community.is_rural = True
    city.a_community.save()
    person = PersonFactory(grid=city.a_grid)
    community_services.returnee_register(actor=cast.officer_a, village_id=city.a_community.pk, name=person.name,
                                         id_number=person.id_number, phone="13700000000", from_place="某市某区", from_risk="high")
    reason = StatusReason.objects.get(person=person, reason="high_risk_arrival", active=True)
    arrival_colour = policy.in_force(reason.since).get("status.reasons.high_risk_arrival")
    assert _colour(person) == arrival_colour != "green"  # at once, not at the next job
    assert selectors.exit_check(actor=cast.officer_a, person_id=person.pk)["refused"]
    with time_machine.travel(reason.until - dt.timedelta(minutes=1), tick=False):
        assert jobs.expire_reasons.call() == {"people": 0, "changed": 0}
        assert _colour(person) == arrival_colour  # the period is not over yet
    with time_machine.travel(reason.until + dt.timedelta(minutes=1), tick=False):
        assert jobs.expire_reasons.call() == {"people": 1, "changed": 1}
        assert _colour(person) == "green"
        assert not selectors.exit_check(actor=cast.officer_a, person_id=person.pk)["refused"]
        last = StatusChange.objects.filter(person=person).latest("at")
        assert (last.colour_from, last.colour_to, clock.day_of(last.at)) == (arrival_colour, "green", clock.day_of(reason.until))
        assert jobs.expire_reasons.call() == {"people": 0, "changed": 0}  # once


def test_issue19_an_ended_reason_among_others_leaves_the_colour_the_others_give(city):
    person = PersonFactory(grid=city.a_grid)
    now = clock.now()
    services.reason_set(person_id=person.pk, reason="confirmed", source="test:case", actor=services.SYSTEM)
    services.reason_set(person_id=person.pk, reason="medium_risk_arrival", source="test:arrival", actor=services.SYSTEM,
                        until=now + dt.timedelta(hours=2))
    with time_machine.travel(now + dt.timedelta(hours=3), tick=False):
        assert jobs.expire_reasons.call() == {"people": 1, "changed": 0}
        assert _colour(person) == "red" and HealthStatus.objects.get(person=person).reasons == ["confirmed"]
