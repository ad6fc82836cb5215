"""Choices of the outbox: the channels a message goes by, the backends that deliver them, message states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChannelCode(models.TextChoices):
    """The route a caller names (`enqueue(channel=...)`): one Channel row per code holds its settings."""

    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    EMAIL = "email", _("E-mail")
    LOG = "log", pgettext_lazy("outbox channel", "Log")


class Backend(models.TextChoices):
    """How a channel delivers: the demo routes SMS to the log backend; a city points it at its gateway."""

    SMS_HTTP = "sms_http", _("SMS gateway (HTTP JSON)")
    WECOM = "wecom", _("WeCom robot webhook")
    DINGTALK = "dingtalk", _("DingTalk robot webhook")
    EMAIL = "email", _("E-mail (Django mail)")
    LOG = "log", _("Log only")


class MessageFormat(models.TextChoices):
    TEXT = "text", _("Plain text")
    MARKDOWN = "markdown", _("Markdown")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Dead (gave up)")
    CANCELLED = "cancelled", _("Cancelled")


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", _("In progress")
    OK = "ok", _("Delivered")
    ERROR = "error", _("Error")
    INTERRUPTED = "interrupted", _("Interrupted")


# Waiting to be sent (first time or again); the job picks these up when next_attempt_at has come.
WAITING = (MessageStatus.QUEUED, MessageStatus.FAILED)
LANGUAGES = (("zh-hans", "中文"), ("en", "English"))
