"""Gathering pages: registry with filters and export, registration (decided at once), suspension, re-check."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import list_page, record_post
from cordon.gatherings import exports, forms, selectors, services
from cordon.gatherings.enums import GatheringStatus


@login_required
def index(request):
    access.require(request.user, "gatherings.view")
    form = forms.RegisterForm(request.POST if request.method == "POST" and "action" not in request.POST else None,
                              actor=request.user)
    if request.method == "POST":
        if request.POST.get("action") == "recheck":
            perform(request, lambda: services.gatherings_recheck(actor=request.user),
                    success=lambda r: _("%(c)d approved gatherings re-checked, %(s)d suspended.") % {"c": r["checked"], "s": r["suspended"]})
            return redirect("gatherings:index")
        g = form.submit(request, lambda region, **data: services.gathering_register(actor=request.user, region=region, **data),
                        success=lambda g: _("Registered: %(s)s.") % {"s": g.get_status_display()})
        if g is not REFUSED:
            return redirect("gatherings:detail", pk=g.pk)
    return list_page(request, "gatherings/index.html", rows=lambda f: selectors.gathering_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.gatherings_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "form": form, "statuses": GatheringStatus.choices, "counts": selectors.status_counts(actor=request.user),
        "can_change": access.can(request.user, "gatherings.change"),
    })


@login_required
def detail(request, pk: int):
    if request.method == "POST" and (done := record_post(request, lambda action: selectors.gathering_get(actor=request.user, pk=pk, action=action), {
        "cancel": lambda g: perform(request, lambda: services.gathering_cancel(actor=request.user, gathering=g)),
        "suspend": lambda g: forms.SuspendForm(request.POST).submit(
            request, lambda reason: services.gathering_suspend(actor=request.user, gathering=g, reason=reason),
            success=_("Suspended; the organizer was notified.")),
    }, back="gatherings:detail", default="suspend", render_refused=True)):
        return done
    g = selectors.gathering_get(actor=request.user, pk=pk)
    return render(request, "gatherings/detail.html", {
        "g": g, "notices": selectors.notices_of(actor=request.user, gathering=g)[:50],
        "can_change": access.can(request.user, "gatherings.change", g.region_path) and g.status in ("pending", "approved"),
    })
