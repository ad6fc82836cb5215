"""Helpers for API modules: the actor, scoped lookups, idempotent bulk writes."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Body, Field, Status

from cordon.core import access, idempotency
from cordon.core.exports import FORMATS

# A database id as the API takes it: positive and within the 64-bit columns ids live in, so no generated
# 10**30 reaches the database (SQLite's OverflowError, PostgreSQL's "out of range for type bigint").
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A look-back in days: at least one, at most ten years (a larger one overflows date arithmetic).
Days = Annotated[int, Field(ge=1, le=3660)]
# A calendar day the API takes as a filter or period: this century, so no date arithmetic overflows (0001-01-01).
Day = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))]
# The statuses an object may move to next (an Out schema's `next_statuses: NextStatuses`), with their resolver
# `resolve_next_statuses = next_statuses(LIFECYCLE)` when the schema reads a model or row that has only its status.
NextStatuses = Annotated[list[str], Field(description="the statuses it may move to next (its lifecycle); empty when final")]


def next_statuses(lifecycle) -> staticmethod:
    """The resolver of an Out schema's `next_statuses`: the statuses `lifecycle` allows from the object's status (a
    model instance or a row dict)."""
    return staticmethod(lambda obj: list(lifecycle.allowed(obj["status"] if isinstance(obj, dict) else obj.status)))



class Rows:
    """A bulk body of at least one row: `items: Rows[NeedIn]` (an empty upload is refused at the schema)."""

    def __class_getitem__(cls, item):
        return Annotated[list[item], Body(..., min_length=1)]


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


def file_responses(*types: str, description: str = "The file, as a download") -> dict:
    """`openapi_extra` for an operation that answers a file: `@router.get("/export", openapi_extra=file_responses("xlsx", "csv"))`.
    Types are export formats (core.exports.FORMATS) or MIME types."""
    content = {}
    for t in types or ("xlsx", "csv"):
        mime = FORMATS[t][0] if t in FORMATS else t
        content[mime] = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": content}}}


def masked(attr: str, mask):
    """A schema resolver (`resolve_phone = masked("phone", pii.mask_phone)`): the row's `attr` masked by `mask`."""
    return staticmethod(lambda obj: mask(getattr(obj, attr)))
