import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_people_page_lists_only_my_district_masked(city, cast, api_client):
    PersonFactory(grid=city.a_grid, name="王小明")
    PersonFactory(grid=city.b_grid, name="赵大海")
    html = api_client(cast.officer_a).get("/people/").content.decode()
    assert "王**" in html and "王小明" not in html and "赵" not in html


def test_the_excel_export_from_the_ui_is_scoped(city, cast, api_client):
    PersonFactory(grid=city.a_grid, name="王小明")
    PersonFactory(grid=city.b_grid, name="赵大海")
    r = api_client(cast.officer_b).get("/people/?export=1")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["赵**"]


def test_admin_lists_only_my_district(city, cast, api_client):
    cast.officer_a.is_staff = True
    cast.officer_a.save()
    PersonFactory(grid=city.a_grid)
    other = PersonFactory(grid=city.b_grid)
    html = api_client(cast.officer_a).get("/admin/people/person/").content.decode()
    assert f"/admin/people/person/{other.pk}/change/" not in html
    assert "1 person" in html


def test_the_person_page_unmasks_only_on_request_and_audits_it(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid, name="王小明")
    c = api_client(cast.officer_a)
    assert "王小明" not in c.get(f"/people/{p.pk}/").content.decode()
    assert "王小明" in c.get(f"/people/{p.pk}/?unmask=1").content.decode()
    assert AuditEntry.objects.filter(action="person.unmask").count() == 1
    assert api_client(cast.viewer_a).get(f"/people/{p.pk}/?unmask=1").status_code == 403


def test_the_home_page_shows_the_city_in_chinese_by_default(city, cast, api_client):
    html = api_client(cast.commander).get("/").content.decode()
    assert "测试市" in html and "全市概况" in html and 'data-chart="city-map"' in html


def test_english_is_switchable(city, cast, api_client):
    c = api_client(cast.commander)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "City overview" in c.get("/").content.decode()


def test_anonymous_users_are_sent_to_login(city):
    r = Client().get("/people/")
    assert r.status_code == 302 and "/login/" in r["Location"]
