"""Writes for medical supplies: catalogue, warehouses, the append-only ledger (in, out, adjust, transfer),
inter-district transfer requests (request -> approve and ship -> receive), planned round demand, and
the low-stock check that files command tasks and closes them when the forecast recovers."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.regions.models import Region
from cordon.supplies import selectors
from cordon.supplies.models import (
    TRANSFER_LIFECYCLE,
    Balance,
    Category,
    Item,
    Movement,
    MovementKind,
    RoundDemand,
    Transfer,
    TransferStatus,
    Warehouse,
)

SYSTEM = access.system("supplies")  # this module's work that no user clicked


class OutOfArea(ServiceError):
    status = 403
    code = "out_of_area"


def _require(actor, perm: str, path: str) -> None:
    access.require(actor, perm, path)


def _by(actor):
    return access.user_or_none(actor)


def _qty(value, field: str = "quantity") -> int:
    try:
        q = int(value)
    except (TypeError, ValueError):
        raise ServiceError.field(field, _("must be a whole number")) from None
    if q <= 0:
        raise ServiceError.field(field, _("must be positive"))
    return q


def _item(item_id) -> Item:
    item = Item.objects.filter(pk=item_id).first() if str(item_id or "").isdigit() else None
    if item is None:
        raise ServiceError.field("item_id", _("no such item"))
    return item


def _warehouse(actor, warehouse_id, field: str) -> Warehouse:
    wh = Warehouse.objects.filter(pk=warehouse_id).first() if str(warehouse_id or "").isdigit() else None
    if wh is None or (not access.can(actor, "supplies.view", wh.region_path)):
        raise NotFound.field(field, _("no such warehouse in your area"), code="unknown_warehouse")
    return wh


def item_create(*, actor, code: str, name: str, category: str, unit: str = "个", per_tube: float = 0, per_person: float = 0,
                low_days: int = 7) -> Item:
    """Add an item to the city catalogue (city-level logistics only)."""
    if not access.can(actor, "supplies.change", Region.objects.get(parent__isnull=True).path):
        raise OutOfArea.field("code", _("only the city may change the catalogue"))
    if category not in Category.values:
        raise ServiceError.field("category", _("must be one of %(choices)s") % {"choices": ', '.join(Category.values)})
    if not (code or "").strip() or not (name or "").strip():
        raise ServiceError.field("code" if not (code or "").strip() else "name", _("is required"))
    if Item.objects.filter(code=code.strip()).exists():
        raise Conflict(_("an item with this code exists"), fields=[{"field": "code", "message": _("exists")}])
    with transaction.atomic():
        item = Item.objects.create(code=code.strip(), name=name.strip(), category=category, unit=unit, per_tube=per_tube,
                                   per_person=per_person, low_days=low_days)
        audit.record(actor, "item.create", item, changes={"code": item.code})
    return item


def warehouse_create(*, actor, name: str, region_id: int, site: str = "") -> Warehouse:
    """Open a district or site warehouse."""
    region = Region.objects.filter(pk=region_id).first() if str(region_id or "").isdigit() else None
    if region is None or (not access.can(actor, "supplies.view", region.path)):
        raise NotFound.field("region_id", _("no such region"), code="unknown_region")
    _require(actor, "supplies.change", region.path)
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    with transaction.atomic():
        wh = Warehouse.objects.create(name=name.strip(), region=region, region_path=region.path, site=site)
        audit.record(actor, "warehouse.create", wh, changes={"name": wh.name})
    return wh


def _post(*, actor, warehouse: Warehouse, item: Item, kind: str, delta: int, reason: str, transfer=None, at=None) -> Movement:
    """Append one ledger row and move the balance; refuses a balance below zero. Call inside a transaction."""
    bal, _unused = Balance.objects.select_for_update().get_or_create(warehouse=warehouse, item=item,
                                                               defaults={"region_path": warehouse.region_path})
    bal = Balance.objects.select_for_update().get(pk=bal.pk)
    if bal.quantity + delta < 0:
        raise ServiceError.field("quantity", _("only %(quantity)s %(unit)s of %(name)s in %(name2)s: stock cannot go negative") % {"quantity": bal.quantity, "unit": item.unit, "name": item.name, "name2": warehouse.name},
                                 code="negative_stock")
    Balance.objects.filter(pk=bal.pk).update(quantity=F("quantity") + delta)
    return Movement.objects.create(warehouse=warehouse, item=item, kind=kind, quantity=delta, balance_after=bal.quantity + delta,
                                   reason=reason[:300], transfer=transfer, at=at or clock.now(), by=_by(actor),
                                   region_path=warehouse.region_path)


def stock_move(*, actor, warehouse_id: int, item_id: int, kind: str, quantity: int, reason: str, at: dt.datetime | None = None) -> Movement:
    """Receive, issue or adjust stock (adjust: quantity signed, reason required); never below zero."""
    wh = _warehouse(actor, warehouse_id, "warehouse_id")
    _require(actor, "supplies.change", wh.region_path)
    item = _item(item_id)
    if kind not in (MovementKind.IN, MovementKind.OUT, MovementKind.ADJUST):
        raise ServiceError.field("kind", _("must be in, out or adjust (transfers go through a transfer)"))
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("is required"))
    if kind == MovementKind.ADJUST:
        try:
            delta = int(quantity)
        except (TypeError, ValueError):
            raise ServiceError.field("quantity", _("must be a whole number")) from None
        if delta == 0:
            raise ServiceError.field("quantity", _("must not be zero"))
    else:
        delta = _qty(quantity) * (-1 if kind == MovementKind.OUT else 1)
    with transaction.atomic():
        m = _post(actor=actor, warehouse=wh, item=item, kind=kind, delta=delta, reason=reason.strip(), at=at)
        audit.record(actor, "stock.move", m, changes={"kind": kind, "quantity": delta, "item": item.code})
    return m


def stock_transfer(*, actor, from_id: int, to_id: int, item_id: int, quantity: int, reason: str) -> Transfer:
    """Move stock directly between two warehouses the actor manages; a source outside the actor's area is refused."""
    src = _warehouse(actor, from_id, "from_warehouse_id")
    dst = _warehouse(actor, to_id, "to_warehouse_id")
    if not access.can(actor, "supplies.change", src.region_path):
        raise OutOfArea.field("from_warehouse_id", _("is outside your area: request a transfer instead"))
    _require(actor, "supplies.change", dst.region_path)
    if src.pk == dst.pk:
        raise ServiceError.field("to_warehouse_id", _("must differ from the source"))
    item, qty = _item(item_id), _qty(quantity)
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("is required"))
    now = clock.now()
    with transaction.atomic():
        t = Transfer.objects.create(item=item, quantity=qty, to_warehouse=dst, from_warehouse=src, status=TransferStatus.RECEIVED,
                                    reason=reason.strip(), requested_by=_by(actor), requested_at=now, decided_by=_by(actor),
                                    shipped_at=now, received_at=now, region_path=dst.region_path)
        _post(actor=actor, warehouse=src, item=item, kind=MovementKind.TRANSFER_OUT, delta=-qty, reason=reason, transfer=t)
        _post(actor=actor, warehouse=dst, item=item, kind=MovementKind.TRANSFER_IN, delta=qty, reason=reason, transfer=t)
        audit.record(actor, "transfer.direct", t, changes={"from": src.pk, "to": dst.pk, "item": item.code, "quantity": qty})
    return t


def transfer_request(*, actor, to_warehouse_id: int, item_id: int, quantity: int, reason: str) -> Transfer:
    """Ask for stock from another district or the city reserve; HQ approves and picks the source."""
    dst = _warehouse(actor, to_warehouse_id, "to_warehouse_id")
    _require(actor, "supplies.change", dst.region_path)
    item, qty = _item(item_id), _qty(quantity)
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("is required"))
    with transaction.atomic():
        t = Transfer.objects.create(item=item, quantity=qty, to_warehouse=dst, reason=reason.strip(), requested_by=_by(actor),
                                    requested_at=clock.now(), region_path=dst.region_path)
        audit.record(actor, "transfer.request", t, changes={"item": item.code, "quantity": qty})
    return t


def transfer_approve(*, actor, transfer: Transfer, from_warehouse_id: int, note: str = "") -> Transfer:
    """Approve a request and ship it from a warehouse inside the approver's area (ledger out at the source)."""
    _require(actor, "supplies.approve", transfer.region_path)
    TRANSFER_LIFECYCLE.step(transfer.status, TransferStatus.SHIPPED)
    src = _warehouse(actor, from_warehouse_id, "from_warehouse_id")
    if not access.can(actor, "supplies.change", src.region_path):
        raise OutOfArea.field("from_warehouse_id", _("is outside your area"))
    if src.pk == transfer.to_warehouse_id:
        raise ServiceError.field("from_warehouse_id", _("must differ from the receiving warehouse"))
    with transaction.atomic():
        transfer.from_warehouse, transfer.status, transfer.shipped_at = src, TransferStatus.SHIPPED, clock.now()
        transfer.decided_by, transfer.note = _by(actor), note[:300]
        transfer.save(update_fields=["from_warehouse", "status", "shipped_at", "decided_by", "note"])
        _post(actor=actor, warehouse=src, item=transfer.item, kind=MovementKind.TRANSFER_OUT, delta=-transfer.quantity,
              reason=f"transfer #{transfer.pk}: {transfer.reason}", transfer=transfer)
        audit.record(actor, "transfer.approve", transfer, changes={"from": src.pk})
    return transfer


def transfer_reject(*, actor, transfer: Transfer, note: str) -> Transfer:
    """Turn a request down, with a reason."""
    _require(actor, "supplies.approve", transfer.region_path)
    TRANSFER_LIFECYCLE.step(transfer.status, TransferStatus.REJECTED)
    if not (note or "").strip():
        raise ServiceError.field("note", _("give the reason"))
    with transaction.atomic():
        transfer.status, transfer.decided_by, transfer.note = TransferStatus.REJECTED, _by(actor), note.strip()[:300]
        transfer.save(update_fields=["status", "decided_by", "note"])
        audit.record(actor, "transfer.reject", transfer, changes={"note": transfer.note})
    return transfer


def transfer_receive(*, actor, transfer: Transfer) -> Transfer:
    """The receiving warehouse books the goods in."""
    _require(actor, "supplies.change", transfer.region_path)
    TRANSFER_LIFECYCLE.step(transfer.status, TransferStatus.RECEIVED)
    with transaction.atomic():
        transfer.status, transfer.received_at = TransferStatus.RECEIVED, clock.now()
        transfer.save(update_fields=["status", "received_at"])
        _post(actor=actor, warehouse=transfer.to_warehouse, item=transfer.item, kind=MovementKind.TRANSFER_IN,
              delta=transfer.quantity, reason=f"transfer #{transfer.pk}: {transfer.reason}", transfer=transfer)
        audit.record(actor, "transfer.receive", transfer)
    low_stock_check(actor=SYSTEM, warehouse_ids=[transfer.to_warehouse_id])
    return transfer


def demand_add(*, actor, warehouse_id: int, day: dt.date, people: int, pool_size: int, note: str = "") -> RoundDemand:
    """Plan a testing round's draw on a warehouse (tubes = people / pool size)."""
    wh = _warehouse(actor, warehouse_id, "warehouse_id")
    _require(actor, "supplies.change", wh.region_path)
    people, pool = _qty(people, "people"), _qty(pool_size, "pool_size")
    with transaction.atomic():
        d = RoundDemand.objects.create(warehouse=wh, day=day, people=people, pool_size=pool, note=note, region_path=wh.region_path)
        audit.record(actor, "demand.add", d, changes={"people": people, "pool_size": pool, "day": day})
    return d


def low_stock_check(*, actor, warehouse_ids: list[int] | None = None) -> dict:
    """File a command task for each item x warehouse forecast to run short; close tasks whose forecast recovered."""
    rows = selectors.forecast(actor=SYSTEM, warehouse_ids=warehouse_ids)
    filed = closed = 0
    for r in rows:
        source = f"supplies.balance:{r['warehouse_id']}:{r['item_id']}"
        if r["low"]:
            command_services.task_create(
                actor=SYSTEM, kind="supplies.low_stock", region_path=r["region_path"], priority=2,
                deadline=clock.now() + dt.timedelta(hours=24), source=source,
                title=f"物资预警：{r['warehouse']} {r['item']} 仅够 {r['days']} 天",
                detail=f"balance {r['balance']}, use {r['rate']:.1f}/day, planned {r['planned']:.0f}")
            filed += 1
        else:
            closed += command_services.task_close_by_source(actor=SYSTEM, source=source, result="stock recovered")
    return {"checked": len(rows), "low": filed, "closed": closed}


def stock_move_bulk(*, actor, items: list[dict]) -> dict:
    """Post many ledger rows in one transaction: any bad row (named by number) writes nothing."""
    if not items:
        raise ServiceError.field("items", _("is empty"))
    done = []
    with transaction.atomic():
        for row, item in enumerate(items, 1):
            try:
                done.append(stock_move(actor=actor, **{k: item.get(k) for k in ("warehouse_id", "item_id", "kind", "quantity", "reason")}).pk)
            except ServiceError as exc:
                fields = [{**f, "row": row} for f in exc.fields]
                raise type(exc)(f"row {row}: {exc.message}; nothing was written", code=exc.code, fields=fields) from None
    return {"rows": len(items), "ids": done}
