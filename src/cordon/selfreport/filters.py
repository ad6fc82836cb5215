"""Filters of the enrolment list (the page, its export and the API alike, through core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import ChoiceFilter, FilterSet, RegionFilter
from cordon.selfreport.enums import DayState, MeasureKind


class EnrolmentFilter(FilterSet):
    state = ChoiceFilter(choices=DayState.choices, label=_("Today"), method="by_state")
    kind = ChoiceFilter(choices=MeasureKind.choices, label=_("Measure"))
    region = RegionFilter(label=_("Region"))

    def by_state(self, qs, name, value):
        """reported / fever (or symptoms) / missing, on the day the list is for (the selector annotates it)."""
        if value == DayState.REPORTED:
            return qs.filter(reported=True)
        if value == DayState.FEVER:
            return qs.filter(alarm=True)
        return qs.filter(reported=False)
