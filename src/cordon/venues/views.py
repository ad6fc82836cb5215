"""Venue pages: the venue registry and closure orders (issue, notices, compliance, reopening)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cordon.core import access, clock
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.regions.models import Region
from cordon.venues import exports, selectors, services
from cordon.venues.models import ClosureStatus, VenueKind


def _when(value: str):
    """A form's date-time (naive values are city time), or None."""
    when = parse_datetime(value or "")
    return clock.aware(when) if when is not None else None


@login_required
def index(request):
    if not access.can(request.user, "venues.view"):
        raise PermissionDenied("venues.view")
    filters = {"kind": request.GET.get("kind") or None, "q": request.GET.get("q") or None, "region_path": request.GET.get("region") or None}
    open_now = {"1": True, "0": False}.get(request.GET.get("is_open", ""))
    qs = selectors.venue_list(actor=request.user, open_now=open_now, **filters).select_related("region")
    if fmt := wants(request):
        return web_download(request, lambda: exports.venues_export(actor=request.user, fmt=fmt, **filters,
                                                                   is_open=open_now))
    closures = selectors.closure_list(actor=request.user, status=request.GET.get("status") or None)
    return render(request, "venues/index.html", {
        "page": page_of(request, qs), "filters": request.GET, "kinds": VenueKind.choices, "closures": closures[:20],
        "statuses": ClosureStatus.choices, "can_change": access.can(request.user, "venues.change"),
    })


@login_required
def closure_new(request):
    if not access.can(request.user, "venues.change"):
        raise PermissionDenied("venues.change")
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        area = Region.objects.filter(path=request.POST.get("area_path", "").strip()).first()
        try:
            order = services.closure_issue(actor=request.user, title=request.POST.get("title", ""), kinds=request.POST.getlist("kinds"),
                                           area=area, starts_at=_when(request.POST.get("starts_at")), ends_at=_when(request.POST.get("ends_at")),
                                           reason=request.POST.get("reason", ""))
            messages.success(request, _("Order %(n)s issued: %(v)d venues notified.") % {"n": order.number, "v": order.notices.count()})
            return redirect("venues:closure", pk=order.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    areas = Region.objects.visible_to(request.user, "change").filter(level__lte=4).order_by("path")[:500]
    return render(request, "venues/closure_new.html", {"kinds": VenueKind.choices, "areas": areas, "form": form,
                                                       "chosen": form.getlist("kinds") if form else []})


@login_required
def closures(request):
    if not access.can(request.user, "venues.view"):
        raise PermissionDenied("venues.view")
    services.closures_sync()
    qs = selectors.closure_list(actor=request.user, status=request.GET.get("status") or None, kind=request.GET.get("kind") or None)
    if fmt := wants(request):
        return web_download(request, lambda: exports.closures_export(actor=request.user, fmt=fmt, status=request.GET.get("status") or None,
                                                                     kind=request.GET.get("kind") or None))
    return render(request, "venues/closures.html", {"page": page_of(request, qs), "filters": request.GET, "kinds": VenueKind.choices,
                                                    "statuses": ClosureStatus.choices, "can_change": access.can(request.user, "venues.change")})


@login_required
def closure(request, pk: int):
    order = selectors.closure_get(actor=request.user, pk=pk)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "lift":
                order = selectors.closure_get(actor=request.user, pk=pk, action="change")
                services.closure_lift(actor=request.user, order=order, note=request.POST.get("note", ""))
                messages.success(request, _("Order lifted; venues reopened."))
            elif action in ("closed", "open", "reopen"):
                notice = selectors.notice_get(actor=request.user, pk=int(request.POST.get("notice", 0)), action="change")
                if notice.order_id != order.pk:
                    raise ServiceError.field("notice", "not part of this order")
                if action == "reopen":
                    services.closure_reopen_venue(actor=request.user, notice=notice, note=request.POST.get("note", ""))
                    messages.success(request, _("%(v)s may reopen.") % {"v": notice.venue.name})
                else:
                    insp = services.compliance_inspect(actor=request.user, notice=notice, found_open=action == "open",
                                                       note=request.POST.get("note", ""))
                    if insp.found_open:
                        messages.error(request, _("%(v)s found open: supervision task #%(t)s filed.") % {"v": notice.venue.name, "t": insp.task_id})
                    else:
                        messages.success(request, _("%(v)s checked: closed.") % {"v": notice.venue.name})
            return redirect(request.get_full_path())
        except ServiceError as exc:
            messages.error(request, exc.message)
    notices = selectors.closure_notices(actor=request.user, order=order, q=request.GET.get("q") or None, state=request.GET.get("state") or None)
    if fmt := wants(request):
        return web_download(request, lambda: exports.notices_export(actor=request.user, order=order, fmt=fmt, q=request.GET.get("q") or None,
                                                                    state=request.GET.get("state") or None))
    return render(request, "venues/closure.html", {
        "order": order, "page": page_of(request, notices), "summary": selectors.closure_summary(actor=request.user, order=order),
        "inspections": selectors.compliance_of(actor=request.user, order=order)[:20], "filters": request.GET,
        "kind_labels": dict(VenueKind.choices),
        "can_change": access.can(request.user, "venues.change", order.region_path) and order.status == ClosureStatus.IN_FORCE,
    })
