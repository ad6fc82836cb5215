"""Checkpoint pages: registry, one checkpoint (shifts, inspections), the phone-sized offline scan page
and its service worker, green-lane passes, and the resident's health code page (public)."""

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cordon.checkpoints import exports, selectors, services
from cordon.checkpoints.enums import REASONS, CheckpointKind, Result, Subject
from cordon.core import access, clock, throttle
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.regions.models import Region
from cordon.status import credentials

STATIC = Path(__file__).parent / "static" / "checkpoints"


def _when(value: str):
    when = parse_datetime(value or "")
    if when is not None and timezone.is_naive(when):
        when = clock.aware(when)
    return when


@login_required
def index(request):
    access.require(request.user, "checkpoints.view")
    if request.method == "POST":
        region = Region.objects.filter(path=request.POST.get("region_path", "").strip()).first()
        try:
            if region is None:
                raise ServiceError.field("region_path", _("unknown region"))
            cp = services.checkpoint_create(actor=request.user, name=request.POST.get("name", ""), kind=request.POST.get("kind", ""),
                                            region=region, location=request.POST.get("location", ""), code=request.POST.get("code", ""))
            messages.success(request, _("Checkpoint %(name)s registered.") % {"name": cp.name})
            return redirect("checkpoints:detail", pk=cp.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    filters = {"kind": request.GET.get("kind") or None, "q": request.GET.get("q") or None, "region_path": request.GET.get("region") or None}
    if fmt := wants(request):
        return web_download(request, lambda: exports.checkpoints_export(actor=request.user, fmt=fmt, **filters))
    qs = selectors.checkpoint_list(actor=request.user, **filters)
    since = clock.now() - dt.timedelta(hours=24)
    return render(request, "checkpoints/index.html", {
        "page": page_of(request, qs), "filters": request.GET, "kinds": CheckpointKind.choices,
        "counts": selectors.result_counts(actor=request.user, since=since),
        "can_change": access.can(request.user, "checkpoints.change"),
        "regions": Region.objects.visible_to(request.user, "view").filter(level__lte=3).order_by("path")[:300],
    })


@login_required
def detail(request, pk: int):
    cp = selectors.checkpoint_get(actor=request.user, pk=pk)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "shift":
                services.shift_add(actor=request.user, checkpoint=cp, starts_at=_when(request.POST.get("starts_at")),
                                   ends_at=_when(request.POST.get("ends_at")), leader=request.POST.get("leader", ""),
                                   leader_phone=request.POST.get("leader_phone", ""),
                                   staff=request.POST.get("staff", "").replace("，", ",").split(","))
                messages.success(request, _("Shift added."))
            elif action in ("activate", "deactivate"):
                services.checkpoint_set_active(actor=request.user, checkpoint=cp, active=action == "activate")
            return redirect("checkpoints:detail", pk=cp.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "checkpoints/detail.html", {
        "cp": cp, "shifts": selectors.shifts_of(actor=request.user, checkpoint=cp)[:20],
        "page": page_of(request, selectors.inspection_list(actor=request.user, checkpoint_id=cp.pk,
                                                           result=request.GET.get("result") or None)),
        "reasons": REASONS, "results": Result.choices, "filters": request.GET,
        "can_change": access.can(request.user, "checkpoints.change", cp.region_path),
    })


@login_required
def inspections(request):
    access.require(request.user, "checkpoints.view")
    filters = {"result": request.GET.get("result") or None, "subject": request.GET.get("subject") or None,
               "checkpoint_id": int(request.GET["checkpoint"]) if request.GET.get("checkpoint", "").isdigit() else None}
    if fmt := wants(request):
        return web_download(request, lambda: exports.inspections_export(actor=request.user, fmt=fmt, **filters))
    return render(request, "checkpoints/inspections.html", {
        "page": page_of(request, selectors.inspection_list(actor=request.user, **filters)),
        "reasons": REASONS, "results": Result.choices, "subjects": Subject.choices, "filters": request.GET,
    })


@login_required
def scan(request, pk: int):
    cp = selectors.checkpoint_get(actor=request.user, pk=pk)
    return render(request, "checkpoints/scan.html", {
        "cp": cp, "config": selectors.verifier_config(checkpoint=cp),
        "reasons": {k: str(v) for k, v in REASONS.items()},
        "can_change": access.can(request.user, "checkpoints.change", cp.region_path),
        "i18n": {"pass": _("PASS"), "hold": _("HOLD"), "redirect": _("REDIRECT"), "online": _("online"), "offline": _("offline"),
                 "uploaded": _("uploaded"), "login": _("log in again to upload"), "colour": _("Colour"),
                 "test": _("Latest negative"), "expires": _("Expires"), "none": _("none"), "green": _("Green"),
                 "yellow": _("Yellow"), "red": _("Red"), "rejected": _("upload rejected")},
    })


@never_cache
def service_worker(request):
    response = HttpResponse((STATIC / "sw.js").read_bytes(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/checkpoints/"
    return response


@login_required
def passes(request):
    access.require(request.user, "checkpoints.view")
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                p = selectors.pass_get(actor=request.user, pk=int(request.POST["revoke"]), action="change")
                services.pass_revoke(actor=request.user, vehicle_pass=p)
                messages.success(request, _("Pass %(n)s revoked.") % {"n": p.number})
            else:
                p = services.pass_issue(actor=request.user, plate=request.POST.get("plate", ""), enterprise=request.POST.get("enterprise", ""),
                                        region_path=request.POST.get("region_path", "").strip(), cargo=request.POST.get("cargo", ""),
                                        driver=request.POST.get("driver", ""), valid_from=_when(request.POST.get("valid_from")),
                                        valid_until=_when(request.POST.get("valid_until")))
                messages.success(request, _("Pass %(n)s issued.") % {"n": p.number})
            return redirect("checkpoints:passes")
        except ServiceError as exc:
            messages.error(request, exc.message)
    if fmt := wants(request):
        return web_download(request, lambda: exports.passes_export(actor=request.user, fmt=fmt, unmask=request.GET.get("unmask") == "1",
                                                                   q=request.GET.get("q") or None))
    qs = selectors.pass_list(actor=request.user, q=request.GET.get("q") or None)
    return render(request, "checkpoints/passes.html", {
        "page": page_of(request, qs), "filters": request.GET, "now": clock.now(),
        "can_change": access.can(request.user, "checkpoints.change"),
    })


def code_lookup(request):
    """Public: a resident identifies with ID number and phone, then gets their code page link (throttled per person and address)."""
    error, status = "", 200
    if request.method == "POST":
        id_number = request.POST.get("id_number", "")
        if not throttle.lookup_allowed(scope="checkpoints.code_lookup", address=throttle.client_address(request), id_number=id_number):
            error, status = _("Too many attempts. Try again in %(minutes)d minutes.") % {"minutes": throttle.lookup_window_minutes()}, 429
        else:
            token = selectors.resident_token(id_number=id_number, phone=request.POST.get("phone", ""))
            if token:
                return redirect("checkpoints:code", token=token)
            error = _("No resident with this ID number and phone.")
    return render(request, "checkpoints/code_lookup.html", {"error": error}, status=status)


def code(request, token: str):
    """Public: the resident's health code (QR), refreshed from the API while online and kept for offline display."""
    issued = credentials.credential_issue(token=token[:32])
    if issued is None:
        raise Http404("unknown token")
    return render(request, "checkpoints/code.html", {"issued": issued, "token": token,
                                                     "i18n": {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")},
                                                     "boot": {"token": token, "code": issued["code"], "colour": issued["colour"],
                                                              "expires": int(issued["expires_at"].timestamp()),
                                                              "last_negative": int(issued["last_negative_at"].timestamp()) if issued["last_negative_at"] else 0}})
