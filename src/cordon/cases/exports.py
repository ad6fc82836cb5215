"""The case list as a file, through core.exports."""

from collections.abc import Mapping

from cordon.cases import selectors
from cordon.core import exports
from cordon.core.exports import Column

COLUMNS = [
    Column("id", lambda c: c.pk), Column("name", lambda c: c.person.name, pii=exports.NAME), Column("kind", lambda c: c.get_kind_display()),
    Column("status", lambda c: c.get_status_display()), Column("found_by", lambda c: c.get_found_by_display()),
    Column("onset_date", lambda c: c.onset_date), Column("confirmed_at", lambda c: c.confirmed_at.strftime("%Y-%m-%d %H:%M")),
    Column("infector", lambda c: c.infector_id), Column("grid_path", lambda c: c.region_path),
]


def cases_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Cases in the actor's area as a file, filtered like the page (names masked unless unmasked)."""
    return exports.export(actor=actor, domain="cases", name="cases", columns=COLUMNS, rows=selectors.case_list(actor=actor, filters=filters),
                          filters=dict((filters or {}).items()), fmt=fmt, unmask=unmask)
