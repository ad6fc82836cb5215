"""Every import offers an empty Excel template whose headers its importer accepts and whose example row it reads."""

import io

import pytest
from openpyxl import load_workbook

from cordon.core import ids, tabular
from cordon.people import services as people_services
from cordon.quarantine.services import monitoring as quarantine_monitoring
from cordon.quarantine.services import sites as quarantine_sites
from cordon.regions import services as regions_services
from cordon.screening.services import results as screening_results
from cordon.spacetime import services as spacetime_services
from cordon.surveillance import services as surveillance_services

# (template URL, the template, the importer's aliases, the columns the importer needs)
IMPORTS = {
    "people": ("/people/import/template/", people_services.IMPORT_TEMPLATE, people_services.IMPORT_ALIASES,
               people_services.REQUIRED),
    "surveillance": ("/surveillance/upload/template/", surveillance_services.IMPORT_TEMPLATE,
                     surveillance_services.IMPORT_ALIASES, ["date", "region_code", "stream", "count"]),
    "spacetime": ("/spacetime/upload/template/", spacetime_services.TEMPLATE, spacetime_services.ALIASES,
                  ["id_number", "lon", "lat", "start", "end"]),
    "quarantine rooms": ("/quarantine/sites/rooms-template/", quarantine_sites.ROOM_TEMPLATE, quarantine_sites.ROOM_ALIASES,
                         ["number"]),
    "quarantine tests": ("/quarantine/tests/template/", quarantine_monitoring.TEST_TEMPLATE,
                         quarantine_monitoring.TEST_ALIASES, ["test_id", "result"]),
    "screening results": ("/screening/results/template/", screening_results.RESULT_TEMPLATE, screening_results.RESULT_ALIASES,
                          ["tube", "result", "tested_at"]),
    "regions": ("/regions/import/template/", regions_services.TEMPLATE, regions_services.CODE_ALIASES, ["code", "name"]),
}


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_the_template_headers_are_accepted_and_the_example_row_is_read(name):
    _url, columns, aliases, required = IMPORTS[name]
    assert tabular.template_unaccepted(columns, aliases) == []
    assert any("\u4e00" <= header[0] <= "\u9fff" for header, _ in columns)  # Chinese headers, as officers write them
    rows = list(tabular.read_rows(tabular.template_xlsx(columns), f"{name}.xlsx", aliases))
    assert len(rows) == 1 and rows[0][0] == 2
    assert set(required) <= {k for k, v in rows[0][1].items() if v}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_the_import_page_template_downloads_as_excel(name, city, cast, api_client):
    url, columns, _aliases, _required = IMPORTS[name]
    answer = api_client(cast.viewer_a).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == tabular.XLSX_CONTENT_TYPE and "template.xlsx" in answer["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert [c.value for c in sheet[1]] == [h for h, _ in columns]
    assert [c.value for c in sheet[2]] == [e if e != "" else None for _, e in columns]


def test_people_example_row_passes_the_id_number_check():
    assert ids.check_id_number(dict(people_services.IMPORT_TEMPLATE)["身份证号"])


@pytest.mark.django_db
def test_the_example_people_row_imports_into_its_grid(city, cast):
    data = dict(people_services.IMPORT_TEMPLATE) | {"网格编码": city.a_grid.code}
    file = tabular.xlsx_bytes(list(data), [list(data.values())])
    report = people_services.people_import(actor=cast.officer_a, data=file, filename="people.xlsx")
    assert report == {"rows": 1, "created": 1, "updated": 0}


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/people/import/template/").status_code == 302
