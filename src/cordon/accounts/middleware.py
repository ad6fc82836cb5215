"""The step-up to a second factor for pages: an unmask or export without one (core.exports.SecondFactorRequired,
raised by core.pages.asks_unmask, core.exports.web_download/export/export_allowed) and any admin page send the user
to verify (or to enrol, without an authenticator) and back to where they were. The API answers 403 itself."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cordon.accounts import twofactor
from cordon.core.exports import SecondFactorRequired


def step_up(request, message: str = ""):
    """Redirect to verify (enrolled) or enrol (not yet), with `next` = this page (a GET) or the page it came from."""
    back = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    target = reverse("accounts:otp_verify" if twofactor.has_device(request.user) else "accounts:otp_enrol")
    if message:
        messages.info(request, message)
    return redirect(f"{target}?{urlencode({'next': back})}" if back else target)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.CORDON_REQUIRE_2FA and self._admin_page(request.path_info):
            user = request.user
            if user.is_authenticated and user.is_staff and not user.is_verified():
                return step_up(request, _("The administration site needs your second factor (authenticator code)."))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SecondFactorRequired) and not request.path_info.startswith("/api/"):
            if not request.user.is_authenticated:
                return None
            return step_up(request, exception.message)
        return None

    @staticmethod
    def _admin_page(path: str) -> bool:
        admin = reverse("admin:index")
        if not path.startswith(admin):
            return False
        # signing in and out of the admin stays open: the step-up follows the sign-in
        return path not in (reverse("admin:login"), reverse("admin:logout"))
