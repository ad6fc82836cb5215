"""Key workers and drivers: the register's checks (ID number, plate, route), the testing cadence in the city's day,
passes (valid, expired, suspended by themselves when the test is overdue or positive), the import's row errors."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import translation

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.ids import make_id_number
from cordon.core.testing import SYSTEM, tampered
from cordon.keyworkers import passcode, rules, selectors, services
from cordon.keyworkers.factories import KeyPersonFactory
from cordon.keyworkers.models import KeyPass, KeyPerson, TestRecord
from cordon.people.factories import PersonFactory
from cordon.screening.factories import make_round, make_site, sampled_tube
from cordon.screening.models import Sample

pytestmark = pytest.mark.django_db


def _driver(city, **changes) -> dict:
    return {"category": "driver", "name": "王师傅", "id_number": make_id_number("320505", dt.date(1985, 3, 7), 11, "M"),
            "phone": "13800000000", "employer": "保供物流", "region": city.a_community, "plate": "苏E12345", "origin": "320500",
            "destination": city.a_community.path, "cargo": "essential", "closed_loop": True, **changes}


def _fields(exc) -> dict:
    return {f["field"]: f["message"] for f in exc.value.fields}


@pytest.mark.parametrize("plate, ok", [("沪A12345", True), ("沪AD12345", True), ("粤B12345F", True), ("苏E1234挂", True),
                                       ("沪AI2345", False), ("AB12345", False), ("沪A1234", False), ("沪A123456", False)])
def test_the_plate_format(plate, ok):
    assert rules.plate_ok(rules.normalise_plate(plate)) is ok


def test_a_driver_is_registered_with_the_route_and_linked_to_the_resident(city, cast):
    resident = PersonFactory(grid=city.a_grid)
    kp = services.keyperson_register(actor=cast.officer_a, **_driver(city, id_number=resident.id_number, plate="苏e 12345"))
    assert kp.plate == "苏E12345" and kp.person_id == resident.pk
    assert (kp.origin_division, kp.origin_name) == ("320500", "苏州市") and kp.destination_path == city.a_community.path
    assert kp.next_test_due_at <= clock.now()  # never tested: due from registration


def test_a_bad_entry_names_each_field_in_chinese_and_saves_nothing(city, cast):
    with translation.override("zh-hans"), pytest.raises(ServiceError) as exc:
        services.keyperson_register(actor=cast.officer_a, **_driver(city, id_number="110101199003070039", plate="沪12345",
                                                                     origin="nowhere", cargo=""))
    fields = _fields(exc)
    assert set(fields) >= {"id_number", "plate", "origin", "cargo"}
    assert fields["id_number"].startswith("身份证号") and fields["plate"].startswith("车牌号")
    assert KeyPerson.objects.count() == 0


def test_a_key_worker_needs_role_and_shift_and_works_in_the_area(city, cast):
    with pytest.raises(ServiceError) as exc:
        services.keyperson_register(actor=cast.officer_a, **_driver(city, category="worker", plate="", cargo=""))
    assert set(_fields(exc)) == {"role", "shift"}
    kp = services.keyperson_register(actor=cast.officer_a, **_driver(city, category="worker", role="水厂运行", shift="night",
                                                                       destination="", origin=""))
    assert kp.plate == "" and kp.destination_path == city.a_community.path


def test_another_districts_officer_may_not_register_here(city, cast):
    with pytest.raises(ServiceError) as exc:
        services.keyperson_register(actor=cast.officer_b, **_driver(city))
    assert "region" in _fields(exc)


def test_cadence_due_today_and_overdue_at_half_past_midnight(city, cast):
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=clock.zone()), tick=False):
        _cadence(city, cast)


def _cadence(city, cast):
    now = clock.now()
    assert clock.local(now).strftime("%H:%M") == "00:30" and clock.today() == dt.date(2027, 1, 1)
    on_time = KeyPersonFactory(region=city.a_community, last_negative_at=now - dt.timedelta(hours=10),
                               next_test_due_at=now + dt.timedelta(hours=38))
    today = KeyPersonFactory(region=city.a_community, last_negative_at=now - dt.timedelta(hours=30),
                             next_test_due_at=now + dt.timedelta(hours=18))  # 18:30 today
    late = KeyPersonFactory(region=city.a_community, last_negative_at=now - dt.timedelta(hours=49),
                            next_test_due_at=now - dt.timedelta(hours=1))  # 23:30 yesterday
    worker = KeyPersonFactory(region=city.a_community, category="worker", plate="", last_negative_at=now - dt.timedelta(hours=60),
                              next_test_due_at=now - dt.timedelta(hours=60))
    services.test_record(actor=cast.officer_a, keyperson=worker, sampled_at=now - dt.timedelta(hours=60), outcome="negative")
    worker.refresh_from_db()
    assert worker.next_test_due_at == now + dt.timedelta(hours=12)  # every 72 h for key workers: due at 12:30 today
    assert {k.pk for k in selectors.due_list(actor=cast.officer_a, state="overdue")} == {late.pk}
    assert {k.pk for k in selectors.due_list(actor=cast.officer_a, state="due_today")} == {today.pk, worker.pk}
    assert on_time.pk not in {k.pk for k in selectors.due_list(actor=cast.officer_a)}
    assert selectors.due_list(actor=cast.officer_b).count() == 0


def test_a_pass_needs_a_recent_negative_and_is_signed(city, cast):
    kp = KeyPersonFactory(region=city.a_community, last_negative_at=None)
    with pytest.raises(ServiceError):
        services.pass_issue(actor=cast.officer_a, keyperson=kp)
    services.test_record(actor=cast.officer_a, keyperson=kp, sampled_at=clock.now() - dt.timedelta(hours=3), outcome="negative")
    p = services.pass_issue(actor=cast.officer_a, keyperson=kp)
    code = services.pass_code(p)
    bad, claims = passcode.decode(code)
    assert bad == "" and claims["n"] == p.number and claims["l"] == kp.plate and claims["x"] == 1
    assert passcode.decode(tampered(code))[0] == "forged"
    check = services.pass_check(code=code, destination=city.a_community.path)
    assert (check["result"], check["reason"]) == ("pass", "kw_ok")
    assert "闭环运输：不得下车，点对点" in check["conditions"]
    second = services.pass_issue(actor=cast.officer_a, keyperson=kp)
    p.refresh_from_db()
    assert p.status == "revoked" and second.status == "active"
    assert services.pass_check(code=code)["reason"] == "kw_invalid"


def test_pass_verdicts_expired_route_plate_and_test_too_old(city, cast):
    kp = KeyPersonFactory(region=city.a_community)
    p = KeyPass.objects.create(number="KWTEST1", keyperson=kp, region_path=kp.region_path, valid_from=clock.now() - dt.timedelta(days=2),
                               valid_until=clock.now() + dt.timedelta(days=3), issued_at=clock.now())
    assert services.pass_check(code="kwtest1", destination="苏州市")["reason"] == "kw_ok"  # typed number, a city by division name
    assert services.pass_check(code="KWTEST1", destination=city.b_community.path)["reason"] == "kw_route"
    assert services.pass_check(code="KWTEST1", destination="310000")["reason"] == "kw_route"
    assert services.pass_check(code="KWTEST1", destination="320506")["reason"] == "kw_ok"  # inside 苏州 (3205)
    assert services.pass_check(code="KWTEST1", plate="沪A99999")["reason"] == "kw_plate"
    assert services.pass_check(code="KWTEST1", at=clock.now() + dt.timedelta(days=4))["reason"] == "kw_expired"
    assert services.pass_check(code="KWTEST1", at=clock.now() + dt.timedelta(hours=43))["reason"] == "kw_test"
    assert services.pass_check(code="nothing")["reason"] == "kw_invalid"
    assert p.status == "active"


def test_a_pass_is_suspended_by_itself_when_overdue_or_positive_and_reinstated_by_a_negative(city, cast):
    kp = KeyPersonFactory(region=city.a_community)
    p = services.pass_issue(actor=cast.officer_a, keyperson=kp)
    kp.next_test_due_at = clock.now() - dt.timedelta(minutes=1)
    kp.save()
    assert services.passes_refresh(actor=SYSTEM)["suspended"] == 1
    p.refresh_from_db()
    assert (p.status, p.suspended_reason) == ("suspended", "overdue")
    assert services.pass_check(code=p.number)["reason"] in ("kw_suspended",)
    services.test_record(actor=cast.officer_a, keyperson=kp, sampled_at=clock.now() - dt.timedelta(hours=1), outcome="negative")
    p.refresh_from_db()
    assert p.status == "active"
    services.test_record(actor=cast.officer_a, keyperson=kp, sampled_at=clock.now() - dt.timedelta(minutes=30), outcome="positive")
    p.refresh_from_db()
    assert (p.status, p.suspended_reason) == ("suspended", "positive")
    assert services.pass_check(code=p.number)["reason"] == "kw_positive"
    with pytest.raises(ServiceError):
        services.pass_set_status(actor=cast.officer_a, key_pass=p, action="reinstate")
    assert selectors.due_list(actor=cast.officer_a, state="positive").get() == kp


def test_results_of_a_resident_come_from_mass_testing(city, cast):
    rnd = make_round(region=city.a)
    site = make_site(rnd=rnd, community=city.a_community, grids=[city.a_grid])
    _code, (resident,) = sampled_tube(actor=SYSTEM, rnd=rnd, site=site, grid=city.a_grid, n=1)
    sample = Sample.objects.get(person=resident)
    sample.result, sample.sampled_at = "negative", clock.now() - dt.timedelta(hours=5)
    sample.save()
    kp = KeyPersonFactory(region=city.a_community, person=resident, id_number=resident.id_number, last_negative_at=None,
                          next_test_due_at=clock.now() - dt.timedelta(hours=1))
    out = services.tests_from_screening(actor=SYSTEM)
    assert out["added"] == 1
    kp.refresh_from_db()
    assert kp.last_negative_at == sample.sampled_at
    assert TestRecord.objects.get(keyperson=kp).source == "screening"
    assert services.tests_from_screening(actor=SYSTEM)["added"] == 0


def _upload(text: str, name="drivers.csv"):
    f = io.BytesIO(text.encode("utf-8"))
    f.name = name
    return f


def test_the_import_names_each_bad_row_and_column_in_chinese(city, cast, api_client):
    good = make_id_number("320505", dt.date(1985, 3, 7), 21, "M")
    text = ("类别,姓名,身份证号,手机号,工作单位,所属区域,车牌号,始发地,目的地,货物类别,是否闭环,岗位,班次\n"
            f"司机,李师傅,{good},13900000000,保供物流,{city.a_community.path},沪B12345,320500,{city.a_community.path},医疗物资,是,,\n"
            f"司机,赵师傅,110101199003070039,13900000001,保供物流,{city.a_community.path},沪B1234,320500,{city.a_community.path},医疗物资,是,,\n"
            f"关键岗位,钱工,{good},13900000002,自来水厂,{city.a_community.path},,,,,,,白班\n")
    client = api_client(cast.officer_a)
    answer = client.post("/keyworkers/import/", {"file": _upload(text)}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and KeyPerson.objects.count() == 0
    problems = answer.context["problems"]
    assert {(p["row"], p["field"]) for p in problems} >= {(3, "id_number"), (3, "plate"), (4, "role"), (4, "id_number")}
    assert any(p["message"].startswith("车牌号") for p in problems)
    fixed = text.splitlines()[:2]
    answer = client.post("/keyworkers/import/", {"file": _upload("\n".join(fixed) + "\n")})
    assert answer.status_code == 302 and KeyPerson.objects.get().plate == "沪B12345"
    api = client.post("/api/v1/keyworkers/import", {"file": _upload(text)})
    assert api.status_code == 400 and api.json()["error"]["fields"][0]["row"] == 2
