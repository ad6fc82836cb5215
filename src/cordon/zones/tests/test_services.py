import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cordon.core import clock
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.zones import selectors, services
from cordon.zones.models import Zone, ZoneHousehold
from cordon.zones.tests.conftest import adopt, estate


def designate(actor, kind, homes, *, building=0):
    return services.zone_designate(actor=actor, kind=kind, picks=[{"type": "building", "id": homes.buildings[building].pk}])


def test_designating_by_building_resolves_its_households_people_and_needs(p8, homes, cast):
    zone = designate(cast.officer_a, "sealed", homes)
    assert (zone.households, zone.population, zone.vulnerable) == (4, 4, 1)
    assert zone.status == "designated" and zone.region_path == homes.buildings[0].region_path
    summary = selectors.zone_summary(zone=zone)
    assert summary["needs"]["food"] == 4 and summary["needs"]["medicine"] == 1
    assert AuditEntry.objects.filter(action="zone.designate", object_id=str(zone.pk)).exists()


def test_a_compound_pick_takes_every_building_of_that_compound(p8, homes, city, cast):
    other = estate(city.a_grid, compound="和平小区", buildings=1)
    zone = services.zone_designate(actor=cast.officer_a, kind="controlled",
                                   picks=[{"type": "compound", "community_id": city.a_community.pk, "name": "幸福小区"}])
    assert zone.households == 8
    assert not ZoneHousehold.objects.filter(zone=zone, household__in=other.households).exists()


def test_a_polygon_takes_the_buildings_whose_point_lies_inside(p8, homes, cast):
    poly = {"type": "Polygon", "coordinates": [[[121.2995, 31.199], [121.3005, 31.199], [121.3005, 31.201], [121.2995, 31.201], [121.2995, 31.199]]]}
    zone = services.zone_designate(actor=cast.officer_a, kind="sealed", polygon=poly)
    assert zone.drawn_by == "polygon" and zone.households == 4
    assert set(ZoneHousehold.objects.filter(zone=zone).values_list("household__building", flat=True)) == {homes.buildings[0].pk}


def test_an_empty_polygon_is_refused_naming_the_field(p8, homes, cast):
    with pytest.raises(ServiceError) as exc:
        services.zone_designate(actor=cast.officer_a, kind="sealed", polygon={"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 1]]]})
    assert exc.value.fields[0]["field"] == "polygon"


def test_overlapping_zones_of_conflicting_kinds_are_refused(p8, homes, cast):
    sealed = designate(cast.officer_a, "sealed", homes)
    with pytest.raises(Conflict) as exc:
        services.zone_designate(actor=cast.officer_a, kind="controlled", picks=[{"type": "grid", "id": homes.buildings[0].grid_id}])
    assert sealed.name in exc.value.message and exc.value.code == "zone_overlap"
    assert Zone.objects.count() == 1


def test_a_sealed_zone_drawn_inside_a_precaution_zone_takes_its_households(p8, homes, city, cast):
    prec = services.zone_designate(actor=cast.officer_a, kind="precaution", picks=[{"type": "community", "id": city.a_community.pk}])
    assert prec.households == 8
    designate(cast.officer_a, "sealed", homes)
    prec.refresh_from_db()
    assert prec.households == 4


def test_a_unit_outside_the_officers_area_is_refused(p8, homes, cast, city):
    with pytest.raises(NotFound):
        designate(cast.officer_b, "sealed", homes)
    with pytest.raises(PermissionDenied):
        designate(cast.viewer_a, "sealed", homes)
    assert not Zone.objects.exists()


def test_an_unknown_kind_is_refused_naming_the_kind(p8, homes, cast):
    with pytest.raises(ServiceError) as exc:
        services.zone_designate(actor=cast.officer_a, kind="high", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    assert exc.value.fields[0]["field"] == "kind"


def test_every_household_gets_the_grid_worker_as_its_responsible_worker(p8, homes, city, cast):
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post

    worker = cast.field_a  # the cast's grid worker of city.a_grid
    get_user_model().objects.filter(pk=worker.pk).update(first_name="王网格")
    Post.objects.filter(user=worker, region=city.a_grid).update(phone="13900000001")
    zone = designate(cast.officer_a, "sealed", homes)
    rows = selectors.member_rows(selectors.zone_members(actor=cast.officer_a, zone=zone), actor=cast.officer_a)
    assert {r["worker_name"] for r in rows} == {"王网格"} and {r["worker_phone"] for r in rows} == {"13900000001"}
    assert selectors.zone_summary(zone=zone)["unassigned"] == 0


def test_workers_can_be_named_by_hand_and_need_a_phone(p8, homes, cast):
    zone = designate(cast.officer_a, "sealed", homes)
    assert selectors.zone_summary(zone=zone)["unassigned"] == 4
    with pytest.raises(ServiceError, match="worker_phone"):
        services.zone_assign_worker(actor=cast.officer_a, zone=zone, household_ids=[homes.households[0].pk], worker_name="李", worker_phone="")
    assert services.zone_assign_worker(actor=cast.officer_a, zone=zone, household_ids=[h.pk for h in homes.households[:4]],
                                       worker_name="李社区", worker_phone="13800000000") == 4
    assert selectors.zone_summary(zone=zone)["unassigned"] == 0


def _in_force_days_ago(zone, days):
    then = clock.now() - dt.timedelta(days=days)
    Zone.objects.filter(pk=zone.pk).update(in_force_at=then, clock_start=then, status="countdown")
    zone.refresh_from_db()
    return zone


def _all_negative(homes, when=None):
    from cordon.status import services as status_services

    for p in homes.people:
        status_services.sample_recorded(actor=SYSTEM, person_id=p.pk, sampled_at=when or clock.now() - dt.timedelta(hours=5), negative=True)


def test_confirm_puts_a_zone_in_force_and_it_is_published(p8, homes, cast):
    zone = designate(cast.officer_a, "sealed", homes)
    assert selectors.public_risk_areas() == []
    services.zone_confirm(actor=cast.officer_a, zone=zone)
    areas = selectors.public_risk_areas()
    assert [(a["area"], a["level"], a["county"]) for a in areas] == [(zone.name, "sealed", "甲区")]
    assert selectors.risk_level_for_path(region_path=homes.buildings[0].region_path) == "sealed"
    assert selectors.risk_level_for_path(region_path=homes.buildings[0].region_path + ".x") == "sealed"
    assert selectors.risk_level_for_path(region_path="9901.990102") is None


def test_lifting_before_the_criteria_hold_is_refused_naming_each_one(p8, homes, cast):
    zone = designate(cast.officer_a, "sealed", homes)
    services.zone_confirm(actor=cast.officer_a, zone=zone)
    with pytest.raises(Conflict) as exc:
        services.zone_lift(actor=cast.officer_a, zone=zone)
    assert {f["field"] for f in exc.value.fields} == {"days_without_new_case", "negative_round_within_days"}
    zone.refresh_from_db()
    assert zone.status == "in_force" and len(zone.unmet) == 2


def test_the_countdown_runs_and_lifting_succeeds_when_every_criterion_holds(p8, homes, cast):
    zone = _in_force_days_ago(services.zone_confirm(actor=cast.officer_a, zone=designate(cast.officer_a, "sealed", homes)), 15)
    services.zone_evaluate(actor=SYSTEM, zone=zone)
    assert zone.status == "countdown" and [u["criterion"] for u in zone.unmet] == ["negative_round_within_days"]
    _all_negative(homes)
    services.zone_evaluate(actor=SYSTEM, zone=zone)
    assert zone.status == "eligible"
    services.zone_lift(actor=cast.officer_a, zone=zone, note="ok")
    assert zone.status == "lifted" and not ZoneHousehold.objects.filter(zone=zone, active=True).exists()
    assert selectors.public_risk_areas() == []
    assert AuditEntry.objects.filter(action="zone.lift").count() == 1


def test_a_negative_older_than_two_days_does_not_count_for_the_round(p8, homes, cast):
    zone = _in_force_days_ago(services.zone_confirm(actor=cast.officer_a, zone=designate(cast.officer_a, "sealed", homes)), 15)
    _all_negative(homes, when=clock.now() - dt.timedelta(days=3))
    with pytest.raises(Conflict, match="negative_round_within_days"):
        services.zone_lift(actor=cast.officer_a, zone=zone)


def test_a_recent_close_contact_from_the_zone_blocks_lifting(p8, homes, cast, django_capture_on_commit_callbacks):
    from cordon.cases import services as case_services
    from cordon.contacts.models import RiskPerson

    zone = _in_force_days_ago(services.zone_confirm(actor=cast.officer_a, zone=designate(cast.officer_a, "sealed", homes)), 20)
    _all_negative(homes)
    case = case_services.case_report(actor=SYSTEM, person_id=homes.people[-1].pk, kind="confirmed", found_by="manual",
                                     confirmed_at=clock.now() - dt.timedelta(days=19), source="test:1")
    exposure = clock.now() - dt.timedelta(days=5)
    RiskPerson.objects.create(person=homes.people[0], region_path=homes.people[0].region_path, category="close_contact",
                              source_case=case, last_exposure=exposure, status="under_measures")
    with pytest.raises(Conflict) as exc:
        services.zone_lift(actor=cast.officer_a, zone=zone)
    assert [f["field"] for f in exc.value.fields] == ["last_close_contact_days_past_exposure"]


def test_a_case_confirmed_inside_a_controlled_zone_escalates_it_to_sealed(p8, homes, cast, django_capture_on_commit_callbacks):
    from cordon.cases import services as case_services

    zone = _in_force_days_ago(services.zone_confirm(actor=cast.officer_a, zone=designate(cast.officer_a, "controlled", homes)), 10)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_report(actor=cast.officer_a, person_id=homes.people[0].pk, kind="confirmed", found_by="community")
    zone.refresh_from_db()
    assert (zone.kind, zone.status, zone.positives) == ("sealed", "in_force", 1)
    assert selectors.zone_summary(zone=zone)["days_remaining"] == 14
    assert AuditEntry.objects.filter(action="zone.escalate").exists()


def test_a_case_inside_a_sealed_zone_restarts_its_clock(p8, homes, cast, django_capture_on_commit_callbacks):
    from cordon.cases import services as case_services

    zone = _in_force_days_ago(services.zone_confirm(actor=cast.officer_a, zone=designate(cast.officer_a, "sealed", homes)), 10)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_report(actor=cast.officer_a, person_id=homes.people[1].pk, kind="asymptomatic", found_by="screening")
    zone.refresh_from_db()
    assert (zone.kind, zone.status) == ("sealed", "in_force")
    assert clock.now() - zone.clock_start < dt.timedelta(minutes=1)


def test_a_confirmed_case_proposes_its_building_sealed_compound_controlled_and_district_precaution(
        p8, homes, city, cast, django_capture_on_commit_callbacks):
    from cordon.cases import services as case_services
    from cordon.command.models import Task

    estate(city.a_grid2, compound="幸福小区", buildings=1, lon=121.31)
    estate(city.a_grid2, compound="和平小区", buildings=1, lon=121.32)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_report(actor=cast.officer_a, person_id=homes.people[0].pk, kind="confirmed", found_by="fever_clinic")
    zones = {z.kind: z for z in Zone.objects.filter(source=f"cases.case:{case.pk}")}
    assert set(zones) == {"sealed", "controlled", "precaution"}
    assert zones["sealed"].households == 4
    assert zones["controlled"].households == 8  # the rest of the compound, including its building in grid 2
    assert zones["precaution"].households == 4  # the rest of the district
    assert all(z.status == "designated" for z in zones.values())
    task = Task.objects.get(kind="zones.confirm")
    with django_capture_on_commit_callbacks(execute=True):
        for z in zones.values():
            services.zone_confirm(actor=cast.officer_a, zone=z)
    task.refresh_from_db()
    assert task.status == "done"
    # a repeat of the signal does not propose again
    services.zones_propose_for_case(actor=SYSTEM, case=case)
    assert Zone.objects.count() == 3


def test_the_latest_rule_set_proposes_only_the_residence_unit(homes, cast, django_capture_on_commit_callbacks):
    from cordon.cases import services as case_services

    adopt("measures-2022-11", days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_report(actor=cast.officer_a, person_id=homes.people[0].pk, kind="confirmed", found_by="manual")
    zone = Zone.objects.get()
    assert (zone.kind, zone.drawn_by, zone.households) == ("high", "unit", 2)


def test_protocol_9_high_zones_are_lowered_to_medium_with_extra_days(homes, cast):
    adopt("protocol-9", days_ago=1)
    zone = services.zone_designate(actor=cast.officer_a, kind="high", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    zone = _in_force_days_ago(services.zone_confirm(actor=cast.officer_a, zone=zone), 8)
    services.zone_lift(actor=cast.officer_a, zone=zone)
    assert (zone.kind, zone.lowered_from, zone.status) == ("medium", "high", "in_force")
    assert selectors.zone_summary(zone=zone)["days_remaining"] == 10


def test_a_precaution_zone_lifts_only_after_the_sealed_zones_of_its_district(p8, homes, city, cast):
    estate(city.a_grid2, compound="和平小区", buildings=1)
    sealed = services.zone_confirm(actor=cast.officer_a, zone=designate(cast.officer_a, "sealed", homes))
    prec = services.zone_confirm(actor=cast.officer_a, zone=services.zone_designate(
        actor=cast.officer_a, kind="precaution", picks=[{"type": "grid", "id": city.a_grid2.pk}]))
    with pytest.raises(Conflict, match="higher_zones_open"):
        services.zone_lift(actor=cast.officer_a, zone=prec)
    _in_force_days_ago(sealed, 15)
    _all_negative(homes)
    services.zone_lift(actor=cast.officer_a, zone=sealed)
    services.zone_lift(actor=cast.officer_a, zone=prec)
    assert prec.status == "lifted"


def test_zone_households_lists_the_active_members_for_livelihood(p8, homes, cast):
    zone = designate(cast.officer_a, "sealed", homes)
    assert set(selectors.zone_households(actor=cast.officer_a, zone_id=zone.pk)) == set(homes.households[:4])
    assert not selectors.zone_households(actor=cast.officer_b, zone_id=zone.pk).exists()
    services.zone_cancel(actor=cast.officer_a, zone=zone)
    assert not selectors.zone_households(actor=cast.officer_a, zone_id=zone.pk).exists()
