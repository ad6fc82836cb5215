import datetime as dt

from cordon.quarantine import rules, solver


def test_test_days_follow_the_plan_and_fall_back_to_first_and_last_day():
    assert rules.test_days({"test_days": [1, 2, 3, 5]}, 5) == [1, 2, 3, 5]
    assert rules.test_days(None, 7) == [1, 7]


def test_release_needs_days_complete_and_a_negative_last_test():
    d = dt.date(2026, 11, 10)
    assert rules.release_problems(today=d, planned_end=d, last_test="negative", require_negative=True) == []
    assert len(rules.release_problems(today=d - dt.timedelta(days=1), planned_end=d, last_test=None,
                                      require_negative=True)) == 2


def test_reserve_target_rounds_up():
    assert rules.reserve_target(10001, 20) == 21


def test_forecast_follows_a_rising_trend():
    f = rules.forecast_arrivals([1, 2, 3, 4], 3)
    assert f[0] > 4 and f[2] > f[0]
    assert rules.forecast_arrivals([5, 3, 1, 0], 3)[-1] == 0.0


def test_solver_matches_the_flow_optimum_when_households_fit_and_keeps_them_together():
    members = [solver.Member(person_id=i, household=i // 2, age=30) for i in range(8)]
    origin_of = {i: 0 if i < 4 else 1 for i in range(8)}
    origins = [solver.Origin(0, 121.30, 31.2, "A"), solver.Origin(1, 121.50, 31.2, "A")]
    sites = [solver.SiteCap(10, "A", 121.31, 31.2, free=4), solver.SiteCap(11, "A", 121.49, 31.2, free=4),
             solver.SiteCap(12, "B", 121.40, 31.2, free=10, lends=False)]
    units = solver.make_units(members, origin_of)
    res = solver.solve(units, origins, sites)
    assert res.cost == res.optimum and res.unplaced == 0
    assert {res.site_of[u.key] for u in units if u.origin == 0} == {10}
    for hh in range(4):
        assert len({res.site_of[u.key] for u in units if u.group == hh}) == 1


def test_units_that_find_no_room_are_unplaced():
    members = [solver.Member(person_id=i, household=None, age=30) for i in range(3)]
    units = solver.make_units(members, {i: 0 for i in range(3)})
    res = solver.solve(units, [solver.Origin(0, 121.3, 31.2, "A")], [solver.SiteCap(1, "A", 121.3, 31.2, free=2)])
    assert res.unplaced == 1


def test_rooms_for_a_household_are_neighbours_on_one_floor():
    rooms = [(1, 2, 1), (2, 2, 3), (3, 2, 4), (4, 3, 1), (5, 3, 2), (6, 3, 3)]
    out = solver.assign_rooms([[100, 101, 102], [200]], rooms)
    assert [out[100], out[101], out[102]] == [4, 5, 6]
    assert out[200] == 1
