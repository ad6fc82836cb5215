import io

import pytest
from openpyxl import load_workbook

from cordon.accounts import services as account_services
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_list_is_masked_and_scoped(city, cast, api_client):
    mine = PersonFactory(grid=city.a_grid, name="王小明")
    PersonFactory(grid=city.b_grid)
    body = api_client(cast.officer_a).get("/api/v1/people/").json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "王**" and body["items"][0]["id"] == mine.pk
    assert "*" in body["items"][0]["id_number"]


def test_unmasking_needs_the_permission_and_is_audited(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid, name="王小明")
    denied = api_client(cast.viewer_a).get(f"/api/v1/people/{p.pk}?unmask=true")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    ok = api_client(cast.officer_a).get(f"/api/v1/people/{p.pk}?unmask=true").json()
    assert ok["name"] == "王小明" and ok["masked"] is False
    assert AuditEntry.objects.filter(action="person.unmask", object_id=str(p.pk), actor_label="officer_a").exists()


def test_token_auth_works_and_a_bad_token_gets_the_error_shape(city, cast):
    from django.test import Client

    PersonFactory(grid=city.a_grid)
    key = account_services.token_issue(actor=cast.officer_a, user=cast.officer_a)
    c = Client()
    assert c.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {key}").json()["count"] == 1
    bad = c.get("/api/v1/people/", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401 and bad.json() == {"error": {"code": "unauthenticated", "message": "authentication required", "fields": []}}


def _csv(rows):
    head = "name,id_number,phone,grid_code,address,household,elderly_alone\n"
    return io.BytesIO((head + "\n".join(rows)).encode())


def test_import_is_atomic_and_names_row_and_field(city, cast, api_client):
    good = f"李雷,11010519491231002X,13800000001,{city.a_grid.code},幸福小区 1号楼 1单元 101,h1,yes"
    bad_id = f"韩梅梅,110105194912310021,13800000002,{city.a_grid.code},幸福小区 1号楼 1单元 102,h2,no"
    bad_grid = "张三,11010519800101001X,13800000003,nope,幸福小区,h3,no"
    f = _csv([good, bad_id, bad_grid])
    f.name = "people.csv"
    r = api_client(cast.officer_a).post("/api/v1/people/import", {"file": f})
    assert r.status_code == 400
    fields = r.json()["error"]["fields"]
    assert {"row": 3, "field": "id_number", "message": "不是有效的身份证号：校验码不符（GB 11643）"} in fields
    assert any(e["row"] == 4 and e["field"] == "grid_code" for e in fields)
    assert Person.objects.count() == 0


def test_import_refuses_rows_outside_the_officers_area(city, cast, api_client):
    f = _csv([f"李雷,11010519491231002X,13800000001,{city.b_grid.code},x,h1,no"])
    f.name = "p.csv"
    r = api_client(cast.officer_a).post("/api/v1/people/import", {"file": f})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["message"] == "不在您的管辖范围内"


def test_a_district_b_import_cannot_rewrite_or_move_a_district_a_resident(city, cast, api_client):
    from cordon.core.models import AuditEntry

    resident = PersonFactory(grid=city.a_grid, name="王小明", phone="13800000009")
    f = _csv([f"冒名,{resident.id_number},13911112222,{city.b_grid.code},x,h1,no"])
    f.name = "p.csv"
    r = api_client(cast.officer_b).post("/api/v1/people/import", {"file": f})
    assert r.status_code == 400
    error = r.json()["error"]["fields"][0]
    assert error["row"] == 2 and error["field"] == "id_number"
    assert "王" not in r.content.decode() and city.a.name not in r.content.decode()
    resident.refresh_from_db()
    assert (resident.name, resident.phone, resident.region_path) == ("王小明", "13800000009", city.a_grid.path)
    assert AuditEntry.objects.filter(action="people.import.refused", actor_id=cast.officer_b.pk).exists()


def test_reimporting_the_same_file_is_harmless(city, cast, api_client):
    rows = [f"李雷,11010519491231002X,13800000001,{city.a_grid.code},幸福小区 1号楼 1单元 101,h1,yes"]
    for _ in range(2):
        f = _csv(rows)
        f.name = "p.csv"
        assert api_client(cast.officer_a).post("/api/v1/people/import", {"file": f}).status_code == 200
    assert Person.objects.count() == 1 and Person.objects.get().elderly_alone


def test_export_is_masked_and_scoped(city, cast, api_client):
    PersonFactory(grid=city.a_grid, name="王小明")
    PersonFactory(grid=city.b_grid, name="赵大海")
    r = api_client(cast.officer_a).get("/api/v1/people/export")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "王**"
    assert api_client(cast.viewer_a).get("/api/v1/people/export").status_code == 403
