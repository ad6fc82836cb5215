"""The outbox: every notification cordon sends is a Message row, delivered by the job through its Channel.

A Channel row is the configuration of one route (sms, wecom, dingtalk, email, log): which backend delivers it,
the gateway or robot webhook, its secret, the rate limit and how many attempts before giving up. A Message
is rendered once at enqueue time (the recipient's language) and then only delivered; each try is a
MessageAttempt (what the provider answered or the error)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cordon.core.models import Scoped
from cordon.outbox.enums import AttemptOutcome, Backend, ChannelCode, MessageFormat, MessageStatus


class Channel(models.Model):
    """Settings of one channel (city-wide; edited by whoever holds outbox.admin). The secret is never shown back."""

    code = models.CharField(_("channel"), max_length=20, choices=ChannelCode.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    backend = models.CharField(_("backend"), max_length=20, choices=Backend.choices)
    url = models.CharField(_("gateway or webhook URL"), max_length=500, blank=True)
    secret = models.CharField(_("secret or token"), max_length=300, blank=True)
    sender = models.CharField(_("sender"), max_length=200, blank=True,
                              help_text=_("SMS signature or sender id; the From address for e-mail"))
    message_format = models.CharField(_("format"), max_length=10, choices=MessageFormat.choices, default=MessageFormat.TEXT)
    rate_per_minute = models.PositiveIntegerField(_("messages per minute"), default=60)
    max_attempts = models.PositiveSmallIntegerField(_("attempts before giving up"), default=5)
    backoff_seconds = models.PositiveIntegerField(_("first retry after (seconds)"), default=60)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.get_code_display()} ({self.name})"


class Message(Scoped):
    """One notification to one recipient, from enqueue to delivery (or giving up)."""

    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=ChannelCode.choices, db_index=True)
    recipient = models.CharField(_("recipient"), max_length=300)
    recipient_masked = models.CharField(max_length=300, db_index=True)
    template = models.CharField(max_length=200)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # set while a sender holds it (status sending)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    related_type = models.CharField(max_length=80, blank=True)
    related_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="outbox_message_dedupe_key"),
        ]
        indexes = [models.Index(fields=["status", "channel", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} -> {self.recipient_masked} ({self.status})"


class MessageAttempt(models.Model):
    """One try at delivering a message: when, what came back."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_rows")
    channel = models.CharField(max_length=20, db_index=True)
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.SENDING)
    error = models.TextField(blank=True)
    response = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["message", "number"]
