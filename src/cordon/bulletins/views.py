"""Bulletins: the officers' list, drafting, editing, approval and publication; the public portal
(no login: bulletins, risk areas, public tracking, test result lookup, prevention knowledge, hotlines)."""


from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.bulletins import forms, selectors, services
from cordon.bulletins.models import BulletinStatus
from cordon.command import selectors as command_selectors
from cordon.core import access, policy
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import list_page
from cordon.reports import metrics


@login_required
def index(request):
    access.require(request.user, "bulletins.view")
    if request.method == "POST":
        b = forms.DraftForm(request.POST).submit(request, lambda **data: services.bulletin_draft(actor=request.user, **data),
                                                 success=_("Draft created from the figures at the cut-off."))
        if b is not REFUSED:
            return redirect("bulletins:detail", pk=b.pk)
    return list_page(request, "bulletins/index.html", rows=lambda f: selectors.bulletin_list(actor=request.user, filters=f),
                     context=lambda listed: {
                         "rows": [(b, services.rendered(b)[0]) for b in listed["page"].object_list],
                         "statuses": BulletinStatus.choices, "default_cut_off": services.default_cut_off(),
                         "home": command_selectors.home_region_path(actor=request.user),
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
    who, saved = request.user, _("Saved.")
    if action == "edit":
        forms.EditForm(request.POST).submit(request, lambda **text: services.bulletin_edit(actor=who, bulletin=b, **text), success=saved)
    elif action == "withdraw":
        forms.WithdrawForm(request.POST).submit(request, lambda reason: services.bulletin_withdraw(actor=who, bulletin=b, reason=reason),
                                                success=saved)
    else:
        step = services.bulletin_approve if action == "approve" else services.bulletin_publish
        perform(request, lambda: step(actor=who, bulletin=b), success=saved)
    return redirect("bulletins:detail", pk=pk)


def portal(request):
    return render(request, "bulletins/portal.html", {
        "bulletins": selectors.published(limit=20), "areas": selectors.risk_areas(),
        "tracking": command_selectors.public_tracking_items(), "lookup_url": reverse("screening:lookup"),
        "code_url": reverse("checkpoints:code_lookup"),
        "hotlines": policy.in_force().get("command.hotlines", []) or []})


def portal_bulletin(request, pk: int):
    return render(request, "bulletins/portal_bulletin.html", {"b": selectors.published_get(pk=pk)})
