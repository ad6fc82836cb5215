"""Supplies screens: days-of-supply forecast with low-stock warnings, the ledger, transfers."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.supplies import charts, exports, selectors, services
from cordon.supplies.models import MovementKind, TransferStatus


def _run(request, fn, ok):
    try:
        result = fn()
    except ServiceError as exc:
        messages.error(request, _(exc.message))
        return None
    messages.success(request, ok)
    return result


@login_required
def index(request):
    access.require(request.user, "supplies.view")
    if request.method == "POST":
        form = request.POST.get("form")
        if form == "warehouse":
            _run(request, lambda: services.warehouse_create(actor=request.user, name=request.POST.get("name", ""),
                                                            region_id=request.POST.get("region_id"), site=request.POST.get("site", "")),
                 _("Warehouse opened."))
        elif form == "demand":
            def add():
                try:
                    day = dt.date.fromisoformat(request.POST.get("day", ""))
                except ValueError:
                    raise ServiceError.field("day", "must be a date") from None
                return services.demand_add(actor=request.user, warehouse_id=request.POST.get("warehouse_id"), day=day,
                                           people=request.POST.get("people"), pool_size=request.POST.get("pool_size"))
            _run(request, add, _("Round demand planned."))
        elif form == "check":
            r = services.low_stock_check(actor=request.user, warehouse_ids=[w.pk for w in selectors.warehouse_list(actor=request.user)])
            messages.success(request, _("%(low)d low-stock warnings filed, %(closed)d closed.") % r)
        return redirect("supplies:index")
    low = request.GET.get("low") == "1"
    rows = selectors.forecast(actor=request.user, low_only=low)
    if fmt := wants(request):
        return web_download(request, lambda: exports.forecast_export(actor=request.user, fmt=fmt, low_only=low))
    page = page_of(request, rows)
    return render(request, "supplies/index.html", {
        "page": page, "rows": page.object_list, "summary": selectors.summary(actor=request.user), "filters": request.GET,
        "warehouses": selectors.warehouse_list(actor=request.user)[:200], "chart": charts.days_of_supply(rows),
        "can_change": access.can(request.user, "supplies.change"),
    })


@login_required
def ledger(request):
    access.require(request.user, "supplies.view")
    if request.method == "POST":
        _run(request, lambda: services.stock_move(actor=request.user, warehouse_id=request.POST.get("warehouse_id"),
                                                  item_id=request.POST.get("item_id"), kind=request.POST.get("kind"),
                                                  quantity=request.POST.get("quantity"), reason=request.POST.get("reason", "")),
             _("Ledger row posted."))
        return redirect("supplies:ledger")
    f = {f"{k}_id": int(request.GET[k]) if request.GET.get(k, "").isdigit() else None for k in ("warehouse", "item")}
    f["kind"] = request.GET.get("kind") or None
    if fmt := wants(request):
        return web_download(request, lambda: exports.ledger_export(actor=request.user, fmt=fmt, **f))
    return render(request, "supplies/ledger.html", {
        "page": page_of(request, selectors.movement_list(actor=request.user, **f)), "filters": request.GET, "kinds": [(k, v) for k, v in MovementKind.choices if not k.startswith("transfer")],
        "all_kinds": MovementKind.choices, "warehouses": selectors.warehouse_list(actor=request.user)[:200], "items": selectors.item_list(),
        "can_change": access.can(request.user, "supplies.change"),
    })


@login_required
def transfers(request):
    access.require(request.user, "supplies.view")
    if request.method == "POST":
        form = request.POST.get("form")
        if form == "request":
            _run(request, lambda: services.transfer_request(actor=request.user, to_warehouse_id=request.POST.get("to_warehouse_id"),
                                                            item_id=request.POST.get("item_id"), quantity=request.POST.get("quantity"),
                                                            reason=request.POST.get("reason", "")), _("Transfer requested."))
        elif form == "direct":
            _run(request, lambda: services.stock_transfer(actor=request.user, from_id=request.POST.get("from_warehouse_id"),
                                                          to_id=request.POST.get("to_warehouse_id"), item_id=request.POST.get("item_id"),
                                                          quantity=request.POST.get("quantity"), reason=request.POST.get("reason", "")),
                 _("Stock moved."))
        else:
            t = selectors.transfer_get(actor=request.user, pk=int(request.POST.get("pk", 0)))
            if form == "approve":
                _run(request, lambda: services.transfer_approve(actor=request.user, transfer=t,
                                                                from_warehouse_id=request.POST.get("from_warehouse_id"),
                                                                note=request.POST.get("note", "")), _("Approved and shipped."))
            elif form == "reject":
                _run(request, lambda: services.transfer_reject(actor=request.user, transfer=t, note=request.POST.get("note", "")), _("Rejected."))
            elif form == "receive":
                _run(request, lambda: services.transfer_receive(actor=request.user, transfer=t), _("Received."))
        return redirect("supplies:transfers")
    qs = selectors.transfer_list(actor=request.user, status=request.GET.get("status") or None)
    if fmt := wants(request):
        return web_download(request, lambda: exports.transfers_export(actor=request.user, fmt=fmt, status=request.GET.get("status") or None))
    return render(request, "supplies/transfers.html", {
        "page": page_of(request, qs), "filters": request.GET, "statuses": TransferStatus.choices,
        "warehouses": selectors.warehouse_list(actor=request.user)[:200], "items": selectors.item_list(),
        "can_change": access.can(request.user, "supplies.change"), "can_approve": access.can(request.user, "supplies.approve"),
    })
