"""The second factor (django-otp): a TOTP authenticator app per user, ten one-time recovery codes, verifying a session,
and the administrator's reset. Every enrolment, verification (right or wrong) and reset writes an audit entry.

Wrong codes are throttled by django-otp's ThrottlingMixin on the device itself: after n failures in a row the next try
waits 2^(n-1) seconds (OTP_TOTP_THROTTLE_FACTOR), whatever code it brings; a right code resets the count.
Recovery codes are django-otp static tokens: stored as they are (the plugin does not hash them), shown once, each
deleted when used.
"""

import base64
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cordon.accounts import services
from cordon.core import access, audit, clock
from cordon.core.errors import NotFound, ServiceError

RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


@dataclass(frozen=True)
class Status:
    enrolled: bool          # a confirmed authenticator app
    verified: bool          # a second factor verified in this session (or the token was issued from one)
    recovery_codes_left: int
    required: bool          # CORDON_REQUIRE_2FA


@dataclass(frozen=True)
class Enrolment:
    secret: str             # base32, for typing into the app by hand
    uri: str                # otpauth://totp/... for the QR code


class Throttled(ServiceError):
    status = 429
    code = "second_factor_throttled"


def _user(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound(_("user: not signed in"))
    return actor


def status(actor, *, required: bool) -> Status:
    user = _user(actor)
    verified = getattr(user, "is_verified", None)
    left = StaticToken.objects.filter(device__user=user, device__name=RECOVERY, device__confirmed=True).count()
    return Status(enrolled=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
                  verified=bool(verified()) if verified is not None else False, recovery_codes_left=left, required=required)


def has_device(user) -> bool:
    return next(devices_for_user(user, confirmed=True), None) is not None


def enrol_start(*, actor) -> Enrolment:
    """A new, unconfirmed authenticator for the actor (a pending one is replaced); confirmed by `enrol_confirm`.
    A user who already has a confirmed authenticator must verify first (or be reset by an administrator)."""
    user = _user(actor)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not _verified(user):
        raise ServiceError(_("You already have an authenticator: verify with its code first to replace it."),
                           code="second_factor_required", status=403)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=f"{AUTHENTICATOR}-pending", confirmed=False)
    return Enrolment(secret=_base32(device.bin_key), uri=device.config_url)


def pending(*, actor) -> Enrolment | None:
    device = TOTPDevice.objects.filter(user=_user(actor), confirmed=False).order_by("-pk").first()
    return Enrolment(secret=_base32(device.bin_key), uri=device.config_url) if device else None


def enrol_confirm(*, actor, code: str, request=None) -> list[str]:
    """Confirm the pending authenticator with a code from the app: it replaces any earlier one, ten new recovery codes
    replace the old ones (returned here, never again), and the session counts as verified."""
    user = _user(actor)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise ServiceError.field("code", _("start the enrolment first: no authenticator is waiting for a code"))
        _check_throttle(device)
        if not device.verify_token(_clean(code)):
            audit.record(user, "otp.enrol_failed", device, object_type="otp_totp.totpdevice", changes={"user": user.pk})
            raise ServiceError.field("code", _("the code is not right; type the 6 digits your app shows now"))
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.name, device.confirmed = AUTHENTICATOR, True
        device.save(update_fields=["name", "confirmed"])
        codes = _new_recovery_codes(user)
        audit.record(user, "otp.enrol", device, changes={"user": user.pk, "recovery_codes": len(codes)})
    if request is not None:
        otp_login(request, device)
    return codes


def recovery_codes_renew(*, actor) -> list[str]:
    """Ten new recovery codes (the old ones stop working); only from a verified session."""
    user = _user(actor)
    if not _verified(user):
        raise ServiceError(_("Verify with your authenticator code first."), code="second_factor_required", status=403)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record(user, "otp.recovery_renew", object_type="otp_static.staticdevice", object_id=user.pk,
                     changes={"user": user.pk, "recovery_codes": len(codes)})
    return codes


def verify(*, actor, code: str, request=None):
    """Verify the session with a code from the authenticator app or a recovery code (used once). Wrong codes are
    throttled per device; every try is audited. Returns the device that accepted the code."""
    user = _user(actor)
    code = _clean(code)
    if not code:
        raise ServiceError.field("code", _("type the code from your authenticator app, or a recovery code"))
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=True, for_verify=True))
        if not devices:
            raise ServiceError(_("You have no authenticator yet: set one up first."), code="second_factor_not_enrolled")
        for device in devices:
            _check_throttle(device)
        accepted = None
        recovery = len(code) != 6 or not code.isdigit()
        for device in devices:
            # an app's code is 6 digits, a recovery code 8 letters and digits: each device hears only its own kind,
            # and counts a wrong one against itself (django-otp's throttling)
            if isinstance(device, StaticDevice) == recovery and device.verify_token(code):
                accepted = device
                break
    if accepted is None:
        audit.record(user, "otp.verify_failed", object_type="auth.user", object_id=user.pk, changes={"user": user.pk})
        raise ServiceError.field("code", _("the code is not right (a recovery code works once)"))
    audit.record(user, "otp.verify", accepted, changes={"user": user.pk, "kind": RECOVERY if isinstance(accepted, StaticDevice)
                                                       else AUTHENTICATOR})
    if request is not None:
        otp_login(request, accepted)
    return accepted


def reset(*, actor, user) -> int:
    """An administrator removes a user's authenticator and recovery codes (a lost phone): the user enrols again at the
    next unmask or export. Needs accounts.change where the user holds a post (city-wide for a user without posts)."""
    paths = services.post_paths(user) or [None]
    for path in paths:
        access.require(actor, "accounts.change", path)
    with transaction.atomic():
        removed = 0
        for device in devices_for_user(user, confirmed=None):
            device.delete()
            removed += 1
        audit.record(actor, "otp.reset", user, region_path=paths[0] or "", changes={"user": user.pk, "username": user.username,
                                                                                     "devices": removed})
    return removed


def kind_of(device) -> str:
    return RECOVERY if isinstance(device, StaticDevice) else AUTHENTICATOR


def _verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def _check_throttle(device) -> None:
    allowed, info = device.verify_is_allowed()
    if not allowed and info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        wait = max(1, int((info["locked_until"] - clock.now()).total_seconds()) + 1)
        raise Throttled(_("Too many wrong codes: wait %(seconds)s seconds and try again.") % {"seconds": wait})


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in codes])
    return codes


def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")
