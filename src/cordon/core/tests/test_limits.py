"""Request/upload size (413 naming the limit, in the API's error shape under /api/) and the import row cap."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cordon.core import tabular
from cordon.core.errors import ServiceError
from cordon.screening.factories import make_round, make_site, sampled_tube
from cordon.screening.models import Sample

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _big_csv(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("big.csv", b"tube,result\n" + b"T000000001,negative\n" * (size // 20 + 1), content_type="text/csv")


def test_the_defaults_are_ten_megabytes_and_fifty_thousand_rows(settings):
    assert settings.CORDON_MAX_UPLOAD_MB == 10 and settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * MB
    assert settings.CORDON_IMPORT_MAX_ROWS == 50_000


def test_a_too_big_upload_to_an_api_import_is_a_413_in_the_one_error_shape(city, cast, settings):
    settings.CORDON_MAX_UPLOAD_MB = 1
    r = _client(cast.commander).post("/api/v1/screening/results/import", data={"file": _big_csv(int(1.2 * MB))})
    assert r.status_code == 413
    body = r.json()
    assert body["error"]["code"] == "too_large" and body["error"]["fields"] == []
    assert "1 MB" in body["error"]["message"]


def test_a_too_big_upload_to_a_web_page_is_a_413_page_naming_the_limit(city, cast, settings):
    settings.CORDON_MAX_UPLOAD_MB = 1
    r = _client(cast.officer_a).post("/people/import/", data={"file": _big_csv(int(1.5 * MB))})
    assert r.status_code == 413 and r["Content-Type"].startswith("text/html")
    assert "1 MB" in r.content.decode()


def test_an_upload_under_the_limit_passes_the_size_check(city, cast, settings):
    settings.CORDON_MAX_UPLOAD_MB = 1
    small = SimpleUploadedFile("r.csv", b"tube,result\nT000000999,negative\n")
    r = _client(cast.commander).post("/api/v1/screening/results/import", data={"file": small})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["field"] == "tube"


def test_a_json_body_over_the_limit_is_a_413_too(city, cast, settings):
    settings.CORDON_MAX_UPLOAD_MB = 1
    r = _client(cast.commander).post("/api/v1/screening/tubes/receive", data="[" + "1," * MB + "1]", content_type="application/json")
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_read_rows_refuses_a_file_over_the_row_cap_before_the_first_row(settings):
    settings.CORDON_IMPORT_MAX_ROWS = 3
    data = b"name\n" + b"x\n" * 4
    rows = tabular.read_rows(data, "f.csv", {"name": "name"})
    with pytest.raises(ServiceError) as exc:
        next(rows)
    assert exc.value.code == "too_many_rows" and "3" in exc.value.message and "CORDON_IMPORT_MAX_ROWS" in exc.value.message
    assert [n for n, _ in tabular.read_rows(b"name\n" + b"x\n" * 3, "f.csv", {"name": "name"})] == [2, 3, 4]


def test_an_excel_file_over_the_row_cap_is_refused_too(settings):
    settings.CORDON_IMPORT_MAX_ROWS = 2
    data = tabular.xlsx_bytes(["name"], [["a"], ["b"], ["c"]])
    with pytest.raises(ServiceError):
        list(tabular.read_rows(data, "f.xlsx", {"name": "name"}))


def test_an_import_over_the_row_cap_writes_nothing(city, cast, settings):
    rnd = make_round(region=city.a)
    site = make_site(rnd=rnd, community=city.a_community, grids=[city.a_grid])
    codes = [sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=1)[0] for _ in range(3)]
    settings.CORDON_IMPORT_MAX_ROWS = 2
    csv = io.BytesIO(("tube,result\n" + "".join(f"{c},negative\n" for c in codes)).encode())
    upload = SimpleUploadedFile("r.csv", csv.getvalue(), content_type="text/csv")
    before = list(Sample.objects.order_by("pk").values_list("result", flat=True))
    r = _client(cast.commander).post("/api/v1/screening/results/import", data={"file": upload})
    assert r.status_code == 400 and r.json()["error"]["code"] == "too_many_rows"
    assert "2" in r.json()["error"]["message"]
    assert list(Sample.objects.order_by("pk").values_list("result", flat=True)) == before


@pytest.mark.django_db
def test_text_with_a_nul_character_is_refused_with_the_error_shape_not_a_server_error(city, cast, api_client):
    r = api_client(cast.commander).post("/api/v1/surveillance/observations/bulk",
                                         '{"items": [{"stream": "a\\u0000b"}]}', content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_text"
    assert api_client(cast.commander).get("/api/v1/people/?q=%00").status_code == 400
