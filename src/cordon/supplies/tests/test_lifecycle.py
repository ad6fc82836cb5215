"""The transfer lifecycle as data: requested -> shipped or rejected, shipped -> received; the services refuse any other
move (409 naming the status), through the API too, and the API lists the allowed next statuses."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.errors import Conflict
from cordon.core.testing import SYSTEM
from cordon.supplies import services
from cordon.supplies.models import TRANSFER_LIFECYCLE, Balance, Transfer, TransferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(city):
    item = services.item_create(actor=SYSTEM, code="TUBE", name="采样管", category="tube", per_tube=1, low_days=5)
    a = services.warehouse_create(actor=SYSTEM, name="甲区物资库", region_id=city.a.pk)
    reserve = services.warehouse_create(actor=SYSTEM, name="市储备库", region_id=city.city.pk)
    for wh in (a, reserve):
        services.stock_move(actor=SYSTEM, warehouse_id=wh.pk, item_id=item.pk, kind="in", quantity=1000, reason="入库",
                            at=clock.now() - dt.timedelta(days=1))
    return item, a, reserve


def _refused(call):
    with pytest.raises(Conflict) as e:
        call()
    assert e.value.code == "transition" and e.value.fields[0]["field"] == "status", e.value.as_dict()


def test_a_transfer_moves_only_along_its_lifecycle(stock, cast):
    item, a, reserve = stock
    t = services.transfer_request(actor=cast.officer_a, to_warehouse_id=a.pk, item_id=item.pk, quantity=100, reason="缺口")
    _refused(lambda: services.transfer_receive(actor=cast.officer_a, transfer=t))
    services.transfer_approve(actor=cast.commander, transfer=t, from_warehouse_id=reserve.pk)
    _refused(lambda: services.transfer_approve(actor=cast.commander, transfer=t, from_warehouse_id=reserve.pk))
    _refused(lambda: services.transfer_reject(actor=cast.commander, transfer=t, note="迟了"))
    services.transfer_receive(actor=cast.officer_a, transfer=t)
    _refused(lambda: services.transfer_receive(actor=cast.officer_a, transfer=t))
    assert Balance.objects.get(warehouse=a, item=item).quantity == 1100  # booked in once
    assert TRANSFER_LIFECYCLE.allowed(TransferStatus.RECEIVED) == ()


def test_the_api_refuses_receiving_a_rejected_transfer_and_lists_the_next_statuses(stock, cast, api_client):
    item, a, _reserve = stock
    t = services.transfer_request(actor=cast.officer_a, to_warehouse_id=a.pk, item_id=item.pk, quantity=100, reason="缺口")
    got = api_client(cast.officer_a).get(f"/api/v1/supplies/transfers/{t.pk}")
    assert got.status_code == 200 and got.json()["next_statuses"] == ["shipped", "rejected"]
    services.transfer_reject(actor=cast.commander, transfer=t, note="库存不足")
    r = api_client(cast.officer_a).post(f"/api/v1/supplies/transfers/{t.pk}/receive", {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    assert r.json()["error"]["fields"][0]["field"] == "status"
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.REJECTED
    assert api_client(cast.officer_a).get(f"/api/v1/supplies/transfers/{t.pk}").json()["next_statuses"] == []


def test_the_transfer_list_offers_a_step_only_where_the_lifecycle_allows_it(stock, cast, api_client):
    item, a, reserve = stock
    t = services.transfer_request(actor=cast.officer_a, to_warehouse_id=a.pk, item_id=item.pk, quantity=100, reason="缺口")
    page = api_client(cast.commander).get("/supplies/transfers/").content.decode()
    assert 'value="approve"' in page and 'value="reject"' in page and 'value="receive"' not in page
    services.transfer_approve(actor=cast.commander, transfer=t, from_warehouse_id=reserve.pk)
    page = api_client(cast.commander).get("/supplies/transfers/").content.decode()
    assert 'value="approve"' not in page and 'value="reject"' not in page and 'value="receive"' in page
