"""Pure key-worker rules: the plate format, route coverage, the testing cadence and the pass verdict at a
checkpoint. Rule values come from the app's rules.json, overridden by a rule set's "keyworkers" section."""

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

# A Chinese licence plate (GA 36): province abbreviation, issuing-office letter (no I or O), then five characters
# (the last may be 挂 for a trailer, 学, 警, 港, 澳), or six for a new-energy vehicle (D/F first or last).
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"
PLATE_RE = re.compile(rf"^[{_PROVINCES}][{_L}](?:[{_L}0-9]{{4}}[{_L}0-9挂学警港澳]|[DF][{_L}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")


def normalise_plate(value: str) -> str:
    return "".join(str(value or "").split()).upper().replace("·", "").replace("-", "")


def plate_ok(plate: str) -> bool:
    return bool(PLATE_RE.match(plate or ""))


@cache
def _defaults() -> dict:
    return json.loads((Path(__file__).parent / "rules.json").read_text(encoding="utf-8"))


def merged(section: dict | None) -> dict:
    """The app's rule values with a rule set's "keyworkers" section laid over them."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in _defaults().items()}
    for key, value in (section or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def every_hours(category: str, rules: dict) -> int:
    return int(rules["test_every_hours"].get(category, 48))


def within_hours(category: str, rules: dict) -> int:
    return int(rules["pass_test_within_hours"].get(category, 48))


def next_due(*, last_negative_at: dt.datetime | None, registered_at: dt.datetime, category: str, rules: dict) -> dt.datetime:
    """When the next test is due: the cadence after the latest negative; someone never tested is due from registration."""
    if last_negative_at is None:
        return registered_at
    return last_negative_at + dt.timedelta(hours=every_hours(category, rules))


def positive(last_negative_at: dt.datetime | None, last_positive_at: dt.datetime | None) -> bool:
    """The latest result is positive."""
    return last_positive_at is not None and (last_negative_at is None or last_positive_at >= last_negative_at)


def test_state(*, due_at: dt.datetime, now: dt.datetime, day_end: dt.datetime, is_positive: bool) -> str:
    """positive, overdue (due before now), due_today (due before the end of the city's day) or ok."""
    if is_positive:
        return "positive"
    if due_at < now:
        return "overdue"
    if due_at < day_end:
        return "due_today"
    return "ok"


def _division_prefix(code: str) -> str:
    """A six-digit division code's meaningful prefix: 310000 -> 31, 310100 -> 3101, 310115 -> 310115."""
    code = code or ""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def covers(endpoint: tuple[str, str], place: tuple[str, str]) -> bool:
    """Does a route endpoint (region path, division code) cover a place (region path, division code)?"""
    e_path, e_div = endpoint
    p_path, p_div = place
    if e_path and p_path and (p_path == e_path or p_path.startswith(e_path + ".")):
        return True
    return bool(e_div and p_div and p_div.startswith(_division_prefix(e_div)))


def on_route(route: list[tuple[str, str]], places: list[tuple[str, str]]) -> bool:
    """Every declared place lies at one end of the route (routes are travelled both ways)."""
    return all(any(covers(end, place) for end in route) for place in places if place[0] or place[1])


def pass_verdict(*, found: bool, status: str, valid_from: dt.datetime | None, valid_until: dt.datetime | None,
                 now: dt.datetime, last_negative_at: dt.datetime | None, last_positive_at: dt.datetime | None,
                 within: int, route_ok: bool, plate_ok: bool = True) -> tuple[str, str]:
    """(result, reason) of a key-worker pass at a checkpoint; every refusal holds the holder with its reason."""
    if not found or status == "revoked":
        return "hold", "kw_invalid"
    if valid_from is None or valid_until is None or not (valid_from <= now <= valid_until):
        return "hold", "kw_expired"
    if positive(last_negative_at, last_positive_at):
        return "hold", "kw_positive"
    if status == "suspended":
        return "hold", "kw_suspended"
    if last_negative_at is None or now - last_negative_at > dt.timedelta(hours=within):
        return "hold", "kw_test"
    if not plate_ok:
        return "hold", "kw_plate"
    if not route_ok:
        return "hold", "kw_route"
    return "pass", "kw_ok"
