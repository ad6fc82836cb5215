"""The one pager of every list page: a capped count, so a million-row list pages without counting it all."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


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
