import pytest
from hypothesis import HealthCheck, settings

# CI machines are shared and bursty: a slow draw is not a failure of the property under test.
settings.register_profile("cordon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("cordon")


@pytest.fixture
def city(db):
    from cordon.core import policy
    from cordon.regions.factories import small_city

    policy.clear_cache()
    return small_city()


@pytest.fixture
def cast(city):
    from cordon.core.testing import make_cast

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


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    from cordon.core import policy

    policy.clear_cache()
    yield
