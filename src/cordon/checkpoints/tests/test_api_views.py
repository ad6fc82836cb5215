import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from cordon.checkpoints.factories import CheckpointFactory
from cordon.checkpoints.models import Inspection
from cordon.core import clock
from cordon.core.testing import SYSTEM, tampered
from cordon.people.factories import PersonFactory
from cordon.status import credentials
from cordon.status import services as status_services

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).resolve().parents[1] / "static" / "checkpoints"


def test_a_resident_fetches_a_signed_code_without_logging_in(city, client):
    person = PersonFactory(grid=city.a_grid)
    res = client.get(f"/api/v1/checkpoints/credential/{person.token}")
    assert res.status_code == 200
    assert credentials.verify(res.json()["code"]).ok
    assert client.get("/api/v1/checkpoints/credential/unknown").status_code == 404


def test_the_public_keys_are_published(client, city):
    body = client.get("/api/v1/checkpoints/keys").json()
    assert body["current"] in body["keys"]


def test_a_checkpoint_verifies_online_and_logs_through_the_api(city, cast, api_client):
    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    status_services.sample_recorded(actor=SYSTEM, person_id=person.pk, sampled_at=clock.now() - dt.timedelta(hours=2), negative=True)
    code = credentials.credential_issue(token=person.token)["code"]
    c = api_client(cast.officer_a)
    verdict = c.post(f"/api/v1/checkpoints/{cp.pk}/verify", {"code": code}, content_type="application/json").json()
    assert (verdict["result"], verdict["reason"], verdict["colour"]) == ("pass", "ok", "green")
    assert not Inspection.objects.exists()
    res = c.post(f"/api/v1/checkpoints/{cp.pk}/inspections/bulk", {"items": [{"code": code, "client_ref": "x1"}]},
                 content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert res.status_code == 201 and res.json()["stored"] == 1
    listed = c.get("/api/v1/checkpoints/inspections").json()
    assert listed["items"][0]["result"] == "pass"


def test_bad_bulk_input_returns_the_one_error_shape(city, cast, api_client):
    cp = CheckpointFactory(region=city.a_street)
    res = api_client(cast.officer_a).post(f"/api/v1/checkpoints/{cp.pk}/inspections/bulk",
                                          {"items": [{"subject": "boat", "client_ref": "z"}]}, content_type="application/json")
    assert res.status_code == 400
    assert res.json()["error"]["fields"][0]["row"] == 1


def test_an_unknown_checkpoint_is_a_clear_404(cast, api_client):
    res = api_client(cast.officer_a).post("/api/v1/checkpoints/999999/verify", {"code": "x"}, content_type="application/json")
    assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"


def test_the_scan_page_embeds_keys_and_rules_for_offline_use(city, cast, client):
    cp = CheckpointFactory(region=city.a_street, kind="village_entrance")
    client.force_login(cast.officer_a)
    res = client.get(f"/checkpoints/{cp.pk}/scan/")
    assert res.status_code == 200
    config = json.loads(res.content.decode().split('id="verifier-config" type="application/json">')[1].split("</script>")[0])
    assert config["keys"] == credentials.public_keys_raw()
    assert config["validity_hours"] in (72, 168)
    sw = client.get("/checkpoints/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/checkpoints/"
    # the worker's handlers are core's offline worker, which must be a static file the worker can import
    assert b'importScripts("/static/cordon/offline-worker.js")' in sw.content and finders.find("cordon/offline-worker.js")


def test_the_registry_pages_render_and_export(city, cast, client):
    cp = CheckpointFactory(region=city.a_street)
    client.force_login(cast.officer_a)
    assert cp.name in client.get("/checkpoints/").content.decode()
    assert client.get(f"/checkpoints/{cp.pk}/").status_code == 200
    assert client.get("/checkpoints/inspections/?export=1")["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/checkpoints/passes/").status_code == 200


def test_a_resident_finds_their_code_with_id_number_and_phone(city, client):
    person = PersonFactory(grid=city.a_grid)
    res = client.post("/checkpoints/code/", {"id_number": person.id_number.lower(), "phone": person.phone})
    assert res.status_code == 302 and res["Location"].endswith(f"/checkpoints/code/{person.token}/")
    page = client.get(res["Location"])
    assert page.status_code == 200 and person.id_number not in page.content.decode()
    wrong = client.post("/checkpoints/code/", {"id_number": person.id_number, "phone": "13000000000"})
    assert wrong.status_code == 200 and "checkpoints/code/" not in wrong.get("Location", "")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_offline_javascript_agrees_with_the_server(city, tmp_path):
    person = PersonFactory(grid=city.a_grid)
    status_services.sample_recorded(actor=SYSTEM, person_id=person.pk, sampled_at=clock.now() - dt.timedelta(hours=2), negative=True)
    good = credentials.credential_issue(token=person.token)["code"]
    cases = {"good": good, "forged": tampered(good), "junk": "hello"}
    script = tmp_path / "run.js"
    script.write_text(
        f"globalThis.nacl = require({json.dumps(str(STATIC / 'vendor' / 'nacl-fast.min.js'))});\n"
        f"require({json.dumps(str(STATIC / 'verify.js'))});\n"
        f"const keys = {json.dumps(credentials.public_keys_raw())}; const cases = {json.dumps(cases)};\n"
        "const cfg = {validity_hours: 48, pass_colours: ['green'], hold_origin_risk_levels: ['high']};\n"
        # the instant comes from the product's clock: node's own clock is not the one the test set
        f"(async () => {{ const out = {{}}; const now = {clock.now().timestamp()};\n"
        "  for (const [k, v] of Object.entries(cases)) out[k] = globalThis.CordonVerify.verdict(await globalThis.CordonVerify.check(v, keys, now), cfg, now, '');\n"
        "  out.expired = globalThis.CordonVerify.verdict(await globalThis.CordonVerify.check(cases.good, keys, now + 3600), cfg, now, '');\n"
        "  out.origin = globalThis.CordonVerify.verdict(await globalThis.CordonVerify.check(cases.good, keys, now), cfg, now, 'high');\n"
        "  console.log(JSON.stringify(out)); })();\n")
    out = json.loads(subprocess.run(["node", str(script)], capture_output=True, text=True, check=True, timeout=60).stdout)
    assert out == {"good": ["pass", "ok"], "forged": ["hold", "forged"], "junk": ["hold", "malformed"],
                   "expired": ["redirect", "expired"], "origin": ["hold", "origin_risk_area"]}
