"""Contact pages: lists per case, venue or district (bulk confirm or reject proposals, Excel export),
one risk person with evidence, measure plan and colour, manual entry of risk persons, and identification of
one case again (the button on the case page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.cases import views as case_views
from cordon.contacts import selectors, services
from cordon.contacts.enums import Category, RiskStatus
from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.people import selectors as people_selectors
from cordon.status import selectors as status_selectors


def _filters(request) -> dict:
    g = request.GET

    def num(k):
        v = g.get(k) or ""
        return int(v) if v.isdigit() else None

    return {"case_id": num("case"), "venue_id": num("venue"), "region": g.get("region") or None,
            "category": g.get("category") or None, "status": g.get("status") or None, "q": g.get("q") or None}


@login_required
def index(request):
    if not access.can(request.user, "contacts.view"):
        raise PermissionDenied("contacts.view")
    filters = _filters(request)
    if fmt := wants(request):
        return web_download(request, lambda: services.risk_export(actor=request.user, unmask=request.GET.get("unmask") == "1",
                                                                  fmt=fmt, **filters))
    qs = selectors.risk_list(actor=request.user, **filters)
    page = page_of(request, qs)
    ctx = {"page": page, "cards": [selectors.risk_card(r) | {"obj": r} for r in page.object_list], "filters": request.GET,
           "categories": Category.choices, "statuses": RiskStatus.choices, "counts": selectors.counts(actor=request.user, case_id=filters["case_id"]),
           "can_change": access.can(request.user, "contacts.change"), "can_export": access.can(request.user, "contacts.export"),
           "can_unmask": access.can(request.user, "people.unmask")}
    template = "contacts/_rows.html" if request.headers.get("HX-Request") else "contacts/index.html"
    return render(request, template, ctx)


@login_required
@require_POST
def decide(request):
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    decision = request.POST.get("decision", "")
    try:
        result = services.risk_decide(actor=request.user, ids=ids, decision=decision, note=request.POST.get("note", ""))
        messages.success(request, _("%(n)d people: %(decision)s.") % {"n": result["decided"], "decision": _(decision)})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "contacts:index")


@login_required
@require_POST
def add(request):
    access.require(request.user, "contacts.change")  # before the ID-number look-up: no answer for those who may not add
    data = request.POST
    try:
        person = people_selectors.person_list(actor=request.user, q=(data.get("id_number") or "").strip()).first() if data.get("id_number") else None
        if person is None:
            raise ServiceError.field("id_number", _("no resident with this ID number in your area"))
        case_id = data.get("case") or ""
        row = services.risk_add(actor=request.user, person_id=person.pk, category=data.get("category", ""),
                                last_exposure=data.get("last_exposure") or None, note=data.get("note", ""),
                                source_case_id=int(case_id) if case_id.isdigit() else None)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("contacts:index")
    messages.success(request, _("Risk person entered; measures planned."))
    return redirect("contacts:detail", pk=row.pk)


@login_required
def detail(request, pk: int):
    risk = selectors.risk_get(actor=request.user, pk=pk)
    unmask = request.GET.get("unmask") == "1"
    if unmask:
        people_selectors.person_card(risk.person, actor=request.user, unmask=True)  # checks and audits
    if risk.status == RiskStatus.UNDER_MEASURES and access.can(request.user, "contacts.change", risk.region_path):
        services.measures_advance(actor=request.user, rows=selectors.risk_list(actor=request.user).filter(pk=risk.pk))
        risk.refresh_from_db()
    status = status_selectors.status_of(actor=request.user, person_id=risk.person_id) if access.can(request.user, "status.view", risk.region_path) else None
    return render(request, "contacts/detail.html", {"risk": risk, "card": selectors.risk_card(risk, unmask=unmask), "status": status,
                                                    "can_change": access.can(request.user, "contacts.change", risk.region_path),
                                                    "can_unmask": access.can_unmask(request.user, risk)})


@login_required
@require_POST
def release(request, pk: int):
    risk = selectors.risk_get(actor=request.user, pk=pk, action="change")
    try:
        result = services.measures_advance(actor=request.user, rows=selectors.risk_list(actor=request.user).filter(pk=risk.pk))
        if result["released"]:
            messages.success(request, _("Released."))
        elif result["waiting_test"]:
            messages.error(request, _("Not released: the last scheduled test has no negative result yet."))
        else:
            messages.error(request, _("Not released: the measure plan is still running."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("contacts:detail", pk=pk)


@login_required
@require_POST
def case_identify(request, pk: int):
    """Run identification again for one case: /cases/<pk>/identify/, back to the case page."""
    return case_views.case_action(request, pk, lambda c: services.contacts_identify(actor=request.user, case=c),
                                  _("Identification ran: %(created)d new, %(updated)d updated, %(withdrawn)d withdrawn."))
