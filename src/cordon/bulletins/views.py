"""Bulletins: the officers' list, drafting, editing, approval and publication; the public portal
(no login: bulletins, risk areas, public tracking, test result lookup, prevention knowledge, hotlines)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.bulletins import selectors, services
from cordon.bulletins.models import BulletinStatus
from cordon.command import selectors as command_selectors
from cordon.core import access, clock, policy
from cordon.core.errors import ServiceError
from cordon.core.pages import page_of
from cordon.reports import metrics


@login_required
def index(request):
    if not access.can(request.user, "bulletins.view"):
        raise PermissionDenied("bulletins.view")
    if request.method == "POST":
        p = request.POST
        try:
            cut = None
            if p.get("cut_off"):
                cut = dt.datetime.fromisoformat(p["cut_off"])
                cut = clock.aware(cut) if timezone.is_naive(cut) else cut
            b = services.bulletin_draft(actor=request.user, region_path=p.get("region_path") or "", cut_off=cut)
            messages.success(request, _("Draft created from the figures at the cut-off."))
            return redirect("bulletins:detail", pk=b.pk)
        except ValueError:
            messages.error(request, _("cut_off: not a date and time"))
        except ServiceError as exc:
            messages.error(request, exc.message)
    qs = selectors.bulletin_list(actor=request.user, status=request.GET.get("status") or None)
    page = page_of(request, qs)
    return render(request, "bulletins/index.html", {
        "page": page, "rows": [(b, services.rendered(b)[0]) for b in page.object_list], "filters": request.GET, "statuses": BulletinStatus.choices,
        "default_cut_off": services.default_cut_off(), "home": command_selectors.home_region_path(actor=request.user),
        "can_change": access.can(request.user, "bulletins.change")})


@login_required
def detail(request, pk: int):
    b = selectors.bulletin_get(actor=request.user, pk=pk)
    zh = request.LANGUAGE_CODE.startswith("zh")
    figures = [(k, metrics.FIGURES[k][0 if zh else 1], b.figures.get(k)) for k in metrics.FIGURES]
    try:
        title, text = services.rendered(b)
    except (KeyError, ValueError, IndexError):
        title, text = b.title, b.body
    return render(request, "bulletins/detail.html", {
        "b": b, "figures": figures, "preview_title": title, "preview": text, "versions": b.versions.select_related("by"),
        "can_change": access.can(request.user, "bulletins.change", b.region_path),
        "can_approve": access.can(request.user, "bulletins.approve", b.region_path),
        "can_publish": access.can(request.user, "bulletins.publish", b.region_path)})


@login_required
@require_POST
def action(request, pk: int, action: str):
    perms = {"edit": "change", "approve": "approve", "publish": "publish", "withdraw": "publish"}
    if action not in perms:
        raise PermissionDenied(action)
    b = selectors.bulletin_get(actor=request.user, pk=pk, action=perms[action])
    p = request.POST
    try:
        if action == "edit":
            services.bulletin_edit(actor=request.user, bulletin=b, title=p.get("title", ""), body=p.get("body", ""))
        elif action == "approve":
            services.bulletin_approve(actor=request.user, bulletin=b)
        elif action == "publish":
            services.bulletin_publish(actor=request.user, bulletin=b)
        else:
            services.bulletin_withdraw(actor=request.user, bulletin=b, reason=p.get("reason", ""))
        messages.success(request, _("Saved."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("bulletins:detail", pk=pk)


def portal(request):
    return render(request, "bulletins/portal.html", {
        "bulletins": selectors.published(limit=20), "areas": selectors.risk_areas(),
        "tracking": command_selectors.public_tracking_items(), "lookup_url": reverse("screening:lookup"),
        "code_url": reverse("checkpoints:code_lookup"),
        "hotlines": policy.in_force().get("command.hotlines", []) or []})


def portal_bulletin(request, pk: int):
    return render(request, "bulletins/portal_bulletin.html", {"b": selectors.published_get(pk=pk)})
