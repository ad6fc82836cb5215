"""Blank tube labels print with QR codes for a site's samplers: fresh barcodes the sampler accepts, a bad count named."""

import secrets

import pytest

from cordon.screening import rules

pytestmark = pytest.mark.django_db


def test_a_sheet_of_fresh_tube_labels_prints_for_a_site(setup, cast, api_client):
    _rnd, site = setup
    page = api_client(cast.officer_a).get(f"/screening/sites/{site.pk}/tubes/print/?count=5")
    html = page.content.decode()
    assert page.status_code == 200 and html.count('class="qr-label"') == 5 and site.name in html


def test_fresh_tube_codes_are_barcodes_the_sampler_accepts_and_do_not_repeat():
    codes = rules.fresh_tube_codes(site_id=7, count=200, token=secrets.token_hex)
    assert len(set(codes)) == 200 and all(rules.barcode_ok(c) and c.startswith("T00007") for c in codes)


def test_a_bad_count_is_named(setup, cast, api_client):
    _rnd, site = setup
    answer = api_client(cast.officer_a).get(f"/screening/sites/{site.pk}/tubes/print/?count=5000")
    assert answer.status_code == 400 and 'class="qr-label"' not in answer.content.decode()
