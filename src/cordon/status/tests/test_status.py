import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.status import rules, services
from cordon.status.models import StatusChange


def test_the_highest_priority_colour_wins():
    r = {"priority": ["red", "yellow", "green"], "reasons": {"close_contact": "red", "home_isolation": "yellow"}}
    assert rules.colour_for(["home_isolation", "close_contact"], status_rules=r) == "red"
    assert rules.colour_for(["home_isolation"], status_rules=r) == "yellow"
    assert rules.colour_for(["unknown"], status_rules=r) == "green"


def test_auto_green_needs_two_negatives_a_day_apart_within_three_days():
    t0 = dt.datetime(2022, 7, 1, 8)
    ag = {"negatives": 2, "min_gap_hours": 24, "within_days": 3}
    assert not rules.auto_green_due([t0 + dt.timedelta(hours=1), t0 + dt.timedelta(hours=10)], since=t0, auto_green=ag)
    assert rules.auto_green_due([t0 + dt.timedelta(hours=1), t0 + dt.timedelta(hours=30)], since=t0, auto_green=ag)
    assert not rules.auto_green_due([t0 + dt.timedelta(hours=1), t0 + dt.timedelta(days=4)], since=t0, auto_green=ag)


@pytest.mark.django_db
def test_reasons_drive_the_colour_with_history(city):
    p = PersonFactory(grid=city.a_grid)
    assert services.reason_set(actor=SYSTEM, person_id=p.pk, reason="close_contact", source="contacts.riskperson:1").colour == "red"
    assert services.reason_set(actor=SYSTEM, person_id=p.pk, reason="home_monitoring", source="contacts.riskperson:1").colour == "red"
    assert services.reason_clear(actor=SYSTEM, person_id=p.pk, reason="close_contact", source="contacts.riskperson:1").colour == "yellow"
    assert services.reason_clear(actor=SYSTEM, person_id=p.pk, source="contacts.riskperson:1").colour == "green"
    assert list(StatusChange.objects.filter(person=p).order_by("at", "id").values_list("colour_to", flat=True)) == ["red", "red", "yellow", "green"]


@pytest.mark.django_db
def test_expired_reasons_stop_counting(city):
    p = PersonFactory(grid=city.a_grid)
    services.reason_set(actor=SYSTEM, person_id=p.pk, reason="home_isolation", source="x:1", until=clock.now() - dt.timedelta(minutes=1))
    assert services.recompute(actor=SYSTEM, person_id=p.pk).colour == "green"


@pytest.mark.django_db
def test_bulk_negatives_keep_the_latest_time_and_create_missing_rows(city):
    from cordon.status.models import HealthStatus

    a, b = PersonFactory(grid=city.a_grid), PersonFactory(grid=city.a_grid)
    t0 = clock.now() - dt.timedelta(hours=5)
    services.reason_set(actor=SYSTEM, person_id=a.pk, reason="home_isolation", source="x:1")
    services.status_bulk_negatives(items=[(a.pk, t0), (a.pk, t0 + dt.timedelta(hours=1)), (b.pk, t0)])
    assert HealthStatus.objects.get(person=a).last_negative_at == t0 + dt.timedelta(hours=1)
    assert HealthStatus.objects.get(person=b).last_negative_at == t0
    services.status_bulk_negatives(items=[(a.pk, t0)])  # an older sample never moves the time back
    assert HealthStatus.objects.get(person=a).last_negative_at == t0 + dt.timedelta(hours=1)
