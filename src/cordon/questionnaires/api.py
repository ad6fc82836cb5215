"""Questionnaires API."""

from ninja import Router

router = Router(tags=["questionnaires"])
