"""The supplies tiles show selectors.summary's lines, low lines and transfers in flight (not its warehouse count)."""

import datetime as dt

import pytest
from django.utils import translation

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.supplies import dashboard, selectors, services

pytestmark = pytest.mark.django_db


def test_the_supply_tiles_are_the_summary(city, cast):
    item = services.item_create(actor=SYSTEM, code="TUBE", name="采样管", category="tube", per_tube=1, low_days=5)
    a = services.warehouse_create(actor=SYSTEM, name="甲区物资库", region_id=city.a.pk)
    b = services.warehouse_create(actor=SYSTEM, name="乙区物资库", region_id=city.b.pk)
    for wh in (a, b):
        services.stock_move(actor=SYSTEM, warehouse_id=wh.pk, item_id=item.pk, kind="in", quantity=1000, reason="入库",
                            at=clock.now() - dt.timedelta(days=8))
    services.demand_add(actor=cast.officer_a, warehouse_id=a.pk, day=clock.today() + dt.timedelta(days=1), people=12000, pool_size=10)
    services.transfer_request(actor=cast.officer_a, to_warehouse_id=a.pk, item_id=item.pk, quantity=900, reason="核酸缺口")
    for actor, low, lines, moving in ((cast.commander, 1, 2, 1), (cast.officer_a, 1, 1, 1), (cast.officer_b, 0, 1, 0)):
        s = selectors.summary(actor=actor)
        with translation.override("en"):
            short, transfers = dashboard.tiles(actor)
        assert (short["value"], short["sub"], transfers["value"]) == (s["low"], f"of {s['lines']} item lines", s["pending_transfers"])
        assert (short["value"], s["lines"], transfers["value"]) == (low, lines, moving)
