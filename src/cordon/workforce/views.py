"""Workforce screens: reserve levels per skill, the roster, missions with deployments."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.core import access, clock
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.workforce import exports, selectors, services
from cordon.workforce.models import MissionKind, Skill


def _run(request, fn, ok):
    try:
        result = fn()
    except ServiceError as exc:
        messages.error(request, _(exc.message))
        return None
    messages.success(request, ok)
    return result


def _dt(raw, field):
    try:
        value = dt.datetime.fromisoformat(raw or "")
    except ValueError:
        raise ServiceError.field(field, "must be a date and time") from None
    return clock.aware(value) if timezone.is_naive(value) else value


@login_required
def index(request):
    access.require(request.user, "workforce.view")
    if request.method == "POST":
        m = _run(request, lambda: services.mission_create(
            actor=request.user, kind=request.POST.get("kind"), name=request.POST.get("name", ""), region_id=request.POST.get("region_id"),
            starts_at=_dt(request.POST.get("starts_at"), "starts_at"), ends_at=_dt(request.POST.get("ends_at"), "ends_at"),
            needs={s: int(request.POST.get(f"need_{s}") or 0) for s in Skill.values if (request.POST.get(f"need_{s}") or "").isdigit()}),
            _("Mission opened."))
        if m:
            return redirect("workforce:mission", pk=m.pk)
    missions = selectors.mission_list(actor=request.user, kind=request.GET.get("kind") or None, current=request.GET.get("all") != "1")
    page = page_of(request, missions, 20)
    return render(request, "workforce/index.html", {
        "levels": selectors.reserve_levels(actor=request.user), "page": page,
        "missions": [(m, selectors.mission_fill(mission=m)) for m in page.object_list], "kinds": MissionKind.choices,
        "skills": Skill.choices, "filters": request.GET, "can_change": access.can(request.user, "workforce.change"),
    })


@login_required
def workers(request):
    access.require(request.user, "workforce.view")
    if request.method == "POST":
        if request.POST.get("form") == "availability":
            w = selectors.worker_get(actor=request.user, pk=int(request.POST.get("pk", 0)), action="change")
            _run(request, lambda: services.worker_availability(actor=request.user, worker=w, available=request.POST.get("available") == "1"),
                 _("Availability updated."))
        else:
            _run(request, lambda: services.worker_create(
                actor=request.user, name=request.POST.get("name", ""), home_district_id=request.POST.get("home_district_id"),
                skills=request.POST.getlist("skills"), phone=request.POST.get("phone", ""), certificates=request.POST.get("certificates", ""),
                closed_loop=request.POST.get("closed_loop") == "1", dormitory=request.POST.get("dormitory", "")), _("Added to the reserve."))
        return redirect("workforce:workers")
    f = {"skill": request.GET.get("skill") or None, "available": {"1": True, "0": False}.get(request.GET.get("available", "")),
         "q": request.GET.get("q") or None}
    if fmt := wants(request):
        return web_download(request, lambda: exports.workers_export(actor=request.user, fmt=fmt, unmask=request.GET.get("unmask") == "1", **f))
    page = page_of(request, selectors.worker_list(actor=request.user, **f))
    return render(request, "workforce/workers.html", {
        "page": page, "cards": [selectors.worker_card(w) for w in page.object_list], "skills": Skill.choices, "filters": request.GET,
        "can_change": access.can(request.user, "workforce.change"),
    })


@login_required
def mission(request, pk: int):
    m = selectors.mission_get(actor=request.user, pk=pk)
    if request.method == "POST":
        m = selectors.mission_get(actor=request.user, pk=pk, action="change")
        action = request.POST.get("action")
        if action == "deploy":
            _run(request, lambda: services.deploy(actor=request.user, mission=m, worker_id=request.POST.get("worker_id"),
                                                  skill=request.POST.get("skill")), _("Deployed."))
        elif action == "fill":
            r = _run(request, lambda: services.deploy_fill(actor=request.user, mission=m), _("Filled from the reserve."))
            if r:
                messages.info(request, _("%(added)d people deployed.") % r)
        elif action == "cancel":
            d = selectors.deployment_get(actor=request.user, pk=int(request.POST.get("deployment", 0)), action="change")
            _run(request, lambda: services.deployment_cancel(actor=request.user, deployment=d), _("Released."))
        return redirect("workforce:mission", pk=pk)
    fill = selectors.mission_fill(mission=m)
    free = {row["skill"]: selectors.free_workers(actor=request.user, skill=row["skill"], starts_at=m.starts_at, ends_at=m.ends_at,
                                                 near=m.region_path)[:50] for row in fill if row["short"] > 0}
    return render(request, "workforce/mission.html", {
        "m": m, "fill": fill, "deployments": [(d, selectors.worker_card(d.worker)) for d in selectors.mission_deployments(mission=m)],
        "free": free, "can_change": access.can(request.user, "workforce.change", m.region_path),
    })
