"""Stored simulation runs as a file, through core.exports. Runs belong to no region: `sim.export` anywhere."""

from collections.abc import Mapping

from cordon.core import exports
from cordon.core.exports import Column
from cordon.sim import selectors


def _kpi(key: str):
    return lambda r: (r.kpis if r.kind != "compare" else {}).get(key)


COLUMNS = [
    Column("run", lambda r: r.run_id), Column("kind", lambda r: r.kind), Column("label", lambda r: r.label),
    Column("created", lambda r: r.created_at.isoformat(timespec="minutes")), Column("people", lambda r: r.people),
    Column("days", lambda r: r.days), Column("seconds", lambda r: round(r.seconds, 1)), Column("infections", _kpi("infections")),
    Column("detected", _kpi("detected")), Column("median_hours_to_contacts_placed", _kpi("median_hours_to_contacts_placed")),
    Column("tracing_recall", _kpi("tracing_recall")),
]


def runs_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Stored simulation runs with their headline KPIs as a file, filtered like the page."""
    return exports.export(actor=actor, domain="sim", name="simulation-runs", columns=COLUMNS,
                          rows=selectors.run_list(actor=actor, filters=filters), region_field=None,
                          filters=dict((filters or {}).items()), fmt=fmt)
