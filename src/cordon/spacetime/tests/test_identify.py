import datetime as dt
from types import SimpleNamespace

import pytest

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.spacetime import cells, selectors
from cordon.spacetime.factories import CellPresenceFactory

TRACING = {"spacetime": {"cell_m": 800, "min_minutes": 10, "either_party_min_hours_14d": 30, "lookback_days": 14}}
HOME, MALL = cells.parse_cell("E10N10"), cells.parse_cell("E30N30")


def _t(day, hour, minute=0, second=0):
    base = clock.aware(dt.datetime(2022, 6, 1))
    return base + dt.timedelta(days=day, hours=hour, minutes=minute, seconds=second)


def _at(person, cell, start, end):
    return CellPresenceFactory(person=person, cell_id=cell, start=start, end=end)


@pytest.fixture
def scenario(city):
    case_person = PersonFactory(grid=city.a_grid)
    p = SimpleNamespace(case=SimpleNamespace(person_id=case_person.pk), start=_t(2, 0), end=_t(4, 0))
    for day in range(4):  # the case sleeps at home: 4 x 8 h = 32 h in its home cell
        _at(case_person, HOME, _t(day, 0), _t(day, 8))
    _at(case_person, MALL, _t(2, 10), _t(2, 12))
    people = {name: PersonFactory(grid=city.a_grid) for name in ("ten", "ten_plus", "shopper", "clerk", "excluded", "earlier")}
    _at(people["ten"], HOME, _t(3, 7, 50), _t(3, 9))            # exactly 10 minutes with the case
    _at(people["ten_plus"], HOME, _t(3, 7, 49, 59), _t(3, 9))   # 10 min 1 s; the case has > 30 h there
    _at(people["shopper"], MALL, _t(2, 11), _t(2, 11, 20))      # 20 min; neither party > 30 h at the mall
    for day in range(4):                                        # works at the mall: 4 x 8 h = 32 h
        _at(people["clerk"], MALL, _t(day, 9), _t(day, 17))
    _at(people["excluded"], HOME, _t(3, 6), _t(3, 9))
    _at(people["earlier"], HOME, _t(1, 0), _t(1, 8))            # before the window
    p.people = {k: v.pk for k, v in people.items()}
    return p


def test_companions_are_found_by_the_rule_with_their_evidence(scenario):
    s = scenario
    found = selectors.companions_for_case(case=s.case, start=s.start, end=s.end, tracing=TRACING, exclude={s.people["excluded"]})
    assert set(found) == {s.people["ten_plus"], s.people["clerk"]}
    clerk = found[s.people["clerk"]]
    assert clerk["last"] == _t(2, 12)
    (ev,) = clerk["evidence"]
    assert ev["rule"] == "spacetime" and ev["cell"] == MALL and ev["cell_label"] == "E30N30"
    assert ev["minutes"] == 120.0 and ev["case_hours_14d"] == 2.0 and ev["other_hours_14d"] == 32.0
    assert ev["start"].startswith("2022-06-03T10:00") and ev["end"].startswith("2022-06-03T12:00")
    neighbour = found[s.people["ten_plus"]]["evidence"][0]
    assert neighbour["cell"] == HOME and neighbour["case_hours_14d"] == 32.0 and neighbour["minutes"] == pytest.approx(10.0, abs=0.1)


def test_exactly_ten_minutes_together_is_no_companion(scenario):
    s = scenario
    found = selectors.companions_for_case(case=s.case, start=s.start, end=s.end, tracing=TRACING, exclude=set())
    assert s.people["ten"] not in found and s.people["shopper"] not in found and s.people["earlier"] not in found
    assert s.people["excluded"] in found


def test_the_same_result_as_the_row_by_row_baseline(scenario):
    s = scenario
    fast = selectors.companions_for_case(case=s.case, start=s.start, end=s.end, tracing=TRACING, exclude=set())
    naive = selectors.companions_naive(case=s.case, start=s.start, end=s.end, tracing=TRACING, exclude=set())
    assert set(fast) == set(naive)


def test_no_companions_when_the_rule_set_does_not_identify_them(scenario):
    from cordon.core import policy

    policy.sync_fixtures()
    tracing = policy.by_code("measures-2022-11").section("tracing")
    s = scenario
    assert selectors.companions_for_case(case=s.case, start=s.start, end=s.end, tracing=tracing, exclude=set()) == {}
    assert selectors.companions_for_case(case=s.case, start=s.start, end=s.end,
                                         tracing=policy.by_code("protocol-9").section("tracing"), exclude=set())


def test_a_case_without_presence_has_no_companions(city):
    case = SimpleNamespace(person_id=PersonFactory(grid=city.a_grid).pk)
    assert selectors.companions_for_case(case=case, start=_t(2, 0), end=_t(4, 0), tracing=TRACING, exclude=set()) == {}


def test_without_other_hours_the_cases_own_hours_decide_where_they_can(scenario):
    s = scenario
    full = selectors.companions_for_case(case=s.case, start=s.start, end=s.end, tracing=TRACING, exclude=set())
    quick = selectors.companions_for_case(case=s.case, start=s.start, end=s.end, tracing=TRACING, exclude=set(), other_hours=False)
    assert set(full) == set(quick)
    assert quick[s.people["ten_plus"]]["evidence"][0]["other_hours_14d"] is None
    assert full[s.people["ten_plus"]]["evidence"][0]["other_hours_14d"] == 1.2
    assert quick[s.people["clerk"]]["evidence"][0]["other_hours_14d"] == 32.0
