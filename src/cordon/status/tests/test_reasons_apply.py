import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.status import services
from cordon.status.models import HealthStatus, StatusChange, StatusReason

pytestmark = pytest.mark.django_db


def test_reasons_apply_sets_and_clears_for_one_source_with_one_recompute(city):
    person = PersonFactory(grid=city.a_grid)
    until = clock.now() + dt.timedelta(days=5)
    services.reasons_apply(person_id=person.pk, source="contacts.riskperson:1", actor=SYSTEM, clear_reasons=["home_isolation"],
                           set_reasons=[("close_contact", None, until), ("centralized_quarantine", None, until)])
    status = HealthStatus.objects.get(person=person)
    assert status.colour == "red" and status.reasons == ["centralized_quarantine", "close_contact"]
    assert StatusChange.objects.filter(person=person).count() == 1
    # the same again changes nothing and writes no history
    services.reasons_apply(person_id=person.pk, source="contacts.riskperson:1", actor=SYSTEM, clear_reasons=["home_isolation"],
                           set_reasons=[("close_contact", None, until), ("centralized_quarantine", None, until)])
    assert StatusChange.objects.filter(person=person).count() == 1
    # next phase: home isolation instead of the site
    services.reasons_apply(person_id=person.pk, source="contacts.riskperson:1", actor=SYSTEM, clear_reasons=["centralized_quarantine"],
                           set_reasons=[("close_contact", None, until), ("home_isolation", None, until)])
    assert set(StatusReason.objects.filter(person=person, active=True).values_list("reason", flat=True)) == {"close_contact", "home_isolation"}
    assert StatusChange.objects.filter(person=person).count() == 2
