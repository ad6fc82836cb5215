"""Helpers for page tests: the messages a page answered with, and a form field's label as the pages show it."""

from django.conf import settings
from django.utils import translation


def messages_of(answer) -> str:
    """Every message the request left for the page, in one string."""
    return " ".join(str(m) for m in answer.wsgi_request._messages)


def label(form, field: str) -> str:
    """A field's label in the pages' language (a refusal names the field by it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(form.base_fields[field].label)
