"""Idempotency keys for bulk writes: the same key and body replays the stored response.

The response is stored in the same transaction as the writes it acknowledges, so a crash
either loses both (the client retries) or keeps both (the retry replays).
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction

from cordon.core.models import IdempotencyRecord


class IdempotencyConflict(Exception):
    """The key was used before with a different request body."""


def body_hash(payload) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def run(*, actor, scope: str, key: str | None, payload, fn: Callable[[], tuple[int, dict]]) -> tuple[int, dict, bool]:
    """Run fn once per (scope, user, key); return (status, body, replayed)."""
    if not key:
        status, body = fn()
        return status, body, False
    user_id = getattr(actor, "pk", None)
    digest = body_hash(payload)
    existing = IdempotencyRecord.objects.filter(scope=scope, user_id=user_id, key=key).first()
    if existing is not None:
        if existing.request_hash != digest:
            raise IdempotencyConflict(key)
        return existing.status_code, existing.response, True
    try:
        with transaction.atomic():
            status, body = fn()
            if status < 500:
                IdempotencyRecord.objects.create(scope=scope, user_id=user_id, key=key, request_hash=digest,
                                                 status_code=status, response=body)
    except IntegrityError:
        existing = IdempotencyRecord.objects.filter(scope=scope, user_id=user_id, key=key).first()
        if existing is None:
            raise
        if existing.request_hash != digest:
            raise IdempotencyConflict(key)
        return existing.status_code, existing.response, True
    return status, body, False
