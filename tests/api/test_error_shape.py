"""Every non-2xx answer under /api/v1/ is the one JSON error shape: unknown paths, unknown ids, wrong methods,
unexpected exceptions (with a request id that is in the server log)."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def assert_shape(r, status, code):
    assert r.status_code == status, r.content[:300]
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code and isinstance(body["error"]["message"], str)
    assert isinstance(body["error"]["fields"], list)
    return body["error"]


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/nope/", "/api/v1/quarantine/nope/deeper", "/api/v1/"])
def test_an_unknown_path_under_the_api_is_a_json_404(city, cast, api_client, path):
    for user in (None, cast.commander):
        err = assert_shape(api_client(user).get(path), 404, "not_found")
        assert path in err["message"]
    assert_shape(api_client(cast.commander).post(path, data="{}", content_type="application/json"), 404, "not_found")


def test_an_unknown_id_is_a_json_404(city, cast, api_client):
    assert_shape(api_client(cast.commander).get("/api/v1/quarantine/sites/987654321"), 404, "not_found")


def test_a_method_the_path_does_not_take_is_a_json_405(city, cast, api_client):
    r = api_client(cast.commander).delete("/api/v1/screening/rounds")
    err = assert_shape(r, 405, "method_not_allowed")
    assert "DELETE" in err["message"] and "GET" in r["Allow"]


def test_an_unexpected_exception_is_a_json_500_with_the_request_id_logged(city, cast, api_client, monkeypatch, caplog):
    def boom(request):
        raise RuntimeError("kaput")

    from cordon.screening import api as screening_api

    monkeypatch.setattr(screening_api, "actor", boom)
    with caplog.at_level(logging.ERROR, logger="cordon.api"):
        r = api_client(cast.commander).get("/api/v1/screening/rounds", HTTP_X_REQUEST_ID="rid-test-500")
    err = assert_shape(r, 500, "server_error")
    assert "kaput" not in r.content.decode()  # no internals leak
    assert "rid-test-500" in err["message"] and r["X-Request-ID"] == "rid-test-500"
    assert any("rid-test-500" in rec.getMessage() and rec.exc_info for rec in caplog.records)
