"""Case pages: list and report, one case (clock, timeline, investigation form, trajectory, named contacts,
counts of the contacts found, probable infectors), clusters with their graphs. The case page's "identify again"
button posts to /cases/<pk>/identify/, which contacts serves (contacts.urls)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.cases import charts, events, exports, rules, selectors, services
from cordon.cases.enums import CASE_LIFECYCLE, CaseKind, CaseStatus, FoundBy, Severity, StayKind
from cordon.core import access, pii
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.people import selectors as people_selectors

FILTERS = ("status", "kind", "found_by", "region", "q")


@login_required
def index(request):
    if not access.can(request.user, "cases.view"):
        raise PermissionDenied("cases.view")
    filters = {k: request.GET.get(k) or None for k in FILTERS}
    qs = selectors.case_list(actor=request.user, **filters)
    if fmt := wants(request):
        return web_download(request, lambda: exports.cases_export(actor=request.user, fmt=fmt, unmask=request.GET.get("unmask") == "1", **filters))
    page = page_of(request, qs)
    rows = [{"case": c, "name": pii.mask_name(c.person.name), "clock": selectors.case_clock(c)} for c in page.object_list]
    services.check_overdue(actor=request.user, cases=selectors.case_list(actor=request.user).exclude(status=CaseStatus.REPORT_DONE)[:200])
    ctx = {"page": page, "rows": rows, "filters": request.GET, "counts": selectors.dashboard_counts(actor=request.user),
           "statuses": CaseStatus.choices, "kinds": CaseKind.choices, "found_by": FoundBy.choices, "severities": Severity.choices,
           "can_change": access.can(request.user, "cases.change"), "can_export": access.can(request.user, "cases.export")}
    template = "cases/_rows.html" if request.headers.get("HX-Request") else "cases/index.html"
    return render(request, template, ctx)


@login_required
@require_POST
def report(request):
    data = request.POST
    person_id = data.get("person_id") or None
    try:
        if not person_id and data.get("id_number"):
            match = people_selectors.person_list(actor=request.user, q=data["id_number"].strip()).first()
            if match is None:
                raise ServiceError.field("id_number", _("no resident with this ID number in your area"))
            person_id = match.pk
        if person_id and not str(person_id).isdigit():
            raise ServiceError.field("person_id", _("must be a number"))
        case = services.case_report(actor=request.user, person_id=int(person_id or 0), kind=data.get("kind", ""),
                                    found_by=data.get("found_by", ""), severity=data.get("severity", ""),
                                    confirmed_at=data.get("confirmed_at") or None, onset_date=data.get("onset_date") or None,
                                    sampled_at=data.get("sampled_at") or None)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("cases:index")
    messages.success(request, _("Case %(id)s reported; contact identification ran.") % {"id": case.pk})
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
        "stay_kinds": StayKind.choices, "next_status": _next_status(case.status), "can_change": access.can(request.user, "cases.change", case.region_path),
    }


def _next_status(status: str) -> str | None:
    order = [s.value for s in CaseStatus]
    i = order.index(status)
    return order[i + 1] if i + 1 < len(order) else None


@login_required
def detail(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    return render(request, "cases/detail.html", _detail_context(request, case))


def case_action(request, pk: int, fn, ok: str):
    """A form posted from the case page: the case (which the actor must be allowed to change) goes to `fn`; its
    result fills the success message `ok`, a refusal becomes an error message; back to the case page."""
    case = selectors.case_get(actor=request.user, pk=pk, action="change")
    try:
        result = fn(case)
        messages.success(request, ok % (result if isinstance(result, dict) else {}))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def investigation(request, pk: int):
    fields = {k: request.POST.get(k, "") for k in ("symptoms", "test_history", "notes", "severity")}
    for k in ("onset_date", "sampled_at", "isolated_at", "last_negative_at"):
        if k in request.POST:
            fields[k] = request.POST.get(k) or None
    return case_action(request, pk, lambda c: services.case_update(actor=request.user, case=c, **fields) and {}, _("Investigation saved."))


@login_required
@require_POST
def stay_add(request, pk: int):
    item = {k: request.POST.get(k, "") for k in ("kind", "venue_code", "unit", "place", "time_in", "time_out", "vehicle", "seat", "note")}
    return case_action(request, pk, lambda c: services.stays_add(actor=request.user, case=c, items=[item]),
                       _("Trajectory saved (%(added)d added, %(skipped)d already there); contacts re-identified."))


@login_required
@require_POST
def stay_delete(request, pk: int, stay_id: int):
    return case_action(request, pk, lambda c: services.stay_delete(actor=request.user, case=c, stay_id=stay_id) or {},
                       _("Trajectory entry removed; contacts re-identified."))


@login_required
@require_POST
def named_add(request, pk: int):
    item = {k: request.POST.get(k, "") for k in ("id_number", "setting", "protection", "last_exposure", "note")}
    return case_action(request, pk, lambda c: services.named_contacts_add(actor=request.user, case=c, items=[item]),
                       _("Named contact saved (%(added)d new)."))


@login_required
@require_POST
def advance(request, pk: int):
    return case_action(request, pk, lambda c: services.case_advance(actor=request.user, case=c, status=request.POST.get("status", ""),
                                                                    note=request.POST.get("note", "")) and {}, _("Status updated."))


@login_required
@require_POST
def link_infector(request, pk: int):
    raw = request.POST.get("infector_id") or ""
    if raw:
        selectors.case_get(actor=request.user, pk=int(raw) if raw.isdigit() else 0)
    return case_action(request, pk, lambda c: services.case_link_infector(actor=request.user, case=c, infector_id=int(raw) if raw else None) and {},
                       _("Infector link saved."))


@login_required
def cluster_list(request):
    if not access.can(request.user, "cases.view"):
        raise PermissionDenied("cases.view")
    items = selectors.clusters(actor=request.user, days=int(request.GET.get("days") or 60))
    min_size = int(request.GET.get("min") or 1)
    items = [c for c in items if c["size"] >= min_size]
    return render(request, "cases/clusters.html", {"page": page_of(request, items, per_page=30), "filters": request.GET})


@login_required
def cluster(request, pk: int):
    c = selectors.cluster_get(actor=request.user, pk=pk)
    gens = rules.generations({x.pk: x.infector_id for x in c["cases"]})
    members = [{"case": x, "name": pii.mask_name(x.person.name), "generation": gens.get(x.pk, 1)} for x in c["cases"]]
    return render(request, "cases/cluster.html", {"cluster": c, "members": members, "focus": pk,
                                                  "graph": charts.cluster_graph(c, generations=gens),
                                                  "bars": charts.generation_bars(c["generations"])})
