"""Gathering pages: registry with filters and export, registration (decided at once), suspension, re-check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cordon.core import access, clock
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.gatherings import exports, selectors, services
from cordon.gatherings.enums import GatheringStatus
from cordon.regions.models import Region


def _when(value: str):
    when = parse_datetime(value or "")
    if when is not None and timezone.is_naive(when):
        when = clock.aware(when)
    return when


@login_required
def index(request):
    access.require(request.user, "gatherings.view")
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "recheck":
                result = services.gatherings_recheck(actor=request.user)
                messages.success(request, _("%(c)d approved gatherings re-checked, %(s)d suspended.") % {"c": result["checked"], "s": result["suspended"]})
            else:
                region = Region.objects.filter(path=request.POST.get("region_path", "").strip()).first()
                g = services.gathering_register(actor=request.user, title=request.POST.get("title", ""), organizer=request.POST.get("organizer", ""),
                                                organizer_phone=request.POST.get("organizer_phone", ""), region=region,
                                                expected_attendance=request.POST.get("expected_attendance"), address=request.POST.get("address", ""),
                                                starts_at=_when(request.POST.get("starts_at")), ends_at=_when(request.POST.get("ends_at")))
                messages.success(request, _("Registered: %(s)s.") % {"s": g.get_status_display()})
                return redirect("gatherings:detail", pk=g.pk)
            return redirect("gatherings:index")
        except ServiceError as exc:
            messages.error(request, exc.message)
    filters = {"status": request.GET.get("status") or None, "q": request.GET.get("q") or None}
    if fmt := wants(request):
        return web_download(request, lambda: exports.gatherings_export(actor=request.user, fmt=fmt, **filters))
    return render(request, "gatherings/index.html", {
        "page": page_of(request, selectors.gathering_list(actor=request.user, **filters)), "filters": request.GET, "form": form,
        "statuses": GatheringStatus.choices, "counts": selectors.status_counts(actor=request.user),
        "can_change": access.can(request.user, "gatherings.change"),
        "regions": Region.objects.visible_to(request.user, "change").filter(level__lte=4).order_by("path")[:500],
    })


@login_required
def detail(request, pk: int):
    g = selectors.gathering_get(actor=request.user, pk=pk)
    if request.method == "POST":
        try:
            g = selectors.gathering_get(actor=request.user, pk=pk, action="change")
            if request.POST.get("action") == "cancel":
                services.gathering_cancel(actor=request.user, gathering=g)
            else:
                services.gathering_suspend(actor=request.user, gathering=g, reason=request.POST.get("reason", ""))
                messages.success(request, _("Suspended; the organizer was notified."))
            return redirect("gatherings:detail", pk=g.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "gatherings/detail.html", {
        "g": g, "notices": selectors.notices_of(actor=request.user, gathering=g)[:50],
        "can_change": access.can(request.user, "gatherings.change", g.region_path) and g.status in ("pending", "approved"),
    })
