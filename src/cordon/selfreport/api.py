"""Selfreport API."""

from ninja import Router

router = Router(tags=["selfreport"])
