"""Workforce screens: reserve levels per skill, the roster, missions with deployments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cordon.core import access
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, listing, record_post
from cordon.workforce import exports, forms, selectors, services
from cordon.workforce.models import MissionKind, Skill


@login_required
def index(request):
    access.require(request.user, "workforce.view")
    form = forms.MissionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        m = form.submit(request, lambda **data: services.mission_create(actor=request.user, **data), success=_("Mission opened."))
        if m is not REFUSED:
            return redirect("workforce:mission", pk=m.pk)
    # the page lists current missions unless `all=1` asks for finished ones too
    listed = listing(request, per_page=20, rows=lambda f: selectors.mission_list(
        actor=request.user, filters={"kind": f.get("kind"), "current": f.get("all") != "1"}))
    return render(request, "workforce/index.html", {
        **listed, "levels": selectors.reserve_levels(actor=request.user), "form": form,
        "missions": [(m, selectors.mission_fill(mission=m)) for m in listed["page"].object_list], "kinds": MissionKind.choices,
        "skills": Skill.choices, "can_change": access.can(request.user, "workforce.change"),
    })


@login_required
def workers(request):
    access.require(request.user, "workforce.view")
    if request.method == "POST":
        if request.POST.get("form") == "availability":
            forms.AvailabilityForm(request.POST).submit(request, lambda pk, available: services.worker_availability(
                actor=request.user, worker=selectors.worker_get(actor=request.user, pk=pk, action="change"), available=available),
                success=_("Availability updated."))
        else:
            forms.WorkerForm(request.POST).submit(request, lambda **data: services.worker_create(actor=request.user, **data),
                                                  success=_("Added to the reserve."))
        return redirect("workforce:workers")
    return list_page(request, "workforce/workers.html", rows=lambda f: selectors.worker_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.workers_export(actor=request.user, fmt=fmt, filters=filters,
                                                                        unmask=asks_unmask(request)),
                     context=lambda listed: {
        "cards": [selectors.worker_card(w) for w in listed["page"].object_list], "skills": Skill.choices,
        "can_change": access.can(request.user, "workforce.change"),
    })


def _fill(request, m) -> None:
    r = perform(request, lambda: services.deploy_fill(actor=request.user, mission=m), success=_("Filled from the reserve."))
    if r is not REFUSED:
        messages.info(request, _("%(added)d people deployed.") % r)


@login_required
def mission(request, pk: int):
    if request.method == "POST":
        return record_post(request, lambda action: selectors.mission_get(actor=request.user, pk=pk, action=action), {
            "deploy": lambda m: forms.DeployForm(request.POST).submit(
                request, lambda **data: services.deploy(actor=request.user, mission=m, **data), success=_("Deployed.")),
            "fill": lambda m: _fill(request, m),
            "cancel": lambda m: forms.ReleaseForm(request.POST).submit(request, lambda deployment: services.deployment_cancel(
                actor=request.user, deployment=selectors.deployment_get(actor=request.user, pk=deployment, action="change")),
                success=pgettext("deployment", "Released.")),
        }, back="workforce:mission")
    m = selectors.mission_get(actor=request.user, pk=pk)
    fill = selectors.mission_fill(mission=m)
    free = {row["skill"]: selectors.free_workers(actor=request.user, skill=row["skill"], starts_at=m.starts_at, ends_at=m.ends_at,
                                                 near=m.region_path)[:50] for row in fill if row["short"] > 0}
    return render(request, "workforce/mission.html", {
        "m": m, "fill": fill, "deployments": [(d, selectors.worker_card(d.worker)) for d in selectors.mission_deployments(mission=m)],
        "free": free, "can_change": access.can(request.user, "workforce.change", m.region_path),
    })
