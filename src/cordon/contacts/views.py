"""Contact pages: lists per case, venue or district (bulk confirm or reject proposals, Excel export),
one risk person with evidence, measure plan and colour, manual entry of risk persons, and identification of
one case again (the button on the case page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cordon.cases import views as case_views
from cordon.contacts import forms, selectors, services
from cordon.contacts.enums import RISK_LIFECYCLE, Category, RiskStatus
from cordon.core import access
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page
from cordon.people import selectors as people_selectors
from cordon.status import selectors as status_selectors


@login_required
def index(request):
    if not access.can(request.user, "contacts.view"):
        raise PermissionDenied("contacts.view")
    case = request.GET.get("case") or ""
    case_id = int(case) if case.isdigit() else None  # the case the list is of (a bad value is named by the filter)
    return list_page(request, "contacts/index.html", partial="contacts/_rows.html",
                     rows=lambda f: selectors.risk_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: services.risk_export(actor=request.user, fmt=fmt, filters=filters,
                                                                      unmask=asks_unmask(request)),
                     context=lambda listed: {
        "cards": [selectors.risk_card(r) | {"obj": r} for r in listed["page"].object_list], "case_id": case_id,
        "categories": Category.choices, "statuses": RiskStatus.choices, "counts": selectors.counts(actor=request.user, case_id=case_id),
        "can_change": access.can(request.user, "contacts.change"), "can_export": access.can(request.user, "contacts.export"),
        "can_unmask": access.can(request.user, "people.unmask")})


@login_required
@require_POST
def decide(request):
    forms.DecideForm(request.POST).submit(
        request, lambda **data: services.risk_decide(actor=request.user, **data),
        success=lambda r: _("%(n)d people: %(decision)s.") % {"n": r["decided"], "decision": _(r["decision"])})
    back = request.POST.get("next") or ""  # the list the decision was made on
    return redirect(back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else "contacts:index")


@login_required
@require_POST
def add(request):
    access.require(request.user, "contacts.change")  # before the ID-number look-up: no answer for those who may not add
    row = forms.AddForm(request.POST, actor=request.user).submit(
        request, lambda id_number, case, **data: services.risk_add(actor=request.user, person_id=id_number.pk,
                                                                    source_case_id=case, **data),
        success=_("Risk person entered; measures planned."))
    if row is REFUSED:
        return redirect("contacts:index")
    return redirect("contacts:detail", pk=row.pk)


# The risk person page's button for each next status staff set (under measures follows a confirmation by itself).
RISK_STEPS = {RiskStatus.CONFIRMED: ("confirm", gettext_lazy("confirm")), RiskStatus.REJECTED: ("reject", gettext_lazy("reject")),
              RiskStatus.RELEASED: ("release", gettext_lazy("Release if the criteria are met"))}


@login_required
def detail(request, pk: int):
    risk = selectors.risk_get(actor=request.user, pk=pk)
    unmask = asks_unmask(request)
    if unmask:
        people_selectors.person_card(risk.person, actor=request.user, unmask=True)  # checks and audits
    if risk.status == RiskStatus.UNDER_MEASURES and access.can(request.user, "contacts.change", risk.region_path):
        services.measures_advance(actor=request.user, rows=selectors.risk_list(actor=request.user).filter(pk=risk.pk))
        risk.refresh_from_db()
    status = status_selectors.status_of(actor=request.user, person_id=risk.person_id) if access.can(request.user, "status.view", risk.region_path) else None
    return render(request, "contacts/detail.html", {"risk": risk, "card": selectors.risk_card(risk, unmask=unmask), "status": status,
                                                    "can_change": access.can(request.user, "contacts.change", risk.region_path),
                                                    "steps": [RISK_STEPS[v] for v, _label in RISK_LIFECYCLE.next_choices(
                                                        RiskStatus.choices, risk.status) if v in RISK_STEPS],
                                                    "can_unmask": access.can_unmask(request.user, risk)})


def _release(request, risk) -> None:
    """Release when the plan is over and its last test is negative; otherwise say why not."""
    result = services.measures_advance(actor=request.user, rows=selectors.risk_list(actor=request.user).filter(pk=risk.pk))
    if result["released"]:
        messages.success(request, _("Released."))
    elif result["waiting_test"]:
        messages.error(request, _("Not released: the last scheduled test has no negative result yet."))
    else:
        messages.error(request, _("Not released: the measure plan is still running."))


@login_required
@require_POST
def release(request, pk: int):
    risk = selectors.risk_get(actor=request.user, pk=pk, action="change")
    perform(request, lambda: _release(request, risk))
    return redirect("contacts:detail", pk=pk)


@login_required
@require_POST
def case_identify(request, pk: int):
    """Run identification again for one case: /cases/<pk>/identify/, back to the case page."""
    return case_views.case_action(request, pk, lambda c: services.contacts_identify(actor=request.user, case=c),
                                  _("Identification ran: %(created)d new, %(updated)d updated, %(withdrawn)d withdrawn."))
