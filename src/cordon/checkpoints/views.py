"""Checkpoint pages: registry, one checkpoint (shifts, inspections), the phone-sized offline scan page
and its service worker, green-lane passes, and the resident's health code page (public)."""

import datetime as dt
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from cordon.checkpoints import exports, forms, selectors, services
from cordon.checkpoints.enums import REASONS, CheckpointKind, Result, Subject
from cordon.core import access, clock, qr, throttle
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, listing
from cordon.regions.models import Region
from cordon.status import credentials

STATIC = Path(__file__).parent / "static" / "checkpoints"


@login_required
def index(request):
    access.require(request.user, "checkpoints.view")
    form = forms.CheckpointForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST":
        cp = form.submit(request, lambda region_path, **data: services.checkpoint_create(actor=request.user, region=region_path, **data),
                         success=lambda cp: _("Checkpoint %(name)s registered.") % {"name": cp.name})
        if cp is not REFUSED:
            return redirect("checkpoints:detail", pk=cp.pk)
    return list_page(request, "checkpoints/index.html", rows=lambda f: selectors.checkpoint_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.checkpoints_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "form": form, "kinds": CheckpointKind.choices,
        "counts": selectors.result_counts(actor=request.user, since=clock.now() - dt.timedelta(hours=24)),
        "can_change": access.can(request.user, "checkpoints.change"),
        "regions": Region.objects.visible_to(request.user, "view").filter(level__lte=3).order_by("path")[:300],
    })


@login_required
def detail(request, pk: int):
    cp = selectors.checkpoint_get(actor=request.user, pk=pk)
    form = forms.ShiftForm(request.POST if request.method == "POST" and request.POST.get("action") == "shift" else None)
    kw_form = forms.PassCheckForm(request.POST if request.method == "POST" and request.POST.get("action") == "kwpass" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "shift":
            done = form.submit(request, lambda **data: services.shift_add(actor=request.user, checkpoint=cp, **data),
                               success=_("Shift added."))
        elif action == "kwpass":
            done = kw_form.submit(request, lambda **data: services.inspection_record(actor=request.user, checkpoint=cp, **data),
                                  success=_key_worker_verdict)
        elif action in ("activate", "deactivate"):
            done = perform(request, lambda: services.checkpoint_set_active(actor=request.user, checkpoint=cp, active=action == "activate"))
        else:
            done = None
        if done is not REFUSED:
            return redirect("checkpoints:detail", pk=cp.pk)
    listed = listing(request, rows=lambda f: selectors.inspection_list(actor=request.user, filters=f).filter(checkpoint=cp))
    return render(request, "checkpoints/detail.html", {
        **listed, "cp": cp, "form": form, "shifts": selectors.shifts_of(actor=request.user, checkpoint=cp)[:20], "kw_form": kw_form,
        "reasons": REASONS, "results": Result.choices,
        "can_change": access.can(request.user, "checkpoints.change", cp.region_path),
    })


def _key_worker_verdict(insp) -> str:
    """What the officer reads after a key-worker pass: the verdict with its reason, and the conditions when allowed."""
    verdict = {"pass": _("PASS"), "hold": _("HOLD"), "redirect": _("REDIRECT")}.get(insp.result, insp.result)
    text = f"{verdict}: {REASONS.get(insp.reason, insp.reason)}"
    conditions = getattr(insp, "kw_conditions", [])
    return f"{text}. {'; '.join(conditions)}" if conditions else text


@login_required
def inspections(request):
    access.require(request.user, "checkpoints.view")
    return list_page(request, "checkpoints/inspections.html", rows=lambda f: selectors.inspection_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.inspections_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "reasons": REASONS, "results": Result.choices, "subjects": Subject.choices,
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
    form = forms.PassForm(request.POST if request.method == "POST" and "revoke" not in request.POST else None)
    if request.method == "POST":
        if "revoke" in request.POST:
            done = forms.PassRevokeForm(request.POST).submit(request, lambda revoke: services.pass_revoke(
                actor=request.user, vehicle_pass=selectors.pass_get(actor=request.user, pk=revoke, action="change")),
                success=lambda p: _("Pass %(n)s revoked.") % {"n": p.number})
        else:
            done = form.submit(request, lambda **data: services.pass_issue(actor=request.user, **data),
                               success=lambda p: _("Pass %(n)s issued.") % {"n": p.number})
        if done is not REFUSED:
            return redirect("checkpoints:passes")
    return list_page(request, "checkpoints/passes.html", rows=lambda f: selectors.pass_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.passes_export(actor=request.user, fmt=fmt, filters=filters,
                                                                       unmask=asks_unmask(request)),
                     context=lambda listed: {
        "form": form, "now": clock.now(), "can_change": access.can(request.user, "checkpoints.change"),
    })


def pass_label(p) -> qr.Label:
    """A green-lane pass's label: the QR holds CDV.<number>.<plate>, what the scan page reads in vehicle mode."""
    window = f"{clock.local(p.valid_from):%m-%d %H:%M} – {clock.local(p.valid_until):%m-%d %H:%M}"
    return qr.Label(code=f"CDV.{p.number}.{p.plate}", title=p.plate, lines=(p.enterprise, p.cargo, window), caption=p.number)


# Green-lane passes with their QR codes, as an A4 label sheet or single cards (the listed rows or ?ids=).
passes_print = qr.print_view(
    perm="checkpoints.view", get=selectors.pass_get, label=pass_label, back="checkpoints:passes",
    listed=lambda actor, filters: selectors.pass_list(actor=actor, filters=filters).filter(revoked=False),
    title=gettext_lazy("Green-lane passes"),
    note=gettext_lazy("Scan on the checkpoint page in vehicle mode: the pass number and plate are filled in."))


def code_lookup(request):
    """Public: a resident identifies with ID number and phone, then gets their code page link (throttled per person and address)."""
    error, status = "", 200
    form = forms.CodeLookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            error = form.error_summary()
        elif not throttle.lookup_allowed(scope="checkpoints.code_lookup", address=throttle.client_address(request),
                                         id_number=form.cleaned_data["id_number"]):
            error, status = _("Too many attempts. Try again in %(minutes)d minutes.") % {"minutes": throttle.lookup_window_minutes()}, 429
        else:
            token = selectors.resident_token(**form.cleaned_data)
            if token:
                return redirect("checkpoints:code", token=token)
            error = _("No resident with this ID number and phone.")
    return render(request, "checkpoints/code_lookup.html", {"error": error, "form": form}, status=status)


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
