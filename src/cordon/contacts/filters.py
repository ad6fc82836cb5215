"""The risk person lists' filters (per case, venue of exposure, region, category, status, search): one definition
for the page, its export and the API (core.filters)."""

from django.db import connection
from django.utils.translation import gettext_lazy as _

from cordon.contacts.enums import Category, RiskStatus
from cordon.core.apikit import MAX_ID
from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet, NumberFilter, RegionFilter
from cordon.people import selectors as people_selectors
from cordon.venues import selectors as venue_selectors


class RiskFilter(FilterSet):
    # `case` comes from links (a case's page lists its contacts); a person choosing on the page searches the infected
    # person by name (`case_person`, the shared search) and the venue by name: no one types an internal id.
    case = NumberFilter(field_name="source_case_id", min_value=1, max_value=MAX_ID, decimal_places=0, label=_("Case"))
    case_person = NumberFilter(field_name="source_case__person_id", min_value=1, max_value=MAX_ID, decimal_places=0,
                               label=_("Infected person"))
    venue = NumberFilter(method="at_venue", min_value=1, max_value=MAX_ID, decimal_places=0, label=_("Venue"))
    venue_code = CharFilter(method="at_venue_code", max_length=40, label=_("Venue"))
    region = RegionFilter()
    category = ChoiceFilter(choices=Category.choices, label=_("Category"))
    status = ChoiceFilter(choices=RiskStatus.choices, label=_("Status"))
    q = CharFilter(method="search", label=_("Name or ID number"))

    def at_venue(self, qs, name, value):
        """Exposed at this venue (the evidence names it)."""
        venue_id = int(value)
        if connection.vendor == "postgresql":
            return qs.filter(evidence__contains=[{"venue_id": venue_id}])
        return qs.filter(pk__in=[pk for pk, ev in qs.values_list("pk", "evidence") if any(e.get("venue_id") == venue_id for e in ev or [])])

    def at_venue_code(self, qs, name, value):
        """Exposed at the venue of this code (what the venue search sends), among the venues the actor may see."""
        venue_id = venue_selectors.venue_list(actor=self.actor).filter(code=value.strip()).values_list("pk", flat=True).first()
        return self.at_venue(qs, name, venue_id) if venue_id else qs.none()

    def search(self, qs, name, value):
        """A full ID number or phone is an exact look-up (only where the actor may unmask, audited); anything else
        matches the start of the name."""
        exact = people_selectors.exact_term(value.strip())
        return (people_selectors.search_exact(qs, actor=self.actor, term=exact, person="person") if exact
                else qs.filter(person__name__startswith=value.strip()))
