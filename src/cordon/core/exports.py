"""One export path: every list, report and register that leaves the system as a file goes through `export`.

`export` checks `<domain>.export`, narrows the rows to the actor's export area, masks personal data unless
unmasking is asked for and granted for the row's area, escapes text that a spreadsheet would run as a
formula, refuses more than `CORDON_EXPORT_MAX_ROWS` rows, writes the file with tablib and records one
audit entry. Apps describe their exports as columns (`Column`) in their own `exports.py` or export service;
views and API handlers parse the request and call those, nothing more.

Masking is per row and all-or-nothing: when the ID number of a row is masked, so is everything that
rebuilds it (the birth date keeps only its year, the address loses its room).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import tablib
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, pii
from cordon.core.errors import ServiceError

NAME, ID_NUMBER, PHONE, ADDRESS, BIRTH_DATE = "name", "id_number", "phone", "address", "birth_date"

_MASKS: dict[str, Callable[[Any], Any]] = {
    NAME: pii.mask_name,
    ID_NUMBER: pii.mask_id_number,
    PHONE: pii.mask_phone,
    ADDRESS: pii.mask_address,
    # The birth date and the visible ends of the ID number give the whole ID number back: keep the year.
    BIRTH_DATE: lambda v: v.year if isinstance(v, dt.date) else (str(v)[:4] if v else ""),
}

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}

# OWASP CSV injection: a cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    pii: str = ""  # one of NAME, ID_NUMBER, PHONE, ADDRESS, BIRTH_DATE: masked unless the row is unmasked


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int
    unmasked: bool


class SecondFactorRequired(ServiceError):
    """The action unmasks or exports personal data and the session (or API token) has no verified second factor.
    The API answers 403 `second_factor_required`; a page is sent to verify (or enrol) and comes back."""

    status = 403
    code = "second_factor_required"


def second_factor_ok(actor) -> bool:
    """Whether `actor` may unmask or export as far as the second factor goes (CORDON_REQUIRE_2FA).

    A signed-in user reaches here through a request: the OTP middleware (sessions) or the API's token
    auth (tokens issued in a verified session) gives them `is_verified()`, and that answers. The platform
    acting (`access.system`) and code run at the console (a user object no request touched) are not asked."""
    if not settings.CORDON_REQUIRE_2FA or actor is None or access.is_system(actor):
        return True
    verified = getattr(actor, "is_verified", None)
    return True if verified is None else bool(verified())


def require_second_factor(actor) -> None:
    """SecondFactorRequired (403 `second_factor_required`) unless `second_factor_ok(actor)`."""
    if not second_factor_ok(actor):
        raise SecondFactorRequired(_("This action shows or exports personal data: confirm it with your authenticator code "
                                     "(second factor) first."))


def escape_formula(value: str) -> str:
    """The text with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value):
    """A value a spreadsheet stores as data: text escaped, aware times in the city's zone, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime):
        return clock.local(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        value = ",".join(str(v) for v in value)
    return escape_formula(str(value))


def age_band(birth_date: dt.date | None) -> str:
    """Ten-year age band ("30-39") on the city's today: what a masked export may say about age."""
    if not birth_date:
        return ""
    today = clock.today()
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    low = max(0, age) // 10 * 10
    return f"{low}-{low + 9}"


def max_rows() -> int:
    return settings.CORDON_EXPORT_MAX_ROWS


def _clean_filters(filters: Mapping | None) -> dict:
    return {k: (v if isinstance(v, bool | int | float) else str(v)) for k, v in (filters or {}).items()
            if v not in (None, "", False)}


def _write(headers: list[str], rows: list[list], *, fmt: str, sheet: str) -> bytes:
    data = tablib.Dataset(*rows, headers=headers, title=sheet[:31] or "data")
    if fmt == "csv":
        # UTF-8 with a byte-order mark: Excel on Chinese Windows reads it as GB18030 otherwise.
        return ("\ufeff" + data.export("csv")).encode("utf-8")
    return data.export("xlsx", column_width="adaptive" if len(rows) <= 5000 else None)


def export(*, actor, domain: str, name: str, columns: Sequence[Column], rows: QuerySet | Iterable,
           filters: Mapping | None = None, fmt: str = "xlsx", unmask: bool = False, object_type: str = "",
           region_field: str | None = "region_path", region_of: Callable[[Any], str] | None = None,
           region_path: str | None = None, sheet: str = "") -> ExportFile:
    """Check, scope, mask, escape, cap, write and audit one export (`<domain>.export`). `filters` are the list's filters
    as given (a page's request.GET or the API's dict): the audit entry records their non-empty values."""
    perm = f"{domain}.export"
    access.require(actor, perm, region_path)
    require_second_factor(actor)
    if fmt not in FORMATS:
        raise ServiceError.field("format", _("unknown export format %(fmt)s; use xlsx or csv") % {"fmt": fmt})
    if isinstance(rows, QuerySet):
        if region_field:
            rows = access.scope(rows, actor, perm, field=region_field)
        object_type = object_type or rows.model._meta.label_lower
        # fetched whole (the rows are held for the workbook anyway): a server-side cursor left open by an
        # export refused at the cap broke the next transaction on PostgreSQL
        items = iter(rows[: max_rows() + 1])
    else:
        # Plain rows (reports, aggregates) come from the app's scoped selectors; `region_of` narrows them
        # further to the export area when each row belongs to one region.
        items = iter(rows)
    has_pii = any(c.pii for c in columns)
    if unmask and has_pii:
        access.require(actor, "people.unmask", region_path)
    cap = max_rows()
    out: list[list] = []
    unmasked_rows = 0
    for item in items:
        path = region_of(item) if region_of else (getattr(item, region_field, None) if region_field else None)
        if region_of and not access.can(actor, perm, path):
            continue
        if len(out) >= cap:
            raise ServiceError(_("This export has more than %(limit)s rows, the most one export may hold; narrow it with the filters.")
                               % {"limit": f"{cap:,}"}, code="export_too_large")
        open_row = bool(unmask and has_pii and access.can_unmask(actor, path if path is not None else (region_path or "")))
        unmasked_rows += open_row
        values = []
        for col in columns:
            value = col.value(item)
            if col.pii and not open_row:
                value = _MASKS[col.pii](value)
            values.append(cell(value))
        out.append(values)
    content = _write([c.header for c in columns], out, fmt=fmt, sheet=sheet or name)
    audit.record(actor, f"{domain}.export", object_type=object_type or name, region_path=region_path or "",
                 changes={"export": name, "filters": _clean_filters(filters), "rows": len(out),
                          "unmasked": unmasked_rows > 0, "unmasked_rows": unmasked_rows, "format": fmt})
    content_type, ext = FORMATS[fmt]
    return ExportFile(content=content, filename=f"{name}.{ext}", content_type=content_type, rows=len(out),
                      unmasked=unmasked_rows > 0)


def export_allowed(*, actor, domain: str, region_path: str | None = None) -> None:
    """403 unless the actor may export `domain` (at `region_path`): for exports that compute their rows before `export`."""
    access.require(actor, f"{domain}.export", region_path)
    require_second_factor(actor)


def http_response(file: ExportFile) -> HttpResponse:
    """The file as a download."""
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{quote(file.filename)}\"; filename*=UTF-8''{quote(file.filename)}"
    return response


def web_download(request, make: Callable[[], ExportFile]) -> HttpResponse:
    """The export as a download; a refused export (too many rows, bad format) goes back to the page with the message.
    Without a verified second factor SecondFactorRequired goes up: the accounts middleware sends the user to verify."""
    require_second_factor(request.user)
    try:
        return http_response(make())
    except SecondFactorRequired:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        query = request.GET.copy()
        for key in ("export", "unmask", "format"):
            query.pop(key, None)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def wants(request) -> str:
    """The export format a web request asks for ("xlsx" by default, "csv"), or "" when it asks for none."""
    asked = request.GET.get("export") or ""
    if not asked:
        return ""
    return request.GET.get("format") or (asked if asked in FORMATS else "xlsx")
