"""The venue lists' filters: one definition each for the page, its export and the API (core.filters)."""

from django.db import connection
from django.forms import TextInput
from django.utils.translation import gettext_lazy as _

from cordon.core.filters import BooleanFilter, ChoiceFilter, FilterSet, RegionFilter, SearchFilter
from cordon.venues.models import ClosureStatus, VenueKind

NOTICE_STATES = [("open_found", _("Found open")), ("unchecked", _("Not inspected yet")), ("reopened", _("Reopened early"))]


class VenueFilter(FilterSet):
    kind = ChoiceFilter(choices=VenueKind.choices, label=_("Kind"))
    q = SearchFilter(fields=("name",))
    region = RegionFilter()
    is_open = BooleanFilter(field_name="open_now", label=_("Open now"), widget=TextInput)  # the page sends 1/0


class ClosureFilter(FilterSet):
    status = ChoiceFilter(choices=ClosureStatus.choices, label=_("Status"))
    kind = ChoiceFilter(choices=VenueKind.choices, label=_("Kind"), method="of_kind")

    def of_kind(self, qs, name, value):
        """Orders whose kinds include this one (a JSON list: contained on PostgreSQL, matched as text elsewhere)."""
        return qs.filter(kinds__contains=[value]) if connection.vendor == "postgresql" else qs.filter(kinds__icontains=f'"{value}"')


class NoticeFilter(FilterSet):
    q = SearchFilter(fields=("venue__name",), label=_("Venue name"))
    state = ChoiceFilter(choices=NOTICE_STATES, label=_("State"), method="in_state")

    def in_state(self, qs, name, value):
        return {"open_found": lambda: qs.filter(last_found_open=True),
                "unchecked": lambda: qs.filter(last_checked__isnull=True, reopened_at__isnull=True),
                "reopened": lambda: qs.filter(reopened_at__isnull=False)}[value]()
