"""One throttle for everything public that must not be hammered: fixed-window counters in the cache.

Failed logins are django-axes' business (per user name AND address, in the database, see settings); every
other throttle of the platform goes through here. The public look-ups (a resident's test results, their health
code) are counted per looked-up person AND per client address:

- per person, so nobody can walk through the phone numbers of one ID number, from however many addresses;
  the counter's key is a keyed digest of the ID number (the throttle's secret token for that person), so the
  cache never holds an ID number;
- per address, loosely, because a whole city district sits behind one carrier-grade NAT address.

The counters live in Django's default cache (per process with the local-memory cache; point CACHES at a shared
backend when several web processes must share them).
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds


def client_address(request) -> str:
    """The client's address as the platform sees it (REMOTE_ADDR; the proxy sets it in production)."""
    return request.META.get("REMOTE_ADDR", "")[:64]


def person_token(id_number: str) -> str:
    """A keyed digest of a normalised ID number: identifies the person to the throttle without revealing them."""
    value = (id_number or "").strip().upper().encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"throttle.person:" + value, hashlib.sha256).hexdigest()[:40]


def hit(limit: Limit, key: str) -> bool:
    """Count one hit of `key` under `limit`; True while the count is within the limit for the current window."""
    cache_key = f"throttle:{limit.scope}:{key}"
    cache.add(cache_key, 0, limit.window)
    try:
        n = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        cache.set(cache_key, 1, limit.window)
        n = 1
    return n <= limit.limit


def allow(*hits: tuple[Limit, str]) -> bool:
    """Count a hit against every (limit, key) pair; False when any of them is over its limit."""
    results = [hit(limit, key) for limit, key in hits]
    return all(results)


def lookup_limits(scope: str) -> tuple[Limit, Limit]:
    """(per person, per address) limits of a public look-up, from settings."""
    window = settings.CORDON_LOOKUP_WINDOW_SECONDS
    return (Limit(f"{scope}.person", settings.CORDON_LOOKUP_PER_PERSON, window),
            Limit(f"{scope}.address", settings.CORDON_LOOKUP_PER_ADDRESS, window))


def lookup_allowed(*, scope: str, address: str, id_number: str) -> bool:
    """Count one public look-up of a person by ID number; False once that person or that address is over its limit."""
    per_person, per_address = lookup_limits(scope)
    return allow((per_address, address or "-"), (per_person, person_token(id_number)))


def lookup_window_minutes() -> int:
    return max(1, settings.CORDON_LOOKUP_WINDOW_SECONDS // 60)
