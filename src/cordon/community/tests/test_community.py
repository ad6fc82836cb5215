import datetime as dt

import pytest
from django.utils import translation

from cordon.community import selectors, services
from cordon.community.models import DoorCheck, EntranceLog, Returnee
from cordon.core import clock
from cordon.core.errors import NotFound, ServiceError
from cordon.core.ids import make_id_number
from cordon.core.testing import SYSTEM
from cordon.zones.tests.conftest import estate


@pytest.fixture
def homes(city):
    return estate(city.a_grid)


def test_door_checks_are_validated_row_by_row_and_nothing_is_half_written(homes, cast):
    items = [{"household_id": homes.households[0].pk}, {"household_id": homes.households[1].pk, "needs": ["spaceship"]}]
    with pytest.raises(ServiceError) as exc:
        services.doorcheck_bulk(actor=cast.officer_a, items=items)
    assert exc.value.fields == [{"field": "needs", "message": exc.value.fields[0]["message"], "row": 2}]
    assert not DoorCheck.objects.exists()


def test_a_repeat_check_of_the_same_household_on_the_same_day_updates_it(homes, cast):
    item = {"household_id": homes.households[0].pk, "symptoms": True, "symptom_note": "发热", "needs": ["medicine"]}
    assert services.doorcheck_bulk(actor=cast.officer_a, items=[item]) == {"created": 1, "updated": 0}
    assert services.doorcheck_bulk(actor=cast.officer_a, items=[{**item, "symptoms": False}]) == {"created": 0, "updated": 1}
    assert DoorCheck.objects.get().symptoms is False


def test_a_household_outside_the_area_is_refused(homes, cast):
    with pytest.raises(NotFound):
        services.doorcheck_bulk(actor=cast.officer_b, items=[{"household_id": homes.households[0].pk}])


def test_progress_per_grid_counts_the_visited_households(homes, city, cast):
    services.doorcheck_bulk(actor=cast.officer_a, items=[{"household_id": h.pk} for h in homes.households[:2]])
    rows = {r["path"]: r for r in selectors.progress(actor=cast.officer_a)}
    assert rows[city.a_grid.path]["visited"] == 2 and rows[city.a_grid.path]["households"] == 8
    assert rows[city.a_grid.path]["share"] == 25.0
    assert city.b_grid.path not in rows


def test_the_grid_shows_measures_vulnerable_and_untested(homes, city, cast):
    from cordon.status import services as status_services

    status_services.reason_set(actor=SYSTEM, person_id=homes.people[0].pk, reason="home_isolation", source="test:1")
    status_services.sample_recorded(actor=SYSTEM, person_id=homes.people[1].pk, sampled_at=clock.now() - dt.timedelta(hours=3), negative=True)
    facts = selectors.grid_facts(actor=cast.officer_a, grid=city.a_grid)
    assert (facts["households"], facts["residents"], facts["measures"], facts["untested"], facts["vulnerable"]) == (8, 8, 1, 7, 2)
    people = selectors.grid_residents(actor=cast.officer_a, grid=city.a_grid, only="measures")
    rows = selectors.resident_rows(list(people), actor=cast.viewer_a)
    assert rows[0]["measures"] == ["home_isolation"] and "*" in rows[0]["name"]


def test_passes_let_essential_workers_through_and_bad_ones_are_refused(homes, city, cast):
    b = homes.buildings[0]
    p = services.pass_issue(actor=cast.officer_a, community_id=city.a_community.pk, compound=b.compound, holder_name="王快递",
                            holder_phone="13900000000", role="delivery")
    services.passage_record(actor=cast.officer_a, community_id=city.a_community.pk, compound=b.compound, direction="in", pass_code=p.code)
    services.passage_record(actor=cast.officer_a, community_id=city.a_community.pk, compound=b.compound, direction="out",
                            person_id=homes.people[0].pk, purpose="就医")
    assert EntranceLog.objects.count() == 2
    services.pass_revoke(actor=cast.officer_a, entrance_pass=p)
    with pytest.raises(ServiceError, match="pass_code"):
        services.passage_record(actor=cast.officer_a, community_id=city.a_community.pk, compound=b.compound, direction="in", pass_code=p.code)
    with pytest.raises(ServiceError, match="role"):
        services.pass_issue(actor=cast.officer_a, community_id=city.a_community.pk, compound=b.compound, holder_name="x",
                            holder_phone="139", role="tourist")


def test_returnees_from_a_high_risk_area_get_a_follow_up_task(city, cast):
    from cordon.command.models import Task

    city.a_community.is_rural = True
    city.a_community.save()
    cp = services.checkpoint_create(actor=cast.officer_a, village_id=city.a_community.pk, name="村口")
    idn = make_id_number("990101", dt.date(1990, 1, 1), 77, "M")
    r = services.returnee_register(actor=cast.officer_a, village_id=city.a_community.pk, name="李返乡", id_number=idn,
                                   phone="13700000000", from_place="某市某区", from_risk="high", checkpoint_id=cp.pk,
                                   grid_id=city.a_grid.pk)
    assert Task.objects.filter(kind="community.returnee", source=f"community.returnee:{r.pk}").exists()
    assert r.person is not None  # not a registered resident: registered on the spot in the destination grid
    again = services.returnee_register(actor=cast.officer_a, village_id=city.a_community.pk, name="李返乡", id_number=idn,
                                       phone="13700000000", from_place="某市某区", from_risk="high")
    assert again.pk == r.pk and Returnee.objects.count() == 1
    with pytest.raises(ServiceError, match="id_number"):
        services.returnee_register(actor=cast.officer_a, village_id=city.a_community.pk, name="x", id_number="123",
                                   phone="1", from_place="y")


def test_a_non_village_community_refuses_a_checkpoint(city, cast):
    with translation.override("en"), pytest.raises(ServiceError, match="not a village"):
        services.checkpoint_create(actor=cast.officer_a, village_id=city.a_community.pk, name="村口")


def test_the_grid_page_records_a_door_check_and_the_api_is_idempotent(homes, city, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post(f"/community/grids/{city.a_grid.pk}/check/", {"household_id": homes.households[0].pk, "answered": "on",
                                                               "all_present": "on", "needs": ["food"]})
    assert r.status_code == 302 and DoorCheck.objects.get().needs == ["food"]
    page = c.get(f"/community/grids/{city.a_grid.pk}/").content.decode()
    assert "1 / 8" in page
    body = {"items": [{"household_id": homes.households[1].pk}]}
    first = c.post("/api/v1/community/doorchecks", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    second = c.post("/api/v1/community/doorchecks", body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201 and second.json().get("replayed") is True
    assert c.get("/community/").status_code == 200 and c.get("/community/checks/?export=1").status_code == 200
    assert c.get("/community/entrance/").status_code == 200 and c.get("/community/villages/").status_code == 200


def test_a_registered_returnee_from_a_high_risk_area_is_proposed_as_a_risk_person(city, cast):
    from cordon.contacts import services as contacts_services
    from cordon.contacts.models import RiskPerson
    from cordon.people.factories import PersonFactory

    city.a_community.is_rural = True
    city.a_community.save()
    person = PersonFactory(grid=city.a_grid)
    r = services.returnee_register(actor=cast.officer_a, village_id=city.a_community.pk, name=person.name, id_number=person.id_number,
                                   phone="13700000000", from_place="某市某区", from_risk="high")
    risk = RiskPerson.objects.get(person=person)
    assert (risk.category, risk.status, risk.source_case) == ("high_risk_arrival", "proposed", None)
    assert risk.evidence[0]["source"] == f"community.returnee:{r.pk}"
    contacts_services.risk_decide(actor=cast.officer_a, ids=[risk.pk], decision="confirm")
    risk.refresh_from_db()
    assert risk.status == "under_measures" and risk.plan


def test_a_compound_gate_refuses_the_exit_of_a_confirmed_case_unless_an_authorised_officer_overrides_it(homes, city, cast):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from cordon.accounts.models import Post
    from cordon.core.errors import Conflict
    from cordon.core.models import AuditEntry
    from cordon.status import services as status_services

    UserModel = get_user_model()

    gate = UserModel.objects.create_user(username="gate_worker", password="pw-for-tests-1")
    Post.objects.create(user=gate, role="community_worker", region=city.a_community)
    person = homes.people[0]
    b = person.household.building
    status_services.reason_set(actor=SYSTEM, person_id=person.pk, reason="confirmed", source="test:1")
    at = dict(community_id=b.community_id, compound=b.compound, direction="out", person_id=person.pk)
    with pytest.raises(Conflict, match="override") as exc:
        services.passage_record(actor=gate, **at)
    assert exc.value.code == "exit_refused" and not EntranceLog.objects.exists()
    with pytest.raises(PermissionDenied):  # the gate's own community worker may not override
        services.passage_record(actor=gate, override_reason="分娩", **at)
    log = services.passage_record(actor=cast.officer_a, override_reason="分娩 / childbirth", **at)
    assert (log.colour, log.override_reason) == ("red", "分娩 / childbirth")
    assert AuditEntry.objects.filter(action="entrance.override").count() == 1
    assert list(selectors.override_list(actor=cast.officer_a)) == [log]
    services.passage_record(actor=gate, **{**at, "direction": "in"})  # coming home is never refused


def test_a_sealed_zone_resident_is_refused_the_exit_at_the_compound_gate(homes, city, cast):
    from cordon.core.errors import Conflict
    from cordon.zones import services as zone_services
    from cordon.zones.tests.conftest import adopt

    adopt("protocol-8")
    person = homes.people[0]
    b = person.household.building
    zone_services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": b.pk}])
    with translation.override("en"), pytest.raises(Conflict, match="exit refused"):
        services.passage_record(actor=cast.officer_a, community_id=b.community_id, compound=b.compound, direction="out",
                                person_id=person.pk)


def test_a_returnee_from_a_high_risk_area_who_is_not_a_resident_is_registered_in_the_destination_grid_with_measures(city, cast):
    from cordon.contacts.models import RiskPerson
    from cordon.status.models import HealthStatus, StatusReason

    city.a_community.is_rural = True
    city.a_community.save()
    idn = make_id_number("990101", dt.date(1991, 1, 1), 78, "F")
    args = dict(village_id=city.a_community.pk, name="王返乡", id_number=idn, phone="13700000001", from_place="某市某区", from_risk="high")
    with pytest.raises(ServiceError, match="grid"):
        services.returnee_register(actor=cast.officer_a, **args)
    r = services.returnee_register(actor=cast.officer_a, grid_id=city.a_grid.pk, **args)
    assert r.person is not None and r.person.grid_id == city.a_grid.pk and r.person.id_number == idn
    assert StatusReason.objects.filter(person=r.person, reason="high_risk_arrival", active=True).exists()
    assert HealthStatus.objects.get(person=r.person).colour != "green"
    assert RiskPerson.objects.get(person=r.person).category == "high_risk_arrival"
