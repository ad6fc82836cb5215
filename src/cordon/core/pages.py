"""The one pager of every list page: a capped count, so a million-row list pages without counting it all."""

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property

from cordon.core.errors import ServiceError
from cordon.core.exports import ExportFile, require_second_factor, wants, web_download
from cordon.core.forms import REFUSED


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (a LIMITed count): an unfiltered list of a million residents pages without
    counting them all; beyond the cap the pager says "10000+" and people narrow the list with its filters."""

    cap = 10_000
    capped = False

    @cached_property
    def count(self):
        n = self.object_list.order_by()[: self.cap + 1].count() if hasattr(self.object_list, "order_by") else len(self.object_list)
        self.capped = n > self.cap
        return min(n, self.cap)


def page_of(request, qs, per_page: int = 50):
    paginator = CappedPaginator(qs, per_page)
    return paginator.get_page(request.GET.get("page"))


def listing(request, *, rows: Callable[[Mapping], QuerySet], export: Callable[..., ExportFile] | None = None,
            per_page: int = 50) -> HttpResponse | dict:
    """A list page the one way: its filters are request.GET (the app's FilterSet, applied by `rows(filters)`), it
    exports the same rows (`export(fmt=, filters=)`, audited by core.exports) and it pages them. Returns the download,
    or the context {"page", "filters"} to render; a filter value that does not fit is shown, with an empty list."""
    filters = request.GET
    if export is not None and (fmt := wants(request)):
        return web_download(request, lambda: export(fmt=fmt, filters=filters))
    try:
        qs = rows(filters)
    except ServiceError as exc:
        messages.error(request, exc.message)
        qs = rows({}).none()
    return {"page": page_of(request, qs, per_page), "filters": filters}


def list_page(request, template: str, *, rows: Callable[[Mapping], QuerySet], export: Callable[..., ExportFile] | None = None,
              context: Callable[[dict], Mapping] | Mapping | None = None, partial: str | None = None,
              per_page: int = 50) -> HttpResponse:
    """A whole list page: `listing` (filters, export, pager) rendered with `template`, or with `partial` (the rows
    only) for an htmx request. `context` adds to {"page", "filters"}: a dict, or a function of them (for what is
    computed from the page's rows)."""
    listed = listing(request, rows=rows, export=export, per_page=per_page)
    if isinstance(listed, HttpResponse):
        return listed
    extra = context(listed) if callable(context) else (context or {})
    name = partial if partial and request.headers.get("HX-Request") else template
    return render(request, name, {**listed, **extra})


Action = Callable[[Any], Any]


def record_post(request, get: Callable[[str], Any], actions: Mapping[str, Action] | Action, *,
                back: str | Callable[[Any], str], default: str | None = None, render_refused: bool = False,
                rights: Mapping[str, str] | None = None) -> HttpResponse | None:
    """A record page's POST the one way. The record is fetched for changing (`get("change")`: 404 outside the actor's
    area, 403 without the right), or with the right `rights` names for the action (an action whose service checks a
    further right itself, such as approve, or acts on a sub-record under that record's own right, fetches it for
    viewing); the action the form names (POST `action`, else `default`) runs on it (`actions[name](record)`, a
    ServiceForm.submit or forms.perform call; a page with one action passes it alone); then the page is shown again by
    a redirect to `back` (a URL name taking the record's pk, or a function of the record giving the URL). An action
    may answer with its own response (a redirect elsewhere). With `render_refused`, a refused action (REFUSED) returns
    None: the view renders the page with its bound forms and their errors. An action name the page does not know
    does nothing."""
    name = "" if callable(actions) else request.POST.get("action", "")
    if not callable(actions) and name not in actions:
        name = default or ""
    record = get((rights or {}).get(name, "change"))
    action = actions if callable(actions) else actions.get(name)
    done = action(record) if action is not None else None
    if isinstance(done, HttpResponse):
        return done
    if render_refused and done is REFUSED:
        return None
    return redirect(back(record)) if callable(back) else redirect(back, pk=record.pk)


def asks_unmask(request) -> bool:
    """The one way a page asks for personal data unmasked (`?unmask=1`). Asking grants nothing: the selector or
    exporter checks people.unmask and audits the unmasked read. Asking needs a verified second factor in this session
    (CORDON_REQUIRE_2FA): without one SecondFactorRequired goes up and the accounts middleware sends the user to verify
    (or enrol) and back here."""
    asked = request.GET.get("unmask") == "1"
    if asked:
        require_second_factor(request.user)
    return asked
