import datetime as dt

import pytest
from django.utils import translation

from cordon.zones import rules

ZR = {
    "kinds": {
        "sealed": {"rank": 3, "lift": {"days_without_new_case": 14, "last_close_contact_days_past_exposure": 14,
                                       "negative_round_within_days": 2}, "escalate_on_positive": None, "restart_on_positive": True},
        "controlled": {"rank": 2, "lift": {"days_without_new_case": 14}, "escalate_on_positive": "sealed", "restart_on_positive": True},
        "precaution": {"rank": 1, "lift": {"when_district_sealed_and_controlled_lifted": True}, "escalate_on_positive": "controlled"},
    }
}
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]}


def test_points_inside_a_polygon_respect_its_hole():
    mask = rules.points_inside([1, 5, 11, 9], [1, 5, 5, 9], rules.polygon_rings(SQUARE))
    assert mask.tolist() == [True, False, False, True]


@pytest.mark.parametrize("bad,message", [
    ({"type": "Point", "coordinates": [1, 2]}, "Polygon"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, "at least 3"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [500, 1], [1, 2]]]}, "longitude"),
    ("nope", "GeoJSON"),
])
def test_bad_polygons_are_refused_with_the_reason(bad, message):
    with translation.override("en"), pytest.raises(rules.RuleError, match=message):
        rules.polygon_rings(bad)


def test_a_narrow_zone_may_take_households_from_an_area_wide_one_but_not_the_reverse():
    assert rules.overlap_allowed(ZR, new_kind="sealed", existing_kind="precaution")
    assert not rules.overlap_allowed(ZR, new_kind="controlled", existing_kind="sealed")
    assert not rules.overlap_allowed(ZR, new_kind="sealed", existing_kind="sealed")
    assert not rules.overlap_allowed(ZR, new_kind="precaution", existing_kind="controlled")


def test_common_path_is_the_deepest_shared_ancestor():
    assert rules.common_path(["1.2.3.4", "1.2.3.5", "1.2.3"]) == "1.2.3"
    assert rules.common_path(["1.2.3.4"]) == "1.2.3.4"


def test_unmet_criteria_name_each_one_that_does_not_hold():
    today = dt.date(2022, 5, 20)
    now = dt.datetime(2022, 5, 20, 10, tzinfo=dt.UTC)
    unmet = rules.unmet_criteria(ZR["kinds"]["sealed"], today=today, now=now, clock_start=dt.date(2022, 5, 10),
                                 last_contact_exposure=now - dt.timedelta(days=3), residents=10, residents_negative=8)
    assert [u["criterion"] for u in unmet] == ["days_without_new_case", "last_close_contact_days_past_exposure",
                                               "negative_round_within_days"]
    assert unmet[0]["message"] == "居民中连续无新增病例 10 天（需 14 天）"
    assert unmet[2]["message"].startswith("10 名居民中有 2 名近 ")


def test_every_criterion_holding_leaves_nothing_unmet():
    now = dt.datetime(2022, 6, 1, 10, tzinfo=dt.UTC)
    assert rules.unmet_criteria(ZR["kinds"]["sealed"], today=now.date(), now=now, clock_start=dt.date(2022, 5, 10),
                                last_contact_exposure=now - dt.timedelta(days=15), last_contacts_negative=True,
                                residents=10, residents_negative=10) == []


def test_a_last_contact_without_a_negative_test_blocks_lifting():
    now = dt.datetime(2022, 6, 1, 10, tzinfo=dt.UTC)
    unmet = rules.unmet_criteria(ZR["kinds"]["sealed"], today=now.date(), now=now, clock_start=dt.date(2022, 5, 1),
                                 last_contact_exposure=now - dt.timedelta(days=15), last_contacts_negative=False,
                                 residents=1, residents_negative=1)
    assert [u["criterion"] for u in unmet] == ["last_close_contact_negative"]


def test_area_wide_zones_wait_for_the_higher_zones_of_their_area():
    now = dt.datetime(2022, 6, 1, 10, tzinfo=dt.UTC)
    unmet = rules.unmet_criteria(ZR["kinds"]["precaution"], today=now.date(), now=now, clock_start=None, higher_zones_open=2)
    assert unmet[0]["criterion"] == "higher_zones_open"


def test_days_remaining_count_down_and_add_the_extra_days_when_lowered():
    rule = {"lift": {"days_without_new_case": 7, "extra_days_if_lowered_from_high": 3}}
    assert rules.days_remaining(rule, clock_start=dt.date(2022, 5, 1), today=dt.date(2022, 5, 3)) == 5
    assert rules.days_remaining(rule, clock_start=dt.date(2022, 5, 1), today=dt.date(2022, 5, 3), lowered_from="high") == 8
    assert rules.days_remaining(rule, clock_start=dt.date(2022, 5, 1), today=dt.date(2022, 6, 3)) == 0


def test_status_moves_to_countdown_the_day_after_and_to_eligible_when_criteria_hold():
    day = dt.date(2022, 5, 1)
    assert rules.next_status("in_force", in_force_day=day, today=day, unmet=[]) == "in_force"
    assert rules.next_status("in_force", in_force_day=day, today=day + dt.timedelta(days=1), unmet=[{"criterion": "x"}]) == "countdown"
    assert rules.next_status("countdown", in_force_day=day, today=day + dt.timedelta(days=15), unmet=[]) == "eligible"
    assert rules.next_status("eligible", in_force_day=day, today=day + dt.timedelta(days=16), unmet=[{"criterion": "x"}]) == "countdown"
    assert rules.next_status("lifted", in_force_day=day, today=day, unmet=[]) == "lifted"


def test_a_positive_escalates_controlled_and_restarts_sealed():
    assert rules.on_positive(ZR, "controlled") == ("escalate", "sealed")
    assert rules.on_positive(ZR, "sealed") == ("restart", "sealed")


def test_needs_follow_the_members_flags():
    needs = {"food": ["*"], "medicine": ["chronic", "dialysis"], "baby_supplies": ["infant"]}
    assert rules.household_needs([{"chronic"}, set()], needs) == ["food", "medicine"]
    assert rules.needs_summary([["food", "medicine"], ["food"]], needs) == {"food": 2, "medicine": 1, "baby_supplies": 0}
