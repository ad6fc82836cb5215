"""Case pages: list and report, one case (clock, timeline, investigation form, trajectory, named contacts,
counts of the contacts found, probable infectors), clusters with their graphs. The case page's "identify again"
button posts to /cases/<pk>/identify/, which contacts serves (contacts.urls)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.cases import charts, events, exports, forms, rules, selectors, services
from cordon.cases.enums import CASE_LIFECYCLE, CaseKind, CaseStatus, FoundBy, Severity, StayKind
from cordon.core import access, pii
from cordon.core.errors import NotFound
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, page_of
from cordon.questionnaires import forms as questionnaire_forms
from cordon.questionnaires import selectors as questionnaire_selectors
from cordon.questionnaires import services as questionnaires


@login_required
def index(request):
    if not access.can(request.user, "cases.view"):
        raise PermissionDenied("cases.view")
    services.check_overdue(actor=request.user, cases=selectors.case_list(actor=request.user).exclude(status=CaseStatus.REPORT_DONE)[:200])
    return list_page(request, "cases/index.html", partial="cases/_rows.html",
                     rows=lambda f: selectors.case_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.cases_export(actor=request.user, fmt=fmt, filters=filters,
                                                                      unmask=asks_unmask(request)),
                     context=lambda listed: {
        "rows": [{"case": c, "name": pii.mask_name(c.person.name), "clock": selectors.case_clock(c)} for c in listed["page"].object_list],
        "counts": selectors.dashboard_counts(actor=request.user),
        "statuses": CaseStatus.choices, "kinds": CaseKind.choices, "found_by": FoundBy.choices, "severities": Severity.choices,
        "can_change": access.can(request.user, "cases.change"), "can_export": access.can(request.user, "cases.export")})


@login_required
@require_POST
def report(request):
    form = forms.ReportForm(request.POST, actor=request.user)
    case = form.submit(request, lambda id_number, person_id, **data: services.case_report(actor=request.user, person_id=person_id or 0, **data),
                       success=lambda c: _("Case %(id)s reported; contact identification ran.") % {"id": c.pk})
    if case is REFUSED:
        return redirect("cases:index")
    return redirect("cases:detail", pk=case.pk)


def _detail_context(request, case):
    start, end = selectors.case_window(case)
    return {
        "case": case, "name": pii.mask_name(case.person.name), "id_number": pii.mask_id_number(case.person.id_number),
        "window": (start, end), "clock": selectors.case_clock(case), "events": case.events.select_related("actor"),
        "stays": case.stays.select_related("venue", "unit"), "named": case.named_contacts.select_related("person"),
        "contact_counts": events.CONTACT_COUNTS.ask(actor=request.user, case_id=case.pk),
        "infectors": selectors.probable_infectors(actor=request.user, case=case),
        "statuses": CASE_LIFECYCLE.next_choices(CaseStatus.choices, case.status), "severities": Severity.choices,
        "stay_kinds": StayKind.choices, "next_status": next(iter(CASE_LIFECYCLE.allowed(case.status)), None), "can_change": access.can(request.user, "cases.change", case.region_path),
        **_questionnaire_context(request, case),
    }


def _questionnaire_context(request, case) -> dict:
    """The current 流调表 (questionnaires app) with the case's last answers, and which version they were given on."""
    latest = questionnaire_selectors.latest_response(actor=request.user, subject_type="cases.case", subject_id=case.pk)
    try:
        version = questionnaires.current("case_investigation")
    except NotFound:
        version = None
    same = latest is not None and version is not None and latest.version_id == version.pk
    return {"questionnaire": questionnaire_forms.form_for(version, initial=latest.answers if same else None) if version else None,
            "questionnaire_version": version, "questionnaire_latest": latest,
            "questionnaire_rows": questionnaire_selectors.answer_rows(latest) if latest else []}


@login_required
def detail(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _message(ok: str):
    """The success message `ok`, filled from the service's result when it is a dict of counts."""
    return lambda result: ok % (result if isinstance(result, dict) else {})


def case_action(request, pk: int, fn, ok: str):
    """A button on the case page (no input): the case, which the actor must be allowed to change, goes to `fn`; its
    result fills the success message `ok`, a refusal becomes an error message; back to the case page."""
    case = selectors.case_get(actor=request.user, pk=pk, action="change")
    perform(request, lambda: fn(case), success=_message(ok))
    return redirect("cases:detail", pk=pk)


def case_form(request, pk: int, form, fn, ok: str):
    """A form posted from the case page: its clean data and the case (which the actor must be allowed to change) go to
    `fn(case, **data)`; a bad value or a refusal becomes an error message naming the field; back to the case page."""
    case = selectors.case_get(actor=request.user, pk=pk, action="change")
    form.submit(request, lambda **data: fn(case, **data), success=_message(ok))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def investigation(request, pk: int):
    return case_form(request, pk, forms.InvestigationForm(request.POST),
                     lambda c, **data: services.case_update(actor=request.user, case=c, **data), _("Investigation saved."))


@login_required
@require_POST
def questionnaire(request, pk: int):
    """Answers to the current case-investigation questionnaire, posted from the case page."""
    return case_form(request, pk, questionnaire_forms.form_for(questionnaires.current("case_investigation"), request.POST),
                     lambda c, **data: services.case_questionnaire_answer(actor=request.user, case=c, data=data),
                     _("Questionnaire answers saved."))


@login_required
@require_POST
def stay_add(request, pk: int):
    return case_form(request, pk, forms.StayForm(request.POST),
                     lambda c, **item: services.stays_add(actor=request.user, case=c, items=[item]),
                     _("Trajectory saved (%(added)d added, %(skipped)d already there); contacts re-identified."))


@login_required
@require_POST
def stay_delete(request, pk: int, stay_id: int):
    return case_action(request, pk, lambda c: services.stay_delete(actor=request.user, case=c, stay_id=stay_id),
                       _("Trajectory entry removed; contacts re-identified."))


@login_required
@require_POST
def named_add(request, pk: int):
    return case_form(request, pk, forms.NamedContactForm(request.POST),
                     lambda c, **item: services.named_contacts_add(actor=request.user, case=c, items=[item]),
                     _("Named contact saved (%(added)d new)."))


@login_required
@require_POST
def advance(request, pk: int):
    return case_form(request, pk, forms.AdvanceForm(request.POST),
                     lambda c, status, note: services.case_advance(actor=request.user, case=c, status=status, note=note),
                     _("Status updated."))


def _link(request, case, infector_id):
    if infector_id:
        selectors.case_get(actor=request.user, pk=infector_id)  # 404 for a case the actor does not see
    return services.case_link_infector(actor=request.user, case=case, infector_id=infector_id)


@login_required
@require_POST
def link_infector(request, pk: int):
    return case_form(request, pk, forms.InfectorForm(request.POST), lambda c, infector_id: _link(request, c, infector_id),
                     _("Infector link saved."))


@login_required
def cluster_list(request):
    if not access.can(request.user, "cases.view"):
        raise PermissionDenied("cases.view")
    bounds = forms.ClusterListForm(request.GET)
    if not bounds.is_valid():
        messages.error(request, bounds.error_summary())
    days = bounds.cleaned_data.get("days") or 60
    min_size = bounds.cleaned_data.get("min") or 1
    items = [c for c in selectors.clusters(actor=request.user, days=days) if c["size"] >= min_size]
    return render(request, "cases/clusters.html", {"page": page_of(request, items, per_page=30), "filters": request.GET})


@login_required
def cluster(request, pk: int):
    c = selectors.cluster_get(actor=request.user, pk=pk)
    gens = rules.generations({x.pk: x.infector_id for x in c["cases"]})
    members = [{"case": x, "name": pii.mask_name(x.person.name), "generation": gens.get(x.pk, 1)} for x in c["cases"]]
    return render(request, "cases/cluster.html", {"cluster": c, "members": members, "focus": pk,
                                                  "graph": charts.cluster_graph(c, generations=gens),
                                                  "bars": charts.generation_bars(c["generations"])})
