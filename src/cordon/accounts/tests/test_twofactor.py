"""The second factor: enrol with the QR code, verify, recovery codes (once each), throttled wrong codes, the step-up
for unmasking and exporting (pages go to verify and back, the API answers 403 second_factor_required), the admin site,
tokens issued from a verified session, the administrator's reset; every step audited."""

import time
from urllib.parse import unquote

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cordon.accounts import twofactor
from cordon.accounts.models import ApiToken
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.CORDON_REQUIRE_2FA = True


def code_of(device, ahead: int = 0) -> str:
    """What the user's app shows now (or `ahead` steps later: a code is accepted once, the next step's is fresh)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def enrol(client, user) -> list[str]:
    page = client.get("/accounts/2fa/enrol/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    answer = client.post("/accounts/2fa/enrol/", {"code": code_of(device)})
    assert answer.status_code == 200, answer.content
    return answer.context["codes"]


def test_enrolment_shows_a_qr_code_and_the_secret_and_confirms_with_a_code(cast):
    client = signed_in(cast.officer_a)
    page = client.get("/accounts/2fa/enrol/")
    html = page.content.decode()
    secret = page.context["enrolment"].secret
    assert "<svg" in html and secret in html and page.context["enrolment"].uri.startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user=cast.officer_a, confirmed=False)

    wrong = client.post("/accounts/2fa/enrol/", {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(user=cast.officer_a, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()
    done = client.post("/accounts/2fa/enrol/", {"code": code_of(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert TOTPDevice.objects.get(user=cast.officer_a).confirmed
    assert client.get("/accounts/2fa/").context["status"].verified is True  # the enrolment verified the session
    # shown once: the status page counts them but never shows them again
    status_page = client.get("/accounts/2fa/").content.decode()
    assert not any(c in status_page for c in codes) and "10" in status_page
    assert AuditEntry.objects.filter(action="otp.enrol", actor_label="officer_a").count() == 1


def test_verify_with_the_app_and_a_recovery_code_that_works_once(cast):
    first = signed_in(cast.officer_a)
    codes = enrol(first, cast.officer_a)
    device = TOTPDevice.objects.get(user=cast.officer_a)

    later = signed_in(cast.officer_a)  # a new session is not verified
    assert later.get("/accounts/2fa/").context["status"].verified is False
    answer = later.post("/accounts/2fa/verify/?next=/people/", {"code": code_of(device, ahead=1)})
    assert answer.status_code == 302 and answer["Location"] == "/people/"
    assert later.get("/accounts/2fa/").context["status"].verified is True

    phone_lost = signed_in(cast.officer_a)
    assert phone_lost.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=cast.officer_a).count() == 9
    again = signed_in(cast.officer_a)
    refused = again.post("/accounts/2fa/verify/", {"code": codes[0]})
    assert refused.status_code == 200 and again.get("/accounts/2fa/").context["status"].verified is False
    kinds = [e.changes["kind"] for e in AuditEntry.objects.filter(action="otp.verify").order_by("pk")]
    assert kinds == ["authenticator", "recovery"]
    assert AuditEntry.objects.filter(action="otp.verify_failed").count() == 1


def test_wrong_codes_are_throttled_even_a_right_one_after_them(cast):
    client = signed_in(cast.officer_a)
    enrol(client, cast.officer_a)
    device = TOTPDevice.objects.get(user=cast.officer_a)
    wrong = "123456" if code_of(device, 1) != "123456" else "654321"
    fresh = signed_in(cast.officer_a)
    for _ in range(3):
        fresh.post("/accounts/2fa/verify/", {"code": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    with pytest.raises(twofactor.Throttled) as refused:
        twofactor.verify(actor=cast.officer_a, code=code_of(device, 1))
    assert refused.value.status == 429 and refused.value.code == "second_factor_throttled"
    page = fresh.post("/accounts/2fa/verify/", {"code": code_of(device, 1)})
    assert page.status_code == 200 and fresh.get("/accounts/2fa/").context["status"].verified is False


def test_unmasking_a_page_sends_an_unverified_user_to_enrol_then_verify_and_back(cast, city):
    person = PersonFactory(grid=city.a_grid)
    client = signed_in(cast.officer_a)
    url = f"/people/{person.pk}/?unmask=1"
    assert client.get(f"/people/{person.pk}/").status_code == 200  # masked: no second factor asked
    to_enrol = client.get(url)
    assert to_enrol.status_code == 302 and to_enrol["Location"].startswith("/accounts/2fa/enrol/?next=")
    enrol(client, cast.officer_a)
    assert client.get(url).status_code == 200

    other_session = signed_in(cast.officer_a)
    to_verify = other_session.get(url)
    assert to_verify.status_code == 302 and to_verify["Location"].startswith("/accounts/2fa/verify/?next=")
    back = other_session.post(to_verify["Location"], {"code": code_of(TOTPDevice.objects.get(user=cast.officer_a), 1)})
    assert back["Location"] == url
    assert other_session.get(url).status_code == 200


def test_an_export_needs_the_second_factor_on_the_web_and_in_the_api(cast, city):
    PersonFactory(grid=city.a_grid)
    client = signed_in(cast.officer_a)
    refused = client.get("/people/?export=xlsx")
    assert refused.status_code == 302 and "/accounts/2fa/enrol/" in refused["Location"]
    api = client.get("/api/v1/people/export")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_required"
    assert not AuditEntry.objects.filter(action="people.export").exists()

    enrol(client, cast.officer_a)
    assert client.get("/people/?export=xlsx").status_code == 200
    assert client.get("/api/v1/people/export").status_code == 200


def test_an_api_token_unmasks_and_exports_only_when_issued_from_a_verified_session(cast, city):
    person = PersonFactory(grid=city.a_grid)
    client = signed_in(cast.officer_a)
    plain = client.post("/api/v1/accounts/tokens", {"name": "before"}, content_type="application/json").json()["key"]
    enrol(client, cast.officer_a)
    strong = client.post("/api/v1/accounts/tokens", {"name": "after"}, content_type="application/json").json()["key"]
    assert list(ApiToken.objects.order_by("pk").values_list("second_factor", flat=True)) == [False, True]

    weak = Client(headers={"Authorization": f"Bearer {plain}"})
    assert weak.get(f"/api/v1/people/{person.pk}").status_code == 200  # masked reads need nothing more
    for path in (f"/api/v1/people/{person.pk}?unmask=true", "/api/v1/people/export"):
        answer = weak.get(path)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "second_factor_required", path
    good = Client(headers={"Authorization": f"Bearer {strong}"})
    assert good.get(f"/api/v1/people/{person.pk}?unmask=true").status_code == 200
    assert good.get("/api/v1/people/export").status_code == 200
    assert good.get("/api/v1/accounts/2fa/status").json()["verified"] is True


def test_the_api_enrols_confirms_and_verifies_a_session(cast):
    client = signed_in(cast.viewer_a)
    assert client.get("/api/v1/accounts/2fa/status").json() == {"enrolled": False, "verified": False,
                                                                 "recovery_codes_left": 0, "required": True}
    started = client.post("/api/v1/accounts/2fa/enrol").json()
    assert started["uri"].startswith("otpauth://") and started["secret"]
    device = TOTPDevice.objects.get(user=cast.viewer_a, confirmed=False)
    codes = client.post("/api/v1/accounts/2fa/confirm", {"code": code_of(device)}, content_type="application/json").json()
    assert len(codes["recovery_codes"]) == 10
    fresh = signed_in(cast.viewer_a)
    wrong = fresh.post("/api/v1/accounts/2fa/verify", {"code": "abcdefgh"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"][0]["field"] == "code"
    throttled = fresh.post("/api/v1/accounts/2fa/verify", {"code": codes["recovery_codes"][3]}, content_type="application/json")
    assert throttled.status_code == 429 and throttled.json()["error"]["code"] == "second_factor_throttled"
    time.sleep(1.1)  # one wrong code: the next try waits a second
    ok = fresh.post("/api/v1/accounts/2fa/verify", {"code": codes["recovery_codes"][3]}, content_type="application/json")
    assert ok.json() == {"verified": True, "kind": "recovery"}
    assert fresh.get("/api/v1/accounts/2fa/status").json()["recovery_codes_left"] == 9


def test_the_admin_site_asks_a_staff_user_for_the_second_factor(cast):
    cast.commander.is_staff = True
    cast.commander.save()
    client = signed_in(cast.commander)
    answer = client.get("/admin/")
    assert answer.status_code == 302 and unquote(answer["Location"]) == "/accounts/2fa/enrol/?next=/admin/"
    enrol(client, cast.commander)
    assert client.get("/admin/").status_code == 200


def test_an_administrator_resets_a_lost_authenticator_audited(cast):
    enrol(signed_in(cast.officer_a), cast.officer_a)
    outsider = signed_in(cast.officer_b)
    assert outsider.post(f"/api/v1/accounts/2fa/reset/{cast.officer_a.pk}").status_code == 404
    admin = signed_in(cast.commander)
    answer = admin.post(f"/api/v1/accounts/2fa/reset/{cast.officer_a.pk}")
    assert answer.status_code == 200 and answer.json() == {"user": cast.officer_a.pk, "removed": 2}
    assert not TOTPDevice.objects.filter(user=cast.officer_a).exists()
    entry = AuditEntry.objects.get(action="otp.reset")
    assert entry.actor_label == "commander" and entry.changes["username"] == "officer_a"
    # the next unmask sends them to enrol again
    assert signed_in(cast.officer_a).get("/api/v1/accounts/2fa/status").json()["enrolled"] is False


def test_with_the_setting_off_nothing_is_asked(cast, city, settings):
    settings.CORDON_REQUIRE_2FA = False
    person = PersonFactory(grid=city.a_grid)
    client = signed_in(cast.officer_a)
    assert client.get(f"/people/{person.pk}/?unmask=1").status_code == 200
    assert client.get("/api/v1/people/export").status_code == 200
