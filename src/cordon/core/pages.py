"""The one pager of every list page: a capped count, so a million-row list pages without counting it all."""

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.functional import cached_property

from cordon.core.errors import ServiceError
from cordon.core.exports import ExportFile, wants, web_download


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
