"""Pure rules of the outbox (no ORM): retry backoff, recipient addresses, masking, webhook signatures."""

import base64
import hashlib
import hmac
import re
import urllib.parse

MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_BACKOFF_SECONDS = 6 * 3600


def backoff_seconds(attempts: int, *, base: int) -> int:
    """Seconds before the next try after `attempts` failed ones: base, 2*base, 4*base ... capped at 6 hours."""
    return min(max(base, 1) * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def normal_mobile(text: str) -> str | None:
    """A mainland mobile number without spaces, dashes or the +86 / 0086 prefix; None when it is not one."""
    digits = re.sub(r"[\s-]", "", text or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits if MOBILE.match(digits) else None


def mentions(to: str) -> tuple[bool, list[str]] | None:
    """A group robot's recipient: "all" (the whole group, @all) or mobiles to @mention, comma separated.
    Returns (at_all, mobiles), or None when a part is neither."""
    parts = [p.strip() for p in re.split(r"[,，;；\s]+", to or "") if p.strip()]
    if not parts:
        return None
    at_all, mobiles = False, []
    for part in parts:
        if part.lower() in ("all", "@all"):
            at_all = True
            continue
        mobile = normal_mobile(part)
        if mobile is None:
            return None
        mobiles.append(mobile)
    return at_all, mobiles


def mask_recipient(channel: str, to: str) -> str:
    """The recipient as lists show it: 138****0000, z***@example.org; group robots' "all" as is."""
    if "@" in to and channel == "email":
        local, _, domain = to.partition("@")
        return f"{local[:1]}***@{domain}"
    out = []
    for part in re.split(r"(,)", to):
        if normal_mobile(part):
            mobile = normal_mobile(part)
            out.append(mobile[:3] + "****" + mobile[-4:])
        elif part == "," or part.lower() in ("all", "@all", "-"):
            out.append(part)
        else:
            out.append(part[:1] + "***" if len(part) > 1 else "*")
    return "".join(out)


def dingtalk_signed_url(url: str, *, secret: str, timestamp_ms: int) -> str:
    """DingTalk's signed robot: append timestamp and sign = base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}"))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"


def gateway_signature(secret: str, *, timestamp: int, body: bytes) -> str:
    """The SMS gateway's signature header: hex HMAC-SHA256(secret, f"{timestamp}\\n" + body)."""
    return hmac.new(secret.encode(), str(timestamp).encode() + b"\n" + body, hashlib.sha256).hexdigest()


def masked_secret(secret: str) -> str:
    """A secret as pages and the API show it: its last 4 characters at most."""
    if not secret:
        return ""
    return "****" + (secret[-4:] if len(secret) >= 12 else "")


def masked_url(url: str) -> str:
    """A gateway or webhook URL with its query values hidden (a WeCom webhook's key is its secret)."""
    parts = urllib.parse.urlsplit(url or "")
    if not parts.query:
        return url or ""
    query = "&".join(f"{k}=****" for k, _v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
