"""Green-lane passes print with QR codes (segno SVG) on an A4 label sheet or as single cards, scoped to the viewer's
area; a bad row list is named."""

import pytest

from cordon.checkpoints.factories import PassFactory

pytestmark = pytest.mark.django_db


def test_the_pass_sheet_prints_a_qr_code_per_valid_pass_in_the_area(city, cast, api_client):
    mine = [PassFactory(region_path=city.a.path) for _ in range(3)]
    PassFactory(region_path=city.a.path, revoked=True)
    PassFactory(region_path=city.b.path)
    page = api_client(cast.officer_a).get("/checkpoints/passes/print/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg viewBox') == 3 and html.count('class="qr-label"') == 3
    for p in mine:
        assert p.number in html and p.plate in html
    assert "layout-sheet" in html and "@media print" not in html  # the print rules live in the static CSS


def test_one_pass_prints_as_a_single_card_and_another_districts_pass_is_not_found(city, cast, api_client):
    mine, theirs = PassFactory(region_path=city.a.path), PassFactory(region_path=city.b.path)
    client = api_client(cast.officer_a)
    card = client.get(f"/checkpoints/passes/print/?ids={mine.pk}&layout=cards")
    assert card.status_code == 200 and "layout-cards" in card.content.decode()
    assert card.content.decode().count('class="qr-label"') == 1
    assert client.get(f"/checkpoints/passes/print/?ids={theirs.pk}").status_code == 404


def test_a_bad_row_list_is_named(city, cast, api_client):
    answer = api_client(cast.officer_a).get("/checkpoints/passes/print/?ids=1,abc")
    assert answer.status_code == 400 and 'class="qr-label"' not in answer.content.decode()
