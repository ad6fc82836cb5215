"""Command screens: tasks, responsibilities and a person's duties, inspections and the ledger, accountability,
dispatch. The dashboard and the daily reports are reports.views (same /command/ prefix). Input goes through
command.forms, list filters through command.filters (core.pages.listing)."""

import datetime as dt
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.command import exports, forms, selectors, services
from cordon.command.enums import (
    LEDGER_LIFECYCLE,
    LedgerStatus,
    MatchStatus,
    ObjectType,
    PostSide,
    Resource,
    Severity,
)
from cordon.command.models import TASK_LIFECYCLE, TASK_VERBS, Priority, TaskStatus
from cordon.command.services.dispatch import PEOPLE
from cordon.core import access, clock, policy
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.filters import inside
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import list_page, listing, page_of
from cordon.regions import selectors as region_selectors


def _step(request, steps: dict, action: str):
    """Run the page action `action`: steps maps it to (form class or None for a button, service call, success message)."""
    if action not in steps:
        raise PermissionDenied(action)
    form_class, call, ok = steps[action]
    if form_class is None:
        return perform(request, call, success=ok)
    return form_class(request.POST, request.FILES).submit(request, call, success=ok)


def _table(request, *, rows, export, template: str, context: dict):
    """A figures page (task statistics, accountability): its rows, or the same rows as a download (audited)."""
    if fmt := wants(request):
        return web_download(request, lambda: export(fmt))
    return render(request, template, {"rows": rows(), **context})


# --- tasks ---------------------------------------------------------------------------------------------

@login_required
def tasks(request):
    access.require(request.user, "command.view")
    return list_page(request, "command/tasks.html", partial="command/_task_rows.html",
                     rows=lambda f: selectors.task_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.tasks_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {"now": clock.now(), "users": selectors.user_choices(actor=request.user),
                                             "statuses": TaskStatus.choices, "priorities": Priority.choices,
                                             "can_change": access.can(request.user, "command.change")})


@login_required
def task_new(request):
    access.require(request.user, "command.change")
    form = forms.TaskForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST":
        t = form.submit(request, lambda owner, deputy, **data: services.task_create_manual(
            actor=request.user, owner_id=owner, deputy_id=deputy, **data), success=_("Task filed."))
        if t is not REFUSED:
            return redirect("command:task", pk=t.pk)
    return render(request, "command/task_new.html", {"users": selectors.user_choices(actor=request.user), "form": form})


@login_required
def task(request, pk: int):
    t = selectors.task_get(actor=request.user, pk=pk)
    resp = selectors.responsibility_list(actor=request.user, filters={"type": "task"}).filter(object_id=str(t.pk)).first()
    can_change = access.can(request.user, "command.change", t.region_path)
    return render(request, "command/task.html", {"t": t, "resp": resp, "now": clock.now(),
                                                 "next_steps": [TASK_VERBS[s] for s in TASK_LIFECYCLE.allowed(t.status)],
                                                 "users": selectors.user_choices(actor=request.user), "can_change": can_change,
                                                 "can_work": can_change or request.user.pk in (t.owner_id, t.deputy_id)})


@login_required
@require_POST
def task_action(request, pk: int, action: str):
    t = selectors.task_get(actor=request.user, pk=pk, action=selectors.WORK if action in ("start", "close") else "change")
    who = request.user
    _step(request, {
        "start": (None, lambda: services.task_start(actor=who, task=t), _("Task started.")),
        "close": (forms.TaskCloseForm, lambda result: services.task_close(actor=who, task=t, result=result), _("Task closed.")),
        "cancel": (forms.TaskCloseForm, lambda result: services.task_close(actor=who, task=t, result=result, cancelled=True),
                   _("Task cancelled.")),
        "escalate": (None, lambda: services.task_escalate(actor=who, task=t, reason="manual"), _("Escalated to the superior post.")),
        "reassign": (forms.TaskReassignForm, lambda owner: services.task_reassign(actor=who, task=t, owner_id=owner), _("Task reassigned.")),
    }, action)
    return redirect("command:task", pk=pk)


@login_required
def task_stats(request):
    access.require(request.user, "command.view")
    v = forms.TaskStatsForm(request.GET).read(request)
    period = {"since": clock.day_start(v["since"]) if v["since"] else None,  # from the first day 0h to the day after the last, 0h
              "until": clock.day_start(v["until"] + dt.timedelta(days=1)) if v["until"] else None}
    return _table(request, rows=lambda: selectors.task_stats(actor=request.user, by=v["by"], **period),
                  export=lambda fmt: exports.task_stats_export(actor=request.user, by=v["by"], fmt=fmt, **period),
                  template="command/task_stats.html", context={"by": v["by"], "filters": request.GET})


# --- responsibility ---------------------------------------------------------------------------------------

@login_required
def responsibilities(request):
    access.require(request.user, "command.view")
    if request.method == "POST":
        done = forms.ResponsibilityForm(request.POST).submit(
            request, lambda responsible, deputy, **data: services.responsibility_assign(
                actor=request.user, responsible_id=responsible, deputy_id=deputy, **data), success=_("Responsibility assigned."))
        if done is not REFUSED:
            return redirect("command:responsibilities")
    return list_page(request, "command/responsibilities.html",
                     rows=lambda f: selectors.responsibility_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.responsibilities_export(
                         actor=request.user, fmt=fmt, unmask=filters.get("unmask") == "1", filters=filters),
                     context=lambda listed: {"types": ObjectType.choices, "users": selectors.user_choices(actor=request.user),
                                             "can_change": access.can(request.user, "command.change")})


# --- supervision ledger --------------------------------------------------------------------------------------

@login_required
def ledger(request):
    access.require(request.user, "command.view")
    return list_page(request, "command/ledger.html", rows=lambda f: selectors.ledger_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.ledger_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {"now": clock.now(), "statuses": LedgerStatus.choices, "severities": Severity.choices,
                                             "inspections": selectors.inspection_list(actor=request.user)[:10],
                                             "can_change": access.can(request.user, "command.change")})


@login_required
def inspection_new(request):
    access.require(request.user, "command.change")
    checklist = policy.in_force().get("command.checklist", []) or []
    form = forms.InspectionForm(request.POST if request.method == "POST" else None, actor=request.user, checklist=checklist)
    if request.method == "POST":
        insp = form.submit(request, lambda **data: services.inspection_record(actor=request.user, **data),
                           success=lambda i: _("Inspection recorded with %(n)d findings on the ledger.") % {"n": i.items.count()})
        if insp is not REFUSED:
            return redirect("command:ledger")
    return render(request, "command/inspection_new.html", {
        "checklist": checklist, "users": selectors.user_choices(actor=request.user), "severities": Severity.choices,
        "form": form, "rows": forms.FINDING_ROWS})


@login_required
def ledger_item(request, pk: int):
    item = selectors.ledger_get(actor=request.user, pk=pk)
    can_verify, why_not = services.may_verify(actor=request.user, item=item)
    return render(request, "command/ledger_item.html", {
        "i": item, "evidence": item.evidence.all(), "now": clock.now(), "steps": item.steps.select_related("actor"),
        "can_verify": can_verify, "why_not": why_not, "next_statuses": LEDGER_LIFECYCLE.allowed(item.status),
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
    who = request.user
    _step(request, {
        "rectify": (forms.RectifyForm, lambda rectification: services.ledger_rectify(actor=who, item=item, rectification=rectification),
                    _("Rectification reported.")),
        "pass": (forms.ReinspectForm, lambda note, new_deadline, file: services.ledger_reinspect(
            actor=who, item=item, passed=True, note=note, upload=file), _("Re-inspection passed: item closed.")),
        "fail": (forms.ReinspectForm, lambda note, new_deadline, file: services.ledger_reinspect(
            actor=who, item=item, passed=False, note=note, new_deadline=new_deadline, upload=file), _("Re-inspection failed: item reopened.")),
        "flag": (forms.FlagForm, lambda public: services.ledger_flag(actor=who, item=item, public=public), _("Public tracking updated.")),
        "evidence": (forms.EvidenceForm, lambda file, stage: services.evidence_add(actor=who, item=item, upload=file, stage=stage),
                     _("Evidence uploaded.")),
    }, action)
    return redirect("command:ledger_item", pk=pk)


@login_required
def accountability(request):
    access.require(request.user, "command.view")
    v = forms.AccountabilityForm(request.GET).read(request)
    period = {"start": v["start"], "end": v["end"], "by": v["by"]}
    return _table(request, rows=lambda: selectors.accountability_report(actor=request.user, **period),
                  export=lambda fmt: exports.accountability_export(actor=request.user, fmt=fmt, **period),
                  template="command/accountability.html", context=period)


# --- dispatch ------------------------------------------------------------------------------------------------

@login_required
def dispatch(request):
    access.require(request.user, "command.view")
    if request.method == "POST":
        if "suggest" in request.POST:
            done = perform(request, lambda: services.dispatch_suggest(actor=request.user),
                           success=lambda made: _("%(n)d loans suggested.") % {"n": len(made)})
        else:
            done = forms.DispatchPostForm(request.POST).submit(
                request, lambda **data: services.dispatch_post(actor=request.user, **data), success=_("Posted."))
        if done is not REFUSED:
            return redirect("command:dispatch")
    listed = listing(request, rows=lambda f: selectors.dispatch_posts(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.dispatch_export(actor=request.user, fmt=fmt, filters=filters))
    if isinstance(listed, HttpResponse):
        return listed
    names = {r["path"]: r["name"] for r in region_selectors.city_map()["districts"]}
    for p in listed["page"].object_list:
        p.district_name = names.get(p.region_path, p.region_path)
    try:  # the loans above the posts, filtered by match_status (the export's rows)
        matches = list(selectors.dispatch_matches(actor=request.user, filters=request.GET)[:100])
    except ServiceError as exc:
        messages.error(request, exc.message)
        matches = []
    for m in matches:
        m.lender_name, m.borrower_name = names.get(m.region_path, m.region_path), names.get(m.borrower_path, m.borrower_path)
    return render(request, "command/dispatch.html", {
        **listed, "matches": matches, "sides": PostSide.choices,
        "resources": Resource.choices, "match_statuses": MatchStatus.choices, "today": clock.today(),
        "districts": region_selectors.region_list(actor=request.user, level=2),
        "can_change": access.can(request.user, "command.change"), "can_approve": access.can(request.user, "command.approve")})


@login_required
@require_POST
def match_action(request, pk: int, action: str):
    who = request.user
    m = selectors.dispatch_match_get(actor=who, pk=pk, action="approve" if action in ("approve", "reject") else "change")
    _step(request, {
        "approve": (forms.DecideForm, lambda note: services.dispatch_decide(actor=who, match=m, approve=True, note=note), _("Loan approved.")),
        "reject": (forms.DecideForm, lambda note: services.dispatch_decide(actor=who, match=m, approve=False, note=note),
                   _("Suggestion rejected.")),
        "advance": (None, lambda: services.dispatch_advance(actor=who, match=m), _("Loan updated.")),
        "lend": (forms.LendPersonForm, lambda **data: services.dispatch_lend_person(actor=who, match=m, **data), _("Person named on the loan.")),
        "line": (forms.DispatchLineForm, lambda **data: services.dispatch_add_line(actor=who, match=m, **data), _("Item listed on the loan.")),
    }, action)
    return redirect("command:loan", pk=pk) if action in ("lend", "line") else redirect("command:dispatch")


@login_required
def loan(request, pk: int):
    """One loan for its lender or borrower: the people lent (post, start, planned return, back or not) and the items."""
    m = selectors.dispatch_loan_get(actor=request.user, pk=pk)
    names = {r["path"]: r["name"] for r in region_selectors.city_map()["districts"]}
    can_change = access.can(request.user, "command.change", m.region_path)
    return render(request, "command/loan.html", {
        "m": m, "lender_name": names.get(m.region_path, m.region_path), "borrower_name": names.get(m.borrower_path, m.borrower_path),
        "members": list(m.members.all()), "lines": list(m.lines.all()), "today": clock.today(), "can_change": can_change,
        "people_loan": m.resource in PEOPLE,
        "candidates": selectors.user_choices(actor=request.user).filter(inside(m.region_path, "posts__region__path")) if can_change else []})


@login_required
@require_POST
def member_return(request, pk: int):
    member = selectors.dispatch_member_get(actor=request.user, pk=pk)
    perform(request, lambda: services.dispatch_return_person(actor=request.user, member=member), success=_("Return confirmed."))
    return redirect("command:loan", pk=member.match_id)


@login_required
def staff_on_loan(request):
    """People lent to the actor's area serving there now: their post, home district, planned return."""
    access.require(request.user, "command.view")
    rows = selectors.staff_on_loan(actor=request.user)
    names = {r["path"]: r["name"] for r in region_selectors.city_map()["districts"]}
    return render(request, "command/staff_on_loan.html", {"page": page_of(request, rows), "names": names, "today": clock.today()})
