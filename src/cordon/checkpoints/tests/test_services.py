import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cordon.checkpoints import services
from cordon.checkpoints.factories import CheckpointFactory, PassFactory
from cordon.checkpoints.models import Inspection
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM, tampered
from cordon.people.factories import PersonFactory
from cordon.status import credentials
from cordon.status import services as status_services
from cordon.status.models import StatusReason

pytestmark = pytest.mark.django_db


def _code(person, *, negative_hours_ago=5):
    if negative_hours_ago is not None:
        status_services.sample_recorded(actor=SYSTEM, person_id=person.pk, sampled_at=clock.now() - dt.timedelta(hours=negative_hours_ago),
                                        negative=True)
    return credentials.credential_issue(token=person.token)["code"]


def test_a_green_resident_with_a_recent_test_passes_and_the_passage_is_logged(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, code=_code(person), origin="上海", destination="甲区")
    assert (insp.result, insp.reason, insp.colour) == ("pass", "ok", "green")
    assert insp.person_id == person.pk and insp.region_path == cp.region_path
    assert AuditEntry.objects.filter(action="checkpoint.inspect").count() == 1


def test_a_red_code_is_held(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    status_services.reason_set(actor=SYSTEM, person_id=person.pk, reason="confirmed", source="test:1")
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, code=_code(person))
    assert (insp.result, insp.reason) == ("hold", "colour_red")
    assert not insp.handed_over


def test_an_old_test_at_a_road_checkpoint_is_redirected(city, cast):
    cp = CheckpointFactory(region=city.a_street, kind="airport")
    person = PersonFactory(grid=city.a_grid)
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, code=_code(person, negative_hours_ago=200))
    assert (insp.result, insp.reason) == ("redirect", "test_too_old")


def test_a_hold_for_a_high_risk_origin_hands_the_person_over_to_measures(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, code=_code(person), origin="某地", origin_level="high")
    assert (insp.result, insp.reason, insp.handed_over) == ("hold", "origin_risk_area", True)
    reason = StatusReason.objects.get(person=person, active=True)
    assert reason.reason == "high_risk_arrival" and reason.source == f"checkpoints.inspection:{insp.pk}"
    assert reason.until > reason.since
    from cordon.contacts.models import RiskPerson

    risk = RiskPerson.objects.get(person=person, category="high_risk_arrival")
    assert risk.status == "proposed" and risk.evidence[0]["source"] == f"checkpoints.inspection:{insp.pk}"
    # held again at another checkpoint: the same open proposal gains the evidence, no duplicate
    again = services.inspection_record(actor=cast.officer_a, checkpoint=CheckpointFactory(region=city.a_street), code=_code(person),
                                       origin="某地", origin_level="high")
    risk.refresh_from_db()
    assert RiskPerson.objects.filter(person=person).count() == 1
    assert [e["source"] for e in risk.evidence] == [f"checkpoints.inspection:{insp.pk}", f"checkpoints.inspection:{again.pk}"]


def test_a_tampered_code_is_held_as_forged_without_crashing(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    code = _code(person)
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, code=tampered(code))
    assert (insp.result, insp.reason) == ("hold", "forged")
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, code="not a code at all")
    assert (insp.result, insp.reason) == ("hold", "malformed")


def test_an_offline_queue_uploaded_twice_is_stored_once(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    people = [PersonFactory(grid=city.a_grid) for _ in range(3)]
    items = [{"code": _code(p), "client_ref": f"ref-{i}", "offline": True,
              "at": (clock.now() - dt.timedelta(minutes=3)).isoformat()} for i, p in enumerate(people)]
    first = services.inspections_bulk(actor=cast.officer_a, checkpoint=cp, items=items)
    again = services.inspections_bulk(actor=cast.officer_a, checkpoint=cp, items=items)
    assert first["stored"] == 3 and again["stored"] == 0 and again["duplicates"] == 3
    assert Inspection.objects.filter(checkpoint=cp, offline=True).count() == 3


def test_a_bad_row_stores_nothing_and_names_the_row_and_field(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    items = [{"code": _code(person), "client_ref": "a"}, {"subject": "vehicle", "client_ref": "b"}]
    with pytest.raises(ServiceError) as err:
        services.inspections_bulk(actor=cast.officer_a, checkpoint=cp, items=items)
    assert err.value.fields[0] == {"row": 2, "field": "plate", "message": "车辆必填"}
    assert not Inspection.objects.exists()


def test_a_key_supply_vehicle_with_a_valid_pass_takes_the_green_lane(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    p = services.pass_issue(actor=cast.officer_a, plate="沪A 12345", enterprise="保供", region_path=city.a.path,
                            valid_from=clock.now() - dt.timedelta(hours=1), valid_until=clock.now() + dt.timedelta(days=2))
    ok = services.inspection_record(actor=cast.officer_a, checkpoint=cp, subject="vehicle", plate="沪A12345", pass_number=p.number)
    wrong = services.inspection_record(actor=cast.officer_a, checkpoint=cp, subject="vehicle", plate="沪B99999", pass_number=p.number)
    assert (ok.result, ok.reason, ok.vehicle_pass_id) == ("pass", "green_lane", p.pk)
    assert (wrong.result, wrong.reason) == ("redirect", "pass_invalid")


def test_a_red_driver_does_not_take_the_green_lane(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    p = PassFactory(region_path=city.a.path, plate="沪A00001")
    driver = PersonFactory(grid=city.a_grid)
    status_services.reason_set(actor=SYSTEM, person_id=driver.pk, reason="close_contact", source="test:2")
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, subject="vehicle", plate="沪A00001",
                                      pass_number=p.number, code=_code(driver))
    assert (insp.result, insp.reason) == ("hold", "colour_red")


def test_pass_issue_is_idempotent_per_source_for_other_modules(city):
    kw = {"plate": "沪C1", "enterprise": "粮油公司", "region_path": city.a.path, "valid_from": clock.now(),
          "valid_until": clock.now() + dt.timedelta(days=7), "source": "livelihood.enterprise:3"}
    assert services.pass_issue(actor=SYSTEM, **kw).pk == services.pass_issue(actor=SYSTEM, **kw).pk


def test_an_officer_cannot_register_a_checkpoint_in_another_district(city, cast):
    with pytest.raises(ServiceError) as err:
        services.checkpoint_create(actor=cast.officer_b, name="越界", kind="road", region=city.a_street)
    assert err.value.fields[0]["field"] == "region"


def test_a_shift_must_end_after_it_starts(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    now = clock.now()
    with pytest.raises(ServiceError) as err:
        services.shift_add(actor=cast.officer_a, checkpoint=cp, starts_at=now, ends_at=now, leader="王")
    assert err.value.fields[0]["field"] == "ends_at"
    shift = services.shift_add(actor=cast.officer_a, checkpoint=cp, starts_at=now, ends_at=now + dt.timedelta(hours=8),
                               leader="王", staff=["李", " ", "赵"])
    assert shift.staff == ["李", "赵"]


def test_a_sealed_zone_resident_with_a_code_signed_before_the_zone_is_held_on_the_way_out(city, cast):
    from cordon.checkpoints import selectors

    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    code = _code(person)  # green, signed before the zone
    status_services.reasons_sync(source="zones.zone:1", reason="confirmed", person_ids=[person.pk], actor=SYSTEM)
    insp = services.inspection_record(actor=cast.officer_a, checkpoint=cp, code=code, direction="out")
    assert (insp.result, insp.reason, insp.colour) == ("hold", "no_exit", "red")
    with pytest.raises(PermissionDenied):
        services.inspection_override(actor=cast.field_a, inspection=insp, reason="透析")
    with pytest.raises(ServiceError, match="reason"):
        services.inspection_override(actor=cast.officer_a, inspection=insp, reason=" ")
    services.inspection_override(actor=cast.officer_a, inspection=insp, reason="透析 / dialysis at 14:00")
    assert AuditEntry.objects.filter(action="checkpoint.override").count() == 1
    assert list(selectors.override_list(actor=cast.officer_a)) == [insp]


def test_a_yellow_person_under_home_measures_is_refused_the_exit_and_told_how_to_get_an_override(city, cast, api_client):
    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    status_services.reason_set(actor=SYSTEM, person_id=person.pk, reason="home_isolation", source="test:1")
    r = api_client(cast.officer_a).post(f"/api/v1/checkpoints/{cp.pk}/inspections", {"code": _code(person), "direction": "out"},
                                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    body = r.json()
    assert r.status_code == 201 and (body["result"], body["reason"]) == ("hold", "no_exit")
    assert "override" in body["override"] and "override" in body["reason_text"]
