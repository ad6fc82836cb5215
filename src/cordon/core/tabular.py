"""Reading and writing tables (CSV and Excel) for imports and exports."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cordon.core.errors import ServiceError


def read_rows(data: bytes, filename: str, aliases: dict[str, str]) -> Iterator[tuple[int, dict]]:
    """Yield (row number as a spreadsheet shows it, {canonical column: text}) from CSV or XLSX bytes.

    `aliases` maps accepted header spellings (any case) to canonical column names. More than
    CORDON_IMPORT_MAX_ROWS data rows is an error ("too_many_rows") raised before any row is yielded.
    """
    lower = {k.strip().lower(): v for k, v in aliases.items()}
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ServiceError.field("file", _("not a readable Excel file (%(__name__)s)") % {"__name__": exc.__class__.__name__})
        rows = wb.active.iter_rows(values_only=True)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise ServiceError.field("file", _("not UTF-8 or GB18030 text"))
        rows = csv.reader(io.StringIO(text))
    header = next(iter(rows), None)
    if header is None:
        raise ServiceError.field("file", _("the file is empty"))
    columns = []
    for col in header:
        key = str(col or "").strip().lower()
        columns.append(lower.get(key))
    # The whole file is read (up to the cap) before the first row is handed out: a file over the cap fails
    # before its importer has written anything.
    cap = settings.CORDON_IMPORT_MAX_ROWS
    out = []
    for number, row in enumerate(rows, start=2):
        values = ["" if v is None else str(v).strip() for v in row]
        if not any(values):
            continue
        if len(out) >= cap:
            raise ServiceError.field("file", _("has more than %(cap)s data rows, the limit of one import (CORDON_IMPORT_MAX_ROWS); split it into smaller files") % {"cap": f'{cap:,}'}, code="too_many_rows")
        out.append((number, {c: v for c, v in zip(columns, values, strict=False) if c}))
    yield from out


def missing_columns(header_found: Iterable[str], required: Iterable[str]) -> list[str]:
    found = set(header_found)
    return [c for c in required if c not in found]


def xlsx_bytes(headers: list[str], rows: Iterable[Iterable], sheet: str = "data") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- empty import templates ------------------------------------------------------------------------------------
# An import's template is a list of (header, example value): the headers as the importer's aliases accept them
# (Chinese first), the example a row that the importer reads. Every import page links to its template.

Template = Sequence[tuple[str, object]]


def template_xlsx(columns: Template, *, sheet: str = "导入模板") -> bytes:
    """An empty import template: the header row (bold, columns as text so long codes and ID numbers keep every
    digit) and one example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([header for header, _example in columns])
    ws.append([example for _header, example in columns])
    for i, (header, example) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, 2 * len(str(header)) + 4, len(str(example)) + 4)
        if isinstance(example, str):
            ws.column_dimensions[letter].number_format = "@"
        ws.cell(row=1, column=i).font = Font(bold=True)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_unaccepted(columns: Template, aliases: dict[str, str]) -> list[str]:
    """The template's headers that the importer's aliases do not accept (a test keeps this empty)."""
    accepted = {k.strip().lower() for k in aliases}
    return [header for header, _example in columns if header.strip().lower() not in accepted]


def template_view(name: str, columns: Template):
    """A view answering the template as `<name>-template.xlsx` (signed-in users; a template holds no data)."""

    @login_required
    def download(request):
        response = HttpResponse(template_xlsx(columns), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}-template.xlsx"'
        return response

    download.__name__ = download.__qualname__ = f"{name.replace('-', '_')}_template"
    download.__doc__ = f"The empty import template for {name} (.xlsx with the accepted headers and an example row)."
    return download
