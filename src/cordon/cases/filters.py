"""The case list's filters: one definition for the page, its export and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.cases.enums import CaseKind, CaseStatus, FoundBy
from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet, RegionFilter
from cordon.people import selectors as people_selectors


class CaseFilter(FilterSet):
    status = ChoiceFilter(choices=CaseStatus.choices, label=_("Status"))
    kind = ChoiceFilter(choices=CaseKind.choices, label=_("Kind"))
    found_by = ChoiceFilter(choices=FoundBy.choices, label=_("Found by"))
    region = RegionFilter()
    q = CharFilter(method="search", label=_("Case id, name or ID number"))

    def search(self, qs, name, value):
        """A short number is a case id; a full ID number or phone an exact look-up (only where the actor may unmask,
        audited); anything else matches the start of the name."""
        value = value.strip()
        exact = people_selectors.exact_term(value)
        if value.isdigit() and len(value) < 10:
            return qs.filter(pk=int(value))
        if exact:
            return people_selectors.search_exact(qs, actor=self.actor, term=exact, person="person")
        return qs.filter(person__name__startswith=value)
