"""Pure colour rules: which colour a set of reasons gives under a rule set's status section."""

import datetime as dt
from collections.abc import Iterable


def colour_for(reasons: Iterable[str], *, status_rules: dict) -> str:
    """The highest-priority colour among the reasons (green when none applies)."""
    mapping = status_rules.get("reasons", {})
    priority = status_rules.get("priority", ["red", "yellow", "green"])
    colours = {mapping.get(r) for r in reasons} - {None}
    for colour in priority:
        if colour in colours:
            return colour
    return "green"


def auto_green_due(negatives: list[dt.datetime], *, since: dt.datetime, auto_green: dict) -> bool:
    """Two (or the rule's count) negative samples at least min_gap_hours apart within within_days of `since`."""
    need = auto_green.get("negatives", 2)
    gap = dt.timedelta(hours=auto_green.get("min_gap_hours", 24))
    window_end = since + dt.timedelta(days=auto_green.get("within_days", 3))
    times = sorted(t for t in negatives if since <= t <= window_end)
    chosen: list[dt.datetime] = []
    for t in times:
        if not chosen or t - chosen[-1] >= gap:
            chosen.append(t)
    return len(chosen) >= need
