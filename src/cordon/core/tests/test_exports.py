"""The one export path (core.exports): permission, area, masking, formula escaping, row cap, one audit entry."""

import ast
import datetime as dt
import io
import pathlib

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import load_workbook

from cordon.core import clock, exports
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.people import services as people_services
from cordon.people.factories import PersonFactory


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _exports() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action__endswith=".export").order_by("id"))


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_a_text_cell_a_spreadsheet_would_run_is_escaped(text):
    assert exports.cell(text) == "'" + text


def test_plain_text_and_numbers_are_left_as_they_are():
    assert exports.cell("张三") == "张三" and exports.cell(-5) == -5 and exports.cell(None) == ""


def test_an_exported_name_starting_with_equals_arrives_as_text_not_a_formula(city, cast):
    PersonFactory(grid=city.a_grid, name="=cmd|' /C calc'!A0")
    for unmask in (False, True):
        f = people_services.people_export(actor=cast.officer_a, unmask=unmask)
        wb = load_workbook(io.BytesIO(f.content))
        cell = wb.active["B2"]
        assert cell.data_type != "f" and str(cell.value).startswith("'=")


def test_a_csv_export_escapes_formulas_too(city, cast):
    PersonFactory(grid=city.a_grid, household=None, name="@evil")
    text = people_services.people_export(actor=cast.officer_a, unmask=True, fmt="csv").content.decode("utf-8-sig")
    assert "'@evil" in text and ",@evil" not in text


def test_a_masked_export_keeps_only_the_year_of_birth(city, cast):
    p = PersonFactory(grid=city.a_grid, birth_date=dt.date(1985, 7, 14))
    header, row = _rows(people_services.people_export(actor=cast.officer_a).content)
    got = dict(zip(header, row, strict=True))
    assert got["id_number"] != p.id_number and "*" in got["id_number"]
    assert got["birth_date"] == 1985 and "07" not in str(got["birth_date"])
    assert got["age_group"].endswith("9") and got["address"].endswith("***")


def test_an_unmasked_export_shows_the_birth_date_and_is_recorded_as_unmasked(city, cast):
    p = PersonFactory(grid=city.a_grid, birth_date=dt.date(1985, 7, 14))
    header, row = _rows(people_services.people_export(actor=cast.officer_a, unmask=True).content)
    got = dict(zip(header, row, strict=True))
    assert got["id_number"] == p.id_number and got["birth_date"].date() == dt.date(1985, 7, 14)
    assert _exports()[-1].changes["unmasked"] is True


def test_unmasking_without_the_unmask_permission_is_refused(city):
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post

    u = get_user_model().objects.create_user(username="ops", password="pw-for-tests-1")
    Post.objects.create(user=u, role="logistics", region=city.a)  # supplies.export, no people.unmask
    columns = [exports.Column("n", lambda r: r, pii=exports.NAME)]
    assert exports.export(actor=u, domain="supplies", name="t", columns=columns, rows=["张三"]).rows == 1
    with pytest.raises(PermissionDenied):
        exports.export(actor=u, domain="supplies", name="t", columns=columns, rows=["张三"], unmask=True)


def test_each_export_writes_one_audit_entry_with_its_row_count(city, cast):
    PersonFactory(grid=city.a_grid)
    PersonFactory(grid=city.a_grid2)
    PersonFactory(grid=city.b_grid)
    f = people_services.people_export(actor=cast.officer_a, fmt="xlsx")
    entries = _exports()
    assert len(entries) == 1 and f.rows == 2
    e = entries[0]
    assert e.action == "people.export" and e.actor_id == cast.officer_a.pk
    assert e.changes["rows"] == 2 and e.changes["unmasked"] is False and e.changes["format"] == "xlsx"
    assert "filters" in e.changes


def test_the_district_a_viewer_without_export_permission_gets_403(city, cast):
    PersonFactory(grid=city.a_grid)
    c = _client(cast.viewer_a)
    assert c.get("/api/v1/people/export").status_code == 403
    assert c.get("/people/?export=1").status_code == 403
    assert c.get("/zones/?export=1").status_code == 403
    assert c.get("/command/ledger/?export=1").status_code == 403
    assert not _exports()


def test_the_district_b_officer_never_gets_district_a_rows(city, cast):
    a = PersonFactory(grid=city.a_grid, name="甲人")
    b = PersonFactory(grid=city.b_grid, name="乙人")
    header, *rows = _rows(_client(cast.officer_b).get("/api/v1/people/export").content)
    ids = {r[0] for r in rows}
    assert ids == {b.pk} and a.pk not in ids
    header, *rows = _rows(people_services.people_export(actor=cast.officer_b, grid_path=city.a_grid.path).content)
    assert rows == []


def test_an_export_over_the_row_cap_is_refused_and_names_the_limit(city, cast, settings):
    settings.CORDON_EXPORT_MAX_ROWS = 2
    for _ in range(3):
        PersonFactory(grid=city.a_grid)
    with pytest.raises(ServiceError) as err:
        people_services.people_export(actor=cast.officer_a)
    assert "2" in err.value.message and err.value.code == "export_too_large"
    r = _client(cast.officer_a).get("/api/v1/people/export")
    assert r.status_code == 400 and r.json()["error"]["code"] == "export_too_large"
    page = _client(cast.officer_a).get("/people/?export=1", follow=True)
    assert page.status_code == 200 and "2" in page.content.decode()
    assert not _exports()


def test_an_export_at_the_row_cap_goes_through(city, cast, settings):
    settings.CORDON_EXPORT_MAX_ROWS = 2
    PersonFactory(grid=city.a_grid)
    PersonFactory(grid=city.a_grid)
    assert people_services.people_export(actor=cast.officer_a).rows == 2


def _objects(city, cast):
    """What the export routes below need: a person, a round, a presence batch, a closure order (all in district A)."""
    from cordon.screening.factories import make_round
    from cordon.spacetime.models import BatchArea, PresenceBatch
    from cordon.venues.models import ClosureOrder

    person = PersonFactory(grid=city.a_grid, name="=1+1")
    rnd = make_round(region=city.a, actor=cast.commander)
    batch = PresenceBatch.objects.create(key="t-1", source="t", kind="upload")
    BatchArea.objects.create(batch=batch, region_path=city.a_grid.path, rows=1, people=1)
    order = ClosureOrder.objects.create(number="T000001", title="t", kinds=["ktv"], area=city.a, region_path=city.a.path,
                                        starts_at=clock.now(), status="in_force")
    return {"person": person.pk, "round": rnd.pk, "grid": city.a_grid.path, "batch": batch.pk, "order": order.pk}


# Every export route, web and API (found with: grep -rn "wants(request)\|http_response(" src/cordon/*/views.py src/cordon/*/api.py).
EXPORT_ROUTES = [
    "/people/?export=1",
    "/api/v1/people/export",
    "/cases/?export=1",
    "/community/checks/?export=1",
    "/checkpoints/?export=1",
    "/checkpoints/inspections/?export=1",
    "/checkpoints/passes/?export=1",
    "/contacts/?export=1",
    "/api/v1/contacts/export",
    "/gatherings/?export=1",
    "/screening/?export=1",
    "/screening/coverage/?round={round}&export=1",
    "/screening/coverage/?round={round}&grid={grid}&export=1",
    "/api/v1/screening/rounds/{round}/unsampled?grid={grid}&export=true",
    "/screening/results/?round={round}&export=1",
    "/screening/results/?round={round}&tab=retests&export=1",
    "/sim/?export=xlsx",
    "/spacetime/?export=1",
    "/spacetime/batches/{batch}/?export=1",
    "/spacetime/people/{person}/?export=1",
    "/workforce/workers/?export=1",
    "/quarantine/reserves/?export=1",
    "/quarantine/sites/?export=1",
    "/quarantine/stays/?export=1",
    "/quarantine/tests/?export=1",
    "/api/v1/quarantine/tests/due/export",
    "/livelihood/?export=1",
    "/livelihood/emergencies/?export=1",
    "/livelihood/essentials/?export=incidents",
    "/livelihood/essentials/?export=points",
    "/livelihood/enterprises/?export=1",
    "/supplies/?export=1",
    "/supplies/ledger/?export=1",
    "/supplies/transfers/?export=1",
    "/venues/?export=1",
    "/venues/closures/?export=1",
    "/venues/closures/{order}/?export=1",
    "/command/tasks/?export=1",
    "/command/tasks/stats/?export=1",
    "/command/responsibilities/?export=1",
    "/command/ledger/?export=1",
    "/command/ledger/accountability/?export=1",
    "/command/dispatch/?export=1",
    "/zones/?export=1",
    "/api/v1/zones/export",
    "/keyworkers/?export=1",
    "/selfreport/?export=1",
    "/questionnaires/case-investigation-p9/v1/export/?format=xlsx",
]


def test_every_export_route_writes_one_audit_entry_with_its_row_count(city, cast):
    objs = _objects(city, cast)
    c = _client(cast.commander)
    missing = []
    for route in EXPORT_ROUTES:
        before = AuditEntry.objects.filter(action__endswith=".export").count()
        r = c.get(route.format(**objs))
        new = list(AuditEntry.objects.filter(action__endswith=".export").order_by("id")[before:])
        ok = (r.status_code == 200 and r["Content-Type"] in {t for t, _ in exports.FORMATS.values()}
              and len(new) == 1 and isinstance(new[0].changes.get("rows"), int) and new[0].actor_id == cast.commander.pk)
        if not ok:
            missing.append(f"{route}: {r.status_code} {r.get('Content-Type')} audit={[e.action for e in new]}")
    assert not missing, "\n".join(missing)


def test_every_export_route_refuses_the_viewer_without_export_permission(city, cast):
    objs = _objects(city, cast)
    c = _client(cast.viewer_a)
    allowed = [route for route in EXPORT_ROUTES if c.get(route.format(**objs)).status_code not in (403, 404)]
    assert not allowed and not _exports()


def test_the_route_list_covers_every_export_in_the_code():
    """Each page or API module names the exporters it serves (`<app>.exports.<what>_export`, `people_export`); one
    route per exporter per module, however the view reaches it (directly, through core.pages.listing, or a helper
    that serves two tabs): a new export without a line in EXPORT_ROUTES fails here."""
    src = pathlib.Path(exports.__file__).resolve().parents[1]
    served = 0
    for path in list(src.glob("*/views.py")) + list(src.glob("*/api.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        served += len({node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr.endswith("_export")})
    assert served == len(EXPORT_ROUTES), f"{served} exporters served by views/api, {len(EXPORT_ROUTES)} routes listed"
