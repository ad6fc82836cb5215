"""Pure checkpoint rules: the verdict for a checked credential (or a vehicle pass) at a checkpoint
of a given kind, with rule values passed in. The offline page (static/checkpoints/scan.js)
applies the same order of checks; keep the two in step.

Order: unreadable/forged/expired codes first, then, on the way out, a colour that may not leave
(status.no_exit_colours: cases, people under measures, sealed-zone residents; hold, "no_exit", which an
authorised officer may override), then a red code (hold), an origin risk area (hold, handed over to
measures), a yellow code (redirect), then the negative-test validity window (redirect to a sampling
point), otherwise pass.
"""

import datetime as dt

HOLD_REASONS = {"malformed", "unknown_key", "forged", "colour_red", "origin_risk_area", "not_yet_valid", "no_exit"}


def validity_hours(kind: str, *, checkpoint_rules: dict) -> int:
    """Hours a negative test stays valid at this kind of checkpoint."""
    table = checkpoint_rules.get("test_validity_hours", {})
    return int(table.get(kind, table.get("default", 48)))


def verdict(*, check_reason: str, colour: str | None, last_negative_at: dt.datetime | None, now: dt.datetime,
            kind: str, origin_level: str | None, checkpoint_rules: dict, direction: str = "in",
            no_exit_colours: tuple[str, ...] | list[str] = ()) -> tuple[str, str]:
    """(result, reason) for a person: result in pass|hold|redirect."""
    if check_reason:
        return ("redirect", check_reason) if check_reason == "expired" else ("hold", check_reason)
    if direction == "out" and colour in no_exit_colours:
        return "hold", "no_exit"
    if colour == "red":
        return "hold", "colour_red"
    if origin_level and origin_level in checkpoint_rules.get("hold_origin_risk_levels", []):
        return "hold", "origin_risk_area"
    if colour not in checkpoint_rules.get("pass_colours", ["green"]):
        return "redirect", f"colour_{colour}" if colour in ("yellow", "red") else "colour_yellow"
    if last_negative_at is None:
        return "redirect", "no_test"
    if now - last_negative_at > dt.timedelta(hours=validity_hours(kind, checkpoint_rules=checkpoint_rules)):
        return "redirect", "test_too_old"
    return "pass", "ok"


def vehicle_verdict(*, pass_found: bool, plate_matches: bool, valid_from: dt.datetime | None,
                    valid_until: dt.datetime | None, revoked: bool, now: dt.datetime) -> tuple[str, str]:
    """(result, reason) for a key-supply vehicle presenting a green-lane pass."""
    if not pass_found or not plate_matches or revoked or valid_from is None or valid_until is None:
        return "redirect", "pass_invalid"
    if not (valid_from <= now <= valid_until):
        return "redirect", "pass_invalid"
    return "pass", "green_lane"
