"""Venue pages: the venue registry and closure orders (issue, notices, compliance, reopening)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.core.forms import REFUSED
from cordon.core.pages import list_page, record_post
from cordon.venues import exports, forms, selectors, services
from cordon.venues.models import ClosureStatus, VenueKind


def _require(user, perm: str) -> None:
    if not access.can(user, perm):
        raise PermissionDenied(perm)


@login_required
def index(request):
    _require(request.user, "venues.view")
    return list_page(request, "venues/index.html",
                     rows=lambda f: selectors.venue_list(actor=request.user, filters=f).select_related("region"),
                     export=lambda fmt, filters: exports.venues_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "kinds": VenueKind.choices,
        "closures": selectors.closure_list(actor=request.user, filters={"status": listed["filters"].get("status")})[:20],
        "statuses": ClosureStatus.choices, "can_change": access.can(request.user, "venues.change"),
    })


@login_required
def closure_new(request):
    _require(request.user, "venues.change")
    form = forms.ClosureForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST":
        order = form.submit(request, lambda area_path, **data: services.closure_issue(actor=request.user, area=area_path, **data),
                            success=lambda o: _("Order %(n)s issued: %(v)d venues notified.") % {"n": o.number, "v": o.notices.count()})
        if order is not REFUSED:
            return redirect("venues:closure", pk=order.pk)
    areas = form.fields["area_path"].queryset[:500]
    return render(request, "venues/closure_new.html", {"kinds": VenueKind.choices, "areas": areas, "form": form,
                                                       "chosen": form.data.getlist("kinds") if form.is_bound else []})


@login_required
def closures(request):
    _require(request.user, "venues.view")
    services.closures_sync()
    return list_page(request, "venues/closures.html", rows=lambda f: selectors.closure_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.closures_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {"kinds": VenueKind.choices, "statuses": ClosureStatus.choices,
                                                    "can_change": access.can(request.user, "venues.change")})


def _on_notice(request, order, action: str, notice: int, note: str):
    """A compliance visit (found closed or open) or an early reopening of one venue of this order."""
    notice = selectors.notice_get(actor=request.user, pk=notice, action="change")
    if notice.order_id != order.pk:
        raise ServiceError.field("notice", _("not part of this order"))
    if action == "reopen":
        services.closure_reopen_venue(actor=request.user, notice=notice, note=note)
        messages.success(request, _("%(v)s may reopen.") % {"v": notice.venue.name})
        return notice
    insp = services.compliance_inspect(actor=request.user, notice=notice, found_open=action == "open", note=note)
    if insp.found_open:
        messages.error(request, _("%(v)s found open: supervision task #%(t)s filed.") % {"v": notice.venue.name, "t": insp.task_id})
    else:
        messages.success(request, _("%(v)s checked: closed.") % {"v": notice.venue.name})
    return insp


@login_required
def _notice_action(request, action: str):
    return lambda order: forms.NoticeForm(request.POST).submit(request, lambda **data: _on_notice(request, order, action, **data))


@login_required
def closure(request, pk: int):
    # a visit or a reopening acts on one venue's notice, under the notice's own right (_on_notice)
    if request.method == "POST" and (done := record_post(request, lambda right: selectors.closure_get(actor=request.user, pk=pk, action=right), {
        "lift": lambda order: forms.NoteForm(request.POST).submit(
            request, lambda note: services.closure_lift(actor=request.user, order=order, note=note), success=_("Order lifted; venues reopened.")),
        "closed": _notice_action(request, "closed"), "open": _notice_action(request, "open"), "reopen": _notice_action(request, "reopen"),
    }, back=lambda order: request.get_full_path(), render_refused=True, rights={"closed": "view", "open": "view", "reopen": "view"})):
        return done
    order = selectors.closure_get(actor=request.user, pk=pk)
    return list_page(request, "venues/closure.html", rows=lambda f: selectors.closure_notices(actor=request.user, order=order, filters=f),
                     export=lambda fmt, filters: exports.notices_export(actor=request.user, order=order, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "order": order, "summary": selectors.closure_summary(actor=request.user, order=order),
        "inspections": selectors.compliance_of(actor=request.user, order=order)[:20],
        "kind_labels": dict(VenueKind.choices),
        "can_change": access.can(request.user, "venues.change", order.region_path) and order.status == ClosureStatus.IN_FORCE,
    })
