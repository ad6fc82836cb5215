"""Issue 19, status from all the facts: a scheduled test of a stay in force that is not sampled by the end of its due day
(the city's day) gives the person the status reason missed_test (yellow), set by the periodic sweep and taken back
the moment the sample or result is recorded."""

import datetime as dt

import pytest
import time_machine

from cordon.core import clock
from cordon.quarantine import jobs, services
from cordon.quarantine.factories import RequestFactory, household_at_site
from cordon.quarantine.models import Stay
from cordon.quarantine.services.monitoring import missed_tests_sync
from cordon.status.models import HealthStatus, StatusReason


def _placed(city, cast, *, days: int = 5) -> Stay:
    """An adult given a room (the stay expected, no other status fact): tests on its first and last day."""
    _site, [p] = household_at_site(city, 40)
    RequestFactory(person=p, start=clock.today(), end=clock.today() + dt.timedelta(days=days - 1))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    return Stay.objects.get(person=p)


def _status(person_id: int) -> tuple[str, list[str]]:
    row = HealthStatus.objects.filter(person_id=person_id).values_list("colour", "reasons").first()
    return row or ("green", [])


def _city(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.at(day, dt.time(hour, minute))


@pytest.mark.django_db
def test_issue19_missed_test_turns_the_colour_yellow_the_day_after_a_due_test_with_no_sample_not_before(city, cast):
    stay = _placed(city, cast)
    first = stay.tests.order_by("due").first()
    assert first.due == clock.today()
    with time_machine.travel(_city(first.due, 23, 50), tick=False):
        services.monitoring_sweep()
        assert _status(stay.person_id) == ("green", [])  # the due day has not ended
    with time_machine.travel(_city(first.due + dt.timedelta(days=1), 0, 30), tick=False):
        jobs.monitoring_sweep_job.enqueue()
        assert _status(stay.person_id) == ("yellow", ["missed_test"])
        reason = StatusReason.objects.get(person_id=stay.person_id, active=True)
        assert reason.source == "quarantine:missed_test"


@pytest.mark.django_db
def test_issue19_missed_test_goes_back_to_the_other_facts_colour_when_the_sample_is_recorded(city, cast):
    stay = _placed(city, cast)
    first = stay.tests.order_by("due").first()
    with time_machine.travel(_city(first.due + dt.timedelta(days=1), 0, 30), tick=False):
        services.monitoring_sweep()
        assert _status(stay.person_id)[0] == "yellow"
        services.test_results_import(actor=cast.officer_a, rows=[{"test_id": first.pk, "result": "sampled"}])
        assert _status(stay.person_id) == ("green", [])  # at once, not at the next sweep
        assert not StatusReason.objects.filter(person_id=stay.person_id, reason="missed_test", active=True).exists()


@pytest.mark.django_db
def test_issue19_missed_test_is_cleared_by_a_negative_result_recorded_for_the_missed_test(city, cast):
    stay = _placed(city, cast)
    first = stay.tests.order_by("due").first()
    with time_machine.travel(_city(first.due + dt.timedelta(days=1), 9), tick=False):
        services.monitoring_sweep()
        assert _status(stay.person_id)[1] == ["missed_test"]
        services.test_result_record(actor=cast.officer_a, test=first, result="negative")
        assert _status(stay.person_id) == ("green", [])


@pytest.mark.django_db
def test_issue19_missed_test_of_a_person_in_a_site_keeps_the_red_colour(city, cast):
    stay = services.stay_check_in(actor=cast.officer_a, stay=_placed(city, cast))
    assert _status(stay.person_id) == ("red", ["centralized_quarantine"])
    with time_machine.travel(_city(clock.today() + dt.timedelta(days=1), 0, 30), tick=False):
        services.monitoring_sweep()
        assert _status(stay.person_id) == ("red", ["centralized_quarantine", "missed_test"])  # never lowered


@pytest.mark.django_db
def test_issue19_missed_test_is_made_up_by_a_later_test_of_the_stay(city, cast):
    stay = services.stay_check_in(actor=cast.officer_a, stay=_placed(city, cast, days=3))
    first, *_between, last = stay.tests.order_by("due")
    with time_machine.travel(_city(last.due, 9), tick=False):
        services.monitoring_sweep()
        assert "missed_test" in _status(stay.person_id)[1]
        services.test_result_record(actor=cast.officer_a, test=last, result="negative")  # the first stays unsampled
        assert _status(stay.person_id)[1] == ["centralized_quarantine"]
    first.refresh_from_db()
    assert first.result == "pending"


@pytest.mark.django_db
def test_issue19_missed_test_ends_with_the_stay_at_once_when_the_person_goes_to_hospital(city, cast):
    stay = services.stay_check_in(actor=cast.officer_a, stay=_placed(city, cast))
    with time_machine.travel(_city(clock.today() + dt.timedelta(days=1), 9), tick=False):
        services.monitoring_sweep()
        assert "missed_test" in _status(stay.person_id)[1]
        services.stay_to_hospital(actor=cast.officer_a, stay=stay)
        assert "missed_test" not in _status(stay.person_id)[1]  # not left to the next sweep
        services.monitoring_sweep()
        assert "missed_test" not in _status(stay.person_id)[1]


@pytest.mark.django_db
def test_issue19_missed_test_ends_at_once_when_the_stay_is_released(city, cast):
    stay = services.stay_check_in(actor=cast.officer_a, stay=_placed(city, cast, days=3))
    first, *_rest = stay.tests.order_by("due")
    after = stay.planned_end + dt.timedelta(days=1)
    with time_machine.travel(_city(after, 9), tick=False):
        for test in stay.tests.exclude(pk=first.pk):
            services.test_result_record(actor=cast.officer_a, test=test, result="negative")
        services.monitoring_sweep()
        test_first = stay.tests.get(pk=first.pk)
        assert test_first.result == "pending"
        out = services.stays_release_many(actor=cast.officer_a, stays=[Stay.objects.get(pk=stay.pk)], today=after)
        assert [s.pk for s in out["released"]] == [stay.pk]
        assert not StatusReason.objects.filter(person_id=stay.person_id, reason="missed_test", active=True).exists()


@pytest.mark.django_db
def test_issue19_missed_test_is_one_query_for_the_people_however_many_stays(city, cast, django_assert_max_num_queries):
    stays = [_placed(city, cast) for _i in range(3)]
    with time_machine.travel(_city(clock.today() + dt.timedelta(days=1), 0, 30), tick=False):
        services.monitoring_sweep()  # reasons set
        assert all(_status(s.person_id)[0] == "yellow" for s in stays)
        with django_assert_max_num_queries(4):  # the people, the reasons held, nothing to change
            missed_tests_sync(actor=services.SYSTEM)
