"""The access matrix: every app's `tests/scope.py` (ENDPOINTS, ROUTES, UNCOVERED), and the routes that exist.

A route's key is "<METHOD> <pattern>" for an API operation ("POST api/v1/zones/<>/confirm") and
"WEB <pattern>" for a page ("WEB zones/<>/"), path parameters written as <>.
"""

import importlib
import re

from django.conf import settings
from django.urls import URLResolver, get_resolver, resolve

# Mounted by Django itself, not by cordon: the admin (its own staff/superuser checks, tested in core and
# accounts), the language switch and static files.
OUTSIDE = ("admin/", "i18n/", "static/", "media/")


def scope_modules():
    for dotted in settings.CORDON_APPS:
        try:
            yield importlib.import_module(f"{dotted}.tests.scope")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{dotted}.tests.scope", f"{dotted}.tests"):
                raise


def _collect(attr: str) -> list:
    return [item for module in scope_modules() for item in getattr(module, attr, [])]


ENDPOINTS = _collect("ENDPOINTS")
ROUTES = _collect("ROUTES")
UNCOVERED = _collect("UNCOVERED")


def normalise(pattern: str) -> str:
    pattern = pattern.lstrip("/").replace("^", "").replace("$", "")
    return re.sub(r"<[^>]*>|\{[^}]*\}", "<>", pattern)


def key_of(method: str, url: str, *, api: bool) -> str | None:
    """The key of the route a concrete URL resolves to (None for routes Django itself mounts)."""
    route = normalise(resolve(url.split("?")[0]).route)
    if route.startswith(OUTSIDE):
        return None
    return f"{method.upper()} {route}" if api else f"WEB {route}"


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def existing_routes() -> set[str]:
    """Every page pattern (Django's resolver) and every API operation (the OpenAPI schema)."""
    from cordon.api.root import api

    keys = set()
    for pattern in _walk(get_resolver().url_patterns):
        if pattern.startswith("api/") or pattern.startswith(OUTSIDE):
            continue
        keys.add(f"WEB {normalise(pattern)}")
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            keys.add(f"{method.upper()} {normalise(path)}")
    return keys


class Anything:
    """Stands in for a test object when only a URL's shape is wanted: every attribute, item and id is 12345."""

    pk = id = 12345

    def __getattr__(self, name):
        return Anything()

    def __getitem__(self, item):
        return Anything()

    def __format__(self, spec):
        return "12345"

    def __str__(self):
        return "12345"

    def __int__(self):
        return 12345


def covered_routes() -> dict[str, str]:
    """key -> the matrix entry's name, for every ENDPOINT and ROUTE."""
    out = {}
    for ep in ENDPOINTS:
        out[key_of(ep.method, ep.url(Anything()), api=ep.api)] = ep.name
    for r in ROUTES:
        out[key_of(r.method, r.url(Anything()), api=r.api)] = r.name
    out.pop(None, None)
    return out
