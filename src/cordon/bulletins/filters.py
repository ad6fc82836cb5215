"""The bulletins list's filters: one definition for the page and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.bulletins.models import BulletinStatus
from cordon.core.filters import ChoiceFilter, FilterSet


class BulletinFilter(FilterSet):
    status = ChoiceFilter(choices=BulletinStatus.choices, label=_("Status"))
