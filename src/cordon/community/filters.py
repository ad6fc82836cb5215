"""The community lists' filters: one definition each for the page, its export and the API (core.filters)."""

from django.forms import TextInput
from django.utils.translation import gettext_lazy as _

from cordon.core.filters import BooleanFilter, CharFilter, ChoiceFilter, DateFilter, FilterSet, RegionFilter

RISKS = [("high", _("high")), ("medium", _("medium")), ("low", _("low"))]


class DoorCheckFilter(FilterSet):
    day = DateFilter(field_name="day", label=_("Day"))
    grid = RegionFilter(label=_("Grid"))
    symptoms = BooleanFilter(field_name="symptoms", label=_("With symptoms"), widget=TextInput)  # 1/0, true/false


class CompoundFilter(FilterSet):
    """Passes, entries and exits, overrides: of one compound."""

    compound = CharFilter(field_name="compound", label=_("Compound"), max_length=100)


class ReturneeFilter(FilterSet):
    risk = ChoiceFilter(field_name="from_risk", choices=RISKS, label=_("Risk of origin"))
