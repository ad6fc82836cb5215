"""Reads of the outbox: messages inside the actor's area (masked unless unmasked with audit), channels, counts."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from cordon.core import access, audit
from cordon.outbox import rules
from cordon.outbox.enums import ChannelCode
from cordon.outbox.filters import MessageFilter
from cordon.outbox.models import Channel, Message, MessageAttempt


def city_wide(actor, perm: str) -> bool:
    """Does the actor hold `perm` for the whole city (a post at the top of the region tree, whose path has no dot)?
    Messages queued without a region (core.notify's notices, robot messages to work groups) and the channels'
    settings belong to the whole city."""
    return any(area == "" or "." not in area for area in access.areas(actor, perm))


def _visible(actor, action: str = "view") -> QuerySet[Message]:
    qs = Message.objects.visible_to(actor, action)
    if city_wide(actor, f"outbox.{action}"):
        qs = qs | Message.objects.filter(region_path="")
    return qs


def allowed(actor, message: Message, action: str) -> bool:
    """May the actor `action` this message: in its area, or city-wide for a message without a region."""
    if message.region_path:
        return access.can(actor, f"outbox.{action}", message.region_path)
    return city_wide(actor, f"outbox.{action}")


def message_list(*, actor, filters: Mapping | None = None) -> QuerySet[Message]:
    """Messages in the actor's area (and city-wide ones for the city's posts), newest first, filtered by MessageFilter."""
    return MessageFilter.apply(filters, _visible(actor).order_by("-created_at", "-id"))


def message_get(*, actor, pk: int, action: str = "view") -> Message:
    """One message (404 outside the actor's area, 403 when `action` is not granted)."""
    message = _visible(actor).filter(pk=pk).first()
    if message is None:
        raise Http404("not found")
    if action != "view" and not allowed(actor, message, action):
        raise PermissionDenied(f"outbox.{action}")
    return message


def recipient_of(*, actor, message: Message, unmask: bool = False) -> str:
    """The recipient as the actor may see it: masked, or in full when asked and outbox.unmask is held (audited)."""
    if unmask and allowed(actor, message, "unmask"):
        audit.record(actor, "outbox.message.unmask", message, changes={"field": "recipient"})
        return message.recipient
    return message.recipient_masked


def attempts_of(*, actor, message: Message) -> QuerySet[MessageAttempt]:
    """The tries at delivering a message the actor can see, in order."""
    message_get(actor=actor, pk=message.pk)
    return MessageAttempt.objects.filter(message=message).order_by("number", "id")


def status_counts(*, actor) -> dict:
    """Messages per status inside the actor's area."""
    return {r["status"]: r["n"] for r in _visible(actor).order_by().values("status").annotate(n=Count("id"))}


def require_admin(actor) -> None:
    """Channels are the city's settings: outbox.admin for the whole city, else 403."""
    if not city_wide(actor, "outbox.admin"):
        raise PermissionDenied("outbox.admin")


def channel_list(*, actor) -> QuerySet[Channel]:
    """Every channel's settings (outbox.admin: they are city-wide)."""
    require_admin(actor)
    return Channel.objects.order_by("code")


def channel_get(*, actor, code: str) -> Channel | None:
    """One channel's settings by its code (outbox.admin); None while it is not configured, 404 for an unknown code."""
    require_admin(actor)
    if code not in ChannelCode.values:
        raise Http404("not found")
    return Channel.objects.filter(code=code).first()


def channel_rows(*, actor) -> list[dict]:
    """Every channel code with its settings as shown (secrets hidden), configured or not."""
    found = {c.code: c for c in channel_list(actor=actor)}
    return [{**(channel_public(found[code]) if code in found else {"code": code, "configured": False}),
             "label": label, "configured": code in found} for code, label in ChannelCode.choices]


def channel_public(channel: Channel) -> dict:
    """A channel's settings as pages and the API show them: the secret and webhook keys hidden."""
    return {"id": channel.pk, "code": channel.code, "name": channel.name, "backend": channel.backend,
            "url": rules.masked_url(channel.url), "secret": rules.masked_secret(channel.secret), "has_secret": bool(channel.secret),
            "sender": channel.sender, "message_format": channel.message_format, "rate_per_minute": channel.rate_per_minute,
            "max_attempts": channel.max_attempts, "backoff_seconds": channel.backoff_seconds, "enabled": channel.enabled,
            "updated_at": channel.updated_at}
