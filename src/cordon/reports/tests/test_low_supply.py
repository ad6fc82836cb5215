"""End to end: a city with a stock line under its item's safety days raises the low-supply alert on the dashboard,
is named in the daily report (page and .docx) and is a figure of the bulletin drafted at the same cut-off."""

import datetime as dt
import io

import docx
import pytest

from cordon.bulletins import services as bulletins
from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.reports import metrics
from cordon.reports import services as reports
from cordon.supplies import services as supplies

pytestmark = pytest.mark.django_db


def _low_masks(city):
    """District A's store: 300 masks left, about 60 issued a day -> under 7 safety days."""
    item = supplies.item_create(actor=SYSTEM, code="MASK-N95", name="N95 口罩", category="mask", unit="只", low_days=7)
    store = supplies.warehouse_create(actor=SYSTEM, name="甲区物资库", region_id=city.a.pk)
    now = clock.now()
    supplies.stock_move(actor=SYSTEM, warehouse_id=store.pk, item_id=item.pk, kind="in", quantity=720, reason="入库", at=now - dt.timedelta(days=8))
    for day in range(7, 0, -1):
        supplies.stock_move(actor=SYSTEM, warehouse_id=store.pk, item_id=item.pk, kind="out", quantity=60, reason="发放",
                            at=now - dt.timedelta(days=day))
    return item, store


def test_a_low_stock_line_raises_the_alert_on_the_dashboard_in_the_daily_report_and_in_the_bulletin_figures(city, cast, api_client):
    assert metrics.figures(region_path=city.city.path, cut_off=clock.now())["supply_low_lines"] == 0
    _low_masks(city)
    f = metrics.figures(region_path=city.city.path, cut_off=clock.now())
    days = f["supply_min_days"]
    assert f["supply_low_lines"] == 1 and 4 < days < 7
    reports.snapshot_take()
    c = api_client(cast.commander)
    c.cookies["django_language"] = "en"
    board = c.get("/command/").content.decode()
    assert "1 supply lines below their safety days" in board and f"甲区物资库 N95 口罩 ({days})" in board
    report = reports.report_generate(actor=cast.commander, report_date=clock.today())
    assert report.data["figures"]["supply_low_lines"] == 1
    assert report.data["supply_low"] == [{"warehouse": "甲区物资库", "item": "N95 口罩", "days": days, "low_days": 7}]
    page = c.get(f"/command/reports/{report.pk}/").content.decode()
    assert "甲区物资库" in page and "N95 口罩" in page
    document = docx.Document(io.BytesIO(c.get(f"/command/reports/{report.pk}/docx/").content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "N95 口罩" in cells and f"{days:g}" in cells
    assert any("低于安全库存天数的物资品项1" in p.text for p in document.paragraphs)
    b = bulletins.bulletin_draft(actor=cast.commander, cut_off=clock.now())
    assert b.figures["supply_low_lines"] == 1
    assert "Supply lines below their safety days" in c.get(f"/bulletins/{b.pk}/").content.decode()


def test_the_figure_reads_the_stock_of_the_region_only(city, cast):
    _low_masks(city)
    assert metrics.figures(region_path=city.b.path, cut_off=clock.now())["supply_low_lines"] == 0
    assert metrics.low_supplies(region_path=city.a.path)[0]["item"] == "N95 口罩"
