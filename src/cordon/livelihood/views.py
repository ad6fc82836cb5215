"""Livelihood screens: household needs and delivery, the emergency board (HQ screen, htmx refresh),
utility incidents and supply points, key enterprises with closed-loop plans, and the public portal
(no login: a resident identifies by ID number and phone)."""

import datetime as dt

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
from cordon.core.pages import page_of
from cordon.livelihood import exports, selectors, services
from cordon.livelihood.enums import (
    DispatchKind,
    EmergencyKind,
    EmergencyStatus,
    IncidentKind,
    IncidentStatus,
    NeedKind,
    NeedStatus,
    Sector,
    StockLevel,
    SupplyPointKind,
)
from cordon.livelihood.models import SupplyPoint
from cordon.people import selectors as people_selectors


def _run(request, fn, ok: str):
    """Call a service; show its refusal as a message instead of an error page."""
    try:
        result = fn()
    except ServiceError as exc:
        messages.error(request, _(exc.message))
        return None
    messages.success(request, ok)
    return result


def _household_from(request, raw: str):
    """A household from its number, or from a resident's ID number or phone."""
    raw = (raw or "").strip()
    if raw.isdigit() and len(raw) < 11:
        return int(raw)
    person = people_selectors.person_list(actor=request.user, q=raw).first() if raw else None
    return person.household_id if person else None


@login_required
def index(request):
    access.require(request.user, "livelihood.view")
    f = {"status": request.GET.get("status") or None, "kind": request.GET.get("kind") or None,
         "team_id": int(request.GET["team"]) if request.GET.get("team", "").isdigit() else None,
         "overdue": request.GET.get("overdue") == "1"}
    qs = selectors.need_list(actor=request.user, **f)
    if fmt := wants(request):
        return web_download(request, lambda: exports.needs_export(actor=request.user, fmt=fmt, unmask=request.GET.get("unmask") == "1", **f))
    if request.method == "POST":
        hh = _household_from(request, request.POST.get("household", ""))
        need = _run(request, lambda: services.need_create(actor=request.user, household_id=hh, kind=request.POST.get("kind"),
                                                          detail=request.POST.get("detail", "")), _("Need filed."))
        if need:
            return redirect("livelihood:need", pk=need.pk)
    page = page_of(request, qs)
    now = clock.now()
    rows = [selectors.need_row(n, now=now) for n in page.object_list]
    template = "livelihood/_need_rows.html" if request.headers.get("HX-Request") else "livelihood/index.html"
    return render(request, template, {
        "page": page, "rows": rows, "filters": request.GET, "kinds": NeedKind.choices, "statuses": NeedStatus.choices,
        "summary": selectors.summary(actor=request.user), "teams": selectors.team_list(actor=request.user)[:100],
        "can_change": access.can(request.user, "livelihood.change"),
    })


@login_required
def need(request, pk: int):
    n = selectors.need_get(actor=request.user, pk=pk)
    if request.method == "POST":
        n = selectors.need_get(actor=request.user, pk=pk, action="change")
        action = request.POST.get("action")
        if action == "assign":
            _run(request, lambda: services.need_assign(actor=request.user, need=n, team_id=request.POST.get("team")), _("Assigned."))
        elif action == "deliver":
            _run(request, lambda: services.need_deliver(actor=request.user, need=n, proof=request.FILES.get("proof"),
                                                        note=request.POST.get("note", "")), _("Delivery recorded."))
        elif action == "cancel":
            _run(request, lambda: services.need_cancel(actor=request.user, need=n, reason=request.POST.get("reason", "")), _("Cancelled."))
        return redirect("livelihood:need", pk=pk)
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
        _run(request, lambda: services.team_create(actor=request.user, name=request.POST.get("name", ""),
                                                   region_id=request.POST.get("region_id"), leader=request.POST.get("leader", ""),
                                                   phone=request.POST.get("phone", ""), members=request.POST.get("members") or 2),
             _("Team registered."))
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
        return web_download(request, lambda: exports.emergencies_export(actor=request.user, fmt=fmt, status=request.GET.get("status") or None))
    if request.method == "POST":
        raw = (request.POST.get("person") or "").strip()
        person = people_selectors.person_list(actor=request.user, q=raw).first() if raw else None
        if raw.isdigit() and len(raw) < 11:
            person = people_selectors.person_list(actor=request.user).filter(pk=int(raw)).first()
        e = _run(request, lambda: services.emergency_create(actor=request.user, kind=request.POST.get("kind"),
                                                            person_id=person.pk if person else None,
                                                            household_id=None, phone=request.POST.get("phone", ""),
                                                            detail=request.POST.get("detail", "")), _("Emergency opened."))
        if e:
            return redirect("livelihood:emergency", pk=e.pk)
    recent = page_of(request, selectors.emergency_list(actor=request.user).exclude(status__in=selectors.OPEN_EMERGENCY), 20)
    return render(request, "livelihood/emergencies.html", {
        "board": board, "now": clock.now(), "kinds": EmergencyKind.choices, "page": recent,
        "recent": [selectors.emergency_card(e, actor=request.user) for e in recent.object_list],
        "can_change": access.can(request.user, "livelihood.change"),
    })


@login_required
def emergency(request, pk: int):
    e = selectors.emergency_get(actor=request.user, pk=pk)
    if request.method == "POST":
        e = selectors.emergency_get(actor=request.user, pk=pk, action="change")
        action = request.POST.get("action")
        if action == "acknowledge":
            _run(request, lambda: services.emergency_acknowledge(actor=request.user, emergency=e), _("Acknowledged."))
        elif action == "dispatch":
            _run(request, lambda: services.emergency_dispatch(actor=request.user, emergency=e,
                                                              dispatch_kind=request.POST.get("dispatch_kind", ""),
                                                              hospital=request.POST.get("hospital", ""),
                                                              vehicle=request.POST.get("vehicle", "")), _("Dispatch recorded."))
        elif action == "close":
            _run(request, lambda: services.emergency_close(actor=request.user, emergency=e, outcome=request.POST.get("outcome", "")),
                 _("Closed."))
        return redirect("livelihood:emergency", pk=pk)
    unmask = request.GET.get("unmask") == "1"
    if unmask and not access.can_unmask(request.user, e.region_path):
        raise PermissionDenied("people.unmask")
    return render(request, "livelihood/emergency.html", {
        "e": e, "c": selectors.emergency_card(e, actor=request.user, unmask=unmask),
        "escalations": selectors.escalations_of(actor=request.user, emergency=e), "dispatch_kinds": DispatchKind.choices,
        "can_change": access.can(request.user, "livelihood.change", e.region_path),
        "can_unmask": access.can_unmask(request.user, e.region_path), "active": e.status in selectors.OPEN_EMERGENCY,
        "closed": e.status == EmergencyStatus.CLOSED,
    })


# --- heating and essentials ---

@login_required
def essentials(request):
    access.require(request.user, "livelihood.view")
    if request.method == "POST":
        form = request.POST.get("form")
        if form == "incident":
            _run(request, lambda: services.incident_create(actor=request.user, kind=request.POST.get("kind"),
                                                           region_id=request.POST.get("region_id"), address=request.POST.get("address", ""),
                                                           detail=request.POST.get("detail", ""),
                                                           households_affected=request.POST.get("households") or 1), _("Ticket opened."))
        elif form == "incident_status":
            inc = selectors.incident_get(actor=request.user, pk=int(request.POST.get("pk", 0)), action="change")
            _run(request, lambda: services.incident_update(actor=request.user, incident=inc, status=request.POST.get("status"),
                                                           resolution=request.POST.get("resolution", "")), _("Ticket updated."))
        elif form == "point":
            _run(request, lambda: services.supply_point_create(actor=request.user, name=request.POST.get("name", ""),
                                                               kind=request.POST.get("kind"), region_id=request.POST.get("region_id"),
                                                               address=request.POST.get("address", "")), _("Supply point registered."))
        elif form == "stock":
            sp = selectors.supply_point_get(actor=request.user, pk=int(request.POST.get("pk", 0)), action="change")
            levels = {f: request.POST[f] for f in SupplyPoint.STOCK_FIELDS if request.POST.get(f)}
            _run(request, lambda: services.supply_point_stock(actor=request.user, point=sp, levels=levels,
                                                              open=request.POST.get("open") == "1"), _("Stock status updated."))
        return redirect("livelihood:essentials")
    f = {"status": request.GET.get("status") or "active", "kind": request.GET.get("kind") or None}
    short = request.GET.get("short") == "1"
    if (fmt := wants(request)) and request.GET.get("export") == "points":
        return web_download(request, lambda: exports.supply_points_export(actor=request.user, fmt=fmt, short=short))
    if fmt:
        return web_download(request, lambda: exports.incidents_export(actor=request.user, fmt=fmt, **f))
    page = page_of(request, selectors.incident_list(actor=request.user, **f), 30)
    points_page = page_of(request, selectors.supply_point_list(actor=request.user, short=short), 30)
    return render(request, "livelihood/essentials.html", {
        "page": page, "points": points_page, "filters": request.GET, "now": clock.now(),
        "incident_kinds": IncidentKind.choices, "incident_statuses": IncidentStatus.choices,
        "point_kinds": SupplyPointKind.choices, "levels": StockLevel.choices, "stock_fields": SupplyPoint.STOCK_FIELDS,
        "can_change": access.can(request.user, "livelihood.change"),
    })


# --- key enterprises ---

@login_required
def enterprises(request):
    access.require(request.user, "livelihood.view")
    if request.method == "POST":
        ent = _run(request, lambda: services.enterprise_create(
            actor=request.user, name=request.POST.get("name", ""), credit_code=request.POST.get("credit_code", ""),
            sector=request.POST.get("sector"), region_id=request.POST.get("region_id"), address=request.POST.get("address", ""),
            liaison=request.POST.get("liaison", ""), liaison_phone=request.POST.get("liaison_phone", "")), _("Enterprise registered."))
        if ent:
            return redirect("livelihood:enterprise", pk=ent.pk)
    f = {"sector": request.GET.get("sector") or None, "whitelisted": {"1": True, "0": False}.get(request.GET.get("whitelisted"))}
    if fmt := wants(request):
        return web_download(request, lambda: exports.enterprises_export(actor=request.user, fmt=fmt, **f))
    return render(request, "livelihood/enterprises.html", {
        "page": page_of(request, selectors.enterprise_list(actor=request.user, **f)), "filters": request.GET, "sectors": Sector.choices,
        "can_change": access.can(request.user, "livelihood.change"),
    })


@login_required
def enterprise(request, pk: int):
    ent = selectors.enterprise_get(actor=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "whitelist":
            _run(request, lambda: services.enterprise_whitelist(actor=request.user, enterprise=ent, on=request.POST.get("on") == "1"),
                 _("Whitelist updated."))
        elif action == "plan":
            ent = selectors.enterprise_get(actor=request.user, pk=pk, action="change")
            plan = _run(request, lambda: services.plan_create(
                actor=request.user, enterprise=ent, start=_date(request.POST.get("start"), "start"),
                end=_date(request.POST.get("end"), "end"), dormitory=request.POST.get("dormitory", ""),
                test_every_days=request.POST.get("test_every_days") or None), _("Plan drafted."))
            if plan:
                return redirect("livelihood:plan", pk=plan.pk)
        return redirect("livelihood:enterprise", pk=pk)
    return render(request, "livelihood/enterprise.html", {
        "ent": ent, "plans": ent.plans.order_by("-start"), "liaison": pii.mask_name(ent.liaison),
        "liaison_phone": pii.mask_phone(ent.liaison_phone),
        "can_change": access.can(request.user, "livelihood.change", ent.region_path),
        "can_approve": access.can(request.user, "livelihood.approve", ent.region_path),
    })


def _date(raw, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        raise ServiceError.field(field, "must be a date (YYYY-MM-DD)") from None


def _roster_rows(text: str) -> list[dict]:
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("，", ",").split(",")]
        cells += [""] * (6 - len(cells))
        rows.append(dict(zip(["name", "id_number", "phone", "role", "dorm_room", "vehicle"], cells[:6], strict=True)))
    return rows


@login_required
def plan(request, pk: int):
    p = selectors.plan_get(actor=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "staff":
            p = selectors.plan_get(actor=request.user, pk=pk, action="change")
            try:
                r = services.plan_staff_add(actor=request.user, plan=p, rows=_roster_rows(request.POST.get("rows", "")))
                messages.success(request, _("%(added)d of %(rows)d rows added.") % r)
            except ServiceError as exc:
                messages.error(request, exc.message + " " + "; ".join(
                    f"{_('row')} {f.get('row')}: {f['field']} {f['message']}" for f in exc.fields[:10]))
        elif action == "activate":
            _run(request, lambda: services.plan_activate(actor=request.user, plan=p), _("Closed loop started; passes issued."))
        elif action == "end":
            p = selectors.plan_get(actor=request.user, pk=pk, action="change")
            _run(request, lambda: services.plan_end(actor=request.user, plan=p), _("Closed loop ended."))
        elif action == "test":
            staff = selectors.staff_get(actor=request.user, pk=int(request.POST.get("staff", 0)), action="change")
            _run(request, lambda: services.staff_test_record(actor=request.user, staff=staff,
                                                             tested_on=_date(request.POST.get("tested_on"), "tested_on"),
                                                             negative=request.POST.get("negative") == "1"), _("Test recorded."))
        return redirect("livelihood:plan", pk=pk)
    return render(request, "livelihood/plan.html", {
        "p": p, "roster": selectors.plan_roster(actor=request.user, plan=p), "today": clock.today(),
        "can_change": access.can(request.user, "livelihood.change", p.region_path),
        "can_approve": access.can(request.user, "livelihood.approve", p.region_path),
    })


# --- public portal (no login) ---

def portal(request):
    """Residents file a household need or an emergency after identifying by ID number and phone."""
    done = None
    if request.method == "POST":
        args = {"id_number": request.POST.get("id_number", ""), "phone": request.POST.get("phone", ""),
                "kind": request.POST.get("kind", ""), "detail": request.POST.get("detail", "")}
        try:
            if args["kind"] in EmergencyKind.values:
                e = services.emergency_portal(**args)
                done = _("Your emergency request #%(id)d was received. Someone will call you within %(m)d minutes.") % {
                    "id": e.pk, "m": int((e.ack_deadline - e.created_at).total_seconds() // 60)}
            else:
                n = services.need_portal(**args)
                done = _("Your request #%(id)d was received; it is due by %(when)s.") % {
                    "id": n.pk, "when": clock.local(n.deadline).strftime("%m-%d %H:%M")}
        except ServiceError as exc:
            messages.error(request, _(exc.message))
    return render(request, "livelihood/portal.html", {"need_kinds": NeedKind.choices, "emergency_kinds": EmergencyKind.choices,
                                                      "done": done, "form": request.POST})


@require_POST
@login_required
def escalate(request):
    """Run the escalation check now (HQ button)."""
    access.require(request.user, "livelihood.change")
    n = services.emergency_escalate_overdue()
    messages.success(request, _("%(n)d escalation step(s) taken.") % {"n": n})
    return redirect("livelihood:emergencies")
