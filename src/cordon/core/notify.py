"""Pluggable notifications (`notifier().send(phone=, message=, kind=)`), chosen by settings.CORDON_NOTIFIER.

The default is cordon.outbox.notifier.OutboxNotifier: the message is queued in the outbox and delivered by its
channel (SMS gateway, or the log in the demo) with retries and a rate limit. LogNotifier only writes to the log.
Every notifier keeps the last 1000 notifications handed to it in `Notifier.sent` (what tests read)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("cordon.notify")


class Notifier:
    sent: list[dict] = []  # shared by every notifier class: the latest notifications handed over, newest last

    def remember(self, *, phone: str, message: str, kind: str) -> None:
        Notifier.sent.append({"phone": phone, "message": message, "kind": kind})
        del Notifier.sent[:-1000]

    def send(self, *, phone: str, message: str, kind: str = "info") -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogNotifier(Notifier):
    def send(self, *, phone: str, message: str, kind: str = "info") -> None:
        self.remember(phone=phone, message=message, kind=kind)
        log.info("notify %s %s: %s", kind, phone[-4:] if phone else "-", message)


def notifier() -> Notifier:
    return import_string(settings.CORDON_NOTIFIER)()
