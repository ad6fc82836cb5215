"""Writes of the outbox: enqueue (render once, in the recipient's language), deliver due messages through their
channel with retries, backoff and a rate limit per channel, retry/cancel by hand, channel settings, test messages.

The one interface other apps call:

    from cordon.outbox import services as outbox
    outbox.enqueue(actor=..., kind="selfreport.reminder", channel="sms", to="13800000000",
                   template="selfreport/messages/reminder.txt", context={...}, language="zh-hans",
                   region_path=person.region_path, dedupe_key=f"selfreport.reminder:{person.pk}:{day}", related=person)

It returns the Message at once; `send_due()` (the periodic job `outbox.jobs.send_due_job`, or called directly in the
demo and tests) delivers it. Delivery is at least once and never again after the provider acknowledged: a message is
claimed (status sending) in small batches, the provider's answer is committed right after it arrives, and a claim
left over by a crashed sender is retried only after LEASE. The SMS gateway gets the same Idempotency-Key on every
try, so even that crash window cannot double an SMS at a gateway that honours it."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock
from cordon.core.errors import ServiceError
from cordon.outbox import backends, rules, selectors
from cordon.outbox.enums import WAITING, AttemptOutcome, Backend, ChannelCode, MessageFormat, MessageStatus
from cordon.outbox.models import Channel, Message, MessageAttempt

LEASE = dt.timedelta(minutes=10)   # a claim older than this was left by a sender that died: retry it
CLAIM_BATCH = 10                   # claimed at a time, so a batch is sent well within LEASE (10 s timeout each)
LANGUAGE_CODES = ("zh-hans", "en")
URL_BACKENDS = (Backend.SMS_HTTP, Backend.WECOM, Backend.DINGTALK)


def _address(channel: str, to: str) -> str:
    """The recipient normalised for its channel, or a ServiceError naming the field `to`."""
    to = (to or "").strip()
    if channel == ChannelCode.SMS:
        mobile = rules.normal_mobile(to)
        if mobile is None:
            raise ServiceError.field("to", _("Recipient: %(to)s is not a mobile number") % {"to": rules.mask_recipient(channel, to)},
                                     code="bad_address")
        return mobile
    if channel in (ChannelCode.WECOM, ChannelCode.DINGTALK):
        found = rules.mentions(to)
        if found is None:
            raise ServiceError.field("to", _("Recipient: \"all\" or mobile numbers to mention, separated by commas"), code="bad_address")
        at_all, mobiles = found
        return ",".join((["all"] if at_all else []) + mobiles)
    if channel == ChannelCode.EMAIL:
        try:
            validate_email(to)
        except ValidationError as exc:
            raise ServiceError.field("to", _("Recipient: not an e-mail address"), code="bad_address") from exc
        return to
    return to[:300] or "-"


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    """(subject, body) rendered in `language`; the subject from `<name>.subject.txt` when there is one."""
    with translation.override(language):
        try:
            body = render_to_string(template, context).strip()
        except TemplateDoesNotExist as exc:
            raise ServiceError.field("template", _("Template: %(name)s does not exist") % {"name": template}, code="no_template") from exc
        subject_name = template.removesuffix(".txt") + ".subject.txt"
        try:
            subject = get_template(subject_name).render(context).strip()
        except TemplateDoesNotExist:
            subject = body.splitlines()[0][:80] if body else ""
    if not body:
        raise ServiceError.field("template", _("Template: %(name)s renders an empty message") % {"name": template}, code="empty")
    return " ".join(subject.split())[:300], body


def enqueue(*, actor, kind: str, channel: str, to: str, template: str, context: dict, language: str = "zh-hans",
            region_path: str = "", dedupe_key: str = "", related=None) -> Message:
    """Queue one message (rendered now, sent by the job); the same dedupe_key returns the message already queued."""
    dedupe_key = (dedupe_key or "").strip()[:200]
    if dedupe_key and (existing := Message.objects.filter(dedupe_key=dedupe_key).first()) is not None:
        return existing
    if channel not in ChannelCode.values:
        raise ServiceError.field("channel", _("Channel: unknown channel %(c)s") % {"c": channel}, code="bad_channel")
    if not (kind or "").strip():
        raise ServiceError.field("kind", _("Kind: required"), code="required")
    language = (language or "zh-hans").lower()
    if language not in LANGUAGE_CODES:
        raise ServiceError.field("language", _("Language: one of %(l)s") % {"l": ", ".join(LANGUAGE_CODES)}, code="bad_language")
    address = _address(channel, to)
    subject, body = _render(template, context, language)
    if not region_path and related is not None:
        region_path = getattr(related, "region_path", "") or ""
    now = clock.now()
    fields = dict(kind=kind.strip()[:80], channel=channel, recipient=address, recipient_masked=rules.mask_recipient(channel, address),
                  template=template, subject=subject, body=body, language=language, region_path=region_path or "",
                  status=MessageStatus.QUEUED, next_attempt_at=now, dedupe_key=dedupe_key, created_at=now,
                  related_type=related._meta.label_lower if related is not None else "",
                  related_id=str(related.pk) if related is not None else "")
    try:
        with transaction.atomic():
            message = Message.objects.create(**fields)
            audit.record(actor, "outbox.enqueue", message, changes={"kind": message.kind, "channel": channel,
                                                                      "to": message.recipient_masked, "dedupe_key": dedupe_key})
    except IntegrityError:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing
    return message


# --- delivery -------------------------------------------------------------------------------------------------

def default_channel(code: str) -> Channel | None:
    """The settings a channel without a row uses: only the log channel works unconfigured."""
    if code == ChannelCode.LOG:
        return Channel(code=ChannelCode.LOG, name="log", backend=Backend.LOG, rate_per_minute=600, max_attempts=3)
    return None


def _channels() -> dict[str, Channel]:
    found = {c.code: c for c in Channel.objects.all()}
    for code in ChannelCode.values:
        if code not in found and (default := default_channel(code)) is not None:
            found[code] = default
    return found


def _reclaim(now: dt.datetime, channels: dict[str, Channel]) -> int:
    """Claims older than LEASE (their sender died): count the try as interrupted and queue them again (or give up)."""
    stale = list(Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - LEASE))
    for m in stale:
        channel = channels.get(m.channel)
        dead = m.attempts >= (channel.max_attempts if channel else 5)
        with transaction.atomic():
            if Message.objects.filter(pk=m.pk, status=MessageStatus.SENDING, claimed_at=m.claimed_at).update(
                    status=MessageStatus.DEAD if dead else MessageStatus.FAILED, next_attempt_at=now, claimed_at=None,
                    last_error="interrupted while sending (the sender stopped); retried"):
                MessageAttempt.objects.filter(message=m, outcome=AttemptOutcome.SENDING).update(
                    outcome=AttemptOutcome.INTERRUPTED, finished_at=now, error="interrupted")
    return len(stale)


def _claim(code: str, n: int, now: dt.datetime) -> list[tuple[Message, MessageAttempt]]:
    """Take up to n due messages of a channel (status sending), each with its attempt row."""
    with transaction.atomic():
        ids = list(Message.objects.select_for_update(skip_locked=True)
                   .filter(channel=code, status__in=WAITING, next_attempt_at__lte=now)
                   .order_by("next_attempt_at", "id").values_list("id", flat=True)[:n])
        Message.objects.filter(pk__in=ids, status__in=WAITING).update(status=MessageStatus.SENDING, claimed_at=now,
                                                                       attempts=F("attempts") + 1)
        claimed = list(Message.objects.filter(pk__in=ids, status=MessageStatus.SENDING, claimed_at=now).order_by("next_attempt_at", "id"))
        out = []
        for m in claimed:
            number = MessageAttempt.objects.filter(message=m).count() + 1
            out.append((m, MessageAttempt.objects.create(message=m, channel=code, number=number, at=now)))
    return out


def _finish(channel: Channel, message: Message, attempt: MessageAttempt, now: dt.datetime) -> str:
    """Deliver one claimed message and commit what the provider said. Returns the message's new status."""
    try:
        delivery = backends.deliver(channel, message)
    except backends.DeliveryError as exc:
        final = not exc.retry or message.attempts >= channel.max_attempts
        status = MessageStatus.DEAD if final else MessageStatus.FAILED
        wait = dt.timedelta(seconds=rules.backoff_seconds(message.attempts, base=channel.backoff_seconds))
        with transaction.atomic():
            Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at).update(
                status=status, claimed_at=None, last_error=str(exc)[:2000], next_attempt_at=None if final else now + wait)
            MessageAttempt.objects.filter(pk=attempt.pk).update(outcome=AttemptOutcome.ERROR, error=str(exc)[:2000],
                                                                response=exc.response[:500], finished_at=clock.now())
        return status
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at).update(
            status=MessageStatus.SENT, claimed_at=None, sent_at=now, provider_id=delivery.provider_id[:200], last_error="",
            next_attempt_at=None)
        MessageAttempt.objects.filter(pk=attempt.pk).update(outcome=AttemptOutcome.OK, response=delivery.response[:500],
                                                            finished_at=clock.now())
    return MessageStatus.SENT


def send_due(*, now: dt.datetime | None = None, limit: int = 1000) -> dict:
    """Deliver the messages due by `now`, channel by channel within each channel's rate per minute; returns counts."""
    now = now or clock.now()
    channels = _channels()
    counts = {"sent": 0, "failed": 0, "dead": 0, "reclaimed": _reclaim(now, channels), "waiting": 0, "rate_limited": 0}
    due = (Message.objects.filter(status__in=WAITING, next_attempt_at__lte=now).values_list("channel", flat=True)
           .order_by("channel").distinct())
    for code in list(due):
        channel = channels.get(code)
        pending = Message.objects.filter(channel=code, status__in=WAITING, next_attempt_at__lte=now).count()
        if channel is None or not channel.enabled:
            counts["waiting"] += pending
            continue
        while True:
            used = MessageAttempt.objects.filter(channel=code, at__gt=now - dt.timedelta(minutes=1)).count()
            room = min(channel.rate_per_minute - used, limit - counts["sent"] - counts["failed"] - counts["dead"], CLAIM_BATCH)
            if room <= 0:
                break
            claimed = _claim(code, room, now)
            if not claimed:
                break
            for message, attempt in claimed:
                counts[_finish(channel, message, attempt, now)] += 1
        counts["rate_limited"] += Message.objects.filter(channel=code, status__in=WAITING, next_attempt_at__lte=now).count()
    if any(counts[k] for k in ("sent", "failed", "dead", "reclaimed")):
        audit.record(access.system("outbox"), "outbox.send", object_type="outbox.batch", changes=counts)
    return counts


# --- by hand ----------------------------------------------------------------------------------------------------

def _require_change(actor, message: Message) -> None:
    if not selectors.allowed(actor, message, "change"):
        raise PermissionDenied("outbox.change")


def message_retry(*, actor, message: Message) -> Message:
    """Queue a failed, dead or cancelled message again now, with a fresh number of attempts."""
    _require_change(actor, message)
    if message.status not in (MessageStatus.FAILED, MessageStatus.DEAD, MessageStatus.CANCELLED):
        raise ServiceError(_("Only a failed, dead or cancelled message can be retried."), code="bad_status")
    with transaction.atomic():
        before = message.status
        message.status, message.attempts, message.next_attempt_at = MessageStatus.QUEUED, 0, clock.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(actor, "outbox.retry", message, changes={"status": [before, message.status]})
    return message


def message_cancel(*, actor, message: Message) -> Message:
    """Cancel a message that has not gone out yet."""
    _require_change(actor, message)
    with transaction.atomic():
        if not Message.objects.filter(pk=message.pk, status__in=WAITING).update(status=MessageStatus.CANCELLED, next_attempt_at=None):
            raise ServiceError(_("Only a queued or failed message can be cancelled."), code="bad_status")
        before, message.status = message.status, MessageStatus.CANCELLED
        audit.record(actor, "outbox.cancel", message, changes={"status": [before, message.status]})
    return message


def channel_save(*, actor, channel: Channel | None = None, code: str, name: str, backend: str, url: str = "",
                 secret: str | None = None, sender: str = "", message_format: str = MessageFormat.TEXT,
                 rate_per_minute: int = 60, max_attempts: int = 5, backoff_seconds: int = 60, enabled: bool = True) -> Channel:
    """Create or change a channel's settings (outbox.admin); a blank secret keeps the one stored."""
    selectors.require_admin(actor)
    errors = []
    if code not in ChannelCode.values:
        errors.append({"field": "code", "message": _("Channel: unknown channel %(c)s") % {"c": code}})
    elif Channel.objects.filter(code=code).exclude(pk=channel.pk if channel else None).exists():
        errors.append({"field": "code", "message": _("Channel: %(c)s is configured already") % {"c": code}})
    if backend not in Backend.values:
        errors.append({"field": "backend", "message": _("Backend: unknown backend %(b)s") % {"b": backend}})
    url = (url or "").strip()
    if channel is not None and url and url == rules.masked_url(channel.url):
        url = channel.url  # the masked URL the page or the API showed, sent back unchanged: keep the stored one
    if backend in URL_BACKENDS and not url.lower().startswith(("http://", "https://")):
        errors.append({"field": "url", "message": _("URL: an http:// or https:// address is required for this backend")})
    if not (name or "").strip():
        errors.append({"field": "name", "message": _("Name: required")})
    if message_format not in MessageFormat.values:
        errors.append({"field": "message_format", "message": _("Format: text or markdown")})
    for field, value, low, high in (("rate_per_minute", rate_per_minute, 1, 6000), ("max_attempts", max_attempts, 1, 20),
                                    ("backoff_seconds", backoff_seconds, 1, 86400)):
        if not isinstance(value, int) or not low <= value <= high:
            errors.append({"field": field, "message": _("%(f)s: a whole number from %(a)d to %(b)d") % {"f": field, "a": low, "b": high}})
    if errors:
        raise ServiceError("; ".join(e["message"] for e in errors), fields=errors, code="invalid")
    with transaction.atomic():
        channel = channel or Channel()
        before = {f: getattr(channel, f) for f in ("code", "name", "backend", "url", "sender", "message_format", "rate_per_minute",
                                                  "max_attempts", "backoff_seconds", "enabled")}
        channel.code, channel.name, channel.backend, channel.url = code, name.strip(), backend, url
        channel.sender, channel.message_format, channel.enabled = (sender or "").strip(), message_format, bool(enabled)
        channel.rate_per_minute, channel.max_attempts, channel.backoff_seconds = rate_per_minute, max_attempts, backoff_seconds
        secret_changed = bool(secret)
        if secret_changed:
            channel.secret = secret.strip()
        channel.updated_at = clock.now()
        channel.save()
        changes = {f: [before[f] if f != "url" else rules.masked_url(before[f] or ""),
                       getattr(channel, f) if f != "url" else rules.masked_url(channel.url)]
                   for f in before if before[f] != getattr(channel, f)}
        if secret_changed:
            changes["secret"] = "changed"
        audit.record(actor, "outbox.channel.save", channel, changes=changes)
    return channel


def channel_clear_secret(*, actor, channel: Channel) -> Channel:
    """Remove a channel's stored secret (a DingTalk robot no longer signed)."""
    selectors.require_admin(actor)
    with transaction.atomic():
        channel.secret, channel.updated_at = "", clock.now()
        channel.save(update_fields=["secret", "updated_at"])
        audit.record(actor, "outbox.channel.clear_secret", channel, changes={"secret": "cleared"})
    return channel


def channel_test(*, actor, code: str, to: str, language: str = "zh-hans") -> Message:
    """Queue a test message on a channel (outbox.admin); the job sends it like any other."""
    selectors.require_admin(actor)
    channel = _channels().get(code)
    name = channel.name if channel is not None else code
    return enqueue(actor=actor, kind="outbox.test", channel=code, to=to, template="outbox/messages/test.txt",
                   context={"channel": name, "at": clock.local().strftime("%Y-%m-%d %H:%M")}, language=language)
