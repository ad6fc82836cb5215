"""The one permission suite every route registers with (see cordon.core.testing and tests/architecture/matrix.py)."""

import re

import pytest

from cordon.core.testing import CAST
from tests.architecture.matrix import ENDPOINTS, ROUTES

MISSING_ID = 987654321


def _send(client, method, url, body, content_type):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=body or {}, content_type=content_type)


def _call(client, ep, obj, url=None):
    return _send(client, ep.method, url or ep.url(obj), ep.payload(obj) if ep.payload else {}, ep.content_type)


def _client(user):
    from django.test import Client

    c = Client()
    if user.is_authenticated:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        c.force_login(user)
    return c


def _missing_url(url: str, pk) -> str | None:
    """The same URL with the object's id replaced by one that does not exist (None if the id is not in it)."""
    pattern = re.compile(rf"/{pk}(?=/|$|\?)")
    return pattern.sub(f"/{MISSING_ID}", url, count=1) if pattern.search(url) else None


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
    missing = _missing_url(ep.url(obj), getattr(obj, "pk", None))
    if missing is not None and not ep.extra.get("admin"):
        # another district's object and an id that exists nowhere are indistinguishable
        assert _call(_client(cast.officer_b), ep, obj, url=missing).status_code == other, "missing id answers differently"
    anon = _call(_client(cast.anonymous), ep, obj).status_code
    assert anon in ((401,) if ep.api else (302,)), f"anonymous got {anon}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_route_answers_each_member_of_the_cast_as_the_matrix_says(route, city, cast):
    url = route.url(city)
    got = {}
    for member in CAST:
        body = route.payload(city) if route.payload else {}
        got[member] = _send(_client(getattr(cast, member)), route.method, url, body, route.content_type).status_code
    expected = route.expected()
    wrong = {m: (got[m], expected[m]) for m in CAST if got[m] not in expected[m]}
    assert not wrong, f"(got, expected) by member: {wrong}"


def test_the_suite_has_endpoints_registered():
    assert len(ENDPOINTS) >= 3
