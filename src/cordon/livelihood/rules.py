"""Pure rules for the livelihood module: deadlines and the escalation ladder. No ORM; policy values
are passed in."""

import datetime as dt


def need_deadline(*, created_at: dt.datetime, kind: str, hours_by_kind: dict[str, int]) -> dt.datetime:
    """When a household need must be delivered (medicine and care sooner than food)."""
    hours = hours_by_kind.get(kind)
    if hours is None:
        hours = max(hours_by_kind.values()) if hours_by_kind else 24
    return created_at + dt.timedelta(hours=int(hours))


def emergency_deadlines(*, created_at: dt.datetime, ack_minutes: int, dispatch_minutes: int) -> tuple[dt.datetime, dt.datetime]:
    """(acknowledge by, dispatch by) for an emergency request, both counted from its creation."""
    return created_at + dt.timedelta(minutes=int(ack_minutes)), created_at + dt.timedelta(minutes=int(dispatch_minutes))


def missed_deadline(*, status: str, now: dt.datetime, ack_deadline: dt.datetime, dispatch_deadline: dt.datetime) -> str | None:
    """Which deadline an open emergency has missed: "acknowledge", "dispatch" or None."""
    if status == "open" and now > ack_deadline:
        return "acknowledge"
    if status in ("open", "acknowledged") and now > dispatch_deadline:
        return "dispatch"
    return None


def due_level(*, now: dt.datetime, first_missed: dt.datetime, step_minutes: int) -> int:
    """How many levels up an emergency should be by now: one when its first deadline passes, one more each step."""
    if now <= first_missed:
        return 0
    return 1 + int((now - first_missed).total_seconds() // (max(1, int(step_minutes)) * 60))


def escalation_path(*, region_path: str, level: int) -> str:
    """The region `level` steps up from region_path (never above the city)."""
    parts = region_path.split(".")
    keep = max(1, len(parts) - level)
    return ".".join(parts[:keep])


def next_test_due(*, last_test: dt.date | None, every_days: int, start: dt.date) -> dt.date:
    """The day a closed-loop worker's next test is due."""
    if last_test is None:
        return start
    return last_test + dt.timedelta(days=max(1, int(every_days)))


def age_band(minutes: float) -> str:
    """Board colour for an emergency waiting `minutes`: green under 10, yellow under 30, red after."""
    if minutes < 10:
        return "green"
    if minutes < 30:
        return "yellow"
    return "red"
