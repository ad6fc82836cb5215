"""Login throttling is django-axes, per user name AND address (settings AXES_LOCKOUT_PARAMETERS)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"


def _login(client, username, password, address):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_from_one_address_lock_the_user_out_there_only(city, cast, settings):
    assert settings.CORDON_LOGIN_MAX_FAILURES == settings.AXES_FAILURE_LIMIT == 5
    stranger, office = Client(), Client()
    for _ in range(4):
        assert _login(stranger, "commander", "wrong", "10.0.0.66").status_code == 200
    locked = _login(stranger, "commander", "wrong", "10.0.0.66")
    assert locked.status_code == 429 and "15" in locked.content.decode()
    # Even the right password is refused from the stranger's address during the lockout ...
    assert _login(stranger, "commander", PASSWORD, "10.0.0.66").status_code == 429
    # ... while the commander still logs in from their own address.
    ok = _login(office, "commander", PASSWORD, "10.1.1.1")
    assert ok.status_code == 302 and office.get("/").status_code == 200


def test_failures_of_other_user_names_at_one_address_do_not_lock_a_user_out(city, cast):
    c = Client()
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        _login(c, name, "wrong", "10.0.0.7")
    assert _login(c, "commander", PASSWORD, "10.0.0.7").status_code == 302


def test_the_admin_login_is_throttled_too(city, cast):
    c = Client()
    for _ in range(5):
        c.post("/admin/login/", {"username": "commander", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    assert c.post("/admin/login/", {"username": "commander", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9").status_code == 429
