"""API authentication: `Authorization: Bearer <token>` or the browser session (with CSRF)."""
import datetime as dt

from ninja.security import HttpBearer, SessionAuth

from cordon.accounts import services as account_services
from cordon.accounts.models import ApiToken
from cordon.core import clock


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = account_services.token_user(token)
        if user is None:
            return None
        request.user = user
        ApiToken.objects.filter(key_hash=ApiToken.hash_key(token), last_used_at__lt=clock.now() - dt.timedelta(minutes=5)).update(last_used_at=clock.now())
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser session, CSRF-checked. A request without a logged-in session is not a session request at all:
    it skips the CSRF check (there is nothing to forge) so an anonymous call of any method answers 401, not 403."""

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


AUTH = [TokenAuth(), ActiveSessionAuth()]
