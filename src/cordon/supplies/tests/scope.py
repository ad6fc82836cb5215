from cordon.core.testing import SYSTEM, Route, ScopedEndpoint, list_routes
from cordon.supplies import services
from cordon.supplies.models import Item


def _item():
    return Item.objects.first() or services.item_create(actor=SYSTEM, code="TUBE", name="采样管", category="tube", per_tube=1)


def _stocked(c):
    wh = services.warehouse_create(actor=SYSTEM, name="甲区物资库", region_id=c.a.pk)
    services.stock_move(actor=SYSTEM, warehouse_id=wh.pk, item_id=_item().pk, kind="in", quantity=100, reason="入库")
    return wh


def _request(c):
    wh = _stocked(c)
    return services.transfer_request(actor=SYSTEM, to_warehouse_id=wh.pk, item_id=_item().pk, quantity=5, reason="缺口")


def _shipped(c):
    t = _request(c)
    src = services.warehouse_create(actor=SYSTEM, name="甲区二库", region_id=c.a_street.pk)
    services.stock_move(actor=SYSTEM, warehouse_id=src.pk, item_id=t.item_id, kind="in", quantity=50, reason="入库")
    return services.transfer_approve(actor=SYSTEM, transfer=t, from_warehouse_id=src.pk)


def _approvable(c):
    t = _request(c)
    src = services.warehouse_create(actor=SYSTEM, name=f"甲区源库{t.pk}", region_id=c.a_street.pk)
    services.stock_move(actor=SYSTEM, warehouse_id=src.pk, item_id=t.item_id, kind="in", quantity=50, reason="入库")
    t.source_id = src.pk
    return t


ENDPOINTS = [
    ScopedEndpoint("api supplies transfer detail", make=_request, url=lambda t: f"/api/v1/supplies/transfers/{t.pk}"),
    ScopedEndpoint("api supplies ledger post", make=_stocked, url=lambda w: "/api/v1/supplies/ledger", method="post", write=True,
                   payload=lambda w: {"warehouse_id": w.pk, "item_id": _item().pk, "kind": "out", "quantity": 1, "reason": "发放"}),
    ScopedEndpoint("supplies.api.transfer.approve", make=_approvable, url=lambda t: f"/api/v1/supplies/transfers/{t.pk}/approve",
                   method="post", write=True, payload=lambda t: {"from_warehouse_id": t.source_id}),
    ScopedEndpoint("supplies.api.transfer.reject", make=_request, url=lambda t: f"/api/v1/supplies/transfers/{t.pk}/reject",
                   method="post", write=True, payload=lambda t: {"note": "无货"}),
    ScopedEndpoint("api supplies transfer receive", make=_shipped, url=lambda t: f"/api/v1/supplies/transfers/{t.pk}/receive",
                   method="post", write=True),
    ScopedEndpoint("api supplies transfer request", make=_stocked, url=lambda w: "/api/v1/supplies/transfers", method="post", write=True,
                   payload=lambda w: {"to_warehouse_id": w.pk, "item_id": _item().pk, "quantity": 3, "reason": "缺口"}),
]


ROUTES = [
    *list_routes("supplies", api=("forecast", "items", "ledger", "transfers", "warehouses"),
                 web=("", "ledger/", "transfers/")),
]



def _direct(c):
    src = _stocked(c)
    dst = services.warehouse_create(actor=SYSTEM, name=f"甲区收货库{src.pk}", region_id=c.a_street.pk)
    return {"from_warehouse_id": src.pk, "to_warehouse_id": dst.pk, "item_id": _item().pk, "quantity": 1, "reason": "调拨"}


# Writes naming district A's warehouses (or district A itself) in the body, a fresh one for each member: district B
# gets exactly what an unknown warehouse or region gets (404, for a bulk ledger row too: the row is named); so does the
# grid worker, whose area is one grid of the district; a read-only viewer of the district may not write (403).
_NAMED = {"commander": 201, "officer_a": 201, "viewer_a": 403, "officer_b": 404, "field_a": 404}

ROUTES += [
    Route("supplies.api.ledger.bulk", "/api/v1/supplies/ledger/bulk", method="post", kind="create",
          payload=lambda c: [{"warehouse_id": _stocked(c).pk, "item_id": _item().pk, "kind": "out", "quantity": 1,
                              "reason": "发放"}],
          expect=_NAMED),
    Route("supplies.api.transfer.direct", "/api/v1/supplies/transfers/direct", method="post", kind="create", payload=_direct,
          expect=_NAMED),
    Route("supplies.api.warehouse.create", "/api/v1/supplies/warehouses", method="post", kind="create",
          payload=lambda c: {"name": "甲区新库", "region_id": c.a.pk}, expect=_NAMED),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
