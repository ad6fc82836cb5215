"""The register as a file through core.exports (personal fields masked; audited)."""

from collections.abc import Mapping

from cordon.core import clock, exports, pii
from cordon.core.exports import Column
from cordon.keyworkers import selectors

COLUMNS = [
    Column("category", lambda k: k.category), Column("name", lambda k: pii.mask_name(k.name)),
    Column("id_number", lambda k: pii.mask_id_number(k.id_number)), Column("phone", lambda k: pii.mask_phone(k.phone)),
    Column("employer", lambda k: k.employer), Column("region", lambda k: k.region.name), Column("plate", lambda k: k.plate),
    Column("origin", lambda k: k.origin_name), Column("destination", lambda k: k.destination_name), Column("cargo", lambda k: k.cargo),
    Column("closed_loop", lambda k: "是" if k.closed_loop else "否"), Column("role", lambda k: k.role), Column("shift", lambda k: k.shift),
    Column("last_negative_at", lambda k: clock.local(k.last_negative_at).strftime("%Y-%m-%d %H:%M") if k.last_negative_at else ""),
    Column("next_test_due_at", lambda k: clock.local(k.next_test_due_at).strftime("%Y-%m-%d %H:%M")),
]


def keypersons_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    return exports.export(actor=actor, domain="keyworkers", name="keyworkers", columns=COLUMNS,
                          rows=selectors.keyperson_list(actor=actor, filters=filters), filters=filters, fmt=fmt)
