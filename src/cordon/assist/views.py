"""Assist pages: outgoing and incoming lists (scoped, filtered, overdue highlighted), a new request (from a risk
person or typed in), the detail with its history and actions, the Excel upload of a partner's requests, partners."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.assist import exchange, forms, selectors, services
from cordon.assist.enums import Direction, RequestStatus
from cordon.contacts import selectors as contacts_selectors
from cordon.core import access
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, record_post
from cordon.regions import selectors as region_selectors


@login_required
def index(request):
    access.require(request.user, "assist.view")
    return list_page(request, "assist/index.html", rows=lambda f: selectors.request_list(actor=request.user, filters=f),
                     context=lambda listed: {
        "counts": selectors.counts(actor=request.user), "statuses": RequestStatus.choices, "directions": Direction.choices,
        "late": {r.pk for r in listed["page"].object_list if selectors.is_late(r)},
        "can_change": access.can(request.user, "assist.change"),
    })


@login_required
def new(request):
    access.require(request.user, "assist.change")
    pick = forms.FromRiskForm(request.GET)
    risk_id = pick.cleaned_data.get("risk") if pick.is_valid() else None
    risk = contacts_selectors.risk_get(actor=request.user, pk=risk_id) if risk_id else None
    form = forms.OutgoingForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        req = form.submit(request, lambda **data: services.request_draft(actor=request.user, risk=risk, **data),
                          success=_("Draft saved: check it and send it."))
        if req is not REFUSED:
            return redirect("assist:detail", pk=req.pk)
    card = contacts_selectors.risk_card(risk) if risk is not None else None
    return render(request, "assist/new.html", {"form": form, "risk": risk, "card": card})


def _actions(request) -> dict:
    """The detail page's buttons and forms: one action per POST (a form that names none rejects)."""
    who = request.user
    return {
        "send": lambda req: perform(request, lambda: services.request_send(actor=who, req=req), success=_("Sent to the partner city.")),
        "accept": lambda req: forms.AcceptForm(request.POST, actor=who).submit(
            request, lambda grid: services.request_accept(actor=who, req=req, grid=grid), success=_("Accepted: the lead is in contacts.")),
        "start": lambda req: perform(request, lambda: services.request_start(actor=who, req=req)),
        "reply": lambda req: forms.ReplyForm(request.POST).submit(
            request, lambda result, note: services.request_reply(actor=who, req=req, result=result, note=note),
            success=_("Result reported to the requesting city.")),
        "reject": lambda req: forms.RejectForm(request.POST).submit(
            request, lambda reason: services.request_reject(actor=who, req=req, reason=reason),
            success=_("Declined; the reason goes back to the partner.")),
    }


@login_required
def detail(request, pk: int):
    if request.method == "POST" and (done := record_post(request, lambda action: selectors.request_get(actor=request.user, pk=pk, action=action),
                                                         _actions(request), back="assist:detail", default="reject", render_refused=True)):
        return done
    req = selectors.request_get(actor=request.user, pk=pk)
    can_change = access.can(request.user, "assist.change", req.region_path)
    return render(request, "assist/detail.html", {
        "req": req, "person": selectors.person_of(req, actor=request.user, unmask=asks_unmask(request)),
        "steps": selectors.steps_of(actor=request.user, req=req), "late": selectors.is_late(req),
        "can_change": can_change, "can_unmask": access.can_unmask(request.user, req.region_path, domain="assist"),
        "accept_form": forms.AcceptForm(actor=request.user) if can_change and req.person_id is None else None,
        "reply_form": forms.ReplyForm(), "open": req.status not in ("done", "rejected"),
    })


@login_required
def upload(request):
    access.require(request.user, "assist.change")
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = form.submit(request, lambda partner, file: exchange.incoming_import(actor=request.user, partner=partner, data=file.read(),
                                                                                   filename=file.name),
                           success=lambda r: _("%(created)d requests received, %(existing)d known already.") % r)
        if done is not REFUSED:
            return redirect("assist:index")
    return render(request, "assist/upload.html", {"form": form})


@login_required
def partners(request):
    access.require(request.user, "assist.view")
    form = forms.PartnerForm(request.POST or None)
    if request.method == "POST":
        done = form.submit(request, lambda **data: services.partner_create(actor=request.user, **data), success=_("Partner registered."))
        if done is not REFUSED:
            return redirect("assist:partners")
    return render(request, "assist/partners.html", {
        "form": form, "partners": selectors.partner_list(),
        "can_change": access.can(request.user, "assist.change", region_selectors.root_path())})
