"""The gatherings register's filters: one definition for the page, its export and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import ChoiceFilter, FilterSet, SearchFilter
from cordon.gatherings.enums import GatheringStatus


class GatheringFilter(FilterSet):
    status = ChoiceFilter(choices=GatheringStatus.choices, label=_("Status"))
    q = SearchFilter(fields=("title", "organizer", "address"))
