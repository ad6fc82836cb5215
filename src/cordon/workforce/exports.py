"""The personnel reserve as a file, through core.exports."""

from collections.abc import Mapping

from cordon.core import exports
from cordon.core.exports import Column
from cordon.workforce import selectors

COLUMNS = [
    Column("id", lambda w: w.pk), Column("name", lambda w: w.name, pii=exports.NAME), Column("phone", lambda w: w.phone, pii=exports.PHONE),
    Column("skills", lambda w: w.skills), Column("certificates", lambda w: w.certificates),
    Column("home_district", lambda w: w.home_district.name), Column("available", lambda w: w.available),
    Column("closed_loop", lambda w: w.closed_loop), Column("dormitory", lambda w: w.dormitory), Column("next_test", lambda w: selectors.worker_card(w)["next_test"]),
]


def workers_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Reserve personnel in the actor's area as a file, filtered like the page (names and phones masked unless unmasked)."""
    return exports.export(actor=actor, domain="workforce", name="workforce", columns=COLUMNS,
                          rows=selectors.worker_list(actor=actor, filters=filters), filters=filters,
                          fmt=fmt, unmask=unmask)
