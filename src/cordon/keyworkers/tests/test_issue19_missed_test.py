"""Issue 19, status from all the facts: a registered resident holding a key-worker pass whose test is overdue has the
status reason missed_test (yellow) from the periodic refresh, and loses it the moment a new negative is recorded."""

import datetime as dt

import pytest
import time_machine

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.keyworkers import jobs, services
from cordon.keyworkers.factories import KeyPersonFactory
from cordon.people.factories import PersonFactory
from cordon.status import services as status_services
from cordon.status.models import HealthStatus, StatusReason

pytestmark = pytest.mark.django_db


def _status(person_id: int) -> tuple[str, list[str]]:
    row = HealthStatus.objects.filter(person_id=person_id).values_list("colour", "reasons").first()
    return row or ("green", [])


def _holder(city, cast, *, resident: bool = True):
    kp = KeyPersonFactory(region=city.a_community, person=PersonFactory(grid=city.a_grid) if resident else None)
    services.pass_issue(actor=cast.officer_a, keyperson=kp)
    return kp


def _due(kp, when: dt.datetime) -> None:
    kp.next_test_due_at = when
    kp.save(update_fields=["next_test_due_at"])


def test_issue19_missed_test_a_key_worker_overdue_turns_yellow_and_a_new_negative_turns_them_back(city, cast):
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=clock.zone()), tick=False):
        kp = _holder(city, cast)
        _due(kp, clock.now() + dt.timedelta(minutes=1))
        services.passes_refresh(actor=SYSTEM)
        assert _status(kp.person_id) == ("green", [])  # due, not overdue yet
        _due(kp, clock.now() - dt.timedelta(minutes=1))
        jobs.keyworkers_refresh_job.enqueue()
        assert _status(kp.person_id) == ("yellow", ["missed_test"])
        assert StatusReason.objects.get(person_id=kp.person_id, active=True).source == "keyworkers:overdue_test"
        services.test_record(actor=cast.officer_a, keyperson=kp, sampled_at=clock.now() - dt.timedelta(minutes=10),
                             outcome="negative")
        assert _status(kp.person_id) == ("green", [])  # at once, not at the next refresh


def test_issue19_missed_test_only_a_pass_holder_registered_as_a_resident_gets_the_reason(city, cast):
    kp = _holder(city, cast)
    stranger = _holder(city, cast, resident=False)
    off = KeyPersonFactory(region=city.a_community, person=PersonFactory(grid=city.a_grid))  # no pass
    for k in (kp, stranger, off):
        _due(k, clock.now() - dt.timedelta(hours=1))
    services.passes_refresh(actor=SYSTEM)
    assert list(StatusReason.objects.filter(reason="missed_test", active=True).values_list("person_id", flat=True)) == [kp.person_id]
    services.pass_set_status(actor=cast.officer_a, key_pass=kp.passes.get(), action="revoke")
    assert _status(kp.person_id) == ("green", [])  # no pass any more


def test_issue19_missed_test_of_a_key_worker_does_not_lower_a_red_colour(city, cast):
    kp = _holder(city, cast)
    status_services.reason_set(person_id=kp.person_id, reason="close_contact", source="test:1", actor=SYSTEM)
    _due(kp, clock.now() - dt.timedelta(hours=1))
    services.passes_refresh(actor=SYSTEM)
    assert _status(kp.person_id) == ("red", ["close_contact", "missed_test"])
