"""Page-number pagination with a bounded page size; count is exact."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

# A page beyond this is no list anyone reads (500 x 1,000,000 rows), and the offset stays far inside 64 bits.
MAX_PAGE = 1_000_000


class Pagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(50, ge=1, le=500)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        start = (pagination.page - 1) * pagination.page_size
        items = list(queryset[start:start + pagination.page_size])
        return {"items": items, "count": queryset.count(), "page": pagination.page, "page_size": pagination.page_size}


class MappedRows:
    """A queryset the paginator slices and counts, each row of a page shaped by `fn` (a plain list has no
    count(), and mapping the whole queryset first would load every row): `return MappedRows(qs, card)`."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def __getitem__(self, s):
        return [self.fn(o) for o in self.qs[s]]

    def count(self):
        return self.qs.count()
