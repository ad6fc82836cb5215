"""Command screens: tasks, responsibilities and a person's duties, inspections and the ledger, accountability,
dispatch. The dashboard and the daily reports are reports.views (same /command/ prefix)."""

import datetime as dt
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.command import exports, selectors, services
from cordon.command.enums import LedgerStatus, MatchStatus, ObjectType, PostSide, Resource, Severity
from cordon.core import access, clock, policy
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.regions import selectors as region_selectors


def _need(request, perm="command.view"):
    if not access.can(request.user, perm):
        raise PermissionDenied(perm)


def _dt(value):
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ServiceError.field("deadline", _("not a date and time")) from None
    return clock.aware(parsed) if timezone.is_naive(parsed) else parsed


def _date(value, field):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ServiceError.field(field, _("not a date (YYYY-MM-DD)")) from None


def _act(request, fn, success: str, back: str):
    try:
        fn()
        messages.success(request, success)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(back)


# --- tasks ---------------------------------------------------------------------------------------------

def _task_filters(request) -> dict:
    g = request.GET
    return {"status": g.get("status") or None, "overdue": g.get("overdue") == "1", "kind": g.get("kind") or None,
            "owner_id": int(g["owner"]) if g.get("owner", "").isdigit() else None, "region_path": g.get("region") or None,
            "priority": int(g["priority"]) if g.get("priority", "").isdigit() else None, "escalated": g.get("escalated") == "1",
            "q": g.get("q") or None}


@login_required
def tasks(request):
    _need(request)
    qs = selectors.task_list(actor=request.user, **_task_filters(request))
    if fmt := wants(request):
        return web_download(request, lambda: exports.tasks_export(actor=request.user, fmt=fmt, **_task_filters(request)))
    page = page_of(request, qs)
    template = "command/_task_rows.html" if request.headers.get("HX-Request") else "command/tasks.html"
    return render(request, template, {"page": page, "filters": request.GET, "now": clock.now(),
                                      "users": selectors.user_choices(actor=request.user),
                                      "can_change": access.can(request.user, "command.change")})


@login_required
def task_new(request):
    _need(request, "command.change")
    if request.method == "POST":
        p = request.POST
        try:
            t = services.task_create_manual(actor=request.user, title=p.get("title", ""), region_path=p.get("region_path", ""),
                                            deadline=_dt(p.get("deadline")), owner_id=p.get("owner") or None,
                                            deputy_id=p.get("deputy") or None, priority=int(p.get("priority") or 3), detail=p.get("detail", ""))
            messages.success(request, _("Task filed."))
            return redirect("command:task", pk=t.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "command/task_new.html", {"users": selectors.user_choices(actor=request.user),
                                                     "regions": region_selectors.region_list(actor=request.user).filter(level__lte=5)[:500],
                                                     "form": request.POST})


@login_required
def task(request, pk: int):
    t = selectors.task_get(actor=request.user, pk=pk)
    resp = selectors.responsibility_list(actor=request.user, object_type="task").filter(object_id=str(t.pk)).first()
    return render(request, "command/task.html", {"t": t, "resp": resp, "now": clock.now(),
                                                 "users": selectors.user_choices(actor=request.user),
                                                 "can_change": access.can(request.user, "command.change", t.region_path)})


@login_required
@require_POST
def task_action(request, pk: int, action: str):
    t = selectors.task_get(actor=request.user, pk=pk, action="change")
    back = reverse("command:task", args=[pk])
    p = request.POST
    fns = {
        "start": (lambda: services.task_start(actor=request.user, task=t), _("Task started.")),
        "close": (lambda: services.task_close(actor=request.user, task=t, result=p.get("result", "")), _("Task closed.")),
        "cancel": (lambda: services.task_close(actor=request.user, task=t, result=p.get("result", ""), cancelled=True), _("Task cancelled.")),
        "escalate": (lambda: services.task_escalate(actor=request.user, task=t, reason="manual"), _("Escalated to the superior post.")),
        "reassign": (lambda: services.task_reassign(actor=request.user, task=t, owner_id=p.get("owner") or None), _("Task reassigned.")),
    }
    if action not in fns:
        raise PermissionDenied(action)
    fn, ok = fns[action]
    return _act(request, fn, ok, request.POST.get("next") or back)


@login_required
def task_stats(request):
    _need(request)
    by = request.GET.get("by", "owner") if request.GET.get("by") in ("owner", "district", "street") else "owner"
    since = _date(request.GET["since"], "since") if request.GET.get("since") else None
    until = _date(request.GET["until"], "until") if request.GET.get("until") else None
    period = {"since": clock.day_start(since) if since else None,  # from the first day 0h to the day after the last, 0h
              "until": clock.day_start(until + dt.timedelta(days=1)) if until else None}
    rows = selectors.task_stats(actor=request.user, by=by, **period)
    if fmt := wants(request):
        return web_download(request, lambda: exports.task_stats_export(actor=request.user, by=by, fmt=fmt, **period))
    return render(request, "command/task_stats.html", {"rows": rows, "by": by, "filters": request.GET})


# --- responsibility ---------------------------------------------------------------------------------------

@login_required
def responsibilities(request):
    _need(request)
    if request.method == "POST":
        p = request.POST
        try:
            services.responsibility_assign(actor=request.user, object_type=p.get("object_type", ""), object_id=p.get("object_id", ""),
                                           region_path=p.get("region_path", ""), label=p.get("label", ""),
                                           responsible_id=p.get("responsible") or None, deputy_id=p.get("deputy") or None,
                                           phone=p.get("phone", ""))
            messages.success(request, _("Responsibility assigned."))
            return redirect("command:responsibilities")
        except ServiceError as exc:
            messages.error(request, exc.message)
    filters = {"object_type": request.GET.get("type") or None, "q": request.GET.get("q") or None}
    qs = selectors.responsibility_list(actor=request.user, **filters)
    if fmt := wants(request):
        return web_download(request, lambda: exports.responsibilities_export(actor=request.user, fmt=fmt, unmask=request.GET.get("unmask") == "1",
                                                                             **filters))
    return render(request, "command/responsibilities.html", {
        "page": page_of(request, qs), "filters": request.GET, "types": ObjectType.choices,
        "users": selectors.user_choices(actor=request.user), "can_change": access.can(request.user, "command.change")})


@login_required
def duties(request, user_id: int):
    _need(request)
    return render(request, "command/duties.html", {"d": selectors.duties_of(actor=request.user, user_id=user_id), "now": clock.now()})


# --- supervision ledger --------------------------------------------------------------------------------------

@login_required
def ledger(request):
    _need(request)
    g = request.GET
    filters = {"status": g.get("status") or None, "severity": g.get("severity") or None,
               "public": True if g.get("public") == "1" else None, "overdue": g.get("overdue") == "1", "region_path": g.get("region") or None}
    qs = selectors.ledger_list(actor=request.user, **filters)
    if fmt := wants(request):
        return web_download(request, lambda: exports.ledger_export(actor=request.user, fmt=fmt, **filters))
    return render(request, "command/ledger.html", {
        "page": page_of(request, qs), "filters": g, "now": clock.now(), "statuses": LedgerStatus.choices,
        "severities": Severity.choices, "inspections": selectors.inspection_list(actor=request.user)[:10],
        "can_change": access.can(request.user, "command.change")})


@login_required
def inspection_new(request):
    _need(request, "command.change")
    checklist = policy.in_force().get("command.checklist", []) or []
    if request.method == "POST":
        p = request.POST
        findings = []
        for n in range(1, 6):
            if p.get(f"f{n}_title", "").strip() or p.get(f"f{n}_owner"):
                findings.append({"title": p.get(f"f{n}_title", ""), "severity": p.get(f"f{n}_severity") or "minor",
                                 "owner_id": p.get(f"f{n}_owner") or None, "deadline": p.get(f"f{n}_deadline") or None,
                                 "detail": p.get(f"f{n}_detail", "")})
        items = [{"item": text, "ok": p.get(f"c{n}") == "ok", "note": p.get(f"c{n}_note", "")} for n, text in enumerate(checklist)]
        try:
            insp = services.inspection_record(actor=request.user, region_path=p.get("region_path", ""), place=p.get("place", ""),
                                              at=p.get("at") or None, checklist=items, note=p.get("note", ""), findings=findings)
            messages.success(request, _("Inspection recorded with %(n)d findings on the ledger.") % {"n": insp.items.count()})
            return redirect("command:ledger")
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "command/inspection_new.html", {
        "checklist": checklist, "users": selectors.user_choices(actor=request.user), "severities": Severity.choices,
        "regions": region_selectors.region_list(actor=request.user)[:500], "form": request.POST, "rows": range(1, 6)})


@login_required
def ledger_item(request, pk: int):
    item = selectors.ledger_get(actor=request.user, pk=pk)
    return render(request, "command/ledger_item.html", {
        "i": item, "evidence": item.evidence.all(), "now": clock.now(),
        "can_change": access.can(request.user, "command.change", item.region_path),
        "can_flag": access.can(request.user, "command.approve", item.region_path)})


@login_required
def ledger_evidence(request, pk: int, evidence_id: int):
    """One evidence file of a ledger item, served only to those who may see the item (media is never public)."""
    item = selectors.ledger_get(actor=request.user, pk=pk)
    evidence = item.evidence.filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404("no such evidence")
    try:
        fh = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("the evidence file is missing from storage") from None
    ctype = mimetypes.guess_type(evidence.file.name)[0] or "application/octet-stream"
    inline = ctype.startswith("image/") or ctype == "application/pdf"
    response = FileResponse(fh, content_type=ctype, as_attachment=not inline, filename=evidence.name or evidence.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def ledger_action(request, pk: int, action: str):
    item = selectors.ledger_get(actor=request.user, pk=pk, action="change")
    p = request.POST
    fns = {
        "rectify": (lambda: services.ledger_rectify(actor=request.user, item=item, rectification=p.get("rectification", "")),
                    _("Rectification reported.")),
        "pass": (lambda: services.ledger_reinspect(actor=request.user, item=item, passed=True, note=p.get("note", "")),
                 _("Re-inspection passed: item closed.")),
        "fail": (lambda: services.ledger_reinspect(actor=request.user, item=item, passed=False, note=p.get("note", ""),
                                                   new_deadline=p.get("new_deadline") or None), _("Re-inspection failed: item reopened.")),
        "flag": (lambda: services.ledger_flag(actor=request.user, item=item, public=p.get("public") == "1"), _("Public tracking updated.")),
        "evidence": (lambda: services.evidence_add(actor=request.user, item=item, upload=request.FILES.get("file"),
                                                   stage=p.get("stage", "finding")), _("Evidence uploaded.")),
    }
    if action not in fns:
        raise PermissionDenied(action)
    fn, ok = fns[action]
    return _act(request, fn, ok, reverse("command:ledger_item", args=[pk]))


@login_required
def accountability(request):
    _need(request)
    today = clock.today()
    try:
        start = _date(request.GET["start"], "start") if request.GET.get("start") else today - dt.timedelta(days=13)
        end = _date(request.GET["end"], "end") if request.GET.get("end") else today
    except ServiceError as exc:
        messages.error(request, exc.message)
        start, end = today - dt.timedelta(days=13), today
    by = "street" if request.GET.get("by") == "street" else "district"
    rows = selectors.accountability_report(actor=request.user, start=start, end=end, by=by)
    if fmt := wants(request):
        return web_download(request, lambda: exports.accountability_export(actor=request.user, start=start, end=end, by=by, fmt=fmt))
    return render(request, "command/accountability.html", {"rows": rows, "start": start, "end": end, "by": by})


# --- dispatch ------------------------------------------------------------------------------------------------

@login_required
def dispatch(request):
    _need(request)
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("suggest"):
                made = services.dispatch_suggest(actor=request.user)
                messages.success(request, _("%(n)d loans suggested.") % {"n": len(made)})
            else:
                services.dispatch_post(actor=request.user, side=p.get("side", ""), resource=p.get("resource", ""), quantity=p.get("quantity"),
                                       region_path=p.get("region_path", ""), start=_date(p.get("start"), "start"),
                                       end=_date(p.get("end"), "end"), note=p.get("note", ""))
                messages.success(request, _("Posted."))
            return redirect("command:dispatch")
        except ServiceError as exc:
            messages.error(request, exc.message)
    g = request.GET
    posts = selectors.dispatch_posts(actor=request.user, side=g.get("side") or None, resource=g.get("resource") or None,
                                     status=g.get("status") or None)
    matches = selectors.dispatch_matches(actor=request.user, status=g.get("match_status") or None)
    if fmt := wants(request):
        return web_download(request, lambda: exports.dispatch_export(actor=request.user, fmt=fmt, status=g.get("match_status") or None))
    names = {r["path"]: r["name"] for r in region_selectors.city_map()["districts"]}
    page = page_of(request, posts)
    for p in page.object_list:
        p.district_name = names.get(p.region_path, p.region_path)
    matches = list(matches[:100])
    for m in matches:
        m.lender_name, m.borrower_name = names.get(m.region_path, m.region_path), names.get(m.borrower_path, m.borrower_path)
    return render(request, "command/dispatch.html", {
        "page": page, "matches": matches, "filters": g, "sides": PostSide.choices,
        "resources": Resource.choices, "match_statuses": MatchStatus.choices, "today": clock.today(),
        "districts": region_selectors.region_list(actor=request.user, level=2),
        "can_change": access.can(request.user, "command.change"), "can_approve": access.can(request.user, "command.approve")})


@login_required
@require_POST
def match_action(request, pk: int, action: str):
    p = request.POST
    if action in ("approve", "reject"):
        m = selectors.dispatch_match_get(actor=request.user, pk=pk, action="approve")
        fn = lambda: services.dispatch_decide(actor=request.user, match=m, approve=action == "approve", note=p.get("note", ""))  # noqa: E731
        ok = _("Loan approved.") if action == "approve" else _("Suggestion rejected.")
    elif action == "advance":
        m = selectors.dispatch_match_get(actor=request.user, pk=pk, action="change")
        fn, ok = (lambda: services.dispatch_advance(actor=request.user, match=m)), _("Loan updated.")
    else:
        raise PermissionDenied(action)
    return _act(request, fn, ok, reverse("command:dispatch"))
