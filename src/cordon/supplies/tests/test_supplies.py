import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from cordon.command.models import Task, TaskStatus
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.testing import SYSTEM
from cordon.supplies import rules, selectors, services
from cordon.supplies.models import Balance, Movement


def test_days_of_supply_counts_the_daily_rate_and_planned_rounds():
    assert rules.days_of_supply(balance=100, rate=10, planned=[]) == 10.0
    assert rules.days_of_supply(balance=100, rate=10, planned=[(2, 50)]) == 5.0
    assert rules.days_of_supply(balance=100, rate=10, planned=[(2, 200)]) == 2.4
    assert rules.days_of_supply(balance=100, rate=0, planned=[]) is None
    assert rules.round_need(people=1001, pool_size=10, per_tube=1, per_person=0) == 101
    assert rules.round_need(people=1000, pool_size=10, per_tube=0, per_person=1) == 1000


@pytest.fixture
def stock(city):
    item = services.item_create(actor=SYSTEM, code="TUBE", name="采样管", category="tube", per_tube=1, low_days=5)
    a = services.warehouse_create(actor=SYSTEM, name="甲区物资库", region_id=city.a.pk)
    b = services.warehouse_create(actor=SYSTEM, name="乙区物资库", region_id=city.b.pk)
    reserve = services.warehouse_create(actor=SYSTEM, name="市储备库", region_id=city.city.pk)
    for wh in (a, b, reserve):
        services.stock_move(actor=SYSTEM, warehouse_id=wh.pk, item_id=item.pk, kind="in", quantity=1000, reason="入库",
                            at=clock.now() - dt.timedelta(days=8))
    return item, a, b, reserve


@pytest.mark.django_db
def test_stock_never_goes_negative_and_the_ledger_keeps_every_row(stock, cast):
    item, a, *_ = stock
    with pytest.raises(ServiceError) as exc:
        services.stock_move(actor=cast.officer_a, warehouse_id=a.pk, item_id=item.pk, kind="out", quantity=1001, reason="发放")
    assert exc.value.code == "negative_stock" and exc.value.fields[0]["field"] == "quantity"
    services.stock_move(actor=cast.officer_a, warehouse_id=a.pk, item_id=item.pk, kind="out", quantity=400, reason="发放")
    services.stock_move(actor=cast.officer_a, warehouse_id=a.pk, item_id=item.pk, kind="adjust", quantity=-10, reason="盘点")
    assert Balance.objects.get(warehouse=a, item=item).quantity == 590
    assert list(Movement.objects.filter(warehouse=a).order_by("id").values_list("balance_after", flat=True)) == [1000, 600, 590]


@pytest.mark.django_db
def test_the_database_refuses_to_rewrite_the_ledger(stock):
    row = Movement.objects.first()
    with pytest.raises(ValueError):
        row.save()
    for sql in (f"UPDATE supplies_movement SET quantity = 1 WHERE id = {row.pk}", f"DELETE FROM supplies_movement WHERE id = {row.pk}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    with pytest.raises(IntegrityError), transaction.atomic():
        Balance.objects.filter(pk=Balance.objects.first().pk).update(quantity=-1)


@pytest.mark.django_db
def test_a_transfer_from_a_warehouse_outside_the_officers_area_is_refused(stock, cast):
    item, a, b, _ = stock
    with pytest.raises(ServiceError) as exc:
        services.stock_transfer(actor=cast.officer_a, from_id=b.pk, to_id=a.pk, item_id=item.pk, quantity=5, reason="借用")
    assert exc.value.status == 404  # district B's store does not exist for district A
    with pytest.raises(ServiceError) as exc:
        services.stock_transfer(actor=cast.viewer_a, from_id=a.pk, to_id=a.pk, item_id=item.pk, quantity=5, reason="x")
    assert exc.value.status == 403
    assert exc.value.fields[0]["message"] == "不在您的管辖范围内：请改为申请调拨"


@pytest.mark.django_db
def test_a_forecast_warns_before_a_round_and_a_transfer_fixes_it(stock, cast):
    item, a, _, reserve = stock
    for day in range(7, 0, -1):
        services.stock_move(actor=SYSTEM, warehouse_id=a.pk, item_id=item.pk, kind="out", quantity=70, reason="发放",
                            at=clock.now() - dt.timedelta(days=day) + dt.timedelta(hours=12))
    services.demand_add(actor=cast.officer_a, warehouse_id=a.pk, day=clock.today() + dt.timedelta(days=1), people=3000, pool_size=10)
    row = selectors.forecast(actor=cast.officer_a)[0]
    assert row["balance"] == 510 and row["rate"] == 70 and row["planned"] == 300 and row["low"]
    assert services.low_stock_check(actor=SYSTEM)["low"] >= 1
    task = Task.objects.get(source=f"supplies.balance:{a.pk}:{item.pk}")
    assert task.status == TaskStatus.OPEN and task.region_path == a.region_path
    t = services.transfer_request(actor=cast.officer_a, to_warehouse_id=a.pk, item_id=item.pk, quantity=900, reason="核酸缺口")
    with pytest.raises(ServiceError):
        services.transfer_approve(actor=cast.officer_a, transfer=t, from_warehouse_id=reserve.pk)
    services.transfer_approve(actor=cast.commander, transfer=t, from_warehouse_id=reserve.pk)
    assert Balance.objects.get(warehouse=reserve, item=item).quantity == 100
    services.transfer_receive(actor=cast.officer_a, transfer=t)
    row = selectors.forecast(actor=cast.officer_a, warehouse_ids=[a.pk])[0]
    assert row["balance"] == 1410 and not row["low"]
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


@pytest.mark.django_db
def test_the_api_bulk_ledger_is_all_or_nothing_and_idempotent(stock, cast, api_client):
    item, a, *_ = stock
    c = api_client(cast.officer_a)
    bad = [{"warehouse_id": a.pk, "item_id": item.pk, "kind": "out", "quantity": 5, "reason": "发放"},
           {"warehouse_id": a.pk, "item_id": item.pk, "kind": "out", "quantity": 99999, "reason": "发放"}]
    r = c.post("/api/v1/supplies/ledger/bulk", bad, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["row"] == 2
    assert Balance.objects.get(warehouse=a, item=item).quantity == 1000
    good = bad[:1]
    r1 = c.post("/api/v1/supplies/ledger/bulk", good, content_type="application/json", headers={"Idempotency-Key": "s1"})
    r2 = c.post("/api/v1/supplies/ledger/bulk", good, content_type="application/json", headers={"Idempotency-Key": "s1"})
    assert r1.status_code == r2.status_code == 201 and Balance.objects.get(warehouse=a, item=item).quantity == 995
    assert c.get("/api/v1/supplies/forecast?low=false").json()[0]["warehouse_id"] == a.pk


@pytest.mark.django_db
def test_the_supplies_screens_render(stock, cast, api_client):
    c = api_client(cast.officer_a)
    for url in ["/supplies/", "/supplies/ledger/", "/supplies/transfers/", "/supplies/?export=1", "/supplies/ledger/?export=1"]:
        assert c.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_command_figures_carry_the_shortest_supply_cover_and_it_is_never_silently_unavailable(stock, cast):
    from cordon.reports import metrics

    item, a, b, reserve = stock
    # district A issues 300 tubes a day for a week: 1000 - 2100 is not possible, so issue 130/day -> 90 left, < 1 day
    for d in range(7):
        services.stock_move(actor=SYSTEM, warehouse_id=a.pk, item_id=item.pk, kind="out", quantity=130, reason="采样",
                            at=clock.now() - dt.timedelta(days=d, hours=1))
    figures = metrics.figures(region_path=stock[1].region_path, cut_off=clock.now())
    assert "unavailable" not in figures  # a figure reads its module through a normal import, never "not available"
    assert figures["supply_min_days"] is not None and figures["supply_min_days"] < 3
    # district B issued nothing: no consumption, no shortage figure
    assert metrics.figures(region_path=b.region_path, cut_off=clock.now())["supply_min_days"] is None
