"""Supplies API: catalogue, warehouses, the ledger, forecasts, transfers. Scoped and audited."""

import datetime as dt
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cordon.core.apikit import Id, NextStatuses, Rows, actor, idempotent, next_statuses
from cordon.core.pagination import Pagination
from cordon.supplies import selectors, services
from cordon.supplies.models import TRANSFER_LIFECYCLE

router = Router(tags=["supplies"])


class ItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    unit: str
    per_tube: float
    per_person: float
    low_days: int


Quantity = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]


class WarehouseIn(Schema):
    name: str = Field(max_length=100)
    region_id: Id
    site: str = Field("", max_length=100)


class WarehouseOut(Schema):
    id: int
    name: str
    region_path: str
    site: str


class SuppliesMoveIn(Schema):
    warehouse_id: Id
    item_id: Id
    kind: str = Field(max_length=12)
    quantity: Quantity
    reason: str = Field(max_length=300)


class MovementOut(Schema):
    id: int
    warehouse_id: Id
    item_id: Id
    kind: str
    quantity: int
    balance_after: int
    reason: str
    transfer_id: Id | None
    at: dt.datetime


class SuppliesTransferIn(Schema):
    to_warehouse_id: Id
    item_id: Id
    quantity: int = Field(ge=1, le=1_000_000_000)
    reason: str = Field(max_length=300)


class DirectTransferIn(SuppliesTransferIn):
    from_warehouse_id: Id


class TransferOut(Schema):
    id: int
    item_id: Id
    quantity: int
    to_warehouse_id: Id
    from_warehouse_id: Id | None
    status: str
    reason: str
    requested_at: dt.datetime
    shipped_at: dt.datetime | None
    received_at: dt.datetime | None
    note: str
    next_statuses: NextStatuses
    resolve_next_statuses = next_statuses(TRANSFER_LIFECYCLE)


class ForecastOut(Schema):
    warehouse_id: Id
    warehouse: str
    region_path: str
    item_id: Id
    item: str
    category: str
    unit: str
    balance: int
    rate: float
    planned: float
    days: float | None
    low_days: int
    low: bool


@router.get("/items", response=list[ItemOut])
def list_items(request):
    """The city catalogue."""
    return list(selectors.item_list())


@router.get("/warehouses", response=list[WarehouseOut])
@paginate(Pagination)
def list_warehouses(request):
    """Warehouses in your area."""
    return selectors.warehouse_list(actor=actor(request))


@router.post("/warehouses", response={201: WarehouseOut})
def create_warehouse(request, payload: WarehouseIn):
    """Open a district or site warehouse."""
    return Status(201, services.warehouse_create(actor=actor(request), **payload.dict()))


@router.get("/ledger", response=list[MovementOut])
@paginate(Pagination)
def ledger(request, warehouse: Id | None = None, item: Id | None = None, kind: str | None = Query(None, max_length=12)):
    """The append-only stock ledger, newest first."""
    return selectors.movement_list(actor=actor(request), filters={"warehouse": warehouse, "item": item, "kind": kind})


@router.post("/ledger", response={201: MovementOut})
def move(request, payload: SuppliesMoveIn):
    """Receive (in), issue (out) or adjust (signed) stock; stock never goes negative."""
    return Status(201, services.stock_move(actor=actor(request), **payload.dict()))


class SuppliesLedgerBulkOut(Schema):
    rows: int
    ids: list[int]
    replayed: bool = False


@router.post("/ledger/bulk", response={201: SuppliesLedgerBulkOut})
def move_bulk(request, items: Rows[SuppliesMoveIn]):
    """Many ledger rows in one transaction (all or nothing); send an Idempotency-Key header."""
    rows = [i.dict() for i in items]
    return idempotent(request, scope="supplies.ledger.bulk", payload=rows,
                      fn=lambda: (201, services.stock_move_bulk(actor=actor(request), items=rows)))


@router.get("/forecast", response=list[ForecastOut])
def forecast(request, low: bool = False, warehouse: Id | None = None, item: Id | None = None):
    """Days of supply per item and warehouse (consumption from the ledger plus planned testing rounds)."""
    return selectors.forecast(actor=actor(request), low_only=low, item_id=item, warehouse_ids=[warehouse] if warehouse else None)


@router.get("/transfers", response=list[TransferOut])
@paginate(Pagination)
def list_transfers(request, status: str | None = Query(None, max_length=10)):
    """Transfers into your area's warehouses."""
    return selectors.transfer_list(actor=actor(request), filters={"status": status})


@router.get("/transfers/{int:pk}", response=TransferOut)
def get_transfer(request, pk: Id):
    """One transfer and where it stands."""
    return selectors.transfer_get(actor=actor(request), pk=pk)


@router.post("/transfers", response={201: TransferOut})
def request_transfer(request, payload: SuppliesTransferIn):
    """Ask for stock for one of your warehouses."""
    return Status(201, services.transfer_request(actor=actor(request), **payload.dict()))


@router.post("/transfers/direct", response={201: TransferOut})
def direct_transfer(request, payload: DirectTransferIn):
    """Move stock between two warehouses you manage (a source outside your area is refused)."""
    d = payload.dict()
    return Status(201, services.stock_transfer(actor=actor(request), from_id=d["from_warehouse_id"], to_id=d["to_warehouse_id"],
                                               item_id=d["item_id"], quantity=d["quantity"], reason=d["reason"]))


class ApproveIn(Schema):
    from_warehouse_id: Id
    note: str = Field("", max_length=300)


@router.post("/transfers/{int:pk}/approve", response=TransferOut)
def approve_transfer(request, pk: Id, payload: ApproveIn):
    """Approve and ship from a warehouse in your area (needs supplies.approve)."""
    who = actor(request)
    t = selectors.transfer_get(actor=who, pk=pk)
    return services.transfer_approve(actor=who, transfer=t, **payload.dict())


class SuppliesNoteIn(Schema):
    note: str = Field(max_length=300)


@router.post("/transfers/{int:pk}/reject", response=TransferOut)
def reject_transfer(request, pk: Id, payload: SuppliesNoteIn):
    """Turn a request down."""
    who = actor(request)
    t = selectors.transfer_get(actor=who, pk=pk)
    return services.transfer_reject(actor=who, transfer=t, note=payload.note)


@router.post("/transfers/{int:pk}/receive", response=TransferOut)
def receive_transfer(request, pk: Id):
    """Book a shipped transfer in at the receiving warehouse."""
    who = actor(request)
    t = selectors.transfer_get(actor=who, pk=pk, action="change")
    return services.transfer_receive(actor=who, transfer=t)
