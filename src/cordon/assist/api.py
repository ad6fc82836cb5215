"""Assist API."""

from ninja import Router

router = Router(tags=["assist"])
