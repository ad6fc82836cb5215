"""A key reused with another body is refused in the user's language (Chinese), the field error included."""

import pytest

from cordon.community.tests.test_gate import _send, gate  # noqa: F401 (gate is a fixture)

pytestmark = pytest.mark.django_db


def test_a_key_reused_with_another_body_is_refused_in_chinese(cast, api_client, gate):  # noqa: F811
    client = api_client(cast.officer_a)
    first = _send(client, [gate.row(pass_code=gate.passes[0].code)], "k-reused")
    other = _send(client, [gate.row(pass_code=gate.passes[1].code)], "k-reused")
    assert first.status_code == 201 and other.status_code == 409
    error = other.json()["error"]
    assert error["message"] == "Idempotency-Key k-reused 已用于另一个不同的请求内容"
    assert error["fields"] == [{"field": "Idempotency-Key", "message": "已用于另一个不同的请求内容"}]
