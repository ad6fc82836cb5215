"""Supplies inputs from pages: warehouses, round demand, ledger rows and transfers (decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.forms import ServiceForm
from cordon.regions.fields import RegionSearchField
from cordon.supplies.models import MovementKind

MAX_QUANTITY = 1_000_000_000


def _warehouse(label=None):
    return forms.IntegerField(label=label or _("Warehouse"), min_value=1)


class WarehouseForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    region_id = RegionSearchField(label=_("Area"))
    site = forms.CharField(label=pgettext_lazy("supply point", "Site"), max_length=100, required=False)


class DemandForm(ServiceForm):
    warehouse_id = _warehouse()
    day = forms.DateField(label=_("Day"))
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=100_000_000)
    pool_size = forms.IntegerField(label=_("Pool size"), min_value=1, max_value=100)


class MoveForm(ServiceForm):
    warehouse_id = _warehouse()
    item_id = forms.IntegerField(label=_("Item"), min_value=1)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, v) for k, v in MovementKind.choices if not k.startswith("transfer")])
    quantity = forms.IntegerField(label=_("Quantity"), min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TransferRequestForm(ServiceForm):
    to_warehouse_id = _warehouse(_("To warehouse"))
    item_id = forms.IntegerField(label=_("Item"), min_value=1)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DirectTransferForm(TransferRequestForm):
    from_warehouse_id = _warehouse(_("From warehouse"))


class TransferForm(ServiceForm):
    """A transfer named on the page (its hidden `pk`)."""
    pk = forms.IntegerField(min_value=1)


class ApproveForm(TransferForm):
    from_warehouse_id = _warehouse(_("From warehouse"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RejectForm(TransferForm):
    note = forms.CharField(label=_("Note"), max_length=300)
