"""Supply registers and the days-of-supply forecast as files, through core.exports."""

from collections.abc import Mapping

from cordon.core import exports
from cordon.core.exports import Column
from cordon.supplies import selectors

FORECAST_COLUMNS = [
    Column("warehouse", lambda r: r["warehouse"]), Column("region", lambda r: r["region_path"]), Column("item", lambda r: r["item"]),
    Column("balance", lambda r: r["balance"]), Column("use_per_day", lambda r: round(r["rate"], 2)), Column("planned", lambda r: r["planned"]),
    Column("days_of_supply", lambda r: r["days"]), Column("low", lambda r: r["low"]),
]

LEDGER_COLUMNS = [
    Column("id", lambda m: m.pk), Column("at", lambda m: m.at.isoformat()), Column("warehouse", lambda m: m.warehouse.name),
    Column("item", lambda m: m.item.name), Column("kind", lambda m: m.kind), Column("quantity", lambda m: m.quantity),
    Column("balance_after", lambda m: m.balance_after), Column("reason", lambda m: m.reason), Column("transfer", lambda m: m.transfer_id),
]

TRANSFER_COLUMNS = [
    Column("id", lambda t: t.pk), Column("item", lambda t: t.item.name), Column("quantity", lambda t: t.quantity),
    Column("from", lambda t: t.from_warehouse.name if t.from_warehouse_id else ""), Column("to", lambda t: t.to_warehouse.name),
    Column("status", lambda t: t.status), Column("requested_at", lambda t: t.requested_at.isoformat()),
    Column("shipped_at", lambda t: t.shipped_at.isoformat() if t.shipped_at else ""),
    Column("received_at", lambda t: t.received_at.isoformat() if t.received_at else ""),
]


def forecast_export(*, actor, fmt: str = "xlsx", low_only: bool = False) -> exports.ExportFile:
    """Days of supply per warehouse and item in the actor's area as a file."""
    exports.export_allowed(actor=actor, domain="supplies")
    return exports.export(actor=actor, domain="supplies", name="supply_forecast", columns=FORECAST_COLUMNS,
                          rows=selectors.forecast(actor=actor, low_only=low_only), region_of=lambda r: r["region_path"],
                          filters={"low": low_only}, fmt=fmt, object_type="supplies.balance")


def ledger_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Stock ledger rows in the actor's area as a file, filtered like the page."""
    return exports.export(actor=actor, domain="supplies", name="ledger", columns=LEDGER_COLUMNS,
                          rows=selectors.movement_list(actor=actor, filters=filters), filters=dict((filters or {}).items()), fmt=fmt)


def transfers_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Transfers into the actor's warehouses as a file, filtered like the page."""
    return exports.export(actor=actor, domain="supplies", name="transfers", columns=TRANSFER_COLUMNS,
                          rows=selectors.transfer_list(actor=actor, filters=filters), filters=dict((filters or {}).items()), fmt=fmt)
