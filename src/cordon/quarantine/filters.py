"""Quarantine's list filters: one definition per list for the page, its export and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import ChoiceFilter, DateFilter, FilterSet, NumberFilter, RegionFilter, SearchFilter
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


class SiteFilter(FilterSet):
    status = ChoiceFilter(choices=SiteStatus.choices, label=_("Status"))
    region = RegionFilter()
    q = SearchFilter(lookup="icontains", fields=("name", "address"))


class RequestFilter(FilterSet):
    """The queue: open requests (queued or proposed) unless a status is given (applied by the selector)."""

    status = ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    region = RegionFilter()
    category = ChoiceFilter(choices=list(CATEGORY_LABELS.items()), label=_("Category"))


class ProposalFilter(FilterSet):
    status = ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))


class StayFilter(FilterSet):
    """Stays: active ones unless a status is given (applied by the selector)."""

    kind = ChoiceFilter(choices=StayKind.choices, label=_("Kind"))
    status = ChoiceFilter(choices=StayStatus.choices, label=_("Status"))
    site = NumberFilter(field_name="site_id", label=_("Site"), min_value=1, max_value=2**63 - 1)
    region = RegionFilter()


class TestDueFilter(FilterSet):
    """Tests due on or before a day (today unless `on` is given, applied by the selector) at one site."""

    on = DateFilter(field_name="due", lookup_expr="lte", label=_("Due by"))
    site = NumberFilter(field_name="stay__site_id", label=_("Site"), min_value=1, max_value=2**63 - 1)


class TransferFilter(FilterSet):
    """Transfers: open ones unless a status is given (applied by the selector)."""

    status = ChoiceFilter(choices=TransferStatus.choices, label=_("Status"))
    direction = ChoiceFilter(choices=TransferDirection.choices, label=_("Direction"))
    q = SearchFilter(fields=("stay__person__name", "pickup_address", "destination", "vehicle", "escort"),
                     label=_("Name, address, vehicle or escort"))
    person = NumberFilter(field_name="stay__person_id", label=_("Resident"), min_value=1, max_value=2**63 - 1)
    site = NumberFilter(field_name="stay__site_id", label=_("Site"), min_value=1, max_value=2**63 - 1)
