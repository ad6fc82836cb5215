"""The residents register's filters and the move-in requests' (core.filters): page, export and API alike."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet, NumberFilter, RegionFilter
from cordon.people.models import VULNERABLE_FLAGS, MoveStatus
from cordon.people.search import exact_term, search_exact


class PersonFilter(FilterSet):
    grid = RegionFilter(label=_("Grid"))
    vulnerable = ChoiceFilter(choices=[(f, f) for f in VULNERABLE_FLAGS], method="flagged", label=_("Vulnerable"))
    household = NumberFilter(field_name="household_id", label=_("Household"))
    q = CharFilter(method="search", label=_("Name, ID number or phone"))

    def flagged(self, qs, name, value):
        return qs.filter(**{value: True})

    def search(self, qs, name, value):
        """A full ID number or mobile number is an exact look-up (unmasked, so only where the actor may unmask, and
        audited); anything else matches the start of the name."""
        exact = exact_term(value)
        return search_exact(qs, actor=self.actor, term=exact) if exact else qs.filter(name__startswith=value.strip())


class MoveFilter(FilterSet):
    status = ChoiceFilter(choices=MoveStatus.choices, label=_("Status"))
