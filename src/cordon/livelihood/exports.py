"""Livelihood registers as files (needs, emergencies, utility incidents, supply points, key enterprises), through core.exports."""

from collections.abc import Mapping

from cordon.core import clock, exports
from cordon.core.exports import Column
from cordon.livelihood import selectors
from cordon.livelihood.models import SupplyPoint


def _waited_minutes(e) -> int:
    return int(((e.dispatched_at or clock.now()) - e.created_at).total_seconds() / 60)


NEED_COLUMNS = [
    Column("id", lambda n: n.pk), Column("kind", lambda n: n.kind), Column("status", lambda n: n.status), Column("channel", lambda n: n.channel),
    Column("address", lambda n: n.household.address, pii=exports.ADDRESS), Column("team", lambda n: n.team.name if n.team_id else ""),
    Column("created_at", lambda n: n.created_at.isoformat()), Column("deadline", lambda n: n.deadline.isoformat()),
    Column("delivered_at", lambda n: n.delivered_at.isoformat() if n.delivered_at else ""),
    Column("overdue", lambda n: n.status in selectors.OPEN_NEED and n.deadline < clock.now()),
]

EMERGENCY_COLUMNS = [
    Column("id", lambda e: e.pk), Column("kind", lambda e: e.kind), Column("status", lambda e: e.status),
    Column("created_at", lambda e: e.created_at.isoformat()), Column("minutes_waiting", _waited_minutes),
    Column("escalation_level", lambda e: e.escalation_level), Column("dispatch_kind", lambda e: e.dispatch_kind),
    Column("hospital", lambda e: e.hospital), Column("outcome", lambda e: e.outcome),
]

INCIDENT_COLUMNS = [
    Column("id", lambda i: i.pk), Column("kind", lambda i: i.kind), Column("region", lambda i: i.region_path),
    Column("address", lambda i: i.address), Column("households", lambda i: i.households_affected), Column("zone_level", lambda i: i.zone_level),
    Column("status", lambda i: i.status), Column("reported_at", lambda i: i.reported_at.isoformat()),
    Column("deadline", lambda i: i.deadline.isoformat()),
]

POINT_COLUMNS = [
    Column("id", lambda p: p.pk), Column("name", lambda p: p.name), Column("kind", lambda p: p.kind), Column("region", lambda p: p.region_path),
    Column("open", lambda p: p.open), *[Column(f, lambda p, f=f: getattr(p, f)) for f in SupplyPoint.STOCK_FIELDS],
]

ENTERPRISE_COLUMNS = [
    Column("id", lambda e: e.pk), Column("name", lambda e: e.name), Column("credit_code", lambda e: e.credit_code),
    Column("sector", lambda e: e.sector), Column("region", lambda e: e.region_path), Column("whitelisted", lambda e: e.whitelisted),
    Column("running_plans", lambda e: e.running),
]


def _export(*, actor, name: str, columns, rows, filters: Mapping | None, fmt: str, **options) -> exports.ExportFile:
    return exports.export(actor=actor, domain="livelihood", name=name, columns=columns, rows=rows,
                          filters=filters, fmt=fmt, **options)


def needs_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Household needs in the actor's area as a file, filtered like the page (addresses masked unless unmasked)."""
    return _export(actor=actor, name="needs", columns=NEED_COLUMNS, rows=selectors.need_list(actor=actor, filters=filters),
                   filters=filters, fmt=fmt, unmask=unmask)


def emergencies_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Emergency-channel requests in the actor's area as a file (no personal columns)."""
    return _export(actor=actor, name="emergencies", columns=EMERGENCY_COLUMNS, rows=selectors.emergency_list(actor=actor, filters=filters),
                   filters=filters, fmt=fmt)


def incidents_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Utility incidents in the actor's area as a file, filtered like the page."""
    return _export(actor=actor, name="incidents", columns=INCIDENT_COLUMNS, rows=selectors.incident_list(actor=actor, filters=filters),
                   filters=filters, fmt=fmt)


def supply_points_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Supply points in the actor's area with their stock levels as a file."""
    return _export(actor=actor, name="supply_points", columns=POINT_COLUMNS,
                   rows=selectors.supply_point_list(actor=actor, filters=filters), filters=filters, fmt=fmt)


def enterprises_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Key enterprises in the actor's area as a file, filtered like the page."""
    return _export(actor=actor, name="enterprises", columns=ENTERPRISE_COLUMNS,
                   rows=selectors.enterprise_list(actor=actor, filters=filters), filters=filters, fmt=fmt)
