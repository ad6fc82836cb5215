"""The command lists' filters: one definition each for the page, its export and the API (core.filters).

The names are the pages' query parameters (`owner`, `region`, `type`, `match_status` ...); the API keeps its own
declared parameters and hands them over under these names."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.command.enums import (
    LedgerStatus,
    MatchStatus,
    ObjectType,
    PostSide,
    PostStatus,
    Resource,
    Severity,
)
from cordon.command.models import Priority, TaskStatus
from cordon.core import clock
from cordon.core.apikit import MAX_ID
from cordon.core.filters import BooleanFilter, CharFilter, ChoiceFilter, FilterSet, NumberFilter, RegionFilter

OPEN = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS]


def flag(**kwargs) -> BooleanFilter:
    """A yes/no filter as pages send it (a checkbox's "1") and as the API does (true/false)."""
    return BooleanFilter(widget=forms.TextInput, **kwargs)


def user_id(field_name: str = "owner_id", **kwargs) -> NumberFilter:
    return NumberFilter(field_name=field_name, min_value=1, max_value=MAX_ID, decimal_places=0, **kwargs)


class TaskFilter(FilterSet):
    q = CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"), max_length=200)
    status = ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    kind = CharFilter(label=_("Kind"), max_length=60)
    owner = user_id(label=_("Owner"))
    region = RegionFilter(label=_("Region"), max_length=100)
    priority = ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    overdue = flag(method="_overdue", label=_("Overdue only"))
    escalated = flag(method="_escalated", label=_("Escalated"))

    def _overdue(self, qs, name, value):
        return qs.filter(status__in=OPEN, deadline__lt=clock.now()) if value else qs

    def _escalated(self, qs, name, value):
        return qs.filter(escalation_level__gt=0) if value else qs


class ResponsibilityFilter(FilterSet):
    type = ChoiceFilter(field_name="object_type", choices=ObjectType.choices, label=_("Object"))
    q = CharFilter(field_name="label", lookup_expr="icontains", label=_("Name"), max_length=200)
    user = user_id(method="_user", label=_("Responsible or deputy"))

    def _user(self, qs, name, value):
        return qs.filter(Q(responsible_id=value) | Q(deputy_id=value)) if value else qs


class LedgerFilter(FilterSet):
    status = ChoiceFilter(choices=LedgerStatus.choices, label=_("Status"))
    severity = ChoiceFilter(choices=Severity.choices, label=pgettext_lazy("finding severity", "Severity"))
    public = flag(field_name="public_tracking", label=_("Public tracking"))
    overdue = flag(method="_overdue", label=_("Overdue only"))
    owner = user_id(label=_("Owner"))
    region = RegionFilter(label=_("Region"), max_length=100)

    def _overdue(self, qs, name, value):
        return qs.filter(status=LedgerStatus.OPEN, deadline__lt=clock.now()) if value else qs


class InspectionFilter(FilterSet):
    region = RegionFilter(label=_("Region"), max_length=100)


class DispatchPostFilter(FilterSet):
    side = ChoiceFilter(choices=PostSide.choices, label=_("Side"))
    resource = ChoiceFilter(choices=Resource.choices, label=_("Resource"))
    status = ChoiceFilter(choices=PostStatus.choices, label=_("Status"))


class DispatchMatchFilter(FilterSet):
    match_status = ChoiceFilter(field_name="status", choices=MatchStatus.choices, label=_("Loan status"))
