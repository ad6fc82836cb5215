"""`cordon import people FILE --user NAME` and `cordon export people FILE --user NAME` (people's commands)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.people.models import Person

pytestmark = pytest.mark.django_db

HEAD = "name,id_number,phone,grid_code,address,household,elderly_alone\n"


def test_import_people_writes_the_rows_as_the_user(city, cast, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEAD + f"李雷,11010519491231002X,13800000001,{city.a_grid.code},幸福小区 1号楼 1单元 101,h1,yes\n",
                    encoding="utf-8")
    out = io.StringIO()
    call_command("import", "people", str(path), user="officer_a", stdout=out)
    assert Person.objects.filter(id_number="11010519491231002X").exists()
    assert out.getvalue().strip()


def test_import_people_names_row_and_field_and_writes_nothing(city, cast, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEAD + f"韩梅梅,110105194912310021,13800000002,{city.a_grid.code},x,h2,no\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "people", str(path), user="officer_a", stderr=err)
    assert "row 2, id_number" in err.getvalue()
    assert Person.objects.count() == 0


def test_export_people_is_masked_scoped_and_audited(city, cast, tmp_path):
    PersonFactory(grid=city.a_grid, name="王小明")
    PersonFactory(grid=city.b_grid)
    path = tmp_path / "people.xlsx"
    out = io.StringIO()
    call_command("export", "people", str(path), user="officer_a", stdout=out)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "王**" in rows[1]
    assert "wrote 1 rows" in out.getvalue()
    assert AuditEntry.objects.filter(actor_label="officer_a", action__contains="export").exists()


def test_export_people_refuses_an_unknown_user(city, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="no active user"):
        call_command("export", "people", str(tmp_path / "x.xlsx"), user="nobody")
