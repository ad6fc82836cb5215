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


def test_a_contact_named_again_by_a_second_case_keeps_one_placement_extended_to_the_later_end(city, cast, proposals):
    import time_machine

    _, rows = proposals
    spouse_row = rows[0]
    services.risk_decide(actor=cast.officer_a, ids=[spouse_row.pk], decision="confirm")
    first = PlacementRequest.objects.get(person_id=spouse_row.person_id)
    with time_machine.travel(clock.now() + dt.timedelta(days=2), tick=False):
        other = PersonFactory(grid=city.a_grid)
        case2 = case_services.case_report(actor=cast.officer_a, person_id=other.pk, kind="confirmed", found_by="community",
                                          onset_date=clock.today())
        case_services.named_contacts_add(actor=cast.officer_a, case=case2, items=[
            {"person_id": spouse_row.person_id, "setting": "meal", "protection": "none",
             "last_exposure": (clock.now() - dt.timedelta(hours=1)).isoformat()}])
        services.contacts_identify(actor=cast.officer_a, case=case2)
        again = RiskPerson.objects.get(person_id=spouse_row.person_id, source_case=case2)
        services.risk_decide(actor=cast.officer_a, ids=[again.pk], decision="confirm")
    again.refresh_from_db()
    assert again.status == "under_measures"
    assert list(PlacementRequest.objects.filter(person_id=spouse_row.person_id).values_list("pk", flat=True)) == [first.pk]
    end_before = first.end
    first.refresh_from_db()
    assert first.end > end_before and first.end == dt.date.fromisoformat(
        next(p for p in reversed(again.plan) if p["kind"] == "centralized")["end"])
    assert again.source in first.also_sources
    assert AuditEntry.objects.filter(action="placement_request.extend", object_id=str(first.pk)).exists()
    # releasing the first case's measure keeps the placement for the second
    spouse_row.refresh_from_db()
    services.risk_release(actor=cast.officer_a, risk=spouse_row)
    first.refresh_from_db()
    assert first.status == "queued" and first.source == again.source
