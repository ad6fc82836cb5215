"""Duty screens: my work, a person's page with the hand-over, who is on duty now per region (with the roster's
shifts), and the hand-overs. Reads through command.duty_selectors, writes through command.services."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.command import duty_forms, duty_selectors, selectors, services
from cordon.command.enums import OffDutyReason
from cordon.core.access import ROLE_CHOICES
from cordon.core.forms import REFUSED


@login_required
def my_work(request):
    """我的工作: what I answer for, due, late, escalated to me, handed to me."""
    return render(request, "command/my_work.html", {"w": duty_selectors.my_work(actor=request.user)})


@login_required
def person(request, user_id: int):
    """A person's page: posts held, on duty now, what they answer for; the hand-over form when the actor may take them out."""
    d = duty_selectors.person_profile(actor=request.user, user_id=user_id)
    form = duty_forms.TakeOutForm()
    if request.method == "POST":
        form = duty_forms.TakeOutForm(request.POST)
        done = form.submit(request, lambda successor, **data: services.officer_take_out(
            actor=request.user, user_id=user_id, successor_id=successor, **data), success=_("Taken out; the work is handed over."))
        if done is not REFUSED:
            return redirect("command:duties", user_id=user_id)
    return render(request, "command/duties.html", {"d": d, "now": d["now"], "form": form, "reasons": OffDutyReason.choices,
                                                    "users": selectors.user_choices(actor=request.user)})


@login_required
def on_duty(request):
    """Who is on duty now in a region (default: your own), the posts right below it, and a shift for the roster."""
    data = duty_selectors.on_duty(actor=request.user, region_path=request.GET.get("region"))
    return render(request, "command/on_duty.html", {**data, "form": duty_forms.ShiftForm(actor=request.user),
                                                    "roles": ROLE_CHOICES, "users": selectors.user_choices(actor=request.user)})


@login_required
@require_POST
def shift_new(request):
    """Add a shift to the roster (a region outside your area does not exist for you: 404)."""
    duty_selectors.duty_region(actor=request.user, region_path=request.POST.get("region_path") or None)
    form = duty_forms.ShiftForm(request.POST, actor=request.user)
    done = form.submit(request, lambda user, deputy, **data: services.shift_add(
        actor=request.user, user_id=user, deputy_id=deputy, **data), success=_("Shift added to the roster."))
    region = done.region_path if done is not REFUSED else request.POST.get("region_path", "")
    return redirect(reverse("command:on_duty") + (f"?{urlencode({'region': region})}" if region else ""))


@login_required
def handovers(request):
    """The latest hand-overs in your area."""
    return render(request, "command/handovers.html", {"rows": duty_selectors.handover_list(actor=request.user)})
