"""Outbox API."""

from ninja import Router

router = Router(tags=["outbox"])
