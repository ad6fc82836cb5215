"""The zones register's filters: one definition for the page, its export and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet
from cordon.zones.enums import ZoneStatus


class ZoneFilter(FilterSet):
    status = ChoiceFilter(choices=ZoneStatus.choices, label=_("Status"))
    kind = CharFilter(field_name="kind", label=_("Kind"), max_length=20)
    district = CharFilter(field_name="district_path", label=_("District"))
    q = CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
