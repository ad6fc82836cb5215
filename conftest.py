import datetime as dt
import os
import zoneinfo

import pytest
import time_machine
from hypothesis import HealthCheck, settings

# CI machines are shared and bursty: a slow draw is not a failure of the property under test.
settings.register_profile("cordon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("cordon")


def pytest_addoption(parser):
    parser.addoption(
        "--city-time", default=os.environ.get("CORDON_TEST_CITY_TIME", ""),
        help="run the whole suite with the clock started at this city wall time (ISO, e.g. 2027-01-01T00:30); "
             "the clock then ticks on. Also CORDON_TEST_CITY_TIME. CI runs the suite at several instants.")


def city_instant(text: str) -> dt.datetime:
    """An ISO wall time read in the city's zone (the settings' default, Asia/Shanghai)."""
    when = dt.datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=zoneinfo.ZoneInfo(os.environ.get("CORDON_TIME_ZONE", "Asia/Shanghai")))
    return when


_TRAVEL = []


def pytest_configure(config):
    text = config.getoption("--city-time")
    if text:
        travel = time_machine.travel(city_instant(text), tick=True)
        travel.start()
        _TRAVEL.append(travel)


def pytest_unconfigure(config):
    while _TRAVEL:
        _TRAVEL.pop().stop()


def pytest_report_header(config):
    text = config.getoption("--city-time")
    return f"city clock starts at {city_instant(text).isoformat()}" if text else None


@pytest.fixture
def city(db):
    from cordon.core import policy
    from cordon.regions.factories import small_city

    policy.clear_cache()
    return small_city()


@pytest.fixture
def cast(city):
    from cordon.accounts.testing import make_cast

    return make_cast(city)


@pytest.fixture
def api_client():
    """A Django test client that calls the API as a given user: api_client(user).get(...)."""
    from django.test import Client

    def make(user=None):
        client = Client()
        if user is not None and user.is_authenticated:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def credential_keys(settings, tmp_path):
    """Health codes signed with a key pair of this test's own (a fresh key directory, no cached keys): yields
    cordon.status.credentials."""
    from cordon.status import credentials

    settings.CORDON_CREDENTIAL_KEY_DIR = str(tmp_path / "keys")
    credentials.clear_cache()
    yield credentials
    credentials.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    from cordon.core import policy

    policy.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """The suite tests what each feature does with the second factor off (CORDON_REQUIRE_2FA, on by default and in
    the demo); the step-up itself is tested in src/cordon/accounts/tests/test_twofactor.py, which turns it on."""
    settings.CORDON_REQUIRE_2FA = False
