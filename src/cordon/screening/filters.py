"""The mass-testing lists' filters: one definition each for the page, its export and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet, NumberFilter
from cordon.screening.enums import Result, RetestStatus, RoundStatus, TubeStatus


class RoundFilter(FilterSet):
    status = ChoiceFilter(choices=RoundStatus.choices, label=_("Status"))


class TubeCodeFilter(CharFilter):
    """Tubes whose barcode starts with the value (barcodes are upper case)."""

    def filter(self, qs, value):
        value = (value or "").strip().upper()
        return qs.filter(code__startswith=value) if value else qs


class TubeFilter(FilterSet):
    round = NumberFilter(field_name="round_id", label=_("Round"), min_value=1)
    status = ChoiceFilter(choices=TubeStatus.choices, label=_("Status"))
    result = ChoiceFilter(choices=Result.choices, label=_("Result"))
    code = TubeCodeFilter(label=_("Tube"))


class RetestFilter(FilterSet):
    round = NumberFilter(field_name="round_id", label=_("Round"), min_value=1)
    status = ChoiceFilter(choices=RetestStatus.choices, label=_("Status"))
