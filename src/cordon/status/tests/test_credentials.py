import base64
import datetime as dt
import json

import pytest

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.status import credentials
from cordon.status import services as status_services

pytestmark = pytest.mark.usefixtures("credential_keys")


def _tamper(code: str, **changes) -> str:
    prefix, body, sig = code.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims.update(changes)
    raw = json.dumps(claims, separators=(",", ":")).encode()
    return f"{prefix}.{base64.urlsafe_b64encode(raw).rstrip(b'=').decode()}.{sig}"


@pytest.mark.django_db
def test_a_fresh_credential_verifies_offline_and_carries_no_id_number(city):
    person = PersonFactory(grid=city.a_grid)
    issued = credentials.credential_issue(token=person.token)
    checked = credentials.verify(issued["code"], keys=credentials.public_keys())
    assert checked.ok and checked.reason == ""
    assert checked.colour == "green"
    assert checked.claims["t"] == person.token
    assert person.id_number not in issued["code"]
    assert person.id_number not in json.dumps(checked.claims)


@pytest.mark.django_db
def test_the_credential_follows_the_colour_and_the_latest_negative(city):
    person = PersonFactory(grid=city.a_grid)
    sampled = clock.now() - dt.timedelta(hours=5)
    status_services.sample_recorded(actor=SYSTEM, person_id=person.pk, sampled_at=sampled, negative=True)
    status_services.reason_set(actor=SYSTEM, person_id=person.pk, reason="close_contact", source="test:1")
    checked = credentials.verify(credentials.credential_issue(token=person.token)["code"])
    assert checked.colour == "red"
    assert checked.last_negative_at == sampled.replace(microsecond=0)
    assert checked.claims["s"] >= 2


@pytest.mark.django_db
def test_it_expires_after_the_rule_set_ttl(city):
    person = PersonFactory(grid=city.a_grid)
    now = clock.now()
    issued = credentials.credential_issue(token=person.token, now=now)
    assert issued["expires_at"] - issued["issued_at"] == dt.timedelta(minutes=10)
    later = now + dt.timedelta(minutes=11)
    assert credentials.verify(issued["code"], now=later).reason == "expired"


@pytest.mark.django_db
def test_a_tampered_colour_is_reported_as_forged(city):
    person = PersonFactory(grid=city.a_grid)
    status_services.reason_set(actor=SYSTEM, person_id=person.pk, reason="confirmed", source="test:2")
    code = credentials.credential_issue(token=person.token)["code"]
    checked = credentials.verify(_tamper(code, c="g"))
    assert not checked.ok and checked.reason == "forged"


@pytest.mark.django_db
def test_a_code_signed_by_another_key_is_not_accepted(city):
    person = PersonFactory(grid=city.a_grid)
    code = credentials.credential_issue(token=person.token)["code"]
    stranger = credentials.KeyPair(kid=credentials.signing_key().kid,
                                   private=credentials.Ed25519PrivateKey.generate())
    forged = credentials.encode(token=person.token, colour="green", last_negative_at=None, version=1,
                                issued_at=clock.now(), expires_at=clock.now() + dt.timedelta(minutes=5), key=stranger)
    assert credentials.verify(code).ok
    assert credentials.verify(forged).reason == "forged"


@pytest.mark.parametrize("garbage", ["", "hello", "CD1.abc", "CD1.!!!.???", "XX1.e30.e30", "CD1.e30.e30", "x" * 2000])
def test_garbage_gives_a_malformed_verdict_not_a_crash(garbage):
    assert credentials.verify(garbage, keys={}).reason == "malformed"


@pytest.mark.django_db
def test_codes_signed_before_a_key_rotation_still_verify(city):
    person = PersonFactory(grid=city.a_grid)
    old = credentials.credential_issue(token=person.token)["code"]
    old_kid = credentials.signing_key().kid
    new = credentials.key_rotate()
    assert new.kid != old_kid
    fresh = credentials.credential_issue(token=person.token)["code"]
    assert credentials.verify(old).ok and credentials.verify(fresh).ok
    assert set(credentials.public_keys_raw()) == {old_kid, new.kid}


@pytest.mark.django_db
def test_an_unknown_token_gets_no_credential(city):
    assert credentials.credential_issue(token="nobody") is None
