import datetime as dt

import pytest

from cordon.checkpoints import rules

NOW = dt.datetime(2022, 11, 20, 12, 0, tzinfo=dt.UTC)
RULES = {"test_validity_hours": {"road": 48, "village_entrance": 72, "default": 24}, "pass_colours": ["green"],
         "hold_origin_risk_levels": ["high"]}


def _v(**kw):
    args = {"check_reason": "", "colour": "green", "last_negative_at": NOW - dt.timedelta(hours=10), "now": NOW,
            "kind": "road", "origin_level": None, "checkpoint_rules": RULES}
    args.update(kw)
    return rules.verdict(**args)


def test_a_green_code_with_a_recent_negative_passes():
    assert _v() == ("pass", "ok")


@pytest.mark.parametrize("reason", ["malformed", "unknown_key", "forged", "not_yet_valid"])
def test_unreadable_or_forged_codes_are_held(reason):
    assert _v(check_reason=reason) == ("hold", reason)


def test_an_expired_code_is_sent_to_refresh():
    assert _v(check_reason="expired") == ("redirect", "expired")


def test_a_red_code_is_held_before_anything_else():
    assert _v(colour="red", origin_level="high", last_negative_at=None) == ("hold", "colour_red")


def test_an_arrival_from_a_hold_level_area_is_held_and_other_levels_are_not():
    assert _v(origin_level="high") == ("hold", "origin_risk_area")
    assert _v(origin_level="low") == ("pass", "ok")


def test_a_yellow_code_is_redirected():
    assert _v(colour="yellow") == ("redirect", "colour_yellow")


def test_the_test_window_depends_on_the_checkpoint_kind():
    old = NOW - dt.timedelta(hours=60)
    assert _v(last_negative_at=old) == ("redirect", "test_too_old")
    assert _v(last_negative_at=old, kind="village_entrance") == ("pass", "ok")
    assert _v(last_negative_at=NOW - dt.timedelta(hours=30), kind="airport") == ("redirect", "test_too_old")
    assert _v(last_negative_at=None) == ("redirect", "no_test")


def test_a_vehicle_needs_a_valid_pass_for_its_own_plate():
    ok = {"pass_found": True, "plate_matches": True, "valid_from": NOW - dt.timedelta(days=1),
          "valid_until": NOW + dt.timedelta(days=1), "revoked": False, "now": NOW}
    assert rules.vehicle_verdict(**ok) == ("pass", "green_lane")
    assert rules.vehicle_verdict(**{**ok, "plate_matches": False}) == ("redirect", "pass_invalid")
    assert rules.vehicle_verdict(**{**ok, "revoked": True}) == ("redirect", "pass_invalid")
    assert rules.vehicle_verdict(**{**ok, "valid_until": NOW - dt.timedelta(hours=1)}) == ("redirect", "pass_invalid")
    assert rules.vehicle_verdict(**{**ok, "pass_found": False}) == ("redirect", "pass_invalid")
