"""Helpers for API modules: the actor, scoped lookups, idempotent bulk writes."""

from django.http import HttpRequest
from ninja import Status

from cordon.core import access, idempotency


def actor(request: HttpRequest):
    return request.auth if getattr(request, "auth", None) is not None else request.user


def get_for(request, queryset, action: str = "view", **lookup):
    return access.get_for(actor(request), queryset, action, **lookup)


def idempotent(request, *, scope: str, payload, fn):
    """Run a bulk write once per Idempotency-Key header; replays return the stored response."""
    key = request.headers.get("Idempotency-Key")
    status, body, replayed = idempotency.run(actor=actor(request), scope=scope, key=key, payload=payload, fn=fn)
    if replayed:
        body = {**body, "replayed": True}
    return Status(status, body)
