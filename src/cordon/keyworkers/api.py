"""Keyworkers API."""

from ninja import Router

router = Router(tags=["keyworkers"])
