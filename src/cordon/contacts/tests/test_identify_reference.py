"""identify() against a brute-force reference on a small generated city under protocol-9: every check-in of the city
read into Python and every pair of stays compared, with the rules written plainly (cases.rules.overlap_minutes).
Close, general and secondary contacts must be the same people, each with the same longest overlap."""

import datetime as dt
from collections import defaultdict

import pytest

from cordon.cases import rules as case_rules
from cordon.cases import services as case_services
from cordon.cases.models import Case
from cordon.cases.selectors import case_window
from cordon.contacts import services
from cordon.core import access, clock, policy
from cordon.core.models import RuleSet, RuleSetAdoption
from cordon.people.models import Person
from cordon.sim import citygen
from cordon.venues.models import CheckIn, Venue

pytestmark = pytest.mark.django_db
ACTOR = access.system("test")


def _seconds(a_in, a_out, b_in, b_out, *, buffer_min: int) -> int:
    return round(case_rules.overlap_minutes(a_in, a_out, b_in, b_out, buffer=dt.timedelta(minutes=buffer_min)) * 60)


def _best(out: dict, pid: int, seconds: int) -> None:
    out[pid] = max(out.get(pid, -1), seconds)


def _reference_close(case, tracing: dict, stays: list[tuple], venues: dict) -> tuple[dict, dict, set]:
    """({person: longest overlap s} of close contacts, the same of general contacts, household members)."""
    start, end = case_window(case, tracing)
    level = tracing.get("venue_contact", {})
    close, general = {}, {}
    for p, v, u, a, b in stays:
        span = case_rules.clip(a, b, start, end) if p == case.person_id else None
        if not span:
            continue
        venue = venues[v]
        buffer = case_rules.kind_value(tracing.get("buffer_minutes", {}), venue.kind)
        minimum = case_rules.kind_value(tracing.get("min_overlap_minutes", {}), venue.kind)
        closeness = "close" if u or venue.kind == "bus" else level.get(venue.kind, level.get("default", "close"))
        for q, v2, u2, a2, b2 in stays:
            same_space = (u2 == u or (v2 == v and u2 is None)) if u else v2 == v
            if q != case.person_id and same_space:
                seconds = _seconds(*span, a2, b2, buffer_min=buffer)
                if seconds >= minimum * 60:
                    _best(close if closeness == "close" else general, q, seconds)
    household = set()
    if case.person.household_id:
        household = set(Person.objects.filter(household_id=case.person.household_id).exclude(pk=case.person_id)
                        .values_list("pk", flat=True))
    return close, general, household


def _reference_secondary(close_found: dict, tracing: dict, stays: list[tuple], venues: dict, *, isolated) -> tuple[set, dict]:
    """(co-residents of close contacts, {co-worker: longest overlap s}): every stay of a close contact at their
    workplace between their exposure and their isolation, against every stay in its unit (or, naming no unit, the
    workplace's own staff there without a unit)."""
    people = {p.pk: p for p in Person.objects.filter(pk__in=list(close_found))}
    workplace_of = dict(Person.objects.values_list("pk", "workplace_id"))
    residents, workers = set(), {}
    for pid, person in people.items():
        if person.household_id:
            residents |= set(Person.objects.filter(household_id=person.household_id).values_list("pk", flat=True))
        if person.workplace_id is None:
            continue
        venue = venues[person.workplace_id]
        buffer = case_rules.kind_value(tracing.get("buffer_minutes", {}), venue.kind)
        minimum = case_rules.kind_value(tracing.get("min_overlap_minutes", {}), venue.kind)
        since = close_found[pid]["last"]
        for p, v, u, a, b in stays:
            if p != pid or v != venue.pk or max(a, since) >= min(b, isolated):
                continue
            for q, v2, u2, a2, b2 in stays:
                same = u2 == u if u else (v2 == v and u2 is None and workplace_of[q] == v)
                if q != pid and same:
                    seconds = _seconds(max(a, since), min(b, isolated), a2, b2, buffer_min=buffer)
                    if seconds >= minimum * 60:
                        _best(workers, q, seconds)
    return residents, workers


def _longest_minutes(found: dict, rules: set[str]) -> dict[int, int]:
    return {pid: max((e["minutes"] for e in item["evidence"] if e["rule"] in rules), default=None) for pid, item in found.items()}


@pytest.mark.parametrize("seed", [3])
def test_identify_matches_a_brute_force_reference_on_a_generated_city(seed):
    citygen.generate_city(people=400, seed=seed, progress=False, days=5)
    policy.sync_fixtures()
    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="protocol-9"), effective_from=clock.today() - dt.timedelta(days=30))
    policy.clear_cache()
    stays = list(CheckIn.objects.values_list("person_id", "venue_id", "unit_id", "time_in", "time_out"))
    venues = {v.pk: v for v in Venue.objects.all()}
    now = clock.now().replace(microsecond=0)  # identify reckons in whole epoch seconds (finding._epoch, bulk.epoch_sql)
    count = defaultdict(int)
    for p, *_ in stays:
        count[p] += 1
    picks = sorted(count, key=lambda p: (-count[p], p))[:6]  # the busiest people: the most contacts to compare
    checked = secondary_seen = 0
    for pid in picks:
        last_out = max(b for p, _, _, _, b in stays if p == pid)
        case = case_services.case_report(actor=ACTOR, person_id=pid, kind="confirmed", found_by="fever_clinic",
                                         confirmed_at=min(last_out + dt.timedelta(hours=3), now),
                                         onset_date=clock.day_of(last_out) - dt.timedelta(days=1))
        case = Case.objects.select_related("person").get(pk=case.pk)
        tracing = policy.in_force(case.confirmed_at).section("tracing")
        found = services.identify(case, now=now)
        cases = set(Case.objects.values_list("person_id", flat=True))
        close, general, household = _reference_close(case, tracing, stays, venues)
        close_ids = (set(close) | household) - cases
        assert set(found["close_contact"]) == close_ids
        assert set(found[services.GENERAL_CONTACT]) == set(general) - close_ids - cases
        venue_rules = {"venue_overlap", "vehicle"}
        got = _longest_minutes(found["close_contact"], venue_rules)
        assert {p: m for p, m in got.items() if m is not None} == {p: round(s / 60) for p, s in close.items() if p in close_ids}
        assert _longest_minutes(found[services.GENERAL_CONTACT], venue_rules) == {
            p: round(s / 60) for p, s in general.items() if p in found[services.GENERAL_CONTACT]}
        _, end = case_window(case, tracing)
        isolated = min(now, end + dt.timedelta(hours=tracing.get("sla_hours", {}).get("core_tracing", 4)))
        residents, workers = _reference_secondary(found["close_contact"], tracing, stays, venues, isolated=isolated)
        secondary = found.get("secondary_contact", {})
        excluded = close_ids | cases
        assert set(secondary) - cases == (residents | set(workers)) - excluded
        got = _longest_minutes(secondary, {"workplace"})
        assert {p: m for p, m in got.items() if m is not None and p not in cases} == {
            p: round(s / 60) for p, s in workers.items() if p not in excluded}
        checked += 1
        secondary_seen += bool(workers)
    assert checked == len(picks) and secondary_seen  # the city gave workplace secondary contacts to compare
