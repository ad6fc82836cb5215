"""A resident's health code printed as a card: the signed credential as a QR code that verifies offline, the name
masked, the expiry written on it; printing is audited."""

import re

import pytest

from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("credential_keys")]


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


def test_several_residents_health_codes_print_on_one_sheet_and_an_outsider_stops_the_print(city, cast, api_client):
    mine = [PersonFactory(grid=city.a_grid) for _ in range(3)]
    client = api_client(cast.officer_a)
    sheet = client.get(f"/status/cards/?ids={','.join(str(p.pk) for p in mine)}").content.decode()
    assert sheet.count('class="qr-label"') == 3 and "layout-sheet" in sheet
    assert AuditEntry.objects.filter(action="status.credential_print").count() == 3
    outsider = PersonFactory(grid=city.b_grid)
    assert client.get(f"/status/cards/?ids={mine[0].pk},{outsider.pk}").status_code == 404
    assert AuditEntry.objects.filter(action="status.credential_print").count() == 3  # nothing printed, nothing audited
