"""Surveillance's list filters: one definition for the page and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, DateFilter, FilterSet
from cordon.surveillance.models import SignalStatus, StreamKind


class ObservationFilter(FilterSet):
    stream = ChoiceFilter(choices=StreamKind.choices, label=_("Stream"))
    region = CharFilter(field_name="region_path", label=_("Area"), max_length=255)
    since = DateFilter(field_name="date", lookup_expr="gte", label=_("Since"))


class SignalFilter(FilterSet):
    status = ChoiceFilter(choices=SignalStatus.choices, label=_("Status"))
    stream = ChoiceFilter(choices=StreamKind.choices, label=_("Stream"))
    region = CharFilter(field_name="region_path", label=_("Area"), max_length=255)
    since = DateFilter(field_name="date", lookup_expr="gte", label=_("Since"))
