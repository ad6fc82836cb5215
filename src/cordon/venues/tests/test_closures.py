import datetime as dt

import pytest
from django.utils import translation

from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.venues import selectors, services
from cordon.venues.factories import VenueFactory
from cordon.venues.models import ClosureNotice, ClosureStatus, Venue

pytestmark = pytest.mark.django_db


def _venues(city):
    return {
        "ktv_a": VenueFactory(region=city.a_community, kind="ktv"),
        "gym_a": VenueFactory(region=city.a_community, kind="gym"),
        "shop_a": VenueFactory(region=city.a_community, kind="supermarket"),
        "ktv_b": VenueFactory(region=city.b_community, kind="ktv"),
    }


def _order(city, actor, **kw):
    args = {"title": "暂停娱乐场所", "kinds": ["ktv", "gym", "cinema"], "area": city.a, "starts_at": clock.now() - dt.timedelta(minutes=1),
            "ends_at": clock.now() + dt.timedelta(days=7), "reason": "疫情防控"}
    args.update(kw)
    return services.closure_issue(actor=actor, **args)


def test_a_district_officer_closes_every_ktv_and_gym_in_the_district_with_notices(city, cast):
    v = _venues(city)
    order = _order(city, cast.officer_a)
    assert order.status == ClosureStatus.IN_FORCE
    covered = set(order.notices.values_list("venue_id", flat=True))
    assert covered == {v["ktv_a"].pk, v["gym_a"].pk}
    assert not Venue.objects.get(pk=v["ktv_a"].pk).is_open
    assert Venue.objects.get(pk=v["shop_a"].pk).is_open and Venue.objects.get(pk=v["ktv_b"].pk).is_open
    assert order.number in order.notices.first().text
    assert AuditEntry.objects.filter(action="closure.issue").exists()


def test_an_order_outside_the_officers_area_is_refused_clearly(city, cast):
    with translation.override("en"), pytest.raises(ServiceError) as err:
        _order(city, cast.officer_b)
    assert err.value.fields == [{"field": "area", "message": "outside your area"}]


def test_bad_input_names_every_field(city, cast):
    with pytest.raises(ServiceError) as err:
        services.closure_issue(actor=cast.officer_a, title="", kinds=["disco"], area=city.a, starts_at=clock.now(),
                               ends_at=clock.now() - dt.timedelta(hours=1))
    assert {f["field"] for f in err.value.fields} == {"title", "kinds", "ends_at"}


def test_a_venue_found_open_files_a_supervision_task_closed_on_a_clean_reinspection(city, cast):
    v = _venues(city)
    order = _order(city, cast.officer_a)
    notice = ClosureNotice.objects.get(order=order, venue=v["ktv_a"])
    insp = services.compliance_inspect(actor=cast.officer_a, notice=notice, found_open=True, note="营业中")
    task = Task.objects.get(pk=insp.task_id)
    assert task.kind == "venues.found_open" and task.region_path == v["ktv_a"].region_path
    again = services.compliance_inspect(actor=cast.officer_a, notice=notice, found_open=True)
    assert again.task_id == task.pk
    services.compliance_inspect(actor=cast.officer_a, notice=notice, found_open=False)
    task.refresh_from_db()
    assert task.status in ("done", "closed", "resolved") or task.status != "open"
    assert selectors.closure_summary(actor=cast.officer_a, order=order) == {"venues": 2, "reopened": 0, "inspected": 1, "found_open": 0}


def test_lifting_reopens_venues_unless_another_order_still_holds_them(city, cast):
    v = _venues(city)
    first = _order(city, cast.officer_a)
    second = _order(city, cast.officer_a, kinds=["ktv"], area=city.a_community)
    services.closure_lift(actor=cast.officer_a, order=first, note="风险解除")
    assert Venue.objects.get(pk=v["gym_a"].pk).is_open
    assert not Venue.objects.get(pk=v["ktv_a"].pk).is_open
    services.closure_lift(actor=cast.officer_a, order=second)
    assert Venue.objects.get(pk=v["ktv_a"].pk).is_open
    with pytest.raises(ServiceError):
        services.closure_lift(actor=cast.officer_a, order=second)


def test_scheduled_orders_start_and_end_by_themselves(city, cast):
    v = _venues(city)
    now = clock.now()
    order = _order(city, cast.officer_a, starts_at=now + dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=5))
    assert order.status == ClosureStatus.SCHEDULED and Venue.objects.get(pk=v["ktv_a"].pk).is_open
    assert services.closures_sync(now=now + dt.timedelta(hours=2)) == {"started": 1, "ended": 0}
    assert not Venue.objects.get(pk=v["ktv_a"].pk).is_open
    assert services.closures_sync(now=now + dt.timedelta(hours=6)) == {"started": 0, "ended": 1}
    assert Venue.objects.get(pk=v["ktv_a"].pk).is_open


def test_one_venue_may_reopen_early_with_a_reason(city, cast):
    v = _venues(city)
    order = _order(city, cast.officer_a)
    notice = ClosureNotice.objects.get(order=order, venue=v["gym_a"])
    with pytest.raises(ServiceError):
        services.closure_reopen_venue(actor=cast.officer_a, notice=notice, note="")
    services.closure_reopen_venue(actor=cast.officer_a, notice=notice, note="改为方舱物资仓库")
    assert Venue.objects.get(pk=v["gym_a"].pk).is_open


def test_closures_work_through_the_api_and_the_pages(city, cast, api_client, client):
    v = _venues(city)
    c = api_client(cast.officer_a)
    res = c.post("/api/v1/venues/closures", {"title": "KTV 停业", "kinds": ["ktv"], "area_path": city.a.path,
                                             "starts_at": clock.now().isoformat()}, content_type="application/json")
    assert res.status_code == 201, res.content
    pk = res.json()["id"]
    notices = c.get(f"/api/v1/venues/closures/{pk}/notices").json()["items"]
    assert [n["venue_id"] for n in notices] == [v["ktv_a"].pk]
    found = c.post(f"/api/v1/venues/closures/notices/{notices[0]['id']}/inspect", {"found_open": True}, content_type="application/json")
    assert found.status_code == 201 and found.json()["task_id"]
    assert c.get("/api/v1/venues/closures?kind=ktv").json()["count"] == 1
    assert c.get("/api/v1/venues/closures?kind=gym").json()["count"] == 0
    client.force_login(cast.officer_a)
    assert client.get("/venues/").status_code == 200
    page = client.get(f"/venues/closures/{pk}/")
    assert page.status_code == 200 and v["ktv_a"].name in page.content.decode()
    assert client.get("/venues/closures/new/").status_code == 200
    assert client.get("/venues/closures/?export=1")["Content-Type"].startswith("application/vnd.openxml")


def test_a_scheduled_order_closes_its_venues_the_moment_it_starts_without_waiting_for_the_job(city, cast, api_client):
    import time_machine

    v = _venues(city)
    now = clock.now()
    _order(city, cast.officer_a, starts_at=now + dt.timedelta(minutes=1), ends_at=now + dt.timedelta(hours=5))

    def open_now(at):
        with time_machine.travel(at, tick=False):
            listed = {x.pk: x.open_now for x in selectors.venue_list(actor=cast.officer_a)}
            api = api_client(cast.officer_a).get(f"/api/v1/venues/{v['ktv_a'].pk}").json()["is_open"]
        return listed[v["ktv_a"].pk], api, listed[v["shop_a"].pk]

    assert open_now(now) == (True, True, True)
    assert open_now(now + dt.timedelta(minutes=2)) == (False, False, True)  # no closures_sync ran in between
    assert open_now(now + dt.timedelta(hours=6)) == (True, True, True)
