"""The zones register's filters: one definition for the page, its export and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import BooleanFilter, CharFilter, ChoiceFilter, FilterSet, SearchFilter
from cordon.zones.enums import ZoneStatus


class ZoneFilter(FilterSet):
    status = ChoiceFilter(choices=ZoneStatus.choices, label=_("Status"))
    kind = CharFilter(field_name="kind", label=_("Kind"), max_length=20)
    district = CharFilter(field_name="district_path", label=_("District"))
    q = CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))


class ExternalAreaFilter(FilterSet):
    level = ChoiceFilter(choices=[("high", _("High risk")), ("middle", _("Medium risk")), ("low", _("Low risk"))], label=_("Level"))
    current = BooleanFilter(field_name="listed_until", lookup_expr="isnull", label=_("Listed now"))
    q = SearchFilter(fields=("province", "city", "county", "community"), label=_("Search"))
