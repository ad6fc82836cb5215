"""The health status list's filters: one definition for the page (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet, RegionFilter

NOT_GREEN = [("red", _("Red")), ("yellow", _("Yellow"))]


class ReasonFilter(CharFilter):
    """People with an active reason of this name (close_contact, ...)."""

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(person__status_reasons__reason=value, person__status_reasons__active=True).distinct()


class StatusFilter(FilterSet):
    colour = ChoiceFilter(choices=NOT_GREEN, label=_("Colour"))
    region = RegionFilter()
    reason = ReasonFilter(label=_("Reason"), max_length=60)
