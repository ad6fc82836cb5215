"""Door-to-door checks as a file, through core.exports."""

from collections.abc import Mapping

from cordon.community import selectors
from cordon.core import exports
from cordon.core.exports import Column

DOORCHECK_COLUMNS = [
    Column("day", lambda c: c.day), Column("grid", lambda c: c.region_path),
    Column("household", lambda c: c.household.address, pii=exports.ADDRESS), Column("answered", lambda c: c.answered),
    Column("all_present", lambda c: c.all_present), Column("absent", lambda c: c.absent), Column("symptoms", lambda c: c.symptoms),
    Column("needs", lambda c: c.needs), Column("worker", lambda c: c.worker.get_username() if c.worker else ""),
]


def doorchecks_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Door checks in the actor's area as a file, filtered like the page (addresses masked unless unmasked)."""
    return exports.export(actor=actor, domain="community", name="door-checks", columns=DOORCHECK_COLUMNS,
                          rows=selectors.doorcheck_list(actor=actor, filters=filters), filters=filters,
                          fmt=fmt, unmask=unmask)
