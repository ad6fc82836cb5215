"""Masking of personal data. Masked is the default everywhere; unmasking is a permission."""

import hashlib
import hmac

from django.conf import settings

PSEUDONYM_NAME = "已脱敏"


def pseudonym_id_number(id_number: str) -> str:
    """A stable 18-character stand-in for an ID number after retention: keyed, so one person keeps one
    pseudonym (counts of distinct people stay right) but the number cannot be recovered or guessed from it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), id_number.encode(), hashlib.sha256).hexdigest()
    return ("P" + digest[:17]).upper()


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def _keep_ends(text: str | None, *, head: int, tail: int) -> str:
    """Stars between the first `head` and the last `tail` characters; all stars when the text is shorter than both."""
    if not text:
        return ""
    if len(text) < head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def mask_id_number(id_number: str | None) -> str:
    return _keep_ends(id_number, head=4, tail=4)


def mask_phone(phone: str | None) -> str:
    return _keep_ends(phone, head=3, tail=4)


def mask_address(address: str | None) -> str:
    """Keep the compound and building, hide the room."""
    if not address:
        return ""
    parts = address.split()
    if len(parts) <= 1:
        return address[: max(1, len(address) // 2)] + "***"
    return " ".join(parts[:-1]) + " ***"
