"""Demo data: the catalogue, a city reserve and district stores with a week of ledger history, a
testing round's planned draw that makes district A's tubes run short (a warning task), and a transfer
from the city reserve that fixes it; district B's masks are left short with a request waiting."""

import datetime as dt

from cordon.core import access
from cordon.regions.models import Level, Region
from cordon.supplies import selectors, services
from cordon.supplies.models import Item, Warehouse

SYSTEM = access.system("demo")  # this module's work that no user clicked

CATALOGUE = [
    ("MASK-N95", "N95 口罩", "mask", "只", 0, 0, 7), ("SUIT-1", "一次性防护服", "suit", "套", 0, 0, 7),
    ("SWAB-1", "采样拭子", "swab", "支", 0, 1, 5), ("TUBE-10", "10 混 1 采样管", "tube", "支", 1, 0, 5),
    ("REAG-PCR", "核酸检测试剂", "reagent", "人份", 1, 0, 5), ("AG-KIT", "抗原检测试剂盒", "test_kit", "盒", 0, 0, 7),
    ("MED-LH", "连花清瘟胶囊", "medicine", "盒", 0, 0, 7), ("O2-40L", "医用氧气瓶 40L", "oxygen", "瓶", 0, 0, 7),
]


def seed(ctx) -> None:
    items = {}
    for code, name, cat, unit, per_tube, per_person, low in CATALOGUE:
        items[code] = Item.objects.filter(code=code).first() or services.item_create(
            actor=SYSTEM, code=code, name=name, category=cat, unit=unit, per_tube=per_tube, per_person=per_person, low_days=low)
    city = Region.objects.get(parent__isnull=True)
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path"))
    reserve = services.warehouse_create(actor=SYSTEM, name="市级医疗物资储备库", region_id=city.pk)
    stores = {d.pk: services.warehouse_create(actor=SYSTEM, name=f"{d.name}物资库", region_id=d.pk) for d in districts}
    a, b = districts[0], districts[1] if len(districts) > 1 else districts[0]
    street = Region.objects.filter(level=Level.STREET, parent=a).order_by("path").first()
    services.warehouse_create(actor=SYSTEM, name=f"{street.name}核酸采样点仓", region_id=street.pk, site="采样点")
    now = ctx.now
    week_ago = now - dt.timedelta(days=8)
    for item in items.values():
        services.stock_move(actor=SYSTEM, warehouse_id=reserve.pk, item_id=item.pk, kind="in", quantity=500_000, reason="市级储备入库", at=week_ago)
    rng = ctx.rng
    for d in districts:
        wh = stores[d.pk]
        pop = max(d.population, 1000)
        for code, item in items.items():
            start = pop * (2 if code in ("MASK-N95", "SWAB-1", "TUBE-10", "REAG-PCR") else 1) // 4
            if d.pk == a.pk and code == "TUBE-10":
                start = pop // 12  # district A is short of tubes before the round
            if d.pk == b.pk and code == "MASK-N95":
                start = pop // 25
            services.stock_move(actor=SYSTEM, warehouse_id=wh.pk, item_id=item.pk, kind="in", quantity=start, reason="区级储备入库", at=week_ago)
        for day in range(7, 0, -1):
            at = now - dt.timedelta(days=day)
            for code in ("MASK-N95", "SWAB-1", "TUBE-10", "SUIT-1"):
                use = max(1, int(pop * {"MASK-N95": 0.004, "SWAB-1": 0.002, "TUBE-10": 0.0005, "SUIT-1": 0.001}[code] * rng.uniform(0.7, 1.3)))
                services.stock_move(actor=SYSTEM, warehouse_id=wh.pk, item_id=items[code].pk, kind="out", quantity=use,
                                    reason="日常发放", at=at)
    # a correction: the ledger never rewrites history, it records an adjustment
    services.stock_move(actor=SYSTEM, warehouse_id=stores[a.pk].pk, item_id=items["SUIT-1"].pk, kind="adjust", quantity=-20,
                        reason="盘点：破损 20 套")
    # district A plans a full round the day after tomorrow: tubes = population / 10
    services.demand_add(actor=SYSTEM, warehouse_id=stores[a.pk].pk, day=ctx.today + dt.timedelta(days=2),
                        people=a.population, pool_size=10, note="全员核酸第 1 轮")
    first = services.low_stock_check(actor=SYSTEM)
    tube_row = next(r for r in selectors.forecast(actor=SYSTEM, warehouse_ids=[stores[a.pk].pk]) if r["item_id"] == items["TUBE-10"].pk)
    officer_a, commander = ctx.accounts.get("district_a"), ctx.accounts.get("commander")
    t = services.transfer_request(actor=officer_a, to_warehouse_id=stores[a.pk].pk, item_id=items["TUBE-10"].pk,
                                  quantity=max(a.population // 5, 1000), reason="全员核酸采样管缺口")
    services.transfer_approve(actor=commander, transfer=t, from_warehouse_id=reserve.pk, note="市储备调拨")
    services.transfer_receive(actor=officer_a, transfer=t)
    after = next(r for r in selectors.forecast(actor=SYSTEM, warehouse_ids=[stores[a.pk].pk]) if r["item_id"] == items["TUBE-10"].pk)
    services.transfer_request(actor=ctx.accounts.get("district_b"), to_warehouse_id=stores[b.pk].pk, item_id=items["MASK-N95"].pk,
                              quantity=max(b.population // 10, 1000), reason="N95 口罩库存告急")
    ctx.say(f"supplies: {Warehouse.objects.count()} warehouses; {first['low']} low-stock warnings; {a.name} tubes "
            f"{tube_row['days']} -> {after['days'] or '>30'} days after transfer #{t.pk}")
