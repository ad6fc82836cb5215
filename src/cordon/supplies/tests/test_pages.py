"""The supplies pages through the shared layers: forms validate ledger rows, transfers and round demand; one
FilterSet filters the ledger page, its export and the API alike; a bad value is named and writes nothing."""

import pytest

from cordon.core.testing import SYSTEM, assert_filter_refused, exported_rows, label, messages_of
from cordon.supplies import forms, services
from cordon.supplies.models import Balance, Movement, RoundDemand, Transfer
from cordon.supplies.tests.test_supplies import stock  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_a_ledger_row_posted_on_the_page_moves_stock(stock, cast, api_client):  # noqa: F811
    item, a, *_ = stock
    client = api_client(cast.officer_a)
    answer = client.post("/supplies/ledger/", {"warehouse_id": a.pk, "item_id": item.pk, "kind": "out", "quantity": "10", "reason": "clinic"})
    assert answer.status_code == 302 and Balance.objects.get(warehouse=a, item=item).quantity == 990


def test_a_bad_value_names_the_field_and_writes_nothing(stock, cast, api_client):  # noqa: F811
    item, a, b, _ = stock
    client = api_client(cast.officer_a)
    rows = Movement.objects.count()
    answer = client.post("/supplies/ledger/", {"warehouse_id": a.pk, "item_id": item.pk, "kind": "out", "quantity": "many", "reason": "x"},
                         follow=True)
    assert label(forms.MoveForm, "quantity", answer) in messages_of(answer) and Movement.objects.count() == rows
    answer = client.post("/supplies/", {"form": "demand", "warehouse_id": a.pk, "day": "not a day", "people": "100", "pool_size": "10"},
                         follow=True)
    assert label(forms.DemandForm, "day", answer) in messages_of(answer) and RoundDemand.objects.count() == 0
    answer = client.post("/supplies/transfers/", {"form": "request", "to_warehouse_id": b.pk, "item_id": item.pk, "quantity": "5",
                                                  "reason": "short"}, follow=True)  # another district's warehouse
    assert Transfer.objects.count() == 0 and messages_of(answer)


def test_a_transfer_is_requested_rejected_and_the_check_button_runs(stock, cast, api_client):  # noqa: F811
    item, a, *_ = stock
    client = api_client(cast.officer_a)
    client.post("/supplies/transfers/", {"form": "request", "to_warehouse_id": a.pk, "item_id": item.pk, "quantity": "5", "reason": "short"})
    t = Transfer.objects.get()
    client.post("/supplies/transfers/", {"form": "reject", "pk": t.pk, "note": "no stock"})
    assert client.post("/supplies/", {"form": "check"}, follow=True).status_code == 200


def test_the_ledger_page_export_and_api_filter_the_same_way(stock, cast, api_client):  # noqa: F811
    item, a, *_ = stock
    services.stock_move(actor=SYSTEM, warehouse_id=a.pk, item_id=item.pk, kind="out", quantity=3, reason="clinic")
    client = api_client(cast.officer_a)
    page = client.get("/supplies/ledger/", {"kind": "out"})
    assert [m.kind for m in page.context["page"]] == ["out"]
    assert client.get("/api/v1/supplies/ledger", {"kind": "out"}).json()["count"] == 1
    assert client.get("/api/v1/supplies/ledger", {"warehouse": a.pk}).json()["count"] == 2
    assert_filter_refused(client, api="/api/v1/supplies/ledger", page="/supplies/ledger/", field="kind", value="nonsense")
    assert exported_rows(client, "/supplies/ledger/", {"kind": "out"}) == 1
