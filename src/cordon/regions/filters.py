"""The region list's filters (core.filters): the page and the API alike."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet
from cordon.regions.models import Level


class RegionListFilter(FilterSet):
    level = ChoiceFilter(choices=Level.choices, label=_("Level"))
    parent = CharFilter(field_name="parent__path", label=_("Inside (path of the parent)"))
