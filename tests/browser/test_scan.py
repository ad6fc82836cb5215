"""Scanning in the browser: a real segno QR image goes through the scan pages' decoder (the vendored jsQR behind
cordon/qrscan.js, the same path the camera frames take), and the checkpoint page verifies a health code offline with
the city's public key: a good code passes, a tampered one is held as forged; a printed green-lane pass label, read
back from the print page, passes in vehicle mode."""

import datetime as dt

import pytest

from cordon.core import clock, qr
from tests.browser.pages import LoginPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scan_page(page, live_server, cast, cp):
    cast.officer_a.set_password("correct-horse-battery")
    cast.officer_a.save()
    LoginPage(page, live_server.url).open().login("officer_a", "correct-horse-battery")
    page.goto(f"{live_server.url}/checkpoints/{cp.pk}/scan/")
    page.wait_for_function("() => window.CordonScan && window.jsQR && window.CordonVerify")


def _read(page, path):
    page.set_input_files("#photo", str(path))
    page.wait_for_function("() => !document.getElementById('verdict').classList.contains('idle')")
    verdict = page.get_attribute("#verdict", "class").split()[-1]
    page.evaluate("() => { document.getElementById('verdict').className = 'verdict idle'; }")
    return verdict, page.inner_text("#vreason")


def test_a_health_code_photo_is_decoded_and_verified_offline_on_the_checkpoint_page(live_server, browser_page, city, cast, credential_keys, tmp_path):
    from cordon.checkpoints.factories import CheckpointFactory
    from cordon.checkpoints.models import Inspection
    from cordon.core.testing import SYSTEM
    from cordon.people.factories import PersonFactory
    from cordon.status import services as status_services

    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    status_services.sample_recorded(actor=SYSTEM, person_id=person.pk, sampled_at=clock.now() - dt.timedelta(hours=3), negative=True)
    code = credential_keys.credential_issue(token=person.token)["code"]
    good, forged = tmp_path / "good.png", tmp_path / "forged.png"
    good.write_bytes(qr.png(code))
    head, payload, signature = code.split(".")
    forged.write_bytes(qr.png(".".join([head, payload, ("A" if signature[0] != "A" else "B") + signature[1:]])))

    page = browser_page
    _scan_page(page, live_server, cast, cp)
    page.context.set_offline(True)  # the check itself needs no network
    assert _read(page, good)[0] == "pass"
    verdict, reason = _read(page, forged)
    assert verdict == "hold" and reason.strip()
    assert page.inner_text("#queue") == "2"
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.getElementById('queue').textContent === '0'", timeout=15_000)
    stored = dict(Inspection.objects.filter(checkpoint=cp).values_list("result", "reason"))
    assert stored == {"pass": "ok", "hold": "forged"}
    # While the network is cut, the page's service worker may answer a config refresh with its offline 503: expected.
    assert [e for e in page.console_errors if not e.startswith("Failed to load resource")] == []


def test_a_printed_pass_label_scans_as_a_green_lane_vehicle(live_server, browser_page, city, cast, credential_keys, tmp_path):
    from cordon.checkpoints.factories import CheckpointFactory, PassFactory

    cp = CheckpointFactory(region=city.a_street)
    vehicle_pass = PassFactory(region_path=city.a.path)
    page = browser_page
    _scan_page(page, live_server, cast, cp)
    page.goto(f"{live_server.url}/checkpoints/passes/print/?ids={vehicle_pass.pk}&layout=cards")
    label = tmp_path / "label.png"
    page.locator(".qr-code svg").screenshot(path=str(label))
    page.goto(f"{live_server.url}/checkpoints/{cp.pk}/scan/")
    page.wait_for_function("() => window.CordonScan && window.jsQR && window.CordonVerify")
    assert _read(page, label)[0] == "pass"
    assert page.input_value("#pass_number") == vehicle_pass.number
    assert page.input_value("#plate") == vehicle_pass.plate
    assert page.console_errors == []


def test_a_printed_room_door_code_opens_the_room_on_the_site_page(live_server, browser_page, city, cast, tmp_path):
    from cordon.quarantine.factories import SiteFactory, rooms_for

    site = SiteFactory(region=city.a_community)
    rooms = rooms_for(site, floors=1, per_floor=3)
    page = browser_page
    cast.officer_a.set_password("correct-horse-battery")
    cast.officer_a.save()
    LoginPage(page, live_server.url).open().login("officer_a", "correct-horse-battery")
    page.goto(f"{live_server.url}/quarantine/sites/{site.pk}/rooms/print/?ids={rooms[1].pk}&layout=cards")
    label = tmp_path / "room.png"
    page.locator(".qr-code svg").screenshot(path=str(label))
    page.goto(f"{live_server.url}/quarantine/sites/{site.pk}/")
    page.wait_for_function("() => window.CordonScan && window.jsQR")
    page.set_input_files("#room-photo", str(label))
    page.wait_for_selector(f"#room-{rooms[1].number}.room-found")
    assert page.locator("tr.room-found").count() == 1
    assert page.console_errors == []


def _y4m(png: bytes, path, size: int = 480) -> None:
    """A still camera feed (Y4M, 4:2:0) showing the code in the middle of a white frame, for Chromium's fake camera."""
    import io

    from PIL import Image

    frame = Image.new("RGB", (size * 4 // 3, size), "white")
    code = Image.open(io.BytesIO(png)).convert("RGB").resize((size * 3 // 4, size * 3 // 4), Image.NEAREST)
    frame.paste(code, ((frame.width - code.width) // 2, (frame.height - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (frame.width // 2, frame.height // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as fh:
        fh.write(f"YUV4MPEG2 W{frame.width} H{frame.height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(3):
            fh.write(b"FRAME\n" + planes)


def test_the_phone_camera_reads_a_health_code_on_the_checkpoint_page(live_server, city, cast, credential_keys, tmp_path):
    """Chromium's fake camera shows a segno code: the camera button scans it (jsQR on video frames) and the page checks it."""
    import os

    from playwright.sync_api import sync_playwright

    from cordon.checkpoints.factories import CheckpointFactory
    from cordon.core.testing import SYSTEM
    from cordon.people.factories import PersonFactory
    from cordon.status import services as status_services
    from tests.browser.conftest import CHROMIUM

    cp = CheckpointFactory(region=city.a_street)
    person = PersonFactory(grid=city.a_grid)
    status_services.sample_recorded(actor=SYSTEM, person_id=person.pk, sampled_at=clock.now() - dt.timedelta(hours=3), negative=True)
    feed = tmp_path / "camera.y4m"
    _y4m(qr.png(credential_keys.credential_issue(token=person.token)["code"]), feed)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={feed}"])
        context = browser.new_context()
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _scan_page(page, live_server, cast, cp)
        page.click("#camera")
        page.wait_for_function("() => !document.getElementById('verdict').classList.contains('idle')", timeout=20_000)
        assert page.get_attribute("#verdict", "class").split()[-1] == "pass"
        assert page.locator("video.scan-video").count() == 0  # the camera stops once a code is read
        browser.close()
    assert errors == []
