"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit (OIDC on, RS256 key made per test),
mounted at /idp/ beside cordon on pytest-django's live server. Its people are Django users of the same database (the
provider's own accounts, "idp-..."), their cordon claims set by the test in CLAIMS."""

from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator

from config.urls import urlpatterns as cordon_urlpatterns

CLAIMS: dict[str, dict] = {}  # provider user name -> the claims the provider releases about them

urlpatterns = [path("idp/", include("oauth2_provider.urls", namespace="oauth2_provider")), *cordon_urlpatterns]


class CityProvider(OAuth2Validator):
    """Releases cordon_posts and groups with the profile scope."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "cordon_posts": "profile", "groups": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {"preferred_username": user.username.removeprefix("idp-"), "name": user.first_name, "email": user.email,
                **CLAIMS.get(user.username, {})}
