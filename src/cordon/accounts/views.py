"""The user's own API tokens (list, issue: the key is shown once, revoke); the second factor (enrol with a QR code,
recovery codes shown once, verify and go back); sign-in with the city's identity provider (OpenID Connect)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from cordon.accounts import forms, services, twofactor
from cordon.core import qr
from cordon.core.errors import NotFound, ServiceError
from cordon.core.forms import REFUSED, perform


@never_cache
@login_required
def tokens(request):
    issued = None
    if request.method == "POST":
        key = forms.TokenForm(request.POST).submit(request, lambda name: services.token_issue(actor=request.user, user=request.user,
                                                                                           name=name))
        issued = None if key is REFUSED else key
    return render(request, "accounts/tokens.html", {
        "tokens": services.token_list(actor=request.user, user=request.user), "issued": issued,
    })


@require_POST
@login_required
def token_revoke(request, pk: int):
    try:
        token = services.token_revoke(actor=request.user, token_id=pk)
    except NotFound:
        raise Http404 from None  # someone else's token and a token that does not exist answer alike
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


def _status(request):
    return twofactor.status(request.user, required=settings.CORDON_REQUIRE_2FA)


@never_cache
@login_required
def otp_status(request):
    """Your second factor: set up or not, verified in this session or not, recovery codes left."""
    return render(request, "accounts/otp_status.html", {"status": _status(request)})


@never_cache
@login_required
def otp_enrol(request):
    """Set up the authenticator app: scan the QR code (or type the secret), confirm with a code; the recovery codes are
    shown once on the answer."""
    back = forms.NextForm(request.GET).target(request)
    if request.method == "POST":
        form = forms.CodeForm(request.POST)
        codes = form.submit(request, lambda code: twofactor.enrol_confirm(actor=request.user, code=code, request=request))
        if codes is not REFUSED:
            return render(request, "accounts/otp_codes.html", {"codes": codes, "next": back, "enrolled": True})
    else:
        form = forms.CodeForm()
    try:
        enrolment = twofactor.pending(actor=request.user) or twofactor.enrol_start(actor=request.user)
    except ServiceError as exc:  # already enrolled: verify first
        messages.info(request, exc.message)
        return redirect(f"{reverse('accounts:otp_verify')}?{request.GET.urlencode()}")
    return render(request, "accounts/otp_enrol.html", {"form": form, "enrolment": enrolment, "qr": qr.svg(enrolment.uri),
                                                       "next": back})


@never_cache
@login_required
def otp_verify(request):
    """Type the code from the app (or a recovery code); back to where the step-up came from."""
    back = forms.NextForm(request.GET).target(request)
    if not twofactor.has_device(request.user):
        return redirect(f"{reverse('accounts:otp_enrol')}?{request.GET.urlencode()}")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST":
        device = form.submit(request, lambda code: twofactor.verify(actor=request.user, code=code, request=request),
                             success=_("Second factor verified."))
        if device is not REFUSED:
            return redirect(back or reverse("web:home"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": back, "status": _status(request)})


@never_cache
@require_POST
@login_required
def otp_recovery(request):
    """Ten new recovery codes, shown once (the old ones stop working); from a verified session."""
    codes = perform(request, lambda: twofactor.recovery_codes_renew(actor=request.user))
    if codes is REFUSED:
        return redirect(f"{reverse('accounts:otp_verify')}?next={reverse('accounts:otp_status')}")
    return render(request, "accounts/otp_codes.html", {"codes": codes, "next": reverse("accounts:otp_status")})


class _OidcOnly:
    def dispatch(self, request, *args, **kwargs):
        if not settings.CORDON_OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OidcStart(_OidcOnly, OIDCAuthenticationRequestView):
    """Off to the city's identity provider (authorization-code flow, with state, nonce and PKCE)."""


class OidcCallback(_OidcOnly, OIDCAuthenticationCallbackView):
    """Back from the provider: the code becomes tokens, the claims a cordon user with posts (accounts.oidc)."""

    @property
    def failure_url(self):
        return reverse(settings.LOGIN_URL)
