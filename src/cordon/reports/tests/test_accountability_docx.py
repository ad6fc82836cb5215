"""The accountability report (per unit and period: on time, late, reopened, open) as a government-layout .docx."""

import datetime as dt
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cordon.command import services
from cordon.core import clock
from cordon.core.testing import SYSTEM

pytestmark = pytest.mark.django_db


def test_the_accountability_docx_has_the_title_issuer_numbered_sections_and_a_row_per_unit(city, cast, api_client):
    insp = services.inspection_record(actor=cast.officer_a, region_path=city.a_grid.path, place="甲一小区",
                                      findings=[{"title": "台账不全", "owner_id": cast.field_a.pk},
                                                {"title": "未测温", "owner_id": cast.field_a.pk}])
    first, second = insp.items.order_by("id")
    services.ledger_rectify(actor=SYSTEM, item=first, rectification="已补")
    services.ledger_reinspect(actor=cast.commander, item=first, passed=False, note="未补齐", new_deadline=clock.now() + dt.timedelta(hours=6))
    services.ledger_rectify(actor=SYSTEM, item=second, rectification="已测温")
    services.ledger_reinspect(actor=cast.commander, item=second, passed=True, upload=SimpleUploadedFile("ok.jpg", b"jpeg"))
    c = api_client(cast.commander)
    today = clock.today()
    page = c.get("/command/ledger/accountability/", {"start": str(today), "end": str(today)}).content.decode()
    assert "accountability/docx/" in page
    answer = c.get("/command/ledger/accountability/docx/", {"start": str(today), "end": str(today)})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    d = docx.Document(io.BytesIO(answer.content))
    text = [p.text for p in d.paragraphs]
    assert text[0].endswith("疫情防控指挥部") and "督查督办落实情况的通报" in text[1]
    assert [t for t in text if t[:2] in ("一、", "二、", "三、")] == ["一、总体情况", "二、各区落实情况", "三、问责建议"]
    assert any("发现问题2个" in t and "复查不合格重新整改1个" in t for t in text)
    assert text[-1] == f"{today.year}年{today.month}月{today.day}日"
    table = d.tables[0]
    assert [cell.text for cell in table.rows[0].cells][:2] == ["单位", "督导检查"]
    row = next(r for r in table.rows[1:] if r.cells[0].text == city.a.name)
    assert [cell.text for cell in row.cells][1:9] == ["1", "2", "0", "1", "0", "1", "1", "0"]
    assert api_client(cast.officer_b).get("/command/ledger/accountability/docx/").status_code == 200  # B's own area: no row of A
    other = docx.Document(io.BytesIO(api_client(cast.officer_b).get("/command/ledger/accountability/docx/").content))
    assert all(r.cells[0].text != city.a.name for r in other.tables[0].rows)
