"""Venue registers as files (venues, closure orders, one order's notices), through core.exports."""

from collections.abc import Mapping

from cordon.core import clock, exports
from cordon.core.exports import Column
from cordon.venues import selectors


def _minute(value) -> str:
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""


VENUE_COLUMNS = [
    Column("code", lambda v: v.code), Column("name", lambda v: v.name), Column("kind", lambda v: v.get_kind_display()),
    Column("region", lambda v: v.region.name), Column("address", lambda v: v.address), Column("capacity", lambda v: v.capacity),
    Column("state", lambda v: "open" if v.open_now else "closed"),
]

CLOSURE_COLUMNS = [
    Column("number", lambda o: o.number), Column("title", lambda o: o.title), Column("kinds", lambda o: o.kinds),
    Column("area", lambda o: o.area.name), Column("status", lambda o: o.get_status_display()), Column("starts_at", lambda o: _minute(o.starts_at)),
    Column("ends_at", lambda o: _minute(o.ends_at)),
]

NOTICE_COLUMNS = [
    Column("venue_code", lambda n: n.venue.code), Column("venue", lambda n: n.venue.name), Column("kind", lambda n: n.venue.get_kind_display()),
    Column("address", lambda n: n.venue.address), Column("state", lambda n: "reopened" if n.reopened_at else "closed"),
    Column("last_inspection", lambda n: "" if n.last_found_open is None else ("open" if n.last_found_open else "closed")),
    Column("notice", lambda n: n.text),
]


def venues_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Venues in the actor's area as a file, filtered like the page."""
    qs = selectors.venue_list(actor=actor, filters=filters).select_related("region")
    return exports.export(actor=actor, domain="venues", name="venues", columns=VENUE_COLUMNS, rows=qs,
                          filters=filters, fmt=fmt)


def closures_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Closure orders in the actor's area as a file, filtered like the page."""
    return exports.export(actor=actor, domain="venues", name="closures", columns=CLOSURE_COLUMNS,
                          rows=selectors.closure_list(actor=actor, filters=filters), filters=filters, fmt=fmt)


def notices_export(*, actor, order, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """The venues one closure order covers, with their notice and latest finding, as a file."""
    return exports.export(actor=actor, domain="venues", name=f"closure-{order.number}", columns=NOTICE_COLUMNS,
                          rows=selectors.closure_notices(actor=actor, order=order, filters=filters),
                          filters={"order": order.pk, **dict((filters or {}).items())}, fmt=fmt)
