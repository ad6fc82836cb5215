import numpy as np

from cordon.spacetime import cells, rules
from cordon.spacetime.services import timeline

RULE = rules.SpacetimeRule(cell_m=800, min_minutes=10, hours=30, lookback_days=14)


def test_exactly_ten_minutes_together_is_not_enough():
    assert not rules.is_companion(together_seconds=600, case_seconds=40 * 3600, other_seconds=0, rule=RULE)
    assert rules.is_companion(together_seconds=601, case_seconds=40 * 3600, other_seconds=0, rule=RULE)


def test_exactly_thirty_hours_for_either_party_is_not_enough():
    assert not rules.is_companion(together_seconds=3600, case_seconds=30 * 3600, other_seconds=30 * 3600, rule=RULE)
    assert rules.is_companion(together_seconds=3600, case_seconds=30 * 3600 + 1, other_seconds=0, rule=RULE)
    assert rules.is_companion(together_seconds=3600, case_seconds=0, other_seconds=30 * 3600 + 1, rule=RULE)


def test_a_rule_set_without_spacetime_identifies_nobody():
    assert rules.rule_from({"spacetime": None}) is None
    assert rules.rule_from({}) is None
    assert rules.rule_from({"spacetime": {"cell_m": 800, "min_minutes": 10, "either_party_min_hours_14d": 30,
                                          "lookback_days": 14}}) == RULE


def test_overlapping_rows_of_one_key_count_once():
    keys, seconds, first, last = rules.union_seconds([1, 1, 2, 1], [0, 5, 0, 20], [10, 12, 3, 25])
    assert keys.tolist() == [1, 2] and seconds.tolist() == [17, 3] and first.tolist() == [0, 0] and last.tolist() == [25, 3]


def test_stays_are_split_at_the_given_midnights():
    row, s, e = rules.split_at([0, 50, 95], [10, 250, 120], [100, 200])
    assert list(zip(row.tolist(), s.tolist(), e.tolist(), strict=True)) == [
        (0, 0, 10), (1, 50, 100), (1, 100, 200), (1, 200, 250), (2, 95, 100), (2, 100, 120)]


def test_intersections_keep_only_the_shared_time():
    p, s, e = rules.intersections([0, 100], [50, 200], [7, 8], [40, 10], [120, 20])
    assert list(zip(p.tolist(), s.tolist(), e.tolist(), strict=True)) == [(7, 40, 50), (7, 100, 120), (8, 10, 20)]


def test_cells_are_800_m_squares_from_the_origin():
    c = cells.cell_of(121.0001, 31.0001)
    assert cells.cell_xy(c) == (0, 0)
    east = cells.cell_of(121.0 + 801 / (111_320 * np.cos(np.radians(31.0))), 31.0001)
    assert cells.cell_xy(east) == (1, 0)
    assert cells.cell_of(120.9, 31.0) is None
    assert cells.parse_cell(cells.cell_label(east)) == east
    assert cells.parse_cell(str(east)) == east
    assert cells.parse_cell("E1Nx") is None and cells.parse_cell(str(2**32)) is None
    assert cells.cells_of([121.0001, np.nan], [31.0001, 31.0]).tolist() == [c, -1]
    lon, lat = cells.cell_center(east)
    assert cells.cell_of(lon, lat) == east


def test_a_day_is_home_between_check_ins_and_the_venue_during_them():
    # person 0: home cell 5, visits cell 9 from 100 to 200 and (overlapping) 150 to 300 -> home, 9, home
    p, c, s, e = timeline(person=[0, 0], cell=[9, 9], t_in=[100, 150], t_out=[200, 300], home=np.array([5, 6]), lo=0, hi=1000)
    assert list(zip(p.tolist(), c.tolist(), s.tolist(), e.tolist(), strict=True)) == [
        (0, 5, 0, 100), (0, 9, 100, 300), (0, 5, 300, 1000), (1, 6, 0, 1000)]


def test_a_visit_in_the_home_cell_merges_with_home():
    p, c, s, e = timeline(person=[0], cell=[5], t_in=[100], t_out=[200], home=np.array([5]), lo=0, hi=1000)
    assert list(zip(p.tolist(), c.tolist(), s.tolist(), e.tolist(), strict=True)) == [(0, 5, 0, 1000)]
