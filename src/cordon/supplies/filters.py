"""The supplies lists' filters: one definition for the pages, their exports and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import ChoiceFilter, FilterSet, NumberFilter
from cordon.supplies.models import MovementKind, TransferStatus


class MovementFilter(FilterSet):
    warehouse = NumberFilter(field_name="warehouse_id", label=_("Warehouse"))
    item = NumberFilter(field_name="item_id", label=_("Item"))
    kind = ChoiceFilter(choices=MovementKind.choices, label=_("Kind"))


class TransferFilter(FilterSet):
    status = ChoiceFilter(choices=TransferStatus.choices, label=_("Status"))
