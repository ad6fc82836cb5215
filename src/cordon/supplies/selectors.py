"""Reads for medical supplies: balances, the ledger, transfers, and the days-of-supply forecast that
combines the consumption rate from the ledger with planned testing-round demand (this module's own
plans plus the screening module's sites that open within the horizon)."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Q, QuerySet, Sum

from cordon.core import access, clock, policy
from cordon.screening.models import Site
from cordon.supplies import rules
from cordon.supplies.filters import MovementFilter, TransferFilter
from cordon.supplies.models import (
    Balance,
    Item,
    Movement,
    MovementKind,
    RoundDemand,
    Transfer,
    TransferStatus,
    Warehouse,
)


def item_list() -> QuerySet[Item]:
    """The city catalogue (not personal, not scoped)."""
    return Item.objects.all()


def warehouse_list(*, actor) -> QuerySet[Warehouse]:
    """Warehouses in the actor's area."""
    return Warehouse.objects.visible_to(actor, "view").select_related("region").order_by("region_path", "name")


def warehouse_get(*, actor, pk: int, action: str = "view") -> Warehouse:
    """One warehouse; 404 outside the actor's area."""
    return access.get_for(actor, Warehouse.objects.all(), action, pk=pk)


def movement_list(*, actor, filters: Mapping | None = None) -> QuerySet[Movement]:
    """Ledger rows in the actor's area, newest first, filtered by MovementFilter (warehouse, item, kind)."""
    qs = Movement.objects.visible_to(actor, "view").select_related("warehouse", "item").order_by("-at", "-id")
    return MovementFilter.apply(filters, qs)


def transfer_list(*, actor, filters: Mapping | None = None) -> QuerySet[Transfer]:
    """Transfers into warehouses in the actor's area (requests awaiting approval first), filtered by TransferFilter (status)."""
    qs = Transfer.objects.visible_to(actor, "view").select_related("item", "to_warehouse", "from_warehouse").order_by("status", "-requested_at")
    return TransferFilter.apply(filters, qs)


def transfer_get(*, actor, pk: int, action: str = "view") -> Transfer:
    """One transfer; 404 outside the actor's area."""
    return access.get_for(actor, Transfer.objects.select_related("item", "to_warehouse", "from_warehouse"), action, pk=pk)


def _screening_demand(warehouses: list[Warehouse], start: dt.datetime, end: dt.datetime) -> dict[int, list[tuple[dt.date, int, int]]]:
    """Planned sampling per district store from screening rounds not yet closed: {warehouse_id: [(day, people, pool)]}."""
    stores = sorted([w for w in warehouses if not w.site], key=lambda w: -len(w.region_path))
    if not stores:
        return {}
    out: dict[int, list] = {}
    sites = (Site.objects.filter(active=True, opens_at__gte=start, opens_at__lt=end).exclude(round__status="closed")
             .values_list("region_path", "opens_at", "population", "pool_size"))
    for path, opens, population, pool in sites.iterator():
        for w in stores:
            if path == w.region_path or path.startswith(w.region_path + "."):
                out.setdefault(w.pk, []).append((clock.day_of(opens), population, pool))
                break
    return out


def forecast(*, actor, warehouse_ids: list[int] | None = None, low_only: bool = False, item_id: int | None = None) -> list[dict]:
    """Days of supply per item x warehouse: balance against the ledger's consumption rate plus planned round demand."""
    now = clock.now()
    today = clock.today()
    section = policy.in_force(now).section("supplies")
    window, horizon = int(section.get("rate_window_days", 7)), int(section.get("horizon_days", 30))
    balances = Balance.objects.visible_to(actor, "view").select_related("warehouse", "item")
    if warehouse_ids:
        balances = balances.filter(warehouse_id__in=warehouse_ids)
    if item_id:
        balances = balances.filter(item_id=item_id)
    balances = list(balances.order_by("warehouse__region_path", "warehouse__name", "item__category", "item__code"))
    if not balances:
        return []
    wh_ids = {b.warehouse_id for b in balances}
    issued = {(r["warehouse_id"], r["item_id"]): -(r["q"] or 0) for r in
              Movement.objects.filter(warehouse_id__in=wh_ids, kind=MovementKind.OUT, at__gte=now - dt.timedelta(days=window))
              .values("warehouse_id", "item_id").annotate(q=Sum("quantity"))}
    demands: dict[int, list] = {}
    for d in RoundDemand.objects.filter(warehouse_id__in=wh_ids, day__gte=today, day__lt=today + dt.timedelta(days=horizon)):
        demands.setdefault(d.warehouse_id, []).append((d.day, d.people, d.pool_size))
    warehouses = {b.warehouse_id: b.warehouse for b in balances}
    for wid, rows in _screening_demand(list(warehouses.values()), now, now + dt.timedelta(days=horizon)).items():
        demands.setdefault(wid, []).extend(rows)
    out = []
    for b in balances:
        item = b.item
        rate = rules.daily_rate(issued=issued.get((b.warehouse_id, b.item_id), 0), window_days=window)
        planned = [((day - today).days, rules.round_need(people=people, pool_size=pool, per_tube=item.per_tube, per_person=item.per_person))
                   for day, people, pool in demands.get(b.warehouse_id, [])]
        planned = [(d, q) for d, q in planned if q > 0]
        days = rules.days_of_supply(balance=b.quantity, rate=rate, planned=planned, horizon=horizon)
        low = rules.is_low(days=days, low_days=item.low_days)
        if low_only and not low:
            continue
        out.append({"warehouse_id": b.warehouse_id, "warehouse": b.warehouse.name, "region_path": b.region_path,
                    "item_id": b.item_id, "item": item.name, "category": item.category, "unit": item.unit,
                    "balance": b.quantity, "rate": rate, "planned": sum(q for _, q in planned), "days": days,
                    "low_days": item.low_days, "low": low})
    return out


def supply_days(*, actor, region_path: str) -> float | None:
    """The shortest days of supply of any item in any warehouse inside a region (None without stock lines):
    the dashboard's and the daily report's supply figure, and what the low-supply alert reads."""
    inside = [r["days"] for r in forecast(actor=actor)
              if r["region_path"] == region_path or r["region_path"].startswith(region_path + ".")]
    finite = [d for d in inside if d is not None]
    return min(finite) if finite else None


def summary(*, actor) -> dict:
    """Counts for the dashboards."""
    rows = forecast(actor=actor)
    return {"warehouses": Warehouse.objects.visible_to(actor, "view").count(), "lines": len(rows),
            "low": sum(1 for r in rows if r["low"]),
            "pending_transfers": Transfer.objects.visible_to(actor, "view").filter(
                Q(status=TransferStatus.REQUESTED) | Q(status=TransferStatus.SHIPPED)).count()}
