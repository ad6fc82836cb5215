"""API tokens, self-service: issue (the key once), use, list, revoke; someone else's token is a 404."""

import pytest
from django.core.management import call_command

from cordon.accounts.models import ApiToken
from cordon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_officer_issues_a_token_calls_the_api_with_it_and_revokes_it(cast, api_client):
    session = api_client(cast.officer_a)
    issued = session.post("/api/v1/accounts/tokens", {"name": "lab middleware"}, content_type="application/json")
    assert issued.status_code == 201
    key = issued.json()["key"]
    assert issued.json()["prefix"] == key[:8] and not ApiToken.objects.filter(key_hash=key).exists()

    from django.test import Client

    script = Client(headers={"Authorization": f"Bearer {key}"})
    listed = script.get("/api/v1/accounts/tokens")
    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()] == ["lab middleware"] and "key" not in listed.json()[0]

    token_id = issued.json()["id"]
    assert session.post(f"/api/v1/accounts/tokens/{token_id}/revoke").json()["revoked"] is True
    assert script.get("/api/v1/accounts/tokens").status_code == 401
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1
    assert AuditEntry.objects.filter(action="token.issue").count() == 1


def test_nobody_revokes_someone_elses_token(cast, api_client):
    issued = api_client(cast.officer_a).post("/api/v1/accounts/tokens", {"name": "mine"}, content_type="application/json").json()
    other = api_client(cast.officer_b).post(f"/api/v1/accounts/tokens/{issued['id']}/revoke")
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    assert ApiToken.objects.get(pk=issued["id"]).revoked is False


def test_a_token_without_a_name_is_refused_naming_the_field(cast, api_client):
    answer = api_client(cast.officer_a).post("/api/v1/accounts/tokens", {"name": "   "}, content_type="application/json")
    assert answer.status_code in (400, 422)
    assert "name" in str(answer.json()["error"]["fields"])


def test_the_page_shows_a_new_key_once_and_lists_tokens_by_prefix(cast, api_client):
    page = api_client(cast.viewer_a)
    answer = page.post("/accounts/tokens/", {"name": "dashboard"})
    key = answer.context["issued"]
    assert key and key in answer.content.decode()
    again = page.get("/accounts/tokens/").content.decode()
    assert key not in again and key[:8] in again


def test_an_administrator_issues_a_token_at_the_console(cast, capsys):
    call_command("token", "issue", "officer_a", "--name", "nightly export")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).user == cast.officer_a
    call_command("token", "list", "officer_a")
    assert "nightly export" in capsys.readouterr().out
