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


def mask_id_number(id_number: str | None) -> str:
    if not id_number:
        return ""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_address(address: str | None) -> str:
    """Keep the compound and building, hide the room."""
    if not address:
        return ""
    parts = address.split()
    if len(parts) <= 1:
        return address[: max(1, len(address) // 2)] + "***"
    return " ".join(parts[:-1]) + " ***"
