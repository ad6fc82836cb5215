"""Checkpoint registers as files (registry, inspections, green-lane passes), through core.exports, filtered like
their pages."""

from collections.abc import Mapping

from cordon.checkpoints import selectors
from cordon.checkpoints.enums import REASONS
from cordon.core import clock, exports
from cordon.core.exports import Column


def _minute(value) -> str:
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""


CHECKPOINT_COLUMNS = [
    Column("code", lambda c: c.code), Column("name", lambda c: c.name), Column("kind", lambda c: c.get_kind_display()),
    Column("region", lambda c: c.region.name), Column("location", lambda c: c.location),
    Column("active", lambda c: "yes" if c.active else "no"), Column("inspections_24h", lambda c: c.n_24h),
    Column("holds_24h", lambda c: c.holds_24h),
]

INSPECTION_COLUMNS = [
    Column("time", lambda i: _minute(i.at)), Column("checkpoint_code", lambda i: i.checkpoint.code),
    Column("checkpoint", lambda i: i.checkpoint.name), Column("subject", lambda i: i.subject), Column("plate", lambda i: i.plate),
    Column("origin", lambda i: i.origin), Column("origin_level", lambda i: i.origin_level),
    Column("destination", lambda i: i.destination), Column("colour", lambda i: i.colour), Column("result", lambda i: i.result),
    Column("reason", lambda i: i.reason), Column("reason_text", lambda i: str(REASONS.get(i.reason, ""))),
    Column("handed_over", lambda i: "yes" if i.handed_over else ""), Column("offline", lambda i: "yes" if i.offline else ""),
]

PASS_COLUMNS = [
    Column("number", lambda p: p.number), Column("plate", lambda p: p.plate), Column("enterprise", lambda p: p.enterprise),
    Column("cargo", lambda p: p.cargo), Column("driver", lambda p: p.driver, pii=exports.NAME),
    Column("valid_from", lambda p: _minute(p.valid_from)), Column("valid_until", lambda p: _minute(p.valid_until)),
    Column("revoked", lambda p: "yes" if p.revoked else ""),
]


def checkpoints_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """The checkpoint registry of the actor's area as a file."""
    return exports.export(actor=actor, domain="checkpoints", name="checkpoints", columns=CHECKPOINT_COLUMNS,
                          rows=selectors.checkpoint_list(actor=actor, filters=filters), filters=filters, fmt=fmt)


def inspections_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Inspections in the actor's area as a file."""
    return exports.export(actor=actor, domain="checkpoints", name="inspections", columns=INSPECTION_COLUMNS,
                          rows=selectors.inspection_list(actor=actor, filters=filters), filters=filters, fmt=fmt)


def passes_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Green-lane passes in the actor's area as a file (drivers masked unless unmasked)."""
    return exports.export(actor=actor, domain="checkpoints", name="passes", columns=PASS_COLUMNS,
                          rows=selectors.pass_list(actor=actor, filters=filters), filters=filters, fmt=fmt,
                          unmask=unmask)
