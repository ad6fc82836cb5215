"""The gatherings register as a file, through core.exports."""

from collections.abc import Mapping

from cordon.core import clock, exports
from cordon.core.exports import Column
from cordon.gatherings import selectors

COLUMNS = [
    Column("title", lambda g: g.title), Column("organizer", lambda g: g.organizer),
    Column("venue", lambda g: g.venue.name if g.venue else g.address), Column("region", lambda g: g.region.name),
    Column("expected", lambda g: g.expected_attendance), Column("starts_at", lambda g: clock.local(g.starts_at).strftime("%Y-%m-%d %H:%M")),
    Column("status", lambda g: g.status), Column("risk_level", lambda g: g.risk_level), Column("limit", lambda g: g.max_allowed),
    Column("reason", lambda g: g.decision_reason),
]


def gatherings_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Gatherings in the actor's area as a file, filtered like the page."""
    return exports.export(actor=actor, domain="gatherings", name="gatherings", columns=COLUMNS,
                          rows=selectors.gathering_list(actor=actor, filters=filters), filters=filters, fmt=fmt)
