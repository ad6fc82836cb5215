"""OpenID Connect sign-in end to end against a real provider in the test process (django-oauth-toolkit on the live
server, RS256): cordon's login page -> authorize -> the provider's login -> consent -> callback -> a cordon session whose
posts come from the claims; an unknown role is refused with a message; every sign-in and refusal is audited."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client

from cordon.accounts import oidc
from cordon.accounts.models import OidcIdentity, Post
from cordon.accounts.tests import provider
from cordon.core.models import AuditEntry

CALLBACK = "http://testserver/accounts/oidc/callback/"


@pytest.fixture
def idp(live_server, settings):
    """The provider configured on the live server, cordon configured to use it; returns the provider's base URL."""
    from oauth2_provider.models import get_application_model

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    base = f"{live_server.url}/idp"
    settings.ROOT_URLCONF = "cordon.accounts.tests.provider"
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": pem, "PKCE_REQUIRED": True,
        "OAUTH2_VALIDATOR_CLASS": "cordon.accounts.tests.provider.CityProvider",
        "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "E-mail"},
    }
    settings.CORDON_OIDC_ENABLED = True
    settings.CORDON_OIDC_PROVIDER_NAME = "市统一身份认证"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "cordon.accounts.oidc.PostsBackend"]
    settings.OIDC_RP_CLIENT_ID = "cordon"
    settings.OIDC_RP_CLIENT_SECRET = "cordon-client-secret-for-tests"
    settings.OIDC_OP_ISSUER = base
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/.well-known/jwks.json"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid profile email"
    settings.OIDC_USE_PKCE = True
    App = get_application_model()
    App.objects.create(name="cordon", client_id="cordon", client_secret="cordon-client-secret-for-tests",
                       client_type=App.CLIENT_CONFIDENTIAL, authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
                       redirect_uris=CALLBACK, algorithm=App.RS256_ALGORITHM)
    provider.CLAIMS.clear()
    yield base
    provider.CLAIMS.clear()


def idp_person(username: str, claims: dict):
    get_user_model().objects.create_user(username=f"idp-{username}", password="idp-password-1", first_name="王芳",
                                         email=f"{username}@city.example")
    provider.CLAIMS[f"idp-{username}"] = claims


def sign_in_at_the_provider(browser: Client, username: str):
    """The whole flow: returns the callback's answer to the browser (cordon's test client)."""
    login_page = browser.get("/login/")
    assert "oidc-signin" in login_page.content.decode()  # the button, since OIDC is configured
    start = browser.get("/accounts/oidc/start/")
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [CALLBACK] and "nonce" in query

    at_idp = requests.Session()  # the same browser, at the provider's host
    page = at_idp.get(authorize)  # -> the provider's login page
    assert "/login/" in page.url
    csrf = at_idp.cookies["csrftoken"]
    consent = at_idp.post(page.url, data={"username": f"idp-{username}", "password": "idp-password-1",
                                          "csrfmiddlewaretoken": csrf, "next": parse_qs(urlsplit(page.url).query)["next"][0]},
                          headers={"Referer": page.url})
    assert consent.status_code == 200 and "authorizationForm" in consent.text, consent.text[:500]
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text))
    form.update({"allow": "Authorize", "csrfmiddlewaretoken": at_idp.cookies["csrftoken"]})
    back = at_idp.post(consent.url, data=form, headers={"Referer": consent.url}, allow_redirects=False)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK), back.text[:500]
    callback = urlsplit(back.headers["Location"])
    return browser.get(f"{callback.path}?{callback.query}")


@pytest.mark.django_db(transaction=True)
def test_a_provider_sign_in_becomes_a_cordon_session_with_the_claimed_posts(idp, city):
    idp_person("wangfang", {"cordon_posts": [{"role": "tracer", "region": city.a.code, "title": "流调组长"}],
                            "groups": ["staff", f"cordon:viewer:{city.b.path}"]})
    browser = Client()
    answer = sign_in_at_the_provider(browser, "wangfang")
    assert answer.status_code == 302 and answer["Location"] == "/", answer.get("Location")

    user = get_user_model().objects.get(username="wangfang")
    assert browser.session["_auth_user_id"] == str(user.pk)
    assert sorted((p.role, p.region.code, p.title, p.active) for p in Post.objects.filter(user=user)) == [
        ("tracer", city.a.code, "流调组长", True), ("viewer", city.b.code, "", True)]
    link = OidcIdentity.objects.get(user=user)
    assert link.issuer == idp and link.subject == str(get_user_model().objects.get(username="idp-wangfang").pk)
    assert user.email == "wangfang@city.example" and user.first_name == "王芳"
    assert browser.get("/api/v1/accounts/2fa/status").status_code == 200  # a cordon session

    # the provider drops the viewer post: the next sign-in ends it in cordon too
    provider.CLAIMS["idp-wangfang"] = {"cordon_posts": [{"role": "tracer", "region": city.a.path}]}
    again = Client()
    assert sign_in_at_the_provider(again, "wangfang").status_code == 302
    assert sorted((p.role, p.active) for p in Post.objects.filter(user=user)) == [("tracer", True), ("viewer", False)]
    entries = list(AuditEntry.objects.filter(action="oidc.signin").order_by("pk"))
    assert [e.changes["created"] for e in entries] == [True, False]
    assert entries[1].changes["ended"] == [f"viewer@{city.b.path}"] and entries[0].actor_label == "system:oidc"


@pytest.mark.django_db(transaction=True)
def test_an_unknown_role_is_refused_with_a_message_and_audited(idp, city):
    idp_person("lisi", {"cordon_posts": [{"role": "astronaut", "region": city.a.code}]})
    browser = Client()
    answer = sign_in_at_the_provider(browser, "lisi")
    assert answer.status_code == 302 and answer["Location"] == "/login/"
    assert "_auth_user_id" not in browser.session
    assert not get_user_model().objects.filter(username="lisi").exists()
    page = browser.get("/login/").content.decode()
    assert "astronaut" in page
    refused = AuditEntry.objects.get(action="oidc.refused")
    assert refused.changes["username"] == "lisi" and "astronaut" in refused.changes["reason"]


@pytest.mark.django_db
def test_claims_naming_an_unknown_region_or_no_post_are_refused(city):
    with pytest.raises(oidc.Refused, match="9999"):
        oidc.wanted_posts({"cordon_posts": [{"role": "tracer", "region": "9999"}]})
    with pytest.raises(oidc.Refused):
        oidc.wanted_posts({"groups": ["staff"]})
    assert [(r, g.code) for r, g, _t in oidc.wanted_posts({"groups": [f"cordon:grid_worker:{city.a_grid.code}"]})] == [
        ("grid_worker", city.a_grid.code)]


@pytest.mark.django_db
def test_without_configuration_there_is_no_button_and_no_route(client):
    assert "oidc-signin" not in client.get("/login/").content.decode()
    assert client.get("/accounts/oidc/start/").status_code == 404
