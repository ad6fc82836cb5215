import datetime as dt

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.screening.factories import sampled_tube, tube_code
from cordon.screening.models import Sample, Tube


def _post(client, url, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data=body, content_type="application/json", **headers)


def test_the_bulk_api_is_idempotent_per_key_and_never_stores_a_sample_twice(setup, city, cast, api_client):
    rnd, site = setup
    people = [PersonFactory(grid=city.a_grid) for _ in range(4)]
    body = {"items": [{"person": p.id_number, "tube": "TUBE000001", "site": site.pk} for p in people]}
    client = api_client(cast.officer_a)
    url = f"/api/v1/screening/rounds/{rnd.pk}/samples"
    first = _post(client, url, body, key="k-1")
    assert first.status_code == 201 and first.json()["accepted"] == 4
    again = _post(client, url, body, key="k-1")
    assert again.status_code == 201 and again.json()["replayed"] is True
    other_key = _post(client, url, body, key="k-2")
    assert other_key.status_code == 400
    assert {f["code"] for f in other_key.json()["error"]["fields"]} == {"already_sampled"}
    assert Sample.objects.filter(round=rnd).count() == 4
    changed = _post(client, url, {"items": body["items"][:1]}, key="k-1")
    assert changed.status_code == 409


def test_bulk_api_errors_name_row_and_field(setup, city, cast, api_client):
    rnd, site = setup
    p = PersonFactory(grid=city.a_grid)
    resp = _post(api_client(cast.officer_a), f"/api/v1/screening/rounds/{rnd.pk}/samples",
                 {"items": [{"person": p.id_number, "tube": tube_code(), "site": site.pk}, {"person": p.id_number, "tube": "x", "site": site.pk}]})
    assert resp.status_code == 400
    fields = resp.json()["error"]["fields"]
    assert {(f["row"], f["field"]) for f in fields} == {(2, "person"), (2, "tube")}
    too_many = _post(api_client(cast.officer_a), f"/api/v1/screening/rounds/{rnd.pk}/samples",
                     {"items": [{"person": "x", "tube": "y", "site": 1}] * 10_001})
    assert too_many.status_code == 400 and too_many.json()["error"]["fields"][0]["field"] == "items"


def test_planning_publishing_and_results_work_through_the_api(city, cast, api_client):
    for _ in range(3):
        PersonFactory(grid=city.a_grid)
    client = api_client(cast.officer_a)
    now = clock.now()
    resp = _post(client, "/api/v1/screening/rounds", {"name": "第2轮", "region": city.a.path, "starts_at": now.isoformat(),
                                                      "ends_at": (now + dt.timedelta(hours=12)).isoformat(), "pool_size": 10})
    assert resp.status_code == 201, resp.content
    rid = resp.json()["id"]
    assert _post(client, f"/api/v1/screening/rounds/{rid}/publish", {}).json()["status"] == "published"
    site_id = client.get(f"/api/v1/screening/rounds/{rid}/sites").json()["items"][0]["id"]
    people = list(city.a_grid.residents.all())
    code = tube_code()
    assert _post(client, f"/api/v1/screening/rounds/{rid}/samples",
                 {"items": [{"person": p.token, "tube": code, "site": site_id} for p in people]}).status_code == 201
    assert _post(client, f"/api/v1/screening/tubes/{code}/close", {}).json()["status"] == "closed"
    lab = api_client(cast.commander)
    assert _post(lab, "/api/v1/screening/tubes/receive", {"codes": [code], "lab": "市疾控"}).json()["received"] == 1
    res = _post(lab, "/api/v1/screening/results", {"items": [{"tube": code, "result": "negative", "ct_orf1ab": None}]}, key="r1")
    assert res.status_code == 201 and res.json()["negative"] == 1
    summary = client.get(f"/api/v1/screening/rounds/{rid}").json()
    assert summary["totals"]["coverage"] == 100.0 and summary["tubes"]["tested"] == 1
    cov = client.get(f"/api/v1/screening/rounds/{rid}/coverage?level=5").json()
    assert cov["rows"][0]["sampled"] == 3
    assert api_client(cast.officer_b).get(f"/api/v1/screening/rounds/{rid}/coverage").status_code == 404


def test_hl7_and_file_imports_through_the_api(setup, city, cast, api_client):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    msg = ("MSH|^~\\&|LIS|LAB1|CORDON|CITY|20261129080000||ORU^R01|1|P|2.5.1\r"
           f"OBR|1||{code}|94500-6^SARS-CoV-2 RNA^LN\rOBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||NEG||||||F\r")
    resp = api_client(cast.commander).post("/api/v1/screening/results/hl7", data=msg, content_type="text/plain")
    assert resp.status_code == 200, resp.content
    assert resp.json()["negative"] == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("r.csv", b"tube,result\nT000000999,negative\n")
    resp = api_client(cast.commander).post("/api/v1/screening/results/import", data={"file": bad})
    assert resp.status_code == 400 and resp.json()["error"]["fields"][0] == {"row": 2, "field": "tube", "message": "未知采样管 T000000999"}


def test_public_lookup_needs_no_login_but_the_right_phone(setup, city, cast, api_client):
    rnd, site = setup
    _, people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=1)
    anon = api_client(None)
    ok = _post(anon, "/api/v1/screening/lookup", {"id_number": people[0].id_number, "phone": people[0].phone})
    assert ok.status_code == 200 and ok.json()["results"][0]["result"] == "pending"
    assert "*" in ok.json()["name"]
    assert _post(anon, "/api/v1/screening/lookup", {"id_number": people[0].id_number, "phone": "1"}).status_code == 404
    page = anon.post("/screening/lookup/", {"id_number": people[0].id_number, "phone": people[0].phone})
    assert page.status_code == 200 and "第1轮" in page.content.decode()


def test_pages_render_for_the_district_officer(setup, city, cast, api_client):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    PersonFactory(grid=city.a_grid)
    client = api_client(cast.officer_a)
    for url in ["/screening/", f"/screening/rounds/{rnd.pk}/", f"/screening/sites/{site.pk}/sampler/",
                f"/screening/coverage/?round={rnd.pk}&level=5", f"/screening/coverage/?round={rnd.pk}&grid={city.a_grid.path}",
                f"/screening/results/?round={rnd.pk}", f"/screening/results/?round={rnd.pk}&tab=retests"]:
        resp = client.get(url)
        assert resp.status_code == 200, url
    sampler = client.get(f"/screening/sites/{site.pk}/sampler/").content.decode()
    assert "screening/sampler.js" in sampler and "<script>" not in sampler
    export = client.get(f"/screening/coverage/?round={rnd.pk}&grid={city.a_grid.path}&export=1")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/screening/coverage/?round={rnd.pk}&level=5&export=1").status_code == 200
    assert client.get(f"/screening/results/?round={rnd.pk}&export=1").status_code == 200


def test_planning_from_the_web_page_creates_a_draft_with_sites(city, cast, api_client):
    PersonFactory(grid=city.a_grid)
    client = api_client(cast.officer_a)
    resp = client.post("/screening/", {"name": "甲区全员", "region": city.a.path, "starts_at": "2026-11-29T08:00",
                                       "ends_at": "2026-11-30T08:00", "pool_size": "10"})
    assert resp.status_code == 302
    detail = client.get(resp["Location"])
    assert "甲区全员" in detail.content.decode()
    bad = client.post("/screening/", {"name": "x", "region": city.a.path, "starts_at": "2026-11-29T08:00",
                                      "ends_at": "2026-11-28T08:00"})
    assert bad.status_code == 200 and "ends_at" in bad.content.decode()


def test_a_lab_upload_from_the_results_page_lists_errors_by_row(setup, city, cast, api_client):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_client(cast.commander)
    resp = client.post(f"/screening/results/?round={rnd.pk}", {"what": "table", "file": SimpleUploadedFile(
        "r.csv", f"tube,result\n{code},positive\n{code},negative\n".encode())}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200 and "row 3" in resp.content.decode().lower()
    assert Tube.objects.get(code=code).result == "pending"
    resp = client.post(f"/screening/results/?round={rnd.pk}", {"what": "table", "file": SimpleUploadedFile(
        "r.csv", f"tube,result\n{code},positive\n".encode())})
    assert Tube.objects.get(code=code).result == "positive"
    retests = client.get(f"/screening/results/?round={rnd.pk}&tab=retests").content.decode()
    assert code in retests


def test_home_tiles_show_the_running_round(setup, city, cast):
    from cordon.screening import dashboard

    rnd, site = setup
    sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    tiles = dashboard.tiles(cast.officer_a)
    assert tiles[0]["value"] == "100.0%" and "2/2" in tiles[0]["sub"]
    assert dashboard.tiles(cast.anonymous) == []
