"""Livelihood screens: household needs and delivery, the emergency board (HQ screen, htmx refresh),
utility incidents and supply points, key enterprises with closed-loop plans, and the public portal
(no login: a resident identifies by ID number and phone)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.core import access, clock, pii
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, page_of, record_post
from cordon.livelihood import enums, exports, forms, selectors, services
from cordon.livelihood.models import SupplyPoint
from cordon.people import selectors as people_selectors


def _household_from(request, raw: str):
    """A household from its number, or from a resident's ID number or phone."""
    raw = (raw or "").strip()
    if raw.isdigit() and len(raw) < 11:
        return int(raw)
    person = people_selectors.person_list(actor=request.user, q=raw).first() if raw else None
    return person.household_id if person else None


def _person_from(request, raw: str) -> int | None:
    """A person from their number, or from their ID number or phone."""
    raw = (raw or "").strip()
    if raw.isdigit() and len(raw) < 11:
        person = people_selectors.person_list(actor=request.user).filter(pk=int(raw)).first()
    else:
        person = people_selectors.person_list(actor=request.user, q=raw).first() if raw else None
    return person.pk if person else None


@login_required
def index(request):
    access.require(request.user, "livelihood.view")
    if request.method == "POST":
        need = forms.NeedForm(request.POST).submit(request, lambda household, **data: services.need_create(
            actor=request.user, household_id=_household_from(request, household), **data), success=_("Need filed."))
        if need is not REFUSED:
            return redirect("livelihood:need", pk=need.pk)
    now = clock.now()
    return list_page(request, "livelihood/index.html", partial="livelihood/_need_rows.html",
                     rows=lambda f: selectors.need_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.needs_export(actor=request.user, fmt=fmt, filters=filters,
                                                                      unmask=asks_unmask(request)),
                     context=lambda listed: {
        "rows": [selectors.need_row(n, now=now) for n in listed["page"].object_list],
        "kinds": enums.NeedKind.choices, "statuses": enums.NeedStatus.choices,
        "summary": selectors.summary(actor=request.user), "teams": selectors.team_list(actor=request.user)[:100],
        "can_change": access.can(request.user, "livelihood.change"),
    })


@login_required
def need(request, pk: int):
    if request.method == "POST":
        return record_post(request, lambda action: selectors.need_get(actor=request.user, pk=pk, action=action), {
            "assign": lambda n: forms.AssignForm(request.POST).submit(
                request, lambda team: services.need_assign(actor=request.user, need=n, team_id=team), success=_("Assigned.")),
            "deliver": lambda n: forms.DeliverForm(request.POST, request.FILES).submit(
                request, lambda **data: services.need_deliver(actor=request.user, need=n, **data), success=_("Delivery recorded.")),
            "cancel": lambda n: forms.CancelForm(request.POST).submit(
                request, lambda reason: services.need_cancel(actor=request.user, need=n, reason=reason), success=_("Cancelled.")),
        }, back="livelihood:need")
    n = selectors.need_get(actor=request.user, pk=pk)
    return render(request, "livelihood/need.html", {
        "n": n, "row": selectors.need_row(n), "teams": selectors.team_list(actor=request.user, covering=n.region_path),
        "can_change": access.can(request.user, "livelihood.change", n.region_path),
    })


@login_required
def need_proof(request, pk: int):
    n = selectors.need_get(actor=request.user, pk=pk)
    if not n.proof:
        raise PermissionDenied("no proof")
    return HttpResponse(n.proof.open("rb").read(), content_type="image/jpeg" if n.proof.name.endswith((".jpg", ".jpeg")) else
                        "image/" + n.proof.name.rsplit(".", 1)[-1])


@login_required
def teams(request):
    access.require(request.user, "livelihood.view")
    if request.method == "POST":
        forms.TeamForm(request.POST).submit(request, lambda **data: services.team_create(actor=request.user, **data),
                                            success=_("Team registered."))
        return redirect("livelihood:teams")
    page = page_of(request, selectors.team_list(actor=request.user, active_only=False))
    return render(request, "livelihood/teams.html", {"page": page, "can_change": access.can(request.user, "livelihood.change")})


# --- emergencies ---

@login_required
def emergencies(request):
    access.require(request.user, "livelihood.view")
    services.emergency_escalate_overdue()
    board = selectors.emergency_board(actor=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "livelihood/_board.html", {"board": board, "now": clock.now()})
    if fmt := wants(request):
        return web_download(request, lambda: exports.emergencies_export(actor=request.user, fmt=fmt, filters=request.GET))
    if request.method == "POST":
        e = forms.EmergencyForm(request.POST).submit(request, lambda person, **data: services.emergency_create(
            actor=request.user, person_id=_person_from(request, person), household_id=None, **data), success=_("Emergency opened."))
        if e is not REFUSED:
            return redirect("livelihood:emergency", pk=e.pk)
    recent = page_of(request, selectors.emergency_list(actor=request.user).exclude(status__in=selectors.OPEN_EMERGENCY), 20)
    return render(request, "livelihood/emergencies.html", {
        "board": board, "now": clock.now(), "kinds": enums.EmergencyKind.choices, "page": recent,
        "recent": [selectors.emergency_card(e, actor=request.user) for e in recent.object_list],
        "can_change": access.can(request.user, "livelihood.change"),
    })


@login_required
def emergency(request, pk: int):
    if request.method == "POST":
        return record_post(request, lambda action: selectors.emergency_get(actor=request.user, pk=pk, action=action), {
            "acknowledge": lambda e: perform(request, lambda: services.emergency_acknowledge(actor=request.user, emergency=e),
                                             success=_("Acknowledged.")),
            "dispatch": lambda e: forms.DispatchForm(request.POST).submit(request, lambda **data: services.emergency_dispatch(
                actor=request.user, emergency=e, **data), success=_("Dispatch recorded.")),
            "close": lambda e: forms.OutcomeForm(request.POST).submit(request, lambda outcome: services.emergency_close(
                actor=request.user, emergency=e, outcome=outcome), success=_("Closed.")),
        }, back="livelihood:emergency")
    e = selectors.emergency_get(actor=request.user, pk=pk)
    unmask = asks_unmask(request)
    if unmask and not access.can_unmask(request.user, e.region_path):
        raise PermissionDenied("people.unmask")
    return render(request, "livelihood/emergency.html", {
        "e": e, "c": selectors.emergency_card(e, actor=request.user, unmask=unmask),
        "escalations": selectors.escalations_of(actor=request.user, emergency=e), "dispatch_kinds": enums.DispatchKind.choices,
        "can_change": access.can(request.user, "livelihood.change", e.region_path),
        "can_unmask": access.can_unmask(request.user, e.region_path), "active": e.status in selectors.OPEN_EMERGENCY,
        "closed": e.status == enums.EmergencyStatus.CLOSED,
    })


# --- heating and essentials ---

@login_required
def essentials(request):
    access.require(request.user, "livelihood.view")
    if request.method == "POST":
        form = request.POST.get("form")
        who = request.user
        if form == "incident":
            forms.IncidentForm(request.POST).submit(request, lambda households, **data: services.incident_create(
                actor=who, households_affected=households, **data), success=_("Ticket opened."))
        elif form == "incident_status":
            forms.IncidentStatusForm(request.POST).submit(request, lambda pk, **data: services.incident_update(
                actor=who, incident=selectors.incident_get(actor=who, pk=pk, action="change"), **data), success=_("Ticket updated."))
        elif form == "point":
            forms.SupplyPointForm(request.POST).submit(request, lambda **data: services.supply_point_create(actor=who, **data),
                                                       success=_("Supply point registered."))
        elif form == "stock":
            forms.StockForm(request.POST).submit(request, lambda pk, **data: services.supply_point_stock(
                actor=who, point=selectors.supply_point_get(actor=who, pk=pk, action="change"), **data),
                success=_("Stock status updated."))
        return redirect("livelihood:essentials")
    # two lists on one page: tickets (status, kind; active ones unless a status is chosen) and supply points (short)
    points = {"short": request.GET.get("short")}
    if (fmt := wants(request)) and request.GET.get("export") == "points":
        return web_download(request, lambda: exports.supply_points_export(actor=request.user, fmt=fmt, filters=points))
    return list_page(request, "livelihood/essentials.html", per_page=30,
                     rows=lambda f: selectors.incident_list(actor=request.user, filters=_tickets(f)),
                     export=lambda fmt, filters: exports.incidents_export(actor=request.user, fmt=fmt, filters=_tickets(filters)),
                     context=lambda listed: {
        "points": page_of(request, selectors.supply_point_list(actor=request.user, filters=points), 30), "now": clock.now(),
        "incident_kinds": enums.IncidentKind.choices, "incident_statuses": enums.IncidentStatus.choices,
        "point_kinds": enums.SupplyPointKind.choices, "levels": enums.StockLevel.choices, "stock_fields": SupplyPoint.STOCK_FIELDS,
        "can_change": access.can(request.user, "livelihood.change"),
    })


def _tickets(filters) -> dict:
    return {"status": filters.get("status") or "active", "kind": filters.get("kind")}


# --- key enterprises ---

@login_required
def enterprises(request):
    access.require(request.user, "livelihood.view")
    if request.method == "POST":
        ent = forms.EnterpriseForm(request.POST).submit(request, lambda **data: services.enterprise_create(actor=request.user, **data),
                                                        success=_("Enterprise registered."))
        if ent is not REFUSED:
            return redirect("livelihood:enterprise", pk=ent.pk)
    return list_page(request, "livelihood/enterprises.html", rows=lambda f: selectors.enterprise_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.enterprises_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "sectors": enums.Sector.choices,
        "can_change": access.can(request.user, "livelihood.change"),
    })


@login_required
def _plan_draft(request, ent):
    """Draft a closed-loop plan and show it."""
    plan = forms.PlanForm(request.POST).submit(request, lambda **data: services.plan_create(actor=request.user, enterprise=ent, **data),
                                               success=_("Plan drafted."))
    return plan if plan is REFUSED else redirect("livelihood:plan", pk=plan.pk)


@login_required
def enterprise(request, pk: int):
    if request.method == "POST":
        # whitelisting needs livelihood.approve, which the service checks
        return record_post(request, lambda right: selectors.enterprise_get(actor=request.user, pk=pk, action=right), {
            "whitelist": lambda ent: forms.WhitelistForm(request.POST).submit(request, lambda on: services.enterprise_whitelist(
                actor=request.user, enterprise=ent, on=on), success=_("Whitelist updated.")),
            "plan": lambda ent: _plan_draft(request, ent),
        }, back="livelihood:enterprise", rights={"whitelist": "view"})
    ent = selectors.enterprise_get(actor=request.user, pk=pk)
    return render(request, "livelihood/enterprise.html", {
        "ent": ent, "plans": ent.plans.order_by("-start"), "liaison": pii.mask_name(ent.liaison),
        "liaison_phone": pii.mask_phone(ent.liaison_phone),
        "can_change": access.can(request.user, "livelihood.change", ent.region_path),
        "can_approve": access.can(request.user, "livelihood.approve", ent.region_path),
    })


def _roster_add(request, form, plan) -> None:
    """Add the pasted roster; a refusal lists the first bad rows by number and field."""
    if not form.is_valid():
        messages.error(request, form.error_summary())
        return
    try:
        r = services.plan_staff_add(actor=request.user, plan=plan, rows=form.cleaned_data["rows"])
    except ServiceError as exc:
        messages.error(request, exc.message + " " + "; ".join(
            f"{_('row')} {f.get('row')}: {f['field']} {f['message']}" for f in exc.fields[:10]))
        return
    messages.success(request, _("%(added)d of %(rows)d rows added.") % r)


@login_required
def plan(request, pk: int):
    if request.method == "POST":
        # activating needs livelihood.approve, which the service checks; a test is recorded under the staff member's right
        return record_post(request, lambda right: selectors.plan_get(actor=request.user, pk=pk, action=right), {
            "staff": lambda p: _roster_add(request, forms.RosterForm(request.POST), p),
            "activate": lambda p: perform(request, lambda: services.plan_activate(actor=request.user, plan=p),
                                          success=_("Closed loop started; passes issued.")),
            "end": lambda p: perform(request, lambda: services.plan_end(actor=request.user, plan=p), success=_("Closed loop ended.")),
            "test": lambda p: forms.StaffTestForm(request.POST).submit(request, lambda staff, **data: services.staff_test_record(
                actor=request.user, staff=selectors.staff_get(actor=request.user, pk=staff, action="change"), **data),
                success=_("Test recorded.")),
        }, back="livelihood:plan", rights={"activate": "view", "test": "view"})
    p = selectors.plan_get(actor=request.user, pk=pk)
    return render(request, "livelihood/plan.html", {
        "p": p, "roster": selectors.plan_roster(actor=request.user, plan=p), "today": clock.today(),
        "can_change": access.can(request.user, "livelihood.change", p.region_path),
        "can_approve": access.can(request.user, "livelihood.approve", p.region_path),
    })


# --- public portal (no login) ---

def portal(request):
    """Residents file a household need or an emergency after identifying by ID number and phone."""
    done = None
    form = forms.PortalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        result = form.submit(request, _portal_file)
        if result is not REFUSED:
            done = result
    return render(request, "livelihood/portal.html", {"need_kinds": enums.NeedKind.choices, "emergency_kinds": enums.EmergencyKind.choices,
                                                      "done": done, "form": form.data})


def _portal_file(*, kind: str, **args) -> str:
    """File a resident's emergency or need; the answer says what happens next."""
    if kind in enums.EmergencyKind.values:
        e = services.emergency_portal(kind=kind, **args)
        return _("Your emergency request #%(id)d was received. Someone will call you within %(m)d minutes.") % {
            "id": e.pk, "m": int((e.ack_deadline - e.created_at).total_seconds() // 60)}
    n = services.need_portal(kind=kind, **args)
    return _("Your request #%(id)d was received; it is due by %(when)s.") % {
        "id": n.pk, "when": clock.local(n.deadline).strftime("%m-%d %H:%M")}


@require_POST
@login_required
def escalate(request):
    """Run the escalation check now (HQ button)."""
    access.require(request.user, "livelihood.change")
    perform(request, services.emergency_escalate_overdue, success=lambda n: _("%(n)d escalation step(s) taken.") % {"n": n})
    return redirect("livelihood:emergencies")
