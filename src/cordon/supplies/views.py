"""Supplies screens: days-of-supply forecast with low-stock warnings, the ledger, transfers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.forms import perform
from cordon.core.pages import list_page
from cordon.supplies import charts, exports, forms, selectors, services
from cordon.supplies.models import MovementKind, TransferStatus


@login_required
def index(request):
    access.require(request.user, "supplies.view")
    if request.method == "POST":
        form = request.POST.get("form")
        if form == "warehouse":
            forms.WarehouseForm(request.POST).submit(request, lambda **data: services.warehouse_create(actor=request.user, **data),
                                                     success=_("Warehouse opened."))
        elif form == "demand":
            forms.DemandForm(request.POST).submit(request, lambda **data: services.demand_add(actor=request.user, **data),
                                                  success=_("Round demand planned."))
        elif form == "check":
            perform(request, lambda: services.low_stock_check(
                actor=request.user, warehouse_ids=[w.pk for w in selectors.warehouse_list(actor=request.user)]),
                success=lambda r: _("%(low)d low-stock warnings filed, %(closed)d closed.") % r)
        return redirect("supplies:index")
    # the forecast is computed rows, not a table: its one filter `low=1` keeps the lines running short
    return list_page(request, "supplies/index.html", rows=lambda f: selectors.forecast(actor=request.user, low_only=f.get("low") == "1"),
                     export=lambda fmt, filters: exports.forecast_export(actor=request.user, fmt=fmt, low_only=filters.get("low") == "1"),
                     context=lambda listed: {
        "rows": listed["page"].object_list, "summary": selectors.summary(actor=request.user),
        "warehouses": selectors.warehouse_list(actor=request.user)[:200], "chart": charts.days_of_supply(listed["page"].paginator.object_list),
        "can_change": access.can(request.user, "supplies.change"),
    })


@login_required
def ledger(request):
    access.require(request.user, "supplies.view")
    if request.method == "POST":
        forms.MoveForm(request.POST).submit(request, lambda **data: services.stock_move(actor=request.user, **data),
                                            success=_("Ledger row posted."))
        return redirect("supplies:ledger")
    return list_page(request, "supplies/ledger.html", rows=lambda f: selectors.movement_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.ledger_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "kinds": [(k, v) for k, v in MovementKind.choices if not k.startswith("transfer")],
        "all_kinds": MovementKind.choices, "warehouses": selectors.warehouse_list(actor=request.user)[:200], "items": selectors.item_list(),
        "can_change": access.can(request.user, "supplies.change"),
    })


def _transfer(request, pk: int):
    return selectors.transfer_get(actor=request.user, pk=pk)


@login_required
def transfers(request):
    access.require(request.user, "supplies.view")
    if request.method == "POST":
        form, who = request.POST.get("form"), request.user
        if form == "request":
            forms.TransferRequestForm(request.POST).submit(request, lambda **data: services.transfer_request(actor=who, **data),
                                                           success=_("Transfer requested."))
        elif form == "direct":
            forms.DirectTransferForm(request.POST).submit(request, lambda from_warehouse_id, to_warehouse_id, **data: services.stock_transfer(
                actor=who, from_id=from_warehouse_id, to_id=to_warehouse_id, **data), success=_("Stock moved."))
        elif form == "approve":
            forms.ApproveForm(request.POST).submit(request, lambda pk, **data: services.transfer_approve(
                actor=who, transfer=_transfer(request, pk), **data), success=_("Approved and shipped."))
        elif form == "reject":
            forms.RejectForm(request.POST).submit(request, lambda pk, note: services.transfer_reject(
                actor=who, transfer=_transfer(request, pk), note=note), success=_("Rejected."))
        elif form == "receive":
            forms.TransferForm(request.POST).submit(request, lambda pk: services.transfer_receive(
                actor=who, transfer=_transfer(request, pk)), success=_("Received."))
        return redirect("supplies:transfers")
    return list_page(request, "supplies/transfers.html", rows=lambda f: selectors.transfer_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.transfers_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "statuses": TransferStatus.choices,
        "warehouses": selectors.warehouse_list(actor=request.user)[:200], "items": selectors.item_list(),
        "can_change": access.can(request.user, "supplies.change"), "can_approve": access.can(request.user, "supplies.approve"),
    })
