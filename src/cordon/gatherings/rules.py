"""Pure gathering rules: the attendance limit for an area's risk level and the decision."""

import datetime as dt


def limit_for(level: str | None, *, gathering_rules: dict) -> int:
    """Largest attendance allowed at this risk level; a level the rule set does not list falls back to "none"."""
    table = gathering_rules.get("max_attendance_by_level", {})
    key = level or "none"
    if key in table:
        return int(table[key])
    return int(table.get("none", 0))


def decide(*, expected: int, level: str | None, starts_at: dt.datetime, registered_at: dt.datetime,
           gathering_rules: dict) -> tuple[bool, int, str]:
    """(approved, limit, reason code): over_limit, suspended_level, short_notice or within_limit."""
    limit = limit_for(level, gathering_rules=gathering_rules)
    if limit == 0:
        return False, limit, "suspended_level"
    if expected > limit:
        return False, limit, "over_limit"
    notice_days = int(gathering_rules.get("notice_days", 0))
    if notice_days and starts_at - registered_at < dt.timedelta(days=notice_days):
        return False, limit, "short_notice"
    return True, limit, "within_limit"
