"""The request lists' filters: one definition for the pages and the API (core.filters)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cordon.assist.enums import OPEN, Direction, RequestStatus
from cordon.core import clock
from cordon.core.filters import BooleanFilter, ChoiceFilter, FilterSet, SearchFilter


def late_q() -> Q:
    """Overdue: marked so, or open and past the deadline (before the job has run)."""
    return Q(status=RequestStatus.OVERDUE) | Q(status__in=OPEN, deadline__lt=clock.now())


class RequestFilter(FilterSet):
    direction = ChoiceFilter(choices=Direction.choices, label=_("Direction"))
    status = ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    overdue = BooleanFilter(method="filter_overdue", label=_("Overdue"), widget=forms.TextInput)  # 1/0, true/false
    q = SearchFilter(fields=("our_ref", "their_ref", "case_ref", "partner__name"))

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(late_q()) if value else qs.exclude(late_q())
