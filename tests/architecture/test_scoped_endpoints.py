"""The one permission suite every scoped endpoint registers with (see cordon.core.testing)."""

import importlib

import pytest
from django.conf import settings

from cordon.core.testing import ScopedEndpoint


def _collect() -> list[ScopedEndpoint]:
    out = []
    for dotted in settings.CORDON_APPS:
        try:
            module = importlib.import_module(f"{dotted}.tests.scope")
        except ModuleNotFoundError as exc:
            if exc.name == f"{dotted}.tests.scope":
                continue
            raise
        out.extend(module.ENDPOINTS)
    return out


ENDPOINTS = _collect()


def _call(client, ep: ScopedEndpoint, obj):
    url = ep.url(obj)
    if ep.method == "get":
        return client.get(url)
    body = ep.payload(obj) if ep.payload else {}
    return getattr(client, ep.method)(url, data=body, content_type=ep.content_type)


def _client(user):
    from django.test import Client

    c = Client()
    if user.is_authenticated:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        c.force_login(user)
    return c


@pytest.mark.django_db
@pytest.mark.parametrize("ep", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_every_scoped_endpoint_follows_the_cast_rules(ep, city, cast):
    obj = ep.make(city)
    assert _call(_client(cast.commander), ep, obj).status_code in ep.ok_status, "city commander"
    obj = ep.make(city) if ep.write else obj
    assert _call(_client(cast.officer_a), ep, obj).status_code in ep.ok_status, "district A officer"
    obj = ep.make(city) if ep.write else obj
    viewer = _call(_client(cast.viewer_a), ep, obj).status_code
    if ep.write:
        assert viewer == 403, f"district A viewer writing got {viewer}"
    else:
        assert viewer in ep.ok_status or ep.extra.get("admin"), f"district A viewer reading got {viewer}"
    other = _call(_client(cast.officer_b), ep, obj).status_code
    assert other in ((404, 302, 403) if ep.extra.get("admin") else (404,)), f"district B officer got {other}"
    anon = _call(_client(cast.anonymous), ep, obj).status_code
    assert anon in ((401,) if ep.api else (302,)), f"anonymous got {anon}"


def test_the_suite_has_endpoints_registered():
    assert len(ENDPOINTS) >= 3
