"""Quarantine's list filters: one definition per list for the page, its export and the API (core.filters)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, DateFilter, FilterSet, NumberFilter
from cordon.quarantine.enums import (
    CATEGORY_LABELS,
    ProposalStatus,
    RequestStatus,
    SiteStatus,
    StayKind,
    StayStatus,
    TransferDirection,
    TransferStatus,
)


class UnderFilter(CharFilter):
    """Rows in a region or below it: the path itself or a path under it (never a sibling sharing its prefix)."""

    def __init__(self, *, field_name: str = "region_path", **kwargs):
        kwargs.setdefault("label", _("Area"))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(**{self.field_name: value}) | Q(**{f"{self.field_name}__startswith": value + "."}))


class TextFilter(CharFilter):
    """Free text matched, ignoring case, against several fields."""

    def __init__(self, *, fields: tuple[str, ...], **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        match = Q()
        for field in self.search_fields:
            match |= Q(**{f"{field}__icontains": value})
        return qs.filter(match)


class SiteFilter(FilterSet):
    status = ChoiceFilter(choices=SiteStatus.choices, label=_("Status"))
    region = UnderFilter()
    q = TextFilter(fields=("name", "address"))


class RequestFilter(FilterSet):
    """The queue: open requests (queued or proposed) unless a status is given (applied by the selector)."""

    status = ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    region = UnderFilter()
    category = ChoiceFilter(choices=list(CATEGORY_LABELS.items()), label=_("Category"))


class ProposalFilter(FilterSet):
    status = ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))


class StayFilter(FilterSet):
    """Stays: active ones unless a status is given (applied by the selector)."""

    kind = ChoiceFilter(choices=StayKind.choices, label=_("Kind"))
    status = ChoiceFilter(choices=StayStatus.choices, label=_("Status"))
    site = NumberFilter(field_name="site_id", label=_("Site"), min_value=1, max_value=2**63 - 1)
    region = UnderFilter()


class TestDueFilter(FilterSet):
    """Tests due on or before a day (today unless `on` is given, applied by the selector) at one site."""

    on = DateFilter(field_name="due", lookup_expr="lte", label=_("Due by"))
    site = NumberFilter(field_name="stay__site_id", label=_("Site"), min_value=1, max_value=2**63 - 1)


class TransferFilter(FilterSet):
    """Transfers: open ones unless a status is given (applied by the selector)."""

    status = ChoiceFilter(choices=TransferStatus.choices, label=_("Status"))
    direction = ChoiceFilter(choices=TransferDirection.choices, label=_("Direction"))
