"""The livelihood lists' filters: one definition per list for the pages, their exports and the API (core.filters)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from cordon.core import clock
from cordon.core.filters import BooleanFilter, ChoiceFilter, FilterSet, NumberFilter, RegionFilter
from cordon.livelihood import enums
from cordon.livelihood.models import SupplyPoint

OPEN_NEED = (enums.NeedStatus.OPEN, enums.NeedStatus.ASSIGNED)
OPEN_EMERGENCY = (enums.EmergencyStatus.OPEN, enums.EmergencyStatus.ACKNOWLEDGED)


def _status(qs, value, *, group: str, statuses):
    """A status, or a named group of statuses (`pending` needs, `active` emergencies and tickets)."""
    return qs.filter(status__in=statuses) if value == group else qs.filter(status=value)


class NeedFilter(FilterSet):
    status = ChoiceFilter(choices=[("pending", _("Pending")), *enums.NeedStatus.choices], label=_("Status"),
                          method=lambda qs, name, value: _status(qs, value, group="pending", statuses=OPEN_NEED))
    kind = ChoiceFilter(choices=enums.NeedKind.choices, label=_("Kind"))
    team = NumberFilter(field_name="team_id", label=_("Team"))
    region = RegionFilter()
    overdue = BooleanFilter(label=_("Overdue"), widget=BooleanWidget, method=lambda qs, name, value: qs.filter(
        status__in=OPEN_NEED, deadline__lt=clock.now()) if value else qs)


class EmergencyFilter(FilterSet):
    status = ChoiceFilter(choices=[("active", _("Active")), *enums.EmergencyStatus.choices], label=_("Status"),
                          method=lambda qs, name, value: _status(qs, value, group="active", statuses=OPEN_EMERGENCY))
    kind = ChoiceFilter(choices=enums.EmergencyKind.choices, label=_("Kind"))


class IncidentFilter(FilterSet):
    status = ChoiceFilter(choices=[("active", _("Active")), *enums.IncidentStatus.choices], label=_("Status"),
                          method=lambda qs, name, value: qs.exclude(status=enums.IncidentStatus.RESOLVED) if value == "active" else qs.filter(status=value))
    kind = ChoiceFilter(choices=enums.IncidentKind.choices, label=_("Kind"))


def _short(qs, name, value):
    """Points closed or with a category tight or out."""
    if not value:
        return qs
    q = Q(open=False)
    for f in SupplyPoint.STOCK_FIELDS:
        q |= ~Q(**{f: "ample"})
    return qs.filter(q)


class SupplyPointFilter(FilterSet):
    kind = ChoiceFilter(choices=enums.SupplyPointKind.choices, label=_("Kind"))
    short = BooleanFilter(label=_("Running short"), widget=BooleanWidget, method=_short)


class EnterpriseFilter(FilterSet):
    sector = ChoiceFilter(choices=enums.Sector.choices, label=_("Sector"))
    whitelisted = BooleanFilter(label=_("Whitelisted"), widget=BooleanWidget)
