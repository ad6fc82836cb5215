"""QR codes (segno): inline SVG for pages, PNG bytes for downloads and tests, and the labels a print page lays out
as an A4 label sheet (3 x 7 labels) or as single cards (one per page).

What a code holds is decided by its app (a pass number, a signed credential, a tube barcode, a room or venue code);
this module only draws it. The print page is core/qr_print.html (no script of its own but the print button)."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from cordon.core import access
from cordon.core.errors import ServiceError

LAYOUTS = ("sheet", "cards")
SHEET_LABELS = 21  # 3 columns x 7 rows on A4
MAX_LABELS = 210  # ten sheets per print job


def svg(data: str, *, scale: int = 4, border: int = 2, error: str = "m") -> SafeString:
    """An inline <svg> of data (scalable: width and height come from the CSS), dark modules in black."""
    code = segno.make(data, error=error, micro=False)
    return mark_safe(code.svg_inline(scale=scale, border=border, omitsize=True, svgclass="qr", lineclass=None))  # noqa: S308 - segno's own SVG


def png(data: str, *, scale: int = 8, border: int = 4, error: str = "m") -> bytes:
    """The code as PNG bytes (what a phone camera or a test decoder reads)."""
    out = io.BytesIO()
    segno.make(data, error=error, micro=False).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


@dataclass(frozen=True)
class Label:
    """One printed label: the QR payload, a title, a few short lines and the caption printed under the code."""

    code: str
    title: str
    lines: tuple[str, ...] = field(default_factory=tuple)
    caption: str = ""

    @property
    def svg(self) -> SafeString:
        return svg(self.code)


def layout_of(value: str | None) -> str:
    """The layout asked for (sheet unless cards)."""
    return value if value in LAYOUTS else "sheet"


def sheets(labels: list[Label]) -> list[list[Label]]:
    """Labels cut into A4 sheets of SHEET_LABELS (the last one may be short)."""
    return [labels[i:i + SHEET_LABELS] for i in range(0, len(labels), SHEET_LABELS)]


def print_context(*, title: str, labels: list[Label], layout: str | None, back: str = "", note: str = "") -> dict:
    """The context core/qr_print.html needs."""
    labels = labels[:MAX_LABELS]
    chosen = layout_of(layout)
    return {"title": title, "labels": labels, "layout": chosen, "sheets": sheets(labels) if chosen == "sheet" else [labels],
            "back": back, "note": note, "layouts": LAYOUTS, "count": len(labels)}


class PrintForm(forms.Form):
    """What a print page was asked for: the layout, and which rows (a comma-separated list from the list's checkboxes
    or a row's print link; none = the list as filtered)."""

    layout = forms.ChoiceField(label=_("Layout"), required=False, choices=[("sheet", _("A4 label sheet")), ("cards", _("Single cards"))])
    ids = forms.CharField(label=_("Rows"), required=False, max_length=4000)

    def clean_ids(self) -> list[int]:
        raw = [p.strip() for p in (self.cleaned_data.get("ids") or "").split(",") if p.strip()]
        if any(not p.isdigit() for p in raw) or len(raw) > MAX_LABELS:
            raise forms.ValidationError(_("A list of at most %(n)d row numbers separated by commas.") % {"n": MAX_LABELS})
        return [int(p) for p in raw]


def chosen_or_listed(ids: list[int], *, get: Callable[[int], object], listed: Callable[[], object]) -> list:
    """The rows to print: those asked for by number (each read by the app's scoped `get`, so one outside the area is a
    404), else the first MAX_LABELS rows of the app's filtered list."""
    return [get(i) for i in ids] if ids else list(listed()[:MAX_LABELS])


def print_page(request, *, title: str, labels: Callable[[list[int]], list[Label]], back: str = "", note: str = ""):
    """Render core/qr_print.html for the rows asked for (labels(ids) reads them through the app's scoped selector);
    a bad layout or row list is named (400)."""
    form = PrintForm(request.GET)
    if not form.is_valid():
        return render(request, "core/qr_print.html", {**print_context(title=title, labels=[], layout=None, back=back),
                                                      "note": "; ".join(f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items())},
                      status=400)
    try:
        chosen = labels(form.cleaned_data["ids"])
    except ServiceError as exc:
        return render(request, "core/qr_print.html", {**print_context(title=title, labels=[], layout=None, back=back),
                                                      "note": exc.message}, status=400)
    return render(request, "core/qr_print.html", print_context(
        title=title, labels=chosen, layout=form.cleaned_data["layout"], back=back, note=note))


def print_view(*, perm: str, get: Callable, listed: Callable, label: Callable[[object], Label], title, back: str, note=""):
    """The print page of an app's rows, as a view (login required, `perm` needed): the rows asked for by ?ids= (each
    read by the app's scoped `get(actor=, pk=)`), else its list filtered by the query (`listed(actor, filters)`), each
    drawn by `label(row)`; `back` names the url of the list page. `title` and `note` are lazy translations."""

    @login_required
    def view(request):
        access.require(request.user, perm)

        def labels(ids):
            rows = chosen_or_listed(ids, get=lambda pk: get(actor=request.user, pk=pk), listed=lambda: listed(request.user, request.GET))
            return [label(row) for row in rows]
        return print_page(request, title=title, labels=labels, back=reverse(back), note=note)
    return view
