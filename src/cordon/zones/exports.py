"""Zones as a file (shared by the web view and the API), through core.exports."""

from collections.abc import Mapping

from cordon.core import clock, exports
from cordon.core.exports import Column
from cordon.zones import selectors


def _when(value) -> str:
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""


COLUMNS = [
    Column("id", lambda z: z.pk), Column("name", lambda z: z.name), Column("kind", lambda z: z.kind), Column("status", lambda z: z.status),
    Column("district", lambda z: z.district_path), Column("region_path", lambda z: z.region_path), Column("population", lambda z: z.population),
    Column("households", lambda z: z.households), Column("vulnerable", lambda z: z.vulnerable),
    Column("designated_at", lambda z: _when(z.designated_at)), Column("in_force_at", lambda z: _when(z.in_force_at)),
    Column("lifted_at", lambda z: _when(z.lifted_at)), Column("origin", lambda z: z.origin),
]


def zones_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Zones in the actor's area as a file, one row per zone, filtered like the page."""
    return exports.export(actor=actor, domain="zones", name="zones", columns=COLUMNS,
                          rows=selectors.zone_list(actor=actor, filters=filters).order_by("id"), filters=dict((filters or {}).items()), fmt=fmt)
