import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.notify import LogNotifier
from cordon.gatherings import rules, services
from cordon.gatherings.factories import GatheringFactory
from cordon.gatherings.models import Gathering, GatheringNotice

RULES = {"max_attendance_by_level": {"high": 0, "medium": 0, "low": 50, "none": 500}, "notice_days": 3}
NOW = dt.datetime(2022, 5, 1, 9, tzinfo=dt.UTC)


def test_the_limit_follows_the_risk_level():
    assert rules.limit_for("high", gathering_rules=RULES) == 0
    assert rules.limit_for("low", gathering_rules=RULES) == 50
    assert rules.limit_for(None, gathering_rules=RULES) == 500
    assert rules.limit_for("controlled", gathering_rules=RULES) == 500


def test_decisions_name_their_reason():
    later = NOW + dt.timedelta(days=5)
    assert rules.decide(expected=40, level="low", starts_at=later, registered_at=NOW, gathering_rules=RULES) == (True, 50, "within_limit")
    assert rules.decide(expected=60, level="low", starts_at=later, registered_at=NOW, gathering_rules=RULES) == (False, 50, "over_limit")
    assert rules.decide(expected=5, level="high", starts_at=later, registered_at=NOW, gathering_rules=RULES) == (False, 0, "suspended_level")
    soon = NOW + dt.timedelta(days=1)
    assert rules.decide(expected=5, level=None, starts_at=soon, registered_at=NOW, gathering_rules=RULES) == (False, 500, "short_notice")


def _register(city, actor, **kw):
    start = clock.now() + dt.timedelta(days=5)
    args = {"title": "广场舞比赛", "organizer": "文体协会", "organizer_phone": "13900000001", "region": city.a_community,
            "expected_attendance": 80, "starts_at": start, "ends_at": start + dt.timedelta(hours=3)}
    args.update(kw)
    return services.gathering_register(actor=actor, **args)


@pytest.mark.django_db
def test_a_small_event_outside_risk_areas_is_approved_and_the_organizer_told(city, cast, django_capture_on_commit_callbacks):
    LogNotifier.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        g = _register(city, cast.officer_a)
    assert g.status == "approved" and g.max_allowed >= 80
    assert GatheringNotice.objects.filter(gathering=g, kind="approved").exists()
    assert any(m["phone"] == "13900000001" for m in LogNotifier.sent)


def _sealed_zone(city, grid, *, lon=121.30, lat=31.20):
    """A sealed zone in force over one building of `grid` (protocol 8), centred at (lon, lat)."""
    from cordon.core.testing import SYSTEM
    from cordon.zones import services as zone_services
    from cordon.zones.tests.conftest import adopt, estate

    adopt("protocol-8")
    homes = estate(grid, compound=f"封控小区{grid.pk}", buildings=1, units=1, per_unit=1, lon=lon, lat=lat)
    zone = zone_services.zone_designate(actor=SYSTEM, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    return zone_services.zone_confirm(actor=SYSTEM, zone=zone)


@pytest.mark.django_db
def test_an_event_in_a_sealed_zone_is_not_approved_and_the_reason_names_the_zone(city, cast):
    zone = _sealed_zone(city, city.a_grid)
    g = _register(city, cast.officer_a, expected_attendance=10, region=city.a_grid)
    assert (g.status, g.max_allowed, g.risk_level) == ("rejected", 0, "sealed")
    assert zone.name in g.decision_reason


@pytest.mark.django_db
def test_an_event_next_to_a_sealed_zone_is_refused_and_one_far_away_is_approved(city, cast):
    from cordon.regions.models import Region

    zone = _sealed_zone(city, city.a_grid, lon=121.30, lat=31.20)
    # another district's square 500 m from the sealed building (the zone does not contain it)
    Region.objects.filter(pk=city.b_community.pk).update(lon=121.305, lat=31.20)
    near = _register(city, cast.commander, expected_attendance=10, region=Region.objects.get(pk=city.b_community.pk))
    assert near.status == "rejected" and zone.name in near.decision_reason and "km" in near.decision_reason
    Region.objects.filter(pk=city.b_community.pk).update(lon=121.40, lat=31.20)  # about 9.5 km away
    far = _register(city, cast.commander, expected_attendance=10, region=Region.objects.get(pk=city.b_community.pk))
    assert far.status == "approved"


@pytest.mark.django_db
def test_approved_events_are_suspended_with_notice_when_their_area_gets_a_sealed_zone(city, cast):
    g = _register(city, cast.officer_a, expected_attendance=10)
    other = GatheringFactory(region=city.b_community)
    _sealed_zone(city, city.a_grid)  # in g's community
    result = services.gatherings_recheck(actor=cast.commander)
    g.refresh_from_db()
    other.refresh_from_db()
    assert result == {"checked": 2, "suspended": 1}
    assert g.status == "suspended" and other.status == "approved"
    assert GatheringNotice.objects.filter(gathering=g, kind="suspended").exists()


@pytest.mark.django_db
def test_an_officer_suspends_an_event_with_a_reason(city, cast):
    g = _register(city, cast.officer_a)
    with pytest.raises(ServiceError):
        services.gathering_suspend(actor=cast.officer_a, gathering=g, reason=" ")
    services.gathering_suspend(actor=cast.officer_a, gathering=g, reason="出现阳性病例")
    assert Gathering.objects.get(pk=g.pk).status == "suspended"
    with pytest.raises(ServiceError):
        services.gathering_suspend(actor=cast.officer_a, gathering=g, reason="again")


@pytest.mark.django_db
def test_bad_registrations_name_the_fields_and_other_districts_are_refused(city, cast):
    with pytest.raises(ServiceError) as err:
        _register(city, cast.officer_a, title="", expected_attendance="many", ends_at=clock.now() - dt.timedelta(days=1),
                  starts_at=clock.now())
    assert {f["field"]: f["message"] for f in err.value.fields} == {
        "title": "必填", "expected_attendance": "须为整数人数，至少 1 人", "ends_at": "须晚于开始时间"}
    with pytest.raises(ServiceError) as err:
        _register(city, cast.officer_b)
    assert err.value.fields[0]["field"] == "region"


@pytest.mark.django_db
def test_gatherings_through_the_api_and_pages(city, cast, api_client, client):
    c = api_client(cast.officer_a)
    start = clock.now() + dt.timedelta(days=4)
    res = c.post("/api/v1/gatherings/", {"title": "义诊", "organizer": "医院", "organizer_phone": "13900000002",
                                         "expected_attendance": 30, "starts_at": start.isoformat(),
                                         "ends_at": (start + dt.timedelta(hours=2)).isoformat(), "region_path": city.a_community.path},
                 content_type="application/json")
    assert res.status_code == 201 and res.json()["status"] == "approved"
    pk = res.json()["id"]
    sus = c.post(f"/api/v1/gatherings/{pk}/suspend", {"reason": "风险上升"}, content_type="application/json")
    assert sus.json()["status"] == "suspended"
    client.force_login(cast.officer_a)
    assert "义诊" in client.get("/gatherings/").content.decode()
    assert client.get(f"/gatherings/{pk}/").status_code == 200
    assert client.get("/gatherings/?export=1")["Content-Type"].startswith("application/vnd.openxml")
