import datetime as dt

import pytest

from cordon.cases import services as case_services
from cordon.contacts import rules, services
from cordon.contacts.models import RiskPerson
from cordon.core import clock, policy
from cordon.core.errors import Conflict, ServiceError
from cordon.core.models import AuditEntry, RuleSet, RuleSetAdoption
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.quarantine.models import PlacementRequest
from cordon.status.models import HealthStatus

pytestmark = pytest.mark.django_db

M2211 = {"categories": {"close_contact": {"identified": True, "phases": [
    {"kind": "centralized", "days": 5, "test_days": [1, 2, 3, 5]}, {"kind": "home_isolation", "days": 3, "test_days": [1, 3]}]}}}


def test_a_plan_is_dated_from_the_last_exposure():
    phases = rules.plan("close_contact", last_exposure=dt.date(2022, 11, 20), measures=M2211)
    assert [(p["kind"], p["start"], p["end"]) for p in phases] == [
        ("centralized", "2022-11-21", "2022-11-25"), ("home_isolation", "2022-11-26", "2022-11-28")]
    assert phases[0]["test_days"][0] == "2022-11-21" and phases[1]["test_days"] == ["2022-11-26", "2022-11-28"]
    assert rules.phase_on(phases, dt.date(2022, 11, 27))["kind"] == "home_isolation"
    assert not rules.release_due(phases, today=dt.date(2022, 11, 29), last_test_negative=False, requires_negative=True)
    assert rules.release_due(phases, today=dt.date(2022, 11, 29), last_test_negative=True, requires_negative=True)


@pytest.fixture
def proposals(city, cast):
    hh_case = PersonFactory(grid=city.a_grid)
    spouse = PersonFactory(grid=city.a_grid, household=hh_case.household)
    child = PersonFactory(grid=city.a_grid, household=hh_case.household)
    case = case_services.case_report(actor=cast.officer_a, person_id=hh_case.pk, kind="confirmed", found_by="community",
                                     onset_date=clock.today())
    services.contacts_identify(actor=cast.officer_a, case=case)
    return case, [RiskPerson.objects.get(person=spouse), RiskPerson.objects.get(person=child)]


def test_confirming_contacts_plans_measures_queues_placement_and_turns_them_red(cast, proposals):
    case, rows = proposals
    services.risk_decide(actor=cast.officer_a, ids=[r.pk for r in rows], decision="confirm")
    for r in rows:
        r.refresh_from_db()
        assert r.status == "under_measures" and r.plan and r.plan[0]["kind"] == "centralized"
        assert HealthStatus.objects.get(person_id=r.person_id).colour == "red"
        assert PlacementRequest.objects.filter(source=r.source, person_id=r.person_id).exists()
    assert AuditEntry.objects.filter(action="contacts.confirm").count() == 1


def test_confirming_twice_is_refused_naming_the_row_and_nothing_changes(cast, proposals):
    _, rows = proposals
    services.risk_decide(actor=cast.officer_a, ids=[rows[0].pk], decision="confirm")
    with pytest.raises(Conflict) as err:
        services.risk_decide(actor=cast.officer_a, ids=[rows[1].pk, rows[0].pk], decision="reject")
    assert err.value.fields[0]["row"] == 2
    rows[1].refresh_from_db()
    assert rows[1].status == "proposed"


def test_viewers_cannot_decide_and_other_districts_do_not_see_the_rows(cast, proposals):
    from django.core.exceptions import PermissionDenied

    _, rows = proposals
    with pytest.raises(PermissionDenied):
        services.risk_decide(actor=cast.viewer_a, ids=[rows[0].pk], decision="confirm")
    with pytest.raises(ServiceError):
        services.risk_decide(actor=cast.officer_b, ids=[rows[0].pk], decision="confirm")


def test_release_waits_for_a_negative_last_test_then_clears_the_colour(city, cast):
    from cordon.status import services as status_services

    p = PersonFactory(grid=city.a_grid)
    risk = services.risk_add(actor=cast.officer_a, person_id=p.pk, category="close_contact",
                             last_exposure=clock.now() - dt.timedelta(days=6))
    end = risk.measures_end
    assert services.measures_advance(actor=SYSTEM, today=end + dt.timedelta(days=1)) == {"advanced": 0, "released": 0, "waiting_test": 1}
    status_services.sample_recorded(actor=SYSTEM, person_id=p.pk, sampled_at=clock.aware(dt.datetime.combine(end, dt.time(9))), negative=True)
    assert services.measures_advance(actor=SYSTEM, today=end + dt.timedelta(days=1))["released"] == 1
    risk.refresh_from_db()
    assert risk.status == "released" and HealthStatus.objects.get(person=p).colour == "green"


def test_the_job_advances_measure_plans(city, cast):
    from cordon.contacts import jobs

    assert jobs.advance_measures.call() == {"advanced": 0, "released": 0, "waiting_test": 0}


def test_the_phase_reason_follows_the_calendar(city, cast):
    p = PersonFactory(grid=city.a_grid)
    risk = services.risk_add(actor=cast.officer_a, person_id=p.pk, category="close_contact", last_exposure=clock.now())
    home = risk.plan[1]
    services.measures_advance(actor=SYSTEM, today=dt.date.fromisoformat(home["start"]))
    from cordon.status.models import StatusReason

    active = set(StatusReason.objects.filter(person=p, active=True).values_list("reason", flat=True))
    assert "home_isolation" in active and "centralized_quarantine" not in active


def test_a_rule_set_change_recomputes_open_plans_with_an_audit_entry(city, cast, django_capture_on_commit_callbacks):
    policy.sync_fixtures()
    RuleSetAdoption.objects.all().delete()
    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="protocol-9"), effective_from=clock.today() - dt.timedelta(days=60))
    policy.clear_cache()
    p = PersonFactory(grid=city.a_grid)
    risk = services.risk_add(actor=cast.officer_a, person_id=p.pk, category="close_contact", last_exposure=clock.now())
    assert risk.plan_ruleset == "protocol-9" and risk.plan[0]["end"] == (clock.today() + dt.timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        policy.ruleset_adopt(actor=cast.commander, code="measures-2022-11", effective_from=clock.today())
    risk.refresh_from_db()
    assert risk.plan_ruleset == "measures-2022-11" and risk.plan[0]["end"] == (clock.today() + dt.timedelta(days=5)).isoformat()
    assert AuditEntry.objects.filter(action="contacts.plan", changes__why="rule set changed").exists()


def test_manual_entries_reject_categories_the_rule_set_does_not_identify(city, cast):
    policy.sync_fixtures()
    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="measures-2022-11"), effective_from=clock.today() - dt.timedelta(days=1))
    policy.clear_cache()
    p = PersonFactory(grid=city.a_grid)
    with pytest.raises(ServiceError) as err:
        services.risk_add(actor=cast.officer_a, person_id=p.pk, category="secondary_contact", last_exposure=clock.now())
    assert err.value.fields[0]["field"] == "category"


def _second_case_naming(city, cast, person_id, *, hours_ago=1):
    other = PersonFactory(grid=city.a_grid)
    case2 = case_services.case_report(actor=cast.officer_a, person_id=other.pk, kind="confirmed", found_by="community",
                                      onset_date=clock.today())
    case_services.named_contacts_add(actor=cast.officer_a, case=case2, items=[
        {"person_id": person_id, "setting": "meal", "protection": "none",
         "last_exposure": (clock.now() - dt.timedelta(hours=hours_ago)).isoformat()}])
    return case2


def test_a_contact_named_again_by_a_second_case_keeps_one_plan_and_one_placement_extended_to_the_later_end(
        city, cast, proposals):
    import time_machine

    case1, rows = proposals
    spouse_row = rows[0]
    services.risk_decide(actor=cast.officer_a, ids=[spouse_row.pk], decision="confirm")
    spouse_row.refresh_from_db()
    end_before, exposure_before = spouse_row.measures_end, spouse_row.last_exposure
    first = PlacementRequest.objects.get(person_id=spouse_row.person_id)
    with time_machine.travel(clock.now() + dt.timedelta(days=2), tick=False):
        case2 = _second_case_naming(city, cast, spouse_row.person_id)
        counts = services.contacts_identify(actor=cast.officer_a, case=case2)
    assert counts["extended"] == 1 and counts["created"] == 0
    # one plan under measures for the person, no second row for the second case
    assert list(RiskPerson.objects.filter(person_id=spouse_row.person_id).values_list("pk", flat=True)) == [spouse_row.pk]
    spouse_row.refresh_from_db()
    assert spouse_row.status == "under_measures" and spouse_row.source_case_id == case1.pk
    assert spouse_row.last_exposure > exposure_before and spouse_row.measures_end > end_before
    assert [s["case"] for s in spouse_row.sources] == [case2.pk]
    assert any(e.get("case") == case2.pk for e in spouse_row.evidence)
    extend = AuditEntry.objects.get(action="contacts.extend", object_id=str(spouse_row.pk))
    assert extend.changes["case"] == case2.pk and extend.changes["count"] == 1
    assert extend.changes["rows"][0]["id"] == spouse_row.pk and extend.changes["rows"][0]["extended"] is True
    # the placement is the same request, run to the new end of the centralized phase
    assert list(PlacementRequest.objects.filter(person_id=spouse_row.person_id).values_list("pk", flat=True)) == [first.pk]
    first.refresh_from_db()
    assert first.end == dt.date.fromisoformat(next(p for p in reversed(spouse_row.plan) if p["kind"] == "centralized")["end"])
    # identifying the second case again changes nothing more
    with time_machine.travel(clock.now() + dt.timedelta(days=2, hours=1), tick=False):
        assert services.contacts_identify(actor=cast.officer_a, case=case2)["created"] == 0
    assert RiskPerson.objects.filter(person_id=spouse_row.person_id).count() == 1
    spouse_row.refresh_from_db()
    assert len(spouse_row.sources) == 1


def test_a_person_proposed_by_two_cases_is_one_proposal_confirmed_or_rejected_once(city, cast, proposals):
    case1, rows = proposals
    child_row = rows[1]
    case2 = _second_case_naming(city, cast, child_row.person_id)
    services.contacts_identify(actor=cast.officer_a, case=case2)
    assert RiskPerson.objects.filter(person_id=child_row.person_id).count() == 1
    assert not RiskPerson.objects.filter(source_case=case2, person_id=child_row.person_id).exists()
    services.risk_decide(actor=cast.officer_a, ids=[child_row.pk], decision="confirm")
    assert RiskPerson.objects.filter(person_id=child_row.person_id, status="under_measures").count() == 1
    # case 1 no longer finding the person leaves the row open for case 2, which holds it now
    child_row.refresh_from_db()
    services._withdraw_case(actor=SYSTEM, row=child_row, case=case1)
    child_row.refresh_from_db()
    assert child_row.status == "under_measures" and child_row.source_case_id == case2.pk and child_row.sources == []


def test_a_secondary_contact_found_as_a_close_contact_by_another_case_is_upgraded_to_one_close_contact_plan(city, cast):
    person = PersonFactory(grid=city.a_grid)
    case1 = _second_case_naming(city, cast, PersonFactory(grid=city.a_grid).pk)
    weaker = RiskPerson.objects.create(person=person, region_path=person.region_path, category="secondary_contact",
                                       source_case=case1, last_exposure=clock.now() - dt.timedelta(days=1))
    case2 = _second_case_naming(city, cast, person.pk)
    services.contacts_identify(actor=cast.officer_a, case=case2)
    rows = list(RiskPerson.objects.filter(person=person))
    assert [r.pk for r in rows] == [weaker.pk]
    assert rows[0].category == "close_contact" and rows[0].source_case_id == case2.pk
    assert rows[0].sources[0]["case"] == case1.pk and rows[0].sources[0]["category"] == "secondary_contact"


def test_releasing_the_one_plan_releases_the_person_once_after_the_latest_exposure(city, cast, proposals):
    import time_machine

    _case1, rows = proposals
    row = rows[0]
    services.risk_decide(actor=cast.officer_a, ids=[row.pk], decision="confirm")
    row.refresh_from_db()
    first_end = row.measures_end
    with time_machine.travel(clock.now() + dt.timedelta(days=2), tick=False):
        services.contacts_identify(actor=cast.officer_a, case=_second_case_naming(city, cast, row.person_id))
    row.refresh_from_db()
    # the day after the first case's plan would have ended, the person is still held by the second exposure
    counts = services.measures_advance(actor=SYSTEM, rows=RiskPerson.objects.filter(pk=row.pk),
                                       today=first_end + dt.timedelta(days=1))
    row.refresh_from_db()
    assert counts["released"] == 0 and row.status == "under_measures" and row.measures_end > first_end
