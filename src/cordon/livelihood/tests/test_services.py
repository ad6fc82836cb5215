import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cordon.checkpoints.models import Pass as VehiclePass
from cordon.command.models import Task, TaskStatus
from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError
from cordon.core.ids import make_id_number
from cordon.core.testing import SYSTEM
from cordon.livelihood import factories, selectors, services
from cordon.livelihood.models import Emergency, Need, StaffPass
from cordon.people.factories import PersonFactory
from cordon.status import services as status_services

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def idn(n: int) -> str:
    return make_id_number("990101", dt.date(1990, 1, n), n, "M")


def photo(name="proof.png", content_type="image/png"):
    return SimpleUploadedFile(name, PNG, content_type=content_type)


def test_a_need_for_an_unknown_household_is_refused(city, cast):
    with pytest.raises(ServiceError) as exc:
        services.need_create(actor=cast.officer_a, household_id=999999, kind="food")
    assert exc.value.status == 404 and exc.value.fields[0]["field"] == "household_id"
    assert not Need.objects.exists()


def test_a_household_in_another_district_looks_unknown(city, cast):
    person = PersonFactory(grid=city.b_grid)
    with pytest.raises(ServiceError) as exc:
        services.need_create(actor=cast.officer_a, household_id=person.household_id, kind="food")
    assert exc.value.code == "unknown_household"


def test_a_need_gets_its_deadline_from_the_rule_set(city, cast):
    person = PersonFactory(grid=city.a_grid)
    need = services.need_create(actor=cast.officer_a, household_id=person.household_id, kind="medicine")
    assert dt.timedelta(hours=11, minutes=59) < need.deadline - need.created_at <= dt.timedelta(hours=12)
    assert need.region_path == city.a_grid.path


def test_a_need_goes_from_filed_to_delivered_with_a_photo(city, cast):
    need = factories.need(city.a_grid)
    team = factories.team(city.a_street)
    services.need_assign(actor=cast.officer_a, need=need, team_id=team.pk)
    with pytest.raises(ServiceError) as exc:
        services.need_deliver(actor=cast.officer_a, need=need, proof=None)
    assert exc.value.fields[0]["field"] == "proof"
    with pytest.raises(ServiceError):
        services.need_deliver(actor=cast.officer_a, need=need, proof=photo("x.txt", "text/plain"))
    services.need_deliver(actor=cast.officer_a, need=need, proof=photo(), note="门口交接")
    need.refresh_from_db()
    assert need.status == "delivered" and need.proof and need.delivered_at
    with pytest.raises(Conflict) as exc:
        services.need_deliver(actor=cast.officer_a, need=need, proof=photo())
    assert exc.value.message == "该需求已是 已送达"


def test_a_team_that_does_not_serve_the_area_cannot_take_the_need(city, cast):
    need = factories.need(city.a_grid)
    other = factories.team(city.a_grid2)
    with translation.override("en"), pytest.raises(ServiceError) as exc:
        services.need_assign(actor=cast.officer_a, need=need, team_id=other.pk)
    assert "does not serve" in exc.value.message


def test_a_viewer_cannot_file_needs(city, cast):
    person = PersonFactory(grid=city.a_grid)
    with pytest.raises(PermissionDenied):
        services.need_create(actor=cast.viewer_a, household_id=person.household_id, kind="food")


def test_bulk_needs_write_nothing_when_one_row_is_bad_and_name_the_row(city, cast):
    person = PersonFactory(grid=city.a_grid)
    items = [{"household_id": person.household_id, "kind": "food"}, {"household_id": person.household_id, "kind": "caviar"}]
    with pytest.raises(ServiceError) as exc:
        services.need_bulk(actor=cast.officer_a, items=items)
    assert exc.value.fields == [{"field": "kind", "message": exc.value.fields[0]["message"], "row": 2}]
    assert not Need.objects.exists()
    items[1]["kind"] = "baby_supplies"
    assert services.need_bulk(actor=cast.officer_a, items=items)["created"] == 2


def test_a_need_with_the_same_source_is_filed_once(city, cast):
    person = PersonFactory(grid=city.a_grid)
    a = services.need_create(actor=cast.officer_a, household_id=person.household_id, kind="food", source="sheet:1")
    b = services.need_create(actor=cast.officer_a, household_id=person.household_id, kind="food", source="sheet:1")
    assert a.pk == b.pk


def test_the_portal_identifies_a_resident_by_id_number_and_phone(city):
    person = PersonFactory(grid=city.a_grid)
    need = services.need_portal(id_number=person.id_number, phone=person.phone, kind="medicine", detail="降压药")
    assert need.channel == "portal" and need.household_id == person.household_id and need.person_id == person.pk
    with pytest.raises(ServiceError) as exc:
        services.need_portal(id_number=person.id_number, phone="13000000000", kind="food")
    assert exc.value.code == "unknown_household"


def test_an_emergency_is_accepted_for_a_person_under_measures(city, cast):
    person = PersonFactory(grid=city.a_grid)
    status_services.reason_set(actor=SYSTEM, person_id=person.pk, reason="confirmed", source="test:1")
    status_services.reason_set(actor=SYSTEM, person_id=person.pk, reason="centralized_quarantine", source="test:2")
    e = services.emergency_create(actor=cast.officer_a, kind="dialysis", person_id=person.pk)
    assert e.status == "open"
    assert (e.ack_deadline - e.created_at) == dt.timedelta(minutes=10)
    assert (e.dispatch_deadline - e.created_at) == dt.timedelta(minutes=30)
    task = Task.objects.get(source=f"livelihood.emergency:{e.pk}")
    assert task.region_path == city.a_grid.path and task.priority == 1


def test_an_unacknowledged_emergency_climbs_the_chain_step_by_step(city):
    e = factories.emergency(city.a_grid, minutes_ago=12)
    assert services.emergency_escalate_overdue() == 1
    e.refresh_from_db()
    assert e.escalation_level == 1
    task = Task.objects.get(source=f"livelihood.emergency:{e.pk}:L1")
    assert task.region_path == city.a_community.path and task.status == TaskStatus.OPEN
    assert services.emergency_escalate_overdue() == 0, "running again takes no new step"
    later = clock.now() + dt.timedelta(minutes=10)
    assert services.emergency_escalate_overdue(now=later) == 1
    assert Task.objects.get(source=f"livelihood.emergency:{e.pk}:L2").region_path == city.a_street.path


def test_acknowledging_closes_the_acknowledge_tasks_and_dispatch_closes_the_rest(city, cast):
    e = factories.emergency(city.a_grid, minutes_ago=25)
    services.emergency_escalate_overdue()
    e.refresh_from_db()
    assert e.escalation_level == 2
    services.emergency_acknowledge(actor=cast.officer_a, emergency=e)
    assert not Task.objects.filter(source__startswith=f"livelihood.emergency:{e.pk}", status=TaskStatus.OPEN).exists()
    # the dispatch deadline then passes: the chain continues from where it stood
    services.emergency_escalate_overdue(now=clock.now() + dt.timedelta(minutes=6))
    e.refresh_from_db()
    assert e.escalation_level == 3 and e.escalations.filter(missed="dispatch").count() == 1
    with pytest.raises(ServiceError):
        services.emergency_dispatch(actor=cast.officer_a, emergency=e, dispatch_kind="ambulance")
    services.emergency_dispatch(actor=cast.officer_a, emergency=e, dispatch_kind="ambulance", hospital="市第一人民医院", vehicle="沪A12345")
    assert not Task.objects.filter(source__startswith=f"livelihood.emergency:{e.pk}", status=TaskStatus.OPEN).exists()
    services.emergency_close(actor=cast.officer_a, emergency=e, outcome="入院透析")
    assert Emergency.objects.get(pk=e.pk).status == "closed"


def test_the_board_lists_open_emergencies_oldest_first_and_masks_contacts(city, cast):
    old = factories.emergency(city.a_grid, minutes_ago=40)
    new = factories.emergency(city.a_grid, kind="child_fever")
    factories.emergency(city.b_grid)
    board = selectors.emergency_board(actor=cast.officer_a)
    assert [c["id"] for c in board] == [old.pk, new.pk]
    assert board[0]["band"] == "red" and "*" in board[0]["phone"]


def test_a_closed_loop_needs_the_whitelist_a_roster_and_issues_passes(city, cast):
    ent = factories.enterprise(city.a_street, whitelisted=False)
    today = clock.today()
    with pytest.raises(ServiceError):
        services.plan_create(actor=cast.officer_a, enterprise=ent, start=today, end=today, dormitory="宿舍")
    services.enterprise_whitelist(actor=cast.officer_a, enterprise=ent, on=True)
    plan = services.plan_create(actor=cast.officer_a, enterprise=ent, start=today, end=today + dt.timedelta(days=30), dormitory="宿舍")
    with pytest.raises(ServiceError):
        services.plan_activate(actor=cast.officer_a, plan=plan)
    staff = [idn(1), idn(2)]
    bad = [{"name": "王五", "id_number": "123"}, {"name": "赵六", "id_number": staff[1], "role": "driver"}]
    with pytest.raises(ServiceError) as exc:
        services.plan_staff_add(actor=cast.officer_a, plan=plan, rows=bad)
    assert {(f["row"], f["field"]) for f in exc.value.fields} == {(1, "id_number"), (2, "vehicle")}
    rows = [{"name": "王五", "id_number": staff[0], "dorm_room": "101"},
            {"name": "赵六", "id_number": staff[1], "role": "driver", "vehicle": "沪B00001"}]
    assert services.plan_staff_add(actor=cast.officer_a, plan=plan, rows=rows)["added"] == 2
    assert services.plan_staff_add(actor=cast.officer_a, plan=plan, rows=rows)["added"] == 0
    services.plan_activate(actor=cast.officer_a, plan=plan)
    passes = StaffPass.objects.filter(staff__plan=plan)
    assert passes.count() == 2
    driver_pass = passes.get(staff__role="driver")
    assert services.pass_verify(code=driver_pass.code)["valid"] is True
    vehicle = VehiclePass.objects.get(source=f"livelihood.loopstaff:{driver_pass.staff_id}")
    assert vehicle.plate == "沪B00001" and not vehicle.revoked
    services.staff_test_record(actor=cast.officer_a, staff=driver_pass.staff, tested_on=today, negative=False)
    assert services.pass_verify(code=driver_pass.code)["reason"] == "revoked"
    vehicle.refresh_from_db()
    assert vehicle.revoked
    assert Task.objects.filter(kind="livelihood.loop_positive").exists()


def test_taking_an_enterprise_off_the_whitelist_ends_its_loop(city, cast):
    plan = factories.plan(city.a_street)
    services.plan_staff_add(actor=SYSTEM, plan=plan, rows=[{"name": "王五", "id_number": idn(3)}])
    services.plan_activate(actor=SYSTEM, plan=plan)
    services.enterprise_whitelist(actor=cast.officer_a, enterprise=plan.enterprise, on=False)
    plan.refresh_from_db()
    assert plan.status == "ended" and not StaffPass.objects.filter(staff__plan=plan, revoked=False).exists()


def test_a_viewer_cannot_whitelist(city, cast):
    ent = factories.enterprise(city.a_street, whitelisted=False)
    with pytest.raises(PermissionDenied):
        services.enterprise_whitelist(actor=cast.viewer_a, enterprise=ent, on=True)


def test_utility_tickets_get_a_deadline_and_need_a_resolution(city, cast):
    inc = services.incident_create(actor=cast.officer_a, kind="heating", region_id=city.a_community.pk, address="幸福小区 3号楼",
                                   households_affected=24)
    assert inc.deadline - inc.reported_at == dt.timedelta(hours=4)
    with pytest.raises(ServiceError):
        services.incident_update(actor=cast.officer_a, incident=inc, status="resolved")
    services.incident_update(actor=cast.officer_a, incident=inc, status="resolved", resolution="换热站抢修完成")
    assert selectors.incident_list(actor=cast.officer_a, filters={"status": "active"}).count() == 0


def test_supply_points_report_stock_per_category(city, cast):
    sp = services.supply_point_create(actor=cast.officer_a, name="联华超市", kind="supermarket", region_id=city.a_community.pk)
    with pytest.raises(ServiceError):
        services.supply_point_stock(actor=cast.officer_a, point=sp, levels={"grain": "plenty"})
    services.supply_point_stock(actor=cast.officer_a, point=sp, levels={"vegetables": "tight"})
    assert list(selectors.supply_point_list(actor=cast.officer_a, filters={"short": True})) == [sp]
    assert selectors.supply_point_list(actor=cast.officer_b).count() == 0


def test_bulk_needs_keep_one_row_per_source_and_check_members_and_areas(city, cast):
    person = PersonFactory(grid=city.a_grid)
    stranger = PersonFactory(grid=city.a_grid)
    other_area = PersonFactory(grid=city.b_grid)
    first = services.need_create(actor=cast.officer_a, household_id=person.household_id, kind="food", source="sheet:1")
    items = [{"household_id": person.household_id, "kind": "food", "source": "sheet:1"},
             {"household_id": person.household_id, "kind": "medicine", "source": "sheet:2", "person_id": person.pk},
             {"household_id": person.household_id, "kind": "medicine", "source": "sheet:2"}]
    out = services.need_bulk(actor=cast.officer_a, items=items)
    assert out["created"] == 1 and out["ids"][0] == first.pk and out["ids"][1] == out["ids"][2] != first.pk
    assert Need.objects.get(pk=out["ids"][1]).person_id == person.pk
    with pytest.raises(ServiceError) as exc:
        services.need_bulk(actor=cast.officer_a, items=[
            {"household_id": person.household_id, "kind": "food", "person_id": stranger.pk},
            {"household_id": other_area.household_id, "kind": "food"}])
    assert [(f["row"], f["field"]) for f in exc.value.fields] == [(1, "person_id"), (2, "household_id")]
    assert Need.objects.count() == 2
