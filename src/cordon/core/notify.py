"""Pluggable notifications (SMS gateway interface); the default backend writes to the log."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("cordon.notify")


class Notifier:
    def send(self, *, phone: str, message: str, kind: str = "info") -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogNotifier(Notifier):
    sent: list[dict] = []

    def send(self, *, phone: str, message: str, kind: str = "info") -> None:
        LogNotifier.sent.append({"phone": phone, "message": message, "kind": kind})
        del LogNotifier.sent[:-1000]
        log.info("notify %s %s: %s", kind, phone[-4:] if phone else "-", message)


def notifier() -> Notifier:
    return import_string(settings.CORDON_NOTIFIER)()
