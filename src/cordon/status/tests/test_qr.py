"""A resident's health code printed as a card: the signed credential as a QR code that verifies offline, the name
masked, the expiry written on it; printing is audited."""

import re

import pytest

from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.status import credentials

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path):
    settings.CORDON_CREDENTIAL_KEY_DIR = str(tmp_path / "keys")
    credentials.clear_cache()
    yield
    credentials.clear_cache()


def test_the_health_code_card_carries_a_credential_that_verifies_and_is_audited(city, cast, api_client):
    person = PersonFactory(grid=city.a_grid)
    page = api_client(cast.officer_a).get(f"/status/people/{person.pk}/card/?layout=cards")
    html = page.content.decode()
    assert page.status_code == 200 and html.count('class="qr-label"') == 1
    assert person.name not in html
    assert AuditEntry.objects.filter(action="status.credential_print", object_id=str(person.pk)).count() == 1
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", html)  # valid until, in city time


def test_another_districts_resident_has_no_card(city, cast, api_client):
    person = PersonFactory(grid=city.b_grid)
    assert api_client(cast.officer_a).get(f"/status/people/{person.pk}/card/").status_code == 404
    assert not AuditEntry.objects.filter(action="status.credential_print").exists()
