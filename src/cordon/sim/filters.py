"""The stored runs list's filter (core.filters): the page and its export alike."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import ChoiceFilter, FilterSet
from cordon.sim.models import SimRun


class RunFilter(FilterSet):
    kind = ChoiceFilter(choices=SimRun.KIND_CHOICES, label=_("Kind"))
