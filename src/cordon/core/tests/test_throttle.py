"""The one throttle (core.throttle) and the public look-ups that use it: per looked-up person AND per address."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from cordon.core import throttle
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _lookup(client, person, *, phone=None, address="10.0.0.1"):
    body = {"id_number": person.id_number, "phone": phone or person.phone}
    return client.post("/api/v1/screening/lookup", data=json.dumps(body), content_type="application/json", REMOTE_ADDR=address)


def test_the_defaults_are_five_per_person_and_three_hundred_per_address_in_ten_minutes(settings):
    assert (settings.CORDON_LOOKUP_PER_PERSON, settings.CORDON_LOOKUP_PER_ADDRESS, settings.CORDON_LOOKUP_WINDOW_SECONDS) == (5, 300, 600)


def test_one_person_is_looked_up_five_times_at_most_from_however_many_addresses(city):
    victim, other = PersonFactory(grid=city.a_grid), PersonFactory(grid=city.a_grid)
    c = Client()
    for i in range(5):
        assert _lookup(c, victim, phone="13000000000", address=f"10.0.0.{i}").status_code == 404
    blocked = _lookup(c, victim, address="10.9.9.9")
    assert blocked.status_code == 429 and blocked.json()["error"]["code"] == "rate_limited"
    assert _lookup(c, other, address="10.9.9.9").status_code == 200  # another person is not blocked


def test_one_address_is_limited_across_people(city, settings):
    settings.CORDON_LOOKUP_PER_ADDRESS = 3
    people = [PersonFactory(grid=city.a_grid) for _ in range(4)]
    c = Client()
    assert [_lookup(c, p, address="100.64.0.1").status_code for p in people] == [200, 200, 200, 429]
    assert _lookup(c, people[3], address="100.64.0.2").status_code == 200


def test_the_health_code_lookup_page_is_throttled_per_person(city):
    person = PersonFactory(grid=city.a_grid)
    c = Client()
    for i in range(5):
        r = c.post("/checkpoints/code/", {"id_number": person.id_number, "phone": "13000000000"}, REMOTE_ADDR=f"10.1.0.{i}")
        assert r.status_code == 200
    r = c.post("/checkpoints/code/", {"id_number": person.id_number, "phone": person.phone}, REMOTE_ADDR="10.2.0.1")
    assert r.status_code == 429


def test_the_result_lookup_page_answers_429_per_person(city):
    person = PersonFactory(grid=city.a_grid)
    c = Client()
    codes = [c.post("/screening/lookup/", {"id_number": person.id_number, "phone": "1"}, REMOTE_ADDR=f"10.3.0.{i}").status_code
             for i in range(6)]
    assert codes == [200] * 5 + [429]


def test_the_counter_key_is_a_keyed_digest_not_the_id_number():
    token = throttle.person_token("110101199003071234")
    assert "110101199003071234" not in token and token == throttle.person_token(" 110101199003071234 ".lower())
    throttle.lookup_allowed(scope="t", address="1.1.1.1", id_number="110101199003071234")
    assert cache.get(f"throttle:t.person:{token}") == 1 and cache.get("throttle:t.address:1.1.1.1") == 1
