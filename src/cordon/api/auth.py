"""API authentication: `Authorization: Bearer <token>` or the browser session (with CSRF).

The second factor (CORDON_REQUIRE_2FA): a session carries it when verified (django-otp's middleware); a token carries
it when it was issued from a verified session (ApiToken.second_factor). A call that asks for personal data unmasked
(`unmask=true`) without it answers 403 `second_factor_required` here; an export without it answers the same from
core.exports."""
import datetime as dt

from ninja.security import HttpBearer, SessionAuth

from cordon.accounts import services as account_services
from cordon.accounts.models import ApiToken
from cordon.core import clock
from cordon.core.exports import require_second_factor

_TRUE = ("1", "true", "True", "yes", "on")


def _step_up(request, user):
    """403 second_factor_required when the call asks to unmask and the user has no second factor for it."""
    if request.GET.get("unmask") in _TRUE:
        require_second_factor(user)
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = account_services.token_lookup(token)
        if found is None:
            return None
        user = found.user
        verified = found.second_factor
        user.otp_device = None
        user.is_verified = lambda: verified
        request.user = user
        ApiToken.objects.filter(pk=found.pk, last_used_at__lt=clock.now() - dt.timedelta(minutes=5)).update(last_used_at=clock.now())
        return _step_up(request, user)


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
        return _step_up(request, user) if user and user.is_active else None


AUTH = [TokenAuth(), ActiveSessionAuth()]
