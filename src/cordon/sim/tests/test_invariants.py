"""Each invariant of cordon.sim.invariants: a violating state is reported with its objects, a clean one is not."""

import datetime as dt
import io
import itertools
import json

import pytest
from django.core.management import call_command

from cordon.checkpoints.models import Checkpoint, Inspection
from cordon.community.models import EntranceLog
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.people.factories import HouseholdFactory, PersonFactory
from cordon.quarantine.factories import SiteFactory, born, rooms_for
from cordon.quarantine.models import Room, Stay
from cordon.sim import invariants
from cordon.status.models import StatusChange, StatusReason
from cordon.surveillance.models import Forecast, RtEstimate
from cordon.zones.models import Zone, ZoneHousehold

_n = itertools.count(1)


def _check(name):
    return invariants.check(actor=SYSTEM, only=[name])[name]


def _adult(city, **kw):
    return PersonFactory(grid=city.a_grid, birth_date=born(40), **kw)


def _stay(person, room=None, *, status="in", kind="centralized", start=None, end=None, **kw):
    today = clock.today()
    if room is not None and status in ("expected", "in"):
        Room.objects.filter(pk=room.pk).update(status="occupied")
    return Stay.objects.create(person=person, region_path=person.region_path, kind=kind, room=room,
                               site=room.site if room else None, start=start or today, status=status,
                               planned_end=end or today + dt.timedelta(days=5), category="close_contact",
                               monitor_token=f"inv{next(_n):010d}", checked_in_at=clock.now(), **kw)


def _under_measure(person, reason="centralized_quarantine"):
    StatusReason.objects.create(person=person, region_path=person.region_path, reason=reason,
                                source=f"test.stay:{person.pk}", since=clock.now() - dt.timedelta(hours=1))


def _rooms(city, n=3, **kw):
    site = SiteFactory(region=city.a, **kw)
    return rooms_for(site, per_floor=n)


def _risk(person, *, status="under_measures", category="close_contact", **kw):
    return RiskPerson.objects.create(person=person, region_path=person.region_path, category=category, status=status,
                                     last_exposure=clock.now() - dt.timedelta(days=1), **kw)


# --------------------------------------------------------------------------- rooms and measures
@pytest.mark.django_db
def test_a_person_in_two_rooms_is_reported_with_both_stays(city):
    r1, r2, r3 = _rooms(city)
    p, q = _adult(city), _adult(city)
    s1, s2 = _stay(p, r1), _stay(p, r2, kind="home_isolation")
    _stay(q, r3)
    found = _check("one_room_per_person")
    assert [(v.kind, v.ids) for v in found] == [("quarantine.stay", tuple(sorted((s1.pk, s2.pk))))]
    assert f"person {p.pk}" in found[0].detail


@pytest.mark.django_db
def test_one_room_each_reports_nothing(city):
    r1, r2, _r3 = _rooms(city)
    _stay(_adult(city), r1)
    _stay(_adult(city), r2)
    assert _check("one_room_per_person") == []


@pytest.mark.django_db
def test_two_active_stays_or_plans_of_one_kind_are_reported(city):
    p, q = _adult(city), _adult(city)
    s1, s2 = _stay(p, kind="home_isolation"), _stay(p, kind="home_isolation", status="expected")
    k1, k2 = _risk(q), _risk(q)
    found = {(v.kind, v.ids) for v in _check("one_active_measure_per_kind")}
    assert found == {("quarantine.stay", tuple(sorted((s1.pk, s2.pk)))), ("contacts.riskperson", tuple(sorted((k1.pk, k2.pk))))}


@pytest.mark.django_db
def test_measures_of_different_kinds_or_ended_ones_report_nothing(city):
    p, q = _adult(city), _adult(city)
    _stay(p, kind="home_isolation")
    _stay(p, kind="home_monitoring")
    _stay(p, kind="home_isolation", status="released")
    _risk(q)
    _risk(q, category="secondary_contact")
    _risk(q, status="released")
    assert _check("one_active_measure_per_kind") == []


@pytest.mark.django_db
def test_a_child_or_dependent_alone_in_a_room_is_reported(city):
    r1, r2, r3 = _rooms(city)
    child = PersonFactory(grid=city.a_grid, birth_date=born(6))
    dependent = _adult(city, disability=True)
    s1, s2 = _stay(child, r1), _stay(dependent, r2)
    _stay(_adult(city), r3)
    found = {v.ids: v.detail for v in _check("no_child_or_dependent_alone")}
    assert set(found) == {(s1.pk,), (s2.pk,)}
    assert "under 14" in found[(s1.pk,)] and "disability" in found[(s2.pk,)]


@pytest.mark.django_db
def test_a_child_with_a_carer_reports_nothing(city):
    r1, _r2, _r3 = _rooms(city)
    hh = HouseholdFactory(grid=city.a_grid)
    child = PersonFactory(grid=city.a_grid, household=hh, birth_date=born(6))
    _stay(child, r1)
    _stay(_adult(city, household=hh), r1)
    assert _check("no_child_or_dependent_alone") == []


@pytest.mark.django_db
def test_a_room_occupant_under_no_measure_is_reported(city):
    r1, r2, _r3 = _rooms(city)
    free_rider = _adult(city)
    s = _stay(free_rider, r1)
    placed = _adult(city)
    _stay(placed, r2)
    _under_measure(placed)
    assert [(v.kind, v.ids) for v in _check("room_occupant_under_measure")] == [("quarantine.stay", (s.pk,))]


@pytest.mark.django_db
def test_room_occupants_under_a_reason_or_a_plan_report_nothing(city):
    r1, r2, _r3 = _rooms(city)
    a, b = _adult(city), _adult(city)
    _stay(a, r1)
    _under_measure(a)
    _stay(b, r2)
    _risk(b)
    assert _check("room_occupant_under_measure") == []


@pytest.mark.django_db
def test_room_status_that_contradicts_its_stays_is_reported(city):
    r1, r2, r3 = _rooms(city)
    Room.objects.filter(pk=r1.pk).update(status="occupied")  # nobody in it
    _stay(_adult(city), r2)
    Room.objects.filter(pk=r2.pk).update(status="free")  # someone in it
    _stay(_adult(city), r3)
    assert {v.ids for v in _check("room_status_matches_stays")} == {(r1.pk,), (r2.pk,)}


@pytest.mark.django_db
def test_rooms_matching_their_stays_report_nothing(city):
    r1, _r2, _r3 = _rooms(city)
    _stay(_adult(city), r1)
    assert _check("room_status_matches_stays") == []


@pytest.mark.django_db
def test_an_early_release_without_a_reason_is_reported(city):
    today = clock.today()
    p = _adult(city)
    early = _stay(p, status="released", kind="home_isolation", end=today + dt.timedelta(days=3), released_at=clock.now())
    _stay(p, status="released", kind="home_monitoring", end=today + dt.timedelta(days=3), released_at=clock.now(),
          release_note="hospital transfer by the district")
    _stay(p, status="released", kind="centralized", end=today, released_at=clock.now())
    q = _adult(city)
    plan = _risk(q, status="released", released_at=clock.now(), measures_end=today + dt.timedelta(days=2))
    AuditEntry.objects.create(at=clock.now(), actor_label="t", action="contacts.release", object_type="contacts.riskperson",
                              object_id=str(plan.pk), changes={"why": "criteria met"}, prev_hash="0", hash="1")
    documented = _risk(q, status="released", released_at=clock.now(), measures_end=today + dt.timedelta(days=2),
                       category="secondary_contact")
    AuditEntry.objects.create(at=clock.now(), actor_label="t", action="contacts.release", object_type="contacts.riskperson",
                              object_id=str(documented.pk), changes={"why": "source case was a false positive"},
                              prev_hash="1", hash="2")
    found = {(v.kind, v.ids) for v in _check("no_early_end_without_reason")}
    assert found == {("quarantine.stay", (early.pk,)), ("contacts.riskperson", (plan.pk,))}


@pytest.mark.django_db
def test_releases_after_the_planned_end_report_nothing(city):
    today = clock.today()
    p = _adult(city)
    _stay(p, status="released", kind="home_isolation", start=today - dt.timedelta(days=7),
          end=today - dt.timedelta(days=1), released_at=clock.now())
    _risk(p, status="released", released_at=clock.now(), measures_end=today - dt.timedelta(days=1))
    assert _check("no_early_end_without_reason") == []


# --------------------------------------------------------------------------- passages
def _checkpoint(city):
    return Checkpoint.objects.create(name="G1", code=f"CP{next(_n)}", kind="road", region=city.a, region_path=city.a.path)


def _inspection(cp, person, *, colour="green", result="pass", minutes=30, direction="out", **kw):
    return Inspection.objects.create(checkpoint=cp, region_path=cp.region_path, person=person, colour=colour, direction=direction,
                                     at=clock.now() - dt.timedelta(minutes=minutes), result=result,
                                     reason="ok" if result == "pass" else "no_exit", **kw)


def _overridden(cp, person, by, *, reason="血液透析 / dialysis", colour="red"):
    return _inspection(cp, person, colour=colour, result="hold", overridden_at=clock.now() - dt.timedelta(minutes=20),
                       overridden_by=by, override_reason=reason)


def _exit(city, person, *, minutes=30, direction="out", colour="", **kw):
    return EntranceLog.objects.create(community=city.a_community, region_path=person.region_path, compound="幸福小区",
                                      direction=direction, at=clock.now() - dt.timedelta(minutes=minutes), person=person,
                                      colour=colour, **kw)


def _sealed(city, household):
    zone = Zone.objects.create(name="封控1", kind="sealed", status="in_force", ruleset="protocol-8", drawn_by="unit",
                               district_path=city.a.path, region_path=city.a.path,
                               designated_at=clock.now() - dt.timedelta(days=1), in_force_at=clock.now() - dt.timedelta(days=1))
    ZoneHousehold.objects.create(zone=zone, household=household)
    return zone


def _turned_red(person, hours=2):
    StatusChange.objects.create(person=person, region_path=person.region_path, at=clock.now() - dt.timedelta(hours=hours),
                                colour_from="green", colour_to="red", ruleset="protocol-9")


@pytest.mark.django_db
def test_red_yellow_or_sealed_people_going_out_without_a_valid_override_are_reported(city, cast):
    cp = _checkpoint(city)
    red, red_then, sealed, yellow, held = _adult(city), _adult(city), _adult(city), _adult(city), _adult(city)
    i1 = _inspection(cp, red, colour="red")
    _turned_red(red_then)
    i2 = _inspection(cp, red_then, colour="")
    e1 = _exit(city, red_then)
    _sealed(city, sealed.household)
    i3 = _inspection(cp, sealed)
    e2 = _exit(city, sealed)
    e3 = _exit(city, yellow, colour="yellow")  # a colour the rule set refuses an exit, recorded at the gate
    i4 = _overridden(cp, held, cast.officer_a, reason="  ")  # overridden without a reason
    i5 = _overridden(cp, held, cast.field_a)  # a grid worker may not override
    e4 = _exit(city, red_then, override_reason="分娩 / childbirth", recorded_by=cast.field_a)
    e5 = _exit(city, red_then, override_reason="透析", recorded_by=cast.officer_b)  # an officer of the other district
    found = {(v.kind, v.ids): v.detail for v in _check("no_red_or_sealed_passage")}
    assert set(found) == {("checkpoints.inspection", (i.pk,)) for i in (i1, i2, i3, i4, i5)} | {
        ("community.entrancelog", (e.pk,)) for e in (e1, e2, e3, e4, e5)}
    assert found[("checkpoints.inspection", (i1.pk,))].endswith("red, no override")
    assert "from a zone nobody leaves" in found[("checkpoints.inspection", (i3.pk,))]
    assert "yellow" in found[("community.entrancelog", (e3.pk,))]
    assert found[("checkpoints.inspection", (i4.pk,))].endswith("override without a reason")
    assert found[("checkpoints.inspection", (i5.pk,))].endswith("override by a role not authorised")
    assert found[("community.entrancelog", (e5.pk,))].endswith("override by a role not authorised")


@pytest.mark.django_db
def test_green_passages_entries_holds_and_authorised_overrides_report_nothing(city, cast):
    from cordon.core import audit

    cp = _checkpoint(city)
    green, red, sealed = _adult(city), _adult(city), _adult(city)
    _inspection(cp, green)
    _exit(city, green, colour="green")
    _inspection(cp, red, colour="red", result="hold")
    _turned_red(red)
    _inspection(cp, red, colour="red", direction="in")  # inward passages do not count
    _exit(city, red, direction="in")
    _overridden(cp, red, cast.officer_a)  # a district officer of the checkpoint's district, with a reason
    _overridden(cp, red, cast.commander, reason="急诊 / medical emergency")
    _exit(city, red, colour="red", override_reason="分娩 / childbirth", recorded_by=cast.officer_a)
    by_system = _exit(city, red, colour="red", override_reason="透析 / dialysis")  # the platform itself, audited
    audit.record(SYSTEM, "entrance.override", by_system, changes={"reason": "透析 / dialysis"})
    zone = _sealed(city, sealed.household)
    Zone.objects.filter(pk=zone.pk).update(status="lifted", lifted_at=clock.now() - dt.timedelta(hours=1))
    _exit(city, sealed, minutes=10)  # after the zone was lifted
    assert _check("no_red_or_sealed_passage") == []


@pytest.mark.django_db
def test_an_override_recorded_with_no_user_and_no_system_audit_entry_is_reported(city):
    red = _adult(city)
    _turned_red(red)
    e = _exit(city, red, colour="red", override_reason="透析")
    assert [v.ids for v in _check("no_red_or_sealed_passage")] == [(e.pk,)]


# --------------------------------------------------------------------------- surveillance
def _forecast(region, median, upper):
    days = [{"date": (clock.today() + dt.timedelta(days=k)).isoformat(), "median": median, "lower": 0, "upper": upper,
             "contacts": 1, "rooms": 1, "tests": 1} for k in range(3)]
    return Forecast.objects.create(region=region, region_path=region.path, made_on=clock.today(), days=days,
                                   r_mean=1.2, contacts_per_case=5)


@pytest.mark.django_db
def test_a_forecast_above_the_population_is_reported(city):
    city.a.population, city.b.population = 1000, 1000
    city.a.save(update_fields=["population"])
    city.b.save(update_fields=["population"])
    high = _forecast(city.a, 200, 5000)
    _forecast(city.b, 400, 500)  # 3 days x 400 > 1000 in all
    found = {v.ids: v.detail for v in _check("forecast_within_population")}
    assert (high.pk,) in found and "upper 5000" in found[(high.pk,)]
    assert len(found) == 2 and any("cumulative median 1200" in d for d in found.values())


@pytest.mark.django_db
def test_a_forecast_within_the_population_reports_nothing(city):
    city.a.population = 1000
    city.a.save(update_fields=["population"])
    _forecast(city.a, 10, 40)
    assert _check("forecast_within_population") == []


def _rt(region, mean, std, cases, days_ago=0):
    return RtEstimate.objects.create(region=region, region_path=region.path, mean=mean, std=std,
                                     date_end=clock.today() - dt.timedelta(days=days_ago),
                                     q025=mean - 2 * std, median=mean, q975=mean + 2 * std, cases=cases)


@pytest.mark.django_db
def test_an_uncertain_rt_the_platform_would_show_is_reported(city):
    from cordon.surveillance import selectors

    shown = _rt(city.a, 1.5, 0.6, 120)  # enough cases to be shown, yet a wide stored posterior
    _rt(city.b, 1.1, 0.1, 120)
    assert selectors.rt_series_shown(actor=SYSTEM, region_path=city.a.path)[0]["mean"] == 1.5
    found = _check("rt_hidden_when_uncertain")
    assert [(v.kind, v.ids) for v in found] == [("surveillance.rtestimate", (shown.pk,))]
    assert "CV 0.40" in found[0].detail


@pytest.mark.django_db
def test_rt_narrow_or_hidden_for_too_few_cases_reports_nothing(city):
    from cordon.surveillance import selectors

    _rt(city.a, 1.1, 0.1, 120)
    _rt(city.b, 1.5, 0.6, 3)  # wide, and hidden: 3 cases cannot carry an estimate
    assert selectors.rt_series_shown(actor=SYSTEM, region_path=city.b.path)[0]["mean"] is None
    assert _check("rt_hidden_when_uncertain") == []


# --------------------------------------------------------------------------- figures
@pytest.mark.django_db
def test_dashboard_metric_and_quarantine_selector_disagreeing_is_reported(city, monkeypatch):
    r1, r2, _r3 = _rooms(city)
    Room.objects.filter(pk=r2.pk).update(status="disinfection")
    _stay(_adult(city), r1)
    # rooms and people: both sides read quarantine.selectors (room_figures, people_in_measures); a metric computed
    # otherwise (rooms - occupied counting a room in disinfection as free; plans in a centralized phase) is caught
    figures = invariants.metrics.figures
    monkeypatch.setattr(invariants.metrics, "figures", lambda **kw: {
        **(f := figures(**kw)), "quarantine_free": f["quarantine_rooms"] - f["quarantine_occupied"],
        "measure_centralized_quarantine": 0})
    details = [v.detail for v in _check("figures_agree")]
    assert any(d.startswith("free rooms") for d in details)
    assert any(d.startswith("people in centralized quarantine") for d in details)


@pytest.mark.django_db
def test_a_consistent_city_reports_no_violation_at_all(city):
    r1, _r2, _r3 = _rooms(city)
    p = _adult(city)
    _stay(p, r1)
    _under_measure(p)
    result = invariants.check(actor=SYSTEM)
    assert set(result) == set(invariants.INVARIANTS)
    assert {k: v for k, v in result.items() if v} == {}


@pytest.mark.django_db
def test_the_invariants_command_prints_counts_and_a_json_line(city):
    r1, _r2, _r3 = _rooms(city)
    _stay(_adult(city), r1)
    out = io.StringIO()
    call_command("invariants", stdout=out)
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert last["invariants_checked"] == list(invariants.INVARIANTS)
    assert last["violations"]["room_occupant_under_measure"] == 1
    assert last["violation_examples"]["room_occupant_under_measure"][0]["kind"] == "quarantine.stay"


def test_a_violation_seen_at_many_hours_counts_once():
    tally = invariants.Tally()
    v = invariants.Violation("figures_agree", "regions.region", (1,), "x")
    tally.add({"figures_agree": [v]})
    tally.add({"figures_agree": [v]})
    summary = tally.summary()
    assert summary["invariant_checks"] == 2 and summary["violations"]["figures_agree"] == 1


# --------------------------------------------------------------------------- the twin's hourly checks
@pytest.mark.django_db
def test_the_hourly_watch_reuses_a_result_only_while_nothing_was_written(city):
    watch = invariants.Watch()
    # 09:00 city time: the hours checked below stay inside one city day whenever the suite runs (at 23:30 an hour
    # later is a new day, when the watch rightly checks again)
    now = clock.day_start(clock.today()) + dt.timedelta(hours=9)
    first = watch.check(actor=SYSTEM, now=now)
    assert watch.check(actor=SYSTEM, now=now + dt.timedelta(hours=1)) is first
    assert (watch.runs, watch.reused) == (1, 1)
    r1, _r2, _r3 = _rooms(city)
    stay = _stay(_adult(city), r1)  # a write: someone in a room under no measure
    found = watch.check(actor=SYSTEM, now=now + dt.timedelta(hours=2))
    assert watch.runs == 2 and [v.ids for v in found["room_occupant_under_measure"]] == [(stay.pk,)]
    watch.check(actor=SYSTEM, now=clock.day_start(clock.day_of(now) + dt.timedelta(days=1)))  # a new city day
    assert watch.runs == 3


@pytest.mark.django_db
def test_the_hourly_watch_runs_again_for_a_passage_timed_between_two_checks(city):
    cp = _checkpoint(city)
    later = _inspection(cp, _adult(city), colour="red", minutes=-30)  # recorded with a time still to come
    watch = invariants.Watch()
    now = clock.now()
    assert watch.check(actor=SYSTEM, now=now)["no_red_or_sealed_passage"] == []
    found = watch.check(actor=SYSTEM, now=now + dt.timedelta(hours=1))["no_red_or_sealed_passage"]
    assert watch.runs == 2 and [v.ids for v in found] == [(later.pk,)]


@pytest.mark.django_db
def test_the_uncertain_rt_rows_go_through_rt_row_once_per_case_count(city, monkeypatch):
    from cordon.surveillance import selectors

    calls = []
    real = selectors.rt_row
    monkeypatch.setattr(selectors, "rt_row", lambda r, **th: calls.append(r.cases) or real(r, **th))
    hidden = [_rt(city.b, 1.5, 0.6, 3, days_ago=k + 1) for k in range(4)]  # a quiet district's every day: hidden
    shown = [_rt(city.a, 1.5, 0.6, 120), _rt(city.b, 1.4, 0.5, 120)]
    found = _check("rt_hidden_when_uncertain")
    assert [v.ids for v in found] == [(r.pk,) for r in shown] and hidden
    assert sorted(calls) == [3, 120]
