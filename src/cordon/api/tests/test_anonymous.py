"""An anonymous API call of any method is a 401 in the one error shape (not a CSRF 403)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

UNAUTHENTICATED = {"error": {"code": "unauthenticated", "message": "authentication required", "fields": []}}


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_an_anonymous_call_answers_401_whatever_the_method(city, method):
    client = Client(enforce_csrf_checks=True)
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
    r = getattr(client, method)("/api/v1/screening/rounds", **body)
    if r.status_code == 405:  # the route has no such method; try one that does
        r = client.post("/api/v1/screening/tubes/receive", data="{}", content_type="application/json")
    assert r.status_code == 401 and r.json() == UNAUTHENTICATED


def test_an_anonymous_post_with_a_stale_session_cookie_answers_401(city):
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "not-a-session"
    r = client.post("/api/v1/screening/rounds", data="{}", content_type="application/json")
    assert r.status_code == 401 and r.json() == UNAUTHENTICATED


def test_a_wrong_bearer_token_answers_401(city):
    r = Client().post("/api/v1/screening/rounds", data="{}", content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


def test_a_logged_in_browser_post_without_the_csrf_token_is_still_refused(city, cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_a)
    r = client.post("/api/v1/screening/rounds", data="{}", content_type="application/json")
    assert r.status_code == 403
