"""Shared test support: the fixed cast and the access matrix every route registers with.

Each app lists its routes in `<app>/tests/scope.py`:
- `ENDPOINTS = [ScopedEndpoint(...)]`: routes that take an object of district A (by id). The suite
  (tests/architecture/test_scoped_endpoints.py) checks: city commander and district A officer succeed,
  district A viewer reads but gets 403 on writes, district B officer gets exactly what a missing id gets
  (404), anonymous gets 401 (API) or a login redirect (web).
- `ROUTES = [Route(...)]`: routes without an object id (lists, dashboards, forms, public pages), each
  with the status every member of the cast gets (`Route.expect`, defaults by kind).
- `UNCOVERED = [...]`: routes that exist but are not in the matrix yet, by key ("GET api/v1/x/<>" or
  "WEB x/<>/"). The list may only shrink: tests/architecture/test_route_matrix.py discovers every URL
  pattern (Django's resolver) and every API operation (the OpenAPI schema) and fails on a route that is
  in none of the three lists, and on an UNCOVERED entry that is covered or gone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from cordon.core import access
from cordon.core.errors import Conflict, ServiceError

# What tests use where the platform itself acts (set-up through services, jobs called directly).
SYSTEM = access.system("tests")


@dataclass
class ScopedEndpoint:
    name: str
    make: Callable[[SimpleNamespace], object]  # builds an object in district A; returns it
    url: Callable[[object], str]
    method: str = "get"
    write: bool = False
    payload: Callable[[object], dict] | None = None
    api: bool = True
    ok_status: tuple[int, ...] = (200, 201)
    content_type: str = "application/json"
    extra: dict = field(default_factory=dict)


# The cast (built by cordon.accounts.testing.make_cast), in the order the matrix lists them.
CAST = ("commander", "officer_a", "viewer_a", "officer_b", "field_a", "anonymous")


def _defaults(kind: str, api: bool) -> dict[str, tuple[int, ...]]:
    anon = (401,) if api else (302,)
    if kind == "public":
        return dict.fromkeys(CAST, (200,))
    if kind == "list":  # every signed-in officer reads their own area (an empty one is still 200)
        return {**dict.fromkeys(CAST, (200,)), "anonymous": anon}
    if kind == "create":  # a write that names no existing object: viewers may not write
        ok = (200, 201, 302)
        return {"commander": ok, "officer_a": ok, "viewer_a": (403,), "officer_b": ok, "field_a": (403,), "anonymous": anon}
    raise ValueError(kind)


@dataclass
class Route:
    """A route without an object id, and the status each member of the cast gets."""

    name: str
    path: str | Callable[[SimpleNamespace], str]   # the URL, or built from the test city
    method: str = "get"
    kind: str = "list"                              # list | public | create: the default expectations
    api: bool = True
    payload: Callable[[SimpleNamespace], dict] | None = None
    content_type: str = "application/json"
    expect: dict[str, tuple[int, ...]] = field(default_factory=dict)  # overrides per cast member

    def expected(self) -> dict[str, tuple[int, ...]]:
        return {**_defaults(self.kind, self.api), **{k: (v if isinstance(v, tuple) else (v,)) for k, v in self.expect.items()}}

    def url(self, city) -> str:
        return self.path(city) if callable(self.path) else self.path


def _list_name(tail: str) -> str:
    return tail.strip("/").replace("/", ".") or "index"


def list_routes(app: str, *, api: tuple[str, ...] = (), web: tuple[str, ...] = ()) -> list[Route]:
    """An app's list routes (kind "list": every signed-in member of the cast reads their own area, anonymous is
    refused): the API lists /api/v1/<app>/<tail> and the pages /<app>/<tail>, named <app>.api.list.<tail> and
    <app>.web.list.<tail> ("/" read as ".", the app's root as "index")."""
    return [*(Route(f"{app}.api.list.{_list_name(tail)}", f"/api/v1/{app}/{tail}") for tail in api),
            *(Route(f"{app}.web.list.{_list_name(tail)}", f"/{app}/{tail}", api=False) for tail in web)]


def messages_of(answer) -> str:
    """Every message a page request left (django.contrib.messages), in one string: what page tests look for."""
    return " ".join(str(m) for m in answer.wsgi_request._messages)


def label(form, field: str, answer=None) -> str:
    """A form field's label as a page shows it (a refusal names the field by it): in the language `answer` was
    given in, else the pages' default language."""
    with translation.override(answer.wsgi_request.LANGUAGE_CODE if answer is not None else settings.LANGUAGE_CODE):
        return str(form.base_fields[field].label)


def exported_rows(client, page: str, params: dict, *, fmt: str = "csv") -> int:
    """The data rows a list page exports with these filters (the header row not counted); the export must answer 200."""
    answer = client.get(page, {**params, "export": fmt, "format": fmt})
    assert answer.status_code == 200, answer.status_code
    return answer.content.decode("utf-8-sig").strip().count("\n")


def assert_filtered_alike(client, *, page: str, api: str, params: dict, names: list, key: str = "name") -> None:
    """A list page, its export and the API list filtered by the same `params` show the same rows: the page's and the
    API's rows are `names` (each row's `key`, in order) and the export holds as many rows."""
    shown = client.get(page, params)
    assert shown.status_code == 200 and [getattr(row, key) for row in shown.context["page"]] == names
    answer = client.get(api, params)
    assert answer.status_code == 200 and [row[key] for row in answer.json()["items"]] == names, answer.content
    assert exported_rows(client, page, params) == len(names)


def assert_filter_refused(client, *, api: str, page: str, field: str, value: str, page_params: dict | None = None) -> None:
    """A filter value that is not allowed: the API answers 400 naming the field, and the page lists nothing and says
    which field was refused (the page, its export and the API read filters through the same filter set)."""
    bad = client.get(api, {field: value})
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == field, bad.content
    shown = client.get(page, {**(page_params or {}), field: value})
    assert shown.status_code == 200 and list(shown.context["page"]) == [] and field in messages_of(shown), messages_of(shown)


def tampered(code: str) -> str:
    """A signed code `head.payload.signature` with one signature byte changed for certain. Overwriting the last
    characters is not enough: base64 ignores the trailing pad bits, and the original may already end in them."""
    head, payload, sig = code.split(".")
    first = "B" if sig[0] == "A" else "A"
    return f"{head}.{payload}.{first}{sig[1:]}"


def assert_step_refused(move, *, record, to: str, labels, codes) -> None:
    """A lifecycle's refusals as users see them: `move(to)`, to a status `record`'s current one may not reach, is a 409
    `transition` on the status field whose Chinese message names the statuses by their `labels`, never by their raw
    `codes`; `move("nonsense")`, an unknown status, is a 400 `invalid`; and `record` keeps its status."""
    record.refresh_from_db()
    before = record.status
    with translation.override("zh-hans"), pytest.raises(Conflict) as e:
        move(to)
    assert e.value.status == 409 and e.value.code == "transition" and e.value.fields[0]["field"] == "status"
    with translation.override("zh-hans"):
        assert all(str(label) in e.value.message for label in labels), e.value.message
    assert not any(code in e.value.message for code in codes), e.value.message
    with pytest.raises(ServiceError) as e:
        move("nonsense")
    assert e.value.status == 400 and e.value.code == "invalid"
    record.refresh_from_db()
    assert record.status == before
