"""The zone lifecycle as data: every status move is checked by the services, the page offers only the allowed ones."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.zones import rules, services
from cordon.zones.enums import ENFORCED, ZONE_HAND_LIFECYCLE, ZONE_LIFECYCLE, ZoneStatus
from cordon.zones.models import Zone


def _zone(officer, homes, status=None):
    zone = services.zone_designate(actor=officer, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    if status:
        services.zone_confirm(actor=officer, zone=zone)
        Zone.objects.filter(pk=zone.pk).update(status=status, in_force_at=clock.now() - dt.timedelta(days=3))
        zone.refresh_from_db()
    return zone


def _refused(call):
    with pytest.raises(ServiceError) as e:
        call()
    assert e.value.status == 409 and e.value.code == "transition" and e.value.fields[0]["field"] == "status", e.value.as_dict()
    return e.value


def test_a_zone_is_confirmed_cancelled_or_lifted_only_from_a_status_that_allows_it(p8, homes, cast):
    countdown = _zone(cast.officer_a, homes, status=ZoneStatus.COUNTDOWN)
    _refused(lambda: services.zone_confirm(actor=cast.officer_a, zone=countdown))
    _refused(lambda: services.zone_cancel(actor=cast.officer_a, zone=countdown))
    Zone.objects.filter(pk=countdown.pk).update(status=ZoneStatus.LIFTED)
    countdown.refresh_from_db()
    _refused(lambda: services.zone_lift(actor=cast.officer_a, zone=countdown))
    _refused(lambda: services.zone_confirm(actor=cast.officer_a, zone=countdown))
    countdown.refresh_from_db()
    assert countdown.status == ZoneStatus.LIFTED


def test_a_designated_zone_cannot_be_lifted_before_it_is_confirmed(p8, homes, cast):
    zone = _zone(cast.officer_a, homes)
    _refused(lambda: services.zone_lift(actor=cast.officer_a, zone=zone))
    zone.refresh_from_db()
    assert zone.status == ZoneStatus.DESIGNATED


def test_the_api_lists_the_next_statuses_and_refuses_a_second_confirmation_naming_the_status(p8, homes, cast, api_client):
    zone = _zone(cast.officer_a, homes, status=ZoneStatus.IN_FORCE)
    got = api_client(cast.officer_a).get(f"/api/v1/zones/{zone.pk}")
    assert got.status_code == 200 and got.json()["zone"]["next_statuses"] == ["countdown", "eligible", "lifted"], got.content
    r = api_client(cast.officer_a).post(f"/api/v1/zones/{zone.pk}/confirm", {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    assert r.json()["error"]["fields"][0]["field"] == "status"


def _actions(client, zone) -> set[str]:
    page = client.get(f"/zones/{zone.pk}/").content.decode()
    return {verb for verb in ("confirm", "cancel", "lift", "evaluate") if f"/zones/{zone.pk}/act/{verb}/" in page}


def test_the_zone_page_offers_only_the_steps_its_status_allows(p8, homes, cast, client):
    client.force_login(cast.officer_a)
    zone = _zone(cast.officer_a, homes)
    assert _actions(client, zone) == {"confirm", "cancel"}
    Zone.objects.filter(pk=zone.pk).update(status=ZoneStatus.COUNTDOWN, in_force_at=clock.now() - dt.timedelta(days=3))
    assert _actions(client, zone) == {"lift", "evaluate"}
    Zone.objects.filter(pk=zone.pk).update(status=ZoneStatus.LIFTED)
    assert _actions(client, zone) == set()


def test_the_zone_page_refuses_a_forbidden_step_posted_by_hand(p8, homes, cast, client):
    client.force_login(cast.officer_a)
    zone = _zone(cast.officer_a, homes, status=ZoneStatus.ELIGIBLE)
    r = client.post(f"/zones/{zone.pk}/act/cancel/", {"note": ""}, follow=True)
    zone.refresh_from_db()
    assert zone.status == ZoneStatus.ELIGIBLE
    shown = [str(m) for m in r.context["messages"]]
    # The refusal names the statuses by their labels, in the user's language (not the codes).
    eligible, lifted = str(ZoneStatus.ELIGIBLE.label), str(ZoneStatus.LIFTED.label)
    assert any(eligible in m and lifted in m and "eligible" not in m for m in shown), shown


def test_the_steps_by_hand_and_the_daily_evaluation_stay_inside_the_lifecycle():
    for status, steps in ZONE_HAND_LIFECYCLE.transitions.items():
        assert set(steps) <= set(ZONE_LIFECYCLE.allowed(status)), status
    day = dt.date(2022, 4, 1)
    for status in ENFORCED:
        for today in (day, day + dt.timedelta(days=1)):
            for unmet in ([], [{"criterion": "x"}]):
                new = rules.next_status(status, in_force_day=day, today=today, unmet=unmet)
                assert new == status or new in ZONE_LIFECYCLE.allowed(status), (status, new)
