"""API tokens, self-service: a signed-in user lists, issues and revokes their own (the key is shown once); the second
factor: status, enrol, confirm, verify (a browser session; a token carries the factor of the session that issued it),
and an administrator's reset of someone's authenticator."""

import datetime as dt
from typing import Annotated

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cordon.accounts import services, twofactor
from cordon.core import access
from cordon.core.apikit import Id, actor
from cordon.core.errors import NotFound, ServiceError

router = Router(tags=["accounts"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class TokenIssueIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")] = "api"


class TokenIssuedOut(TokenOut):
    key: str = Field(description="The bearer token. Shown once: only its SHA-256 is stored.")


@router.get("/tokens", response=list[TokenOut])
def token_list(request):
    """Your API tokens, newest first (prefix only)."""
    me = actor(request)
    return services.token_list(actor=me, user=me)


@router.post("/tokens", response={201: TokenIssuedOut})
def token_issue(request, body: TokenIssueIn):
    """Issue a token for yourself; use it as `Authorization: Bearer <key>`."""
    me = actor(request)
    key = services.token_issue(actor=me, user=me, name=body.name.strip())
    token = services.token_list(actor=me, user=me)[0]
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.post("/tokens/{pk}/revoke", response=TokenOut)
def token_revoke(request, pk: Id):
    """Revoke one of your tokens: calls with it answer 401 from now on."""
    me = actor(request)
    return services.token_revoke(actor=me, token_id=pk)


class AccountsOtpStatusOut(Schema):
    enrolled: bool = Field(description="A confirmed authenticator app.")
    verified: bool = Field(description="A second factor verified in this session, or the token was issued from one.")
    recovery_codes_left: int
    required: bool = Field(description="CORDON_REQUIRE_2FA: unmasking and exports need the second factor.")


class AccountsOtpEnrolOut(Schema):
    secret: str = Field(description="Base32 secret for typing into the app.")
    uri: str = Field(description="otpauth:// URI (the QR code's content).")


class AccountsOtpCodeIn(Schema):
    code: Annotated[str, Field(min_length=6, max_length=20)]


class AccountsOtpCodesOut(Schema):
    recovery_codes: list[str] = Field(description="Ten one-time recovery codes. Shown once.")


class AccountsOtpVerifiedOut(Schema):
    verified: bool
    kind: str = Field(description="authenticator or recovery")


class AccountsOtpResetOut(Schema):
    user: int
    removed: int


def _session_only(request):
    if getattr(request, "session", None) is None or request.headers.get("Authorization"):
        raise ServiceError(_("A token carries the second factor of the session that issued it: enrol and verify in the browser "
                             "(or with the session API), then issue the token."), code="session_only")


@router.get("/2fa/status", response=AccountsOtpStatusOut)
def otp_status(request):
    """Your second factor: set up, verified for this session or token, recovery codes left."""
    return twofactor.status(actor(request), required=settings.CORDON_REQUIRE_2FA)


@router.post("/2fa/enrol", response=AccountsOtpEnrolOut)
def otp_enrol(request):
    """Start setting up an authenticator app (session only): returns the secret and the otpauth:// URI."""
    _session_only(request)
    return twofactor.enrol_start(actor=actor(request))


@router.post("/2fa/confirm", response=AccountsOtpCodesOut)
def otp_confirm(request, body: AccountsOtpCodeIn):
    """Confirm the authenticator with a code from it (session only): the session is verified and ten recovery codes are
    returned, once."""
    _session_only(request)
    return {"recovery_codes": twofactor.enrol_confirm(actor=actor(request), code=body.code, request=request)}


@router.post("/2fa/verify", response=AccountsOtpVerifiedOut)
def otp_verify(request, body: AccountsOtpCodeIn):
    """Verify this session with an app code or a recovery code (used once). Wrong codes are throttled (429)."""
    _session_only(request)
    device = twofactor.verify(actor=actor(request), code=body.code, request=request)
    return {"verified": True, "kind": twofactor.kind_of(device)}


@router.post("/2fa/reset/{user_id}", response=AccountsOtpResetOut)
def otp_reset(request, user_id: Id):
    """An administrator removes a user's authenticator and recovery codes (lost phone); audited."""
    me = actor(request)
    user = get_user_model().objects.filter(pk=user_id).first()
    paths = services.post_paths(user) if user is not None else []
    # someone with a post outside the actor's area is a 404, like a user who does not exist; in the area without
    # accounts.change it is a 403 (twofactor.reset)
    if user is None or not all(access.can(me, "accounts.view", path) for path in (paths or [None])):
        raise NotFound(_("user: no user %(user_id)s") % {"user_id": user_id})
    return {"user": user.pk, "removed": twofactor.reset(actor=me, user=user)}
