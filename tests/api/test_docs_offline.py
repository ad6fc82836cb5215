"""/api/v1/docs is served from our own static files (no CDN) and is allowed by our Content-Security-Policy."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_swagger_ui_from_our_own_origin():
    r = Client().get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:  # each is a vendored file the static finders know
        assert finders.find(asset.removeprefix("/static/")), asset
    assert '"url": "/api/v1/openapi.json"' in html


def test_the_csp_allows_the_docs_page():
    r = Client().get("/api/v1/docs")
    csp = r.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp  # our own scripts run; nothing from another origin is needed
    html = r.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)  # no inline script for the CSP to block
