"""The token routes in the access matrix: everyone signed in manages their own tokens; another user's token is a 404."""

from django.contrib.auth import get_user_model

from cordon.core.testing import CAST, Route


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

UNCOVERED = []
