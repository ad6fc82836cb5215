"""The token routes in the access matrix: everyone signed in manages their own tokens; another user's token is a 404."""

import itertools

from django.contrib.auth import get_user_model

from cordon.core.testing import CAST, Route, ScopedEndpoint


def _commanders_token(city) -> int:
    from cordon.accounts.models import ApiToken

    user = get_user_model().objects.get(username="commander")
    return ApiToken.objects.create(user=user, name="matrix", prefix="matrix00", key_hash=f"matrix-{city.city.pk}").pk


def _own_only(ok: int) -> dict:
    return {**dict.fromkeys(CAST, 404), "commander": ok}


def _token_id(city) -> int:
    # the matrix reads a route's shape from a stand-in whose every id is 12345; the permission suite passes the test city
    return city.pk if getattr(city, "pk", None) == 12345 else _commanders_token(city)


def _revoke_api(city):
    return f"/api/v1/accounts/tokens/{_token_id(city)}/revoke"


def _revoke_page(city):
    return f"/accounts/tokens/{_token_id(city)}/revoke/"


ROUTES = [
    Route("accounts.tokens", "/api/v1/accounts/tokens"),
    Route("accounts.tokens.issue", "/api/v1/accounts/tokens", method="post", kind="create", payload=lambda c: {"name": "matrix"},
          expect=dict.fromkeys(("viewer_a", "field_a"), 201)),
    Route("accounts.tokens.revoke", _revoke_api, method="post", kind="list", expect={**_own_only(200), "anonymous": 401}),
    Route("accounts.page.tokens", "/accounts/tokens/", api=False),
    Route("accounts.page.tokens.revoke", _revoke_page, method="post", kind="list", api=False,
          expect={**_own_only(302), "anonymous": 302}),
]

_LOST = itertools.count(1)


def _user_in_a(c):
    from cordon.accounts.models import Post

    user = get_user_model().objects.create_user(username=f"lost-phone-{next(_LOST)}", password="pw-for-tests-1")
    Post.objects.create(user=user, role="tracer", region=c.a)
    return user


ENDPOINTS = [
    ScopedEndpoint("api reset a user's second factor", make=_user_in_a, url=lambda u: f"/api/v1/accounts/2fa/reset/{u.pk}",
                   method="post", write=True),
]

_SIGNED_IN = dict.fromkeys(("commander", "officer_a", "viewer_a", "officer_b", "field_a"), (400, 429))

ROUTES += [
    Route("accounts.2fa.status", "/api/v1/accounts/2fa/status"),
    Route("accounts.2fa.enrol", "/api/v1/accounts/2fa/enrol", method="post"),
    Route("accounts.2fa.confirm", "/api/v1/accounts/2fa/confirm", method="post", payload=lambda c: {"code": "000000"},
          expect=_SIGNED_IN),
    Route("accounts.2fa.verify", "/api/v1/accounts/2fa/verify", method="post", payload=lambda c: {"code": "000000"},
          expect=_SIGNED_IN),
    Route("accounts.page.2fa", "/accounts/2fa/", api=False),
    Route("accounts.page.2fa.enrol", "/accounts/2fa/enrol/", api=False),
    # no authenticator yet: verifying sends to enrol; new recovery codes need a verified session
    Route("accounts.page.2fa.verify", "/accounts/2fa/verify/", api=False, expect=dict.fromkeys(CAST, 302)),
    Route("accounts.page.2fa.recovery", "/accounts/2fa/recovery/", method="post", api=False, expect=dict.fromkeys(CAST, 302)),
    # OpenID Connect is off unless configured (CORDON_OIDC_*): both answer 404 then, to everyone
    Route("accounts.page.oidc.start", "/accounts/oidc/start/", kind="public", api=False, expect=dict.fromkeys(CAST, 404)),
    Route("accounts.page.oidc.callback", "/accounts/oidc/callback/", kind="public", api=False, expect=dict.fromkeys(CAST, 404)),
]

UNCOVERED = []
