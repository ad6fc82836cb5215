"""Pure rules of the exchange: the deadline by contact kind, the signature, the status transitions, the routing order."""

import datetime as dt
import hashlib
import hmac

# status -> statuses it may move to (outgoing: our side and the partner's reports; incoming: our handling)
OUTGOING_NEXT = {
    "draft": {"sent"},
    "sent": {"received", "accepted", "in_progress", "done", "rejected", "overdue"},
    "received": {"accepted", "in_progress", "done", "rejected", "overdue"},
    "accepted": {"in_progress", "done", "rejected", "overdue"},
    "in_progress": {"done", "rejected", "overdue"},
    "overdue": {"received", "accepted", "in_progress", "done", "rejected"},
}
INCOMING_NEXT = {
    "received": {"accepted", "done", "rejected", "overdue"},
    "accepted": {"in_progress", "done", "overdue"},
    "in_progress": {"done", "overdue"},
    "overdue": {"accepted", "in_progress", "done", "rejected"},
}


def may_move(direction: str, current: str, new: str) -> bool:
    table = OUTGOING_NEXT if direction == "out" else INCOMING_NEXT
    return new in table.get(current, set())


def deadline(*, start: dt.datetime, contact_kind: str, assist_rules: dict) -> dt.datetime:
    """When the receiving city must have reported: the rule set's hours for the contact kind (or its default)."""
    hours = assist_rules.get("deadline_hours", {})
    return start + dt.timedelta(hours=float(hours.get(contact_kind, hours.get("default", 48))))


def signature(secret: str, *, timestamp: str, method: str, path: str, body: bytes) -> str:
    """HMAC-SHA256 (hex) of "timestamp\\nMETHOD\\npath?query\\n" followed by the raw body, keyed by the shared secret."""
    message = f"{timestamp}\n{method.upper()}\n{path}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_ok(secret: str, given: str, **parts) -> bool:
    return hmac.compare_digest(signature(secret, **parts), (given or "").strip().lower())


def fresh(timestamp: str, *, now: dt.datetime, window_seconds: int) -> bool:
    """The signed timestamp (Unix seconds) is within the window of our clock: an old signed message is not replayed."""
    try:
        then = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs(now.timestamp() - then) <= window_seconds


def place_codes(*, residence_code: str, id_number: str) -> list[tuple[str, str]]:
    """Codes to route by, in order: the stated residence's division code, then the ID number's place code (its
    first 6 digits, where the person was first registered)."""
    out = []
    if residence_code:
        out.append(("residence_code", residence_code.strip()))
    if id_number and len(id_number) >= 6 and id_number[:6].isdigit():
        out.append(("id_number", id_number[:6]))
    return out
