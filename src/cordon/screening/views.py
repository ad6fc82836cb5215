"""Mass-testing pages: rounds and plans, the phone-sized sampler page (works offline), coverage
dashboard with the grid workers' lists, lab results and retests, and the public result lookup."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.core import access, clock, throttle
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, page_of
from cordon.regions.models import Level, Region
from cordon.screening import charts, exports, forms, metrics, selectors, services
from cordon.screening.enums import ROUND_LIFECYCLE, RetestStatus, RoundStatus, TubeStatus


def _need(request, perm="screening.view"):
    if not access.can(request.user, perm):
        raise PermissionDenied(perm)


def _need_sampler(request, path: str) -> None:
    """403 unless the user samples (or runs screening) at `path`, before any input is read."""
    if not (access.can(request.user, "screening.sample", path) or access.can(request.user, "screening.change", path)):
        raise PermissionDenied("screening.sample")


def _plannable(actor) -> list[Region]:
    """Regions (down to streets) the actor may plan a round over."""
    return [r for r in Region.objects.visible_to(actor, "view").filter(level__lte=Level.STREET).order_by("path")[:300]
            if access.can(actor, "screening.change", r.path)]


@login_required
def index(request):
    _need(request)
    regions = _plannable(request.user)
    form = forms.PlanForm(request.POST if request.method == "POST" else None, regions=regions)
    if request.method == "POST":
        rnd = form.submit(request, lambda **data: services.round_plan(actor=request.user, **data),
                          success=lambda r: _("Round planned: %(sites)d sites. Adjust the sites, then publish.") % {"sites": r.sites.count()})
        if rnd is not REFUSED:
            return redirect("screening:round", pk=rnd.pk)
    now = clock.local().replace(minute=0, second=0, microsecond=0)
    return list_page(request, "screening/index.html", rows=lambda f: selectors.round_list(actor=request.user, filters=f), per_page=20,
                     export=lambda fmt, filters: exports.rounds_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "overview": metrics.rounds_overview(list(listed["page"].object_list)), "regions": regions,
        "statuses": RoundStatus.choices, "form": form.data if form.is_bound else None,
        "default_start": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "default_end": (now + dt.timedelta(hours=25)).strftime("%Y-%m-%dT%H:%M"),
        "can_plan": bool(regions),
    })


@login_required
def round_detail(request, pk: int):
    rnd = selectors.round_get(actor=request.user, pk=pk)
    page = page_of(request, selectors.site_list(actor=request.user, round_id=rnd.pk), per_page=30)
    summary = metrics.round_summary(rnd, actor=request.user)
    return render(request, "screening/round.html", {
        "rnd": rnd, "page": page, "summary": summary,
        # the round lifecycle's next steps from this status, and only those
        "can_publish": RoundStatus.PUBLISHED in ROUND_LIFECYCLE.allowed(rnd.status)
        and access.can(request.user, "screening.publish", rnd.region_path),
        "can_close": RoundStatus.CLOSED in ROUND_LIFECYCLE.allowed(rnd.status)
        and access.can(request.user, "screening.change", rnd.region_path),
        "can_change": rnd.status != RoundStatus.CLOSED and access.can(request.user, "screening.change"),
        "can_sample": rnd.status == RoundStatus.PUBLISHED and (access.can(request.user, "screening.sample")
                                                                or access.can(request.user, "screening.change")),
    })


def _round_action(request, pk: int, write, done: str):
    """Publish or close a round from its page; the outcome is a message on the page."""
    rnd = selectors.round_get(actor=request.user, pk=pk)
    perform(request, lambda: write(actor=request.user, rnd=rnd), success=done)
    return redirect("screening:round", pk=pk)


@login_required
@require_POST
def round_publish(request, pk: int):
    return _round_action(request, pk, services.round_publish, _("Round published: sites are open for sampling."))


@login_required
@require_POST
def round_close(request, pk: int):
    return _round_action(request, pk, services.round_close, _("Round closed."))


@login_required
def site_edit(request, pk: int):
    site = selectors.site_get(actor=request.user, pk=pk)
    error = None
    if request.method == "POST":
        site = selectors.site_get(actor=request.user, pk=pk, action="change")
        form = forms.SiteForm(request.POST)
        done = form.submit(request, lambda **changes: services.site_update(actor=request.user, site=site, **changes),
                           success=None if request.headers.get("HX-Request") else _("Site saved."))
        if done is REFUSED:
            error = form.error_summary()
            site = selectors.site_get(actor=request.user, pk=pk)
        elif not request.headers.get("HX-Request"):
            return redirect("screening:round", pk=site.round_id)
    template = "screening/_site_row.html" if request.headers.get("HX-Request") else "screening/site.html"
    return render(request, template, {"s": site, "error": error, "editing": request.GET.get("edit") == "1" or bool(error),
                                      "can_change": access.can(request.user, "screening.change", site.region_path)})


@login_required
def sampler(request, pk: int):
    site = selectors.site_get(actor=request.user, pk=pk)
    _need_sampler(request, site.region_path)
    return render(request, "screening/sampler.html", {
        "site": site, "rnd": site.round,
        "api_url": f"/api/v1/screening/rounds/{site.round_id}/samples", "close_url": "/api/v1/screening/tubes/",
        "open": site.round.status == RoundStatus.PUBLISHED and site.active,
    })


def _round_from(request):
    rid = request.GET.get("round")
    if rid and rid.isdigit():
        return selectors.round_get(actor=request.user, pk=int(rid))
    return (selectors.round_list(actor=request.user, filters={"status": RoundStatus.PUBLISHED}).first()
            or selectors.round_list(actor=request.user).first())


@login_required
def coverage(request):
    _need(request)
    rnd = _round_from(request)
    if rnd is None:
        return render(request, "screening/coverage.html", {"rnd": None, "rounds": []})
    chosen = forms.CoverageForm(request.GET).view(request)
    level, parent, grid = chosen["level"], chosen["parent"], chosen["grid"]
    if (fmt := wants(request)) and grid:
        return web_download(request, lambda: exports.unsampled_export(actor=request.user, rnd=rnd, grid_path=grid, fmt=fmt,
                                                                      unmask=asks_unmask(request)))
    if fmt:
        return web_download(request, lambda: exports.coverage_export(actor=request.user, rnd=rnd, level=level, parent=parent, fmt=fmt))
    rows = metrics.coverage(rnd, level=level, parent=parent, actor=request.user)
    summary = metrics.round_summary(rnd, actor=request.user)
    missing_page = None
    missing_cards = []
    if grid:
        missing_page = page_of(request, metrics.unsampled(rnd, grid_path=grid, actor=request.user))
        missing_cards = [{"id": p.pk, **selectors.masked_person(p)} for p in missing_page.object_list]
    return render(request, "screening/coverage.html", {
        "rnd": rnd, "rounds": selectors.round_list(actor=request.user)[:30], "rows": rows, "level": level, "parent": parent,
        "level_names": {2: _("District"), 3: _("Street"), 4: _("Community"), 5: _("Grid")}, "summary": summary,
        "coverage_option": charts.coverage_bars(rows), "tube_option": charts.tube_funnel(summary["tubes"]),
        "turnaround_option": charts.turnaround_bars(summary["turnaround"]), "grid": grid, "page": missing_page,
        "missing": missing_cards, "can_export": access.can(request.user, "screening.export"),
    })


RESULT_FORMS = {"hl7": (forms.Hl7Form, services.results_import_hl7), "receive": (forms.ReceiveForm, services.tubes_receive)}


def _results_post(request):
    """A lab file, an HL7 message or a tube receipt: the report, or the refusal the page lists by row."""
    what = request.POST.get("what")
    form_class, service = RESULT_FORMS.get(what, (forms.ResultsFileForm, None))
    form = form_class(request.POST, request.FILES)
    if service is None:
        call = lambda file, lab: services.results_import(actor=request.user, data=file.read(), filename=file.name, lab=lab)  # noqa: E731
    else:
        call = lambda **data: service(actor=request.user, **data)  # noqa: E731
    report = form.submit(request, call, success=lambda r: _("Done: %(report)s") % {
        "report": ", ".join(f"{k} {v}" for k, v in r.items() if not isinstance(v, list))})
    if report is REFUSED:
        return None, form.service_error or ServiceError(form.error_summary(), fields=[
            {"field": name, "message": " ".join(str(e) for e in errors)} for name, errors in form.errors.items()])
    return report, None


@login_required
def results(request):
    _need(request)
    report, error = _results_post(request) if request.method == "POST" else (None, None)
    rnd = _round_from(request)
    tab = request.GET.get("tab", "tubes")
    filters = request.GET.copy()
    filters.pop("tab", None)
    filters["round"] = str(rnd.pk) if rnd else ""
    if tab == "retests":
        rows, export = selectors.retest_list, exports.retests_export
    else:
        rows, export = selectors.tube_list, exports.tubes_export
    if fmt := wants(request):
        return web_download(request, lambda: export(actor=request.user, fmt=fmt, filters=filters))
    try:
        qs = rows(actor=request.user, filters=filters)
    except ServiceError as exc:
        messages.error(request, exc.message)
        qs = rows(actor=request.user).none()
    page = page_of(request, qs)
    return render(request, "screening/results.html", {
        "rnd": rnd, "rounds": selectors.round_list(actor=request.user)[:30], "tab": tab, "page": page,
        "cards": selectors.retest_cards(page.object_list) if tab == "retests" else [],
        "filters": request.GET, "report": report, "error": error, "tube_statuses": TubeStatus.choices,
        "retest_statuses": RetestStatus.choices,
        "can_result": access.can(request.user, "screening.result") or access.can(request.user, "screening.change"),
        "can_sample": access.can(request.user, "screening.sample") or access.can(request.user, "screening.change"),
        "can_export": access.can(request.user, "screening.export"),
    })


@login_required
def tube(request, code: str):
    """One tube: where and when it was filled, its current result and every result a lab sent for it."""
    found, rows = selectors.tube_results(actor=request.user, code=code)
    return render(request, "screening/tube.html", {"tube": found, "results": rows})


@login_required
@require_POST
def retest_sample(request, pk: int):
    retest = selectors.retest_get(actor=request.user, pk=pk)
    _need_sampler(request, retest.region_path)
    forms.RetestForm(request.POST).submit(
        request, lambda tube: services.retest_register(actor=request.user, retest=retest, tube=tube),
        success=_("Single-tube retest sample registered."))
    return redirect(reverse("screening:results") + f"?round={retest.round_id}&tab=retests")


def lookup(request):
    """Public page (no login): a resident checks their own results with ID number and phone."""
    found = error = None
    status = 200
    if request.method == "POST":
        form = forms.LookupForm(request.POST)
        if not form.is_valid():
            error = " ".join(f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items())
        elif not services.lookup_allowed(address=throttle.client_address(request), id_number=form.cleaned_data["id_number"]):
            error, status = _("Too many lookups. Try again in %(minutes)d minutes.") % {"minutes": throttle.lookup_window_minutes()}, 429
        else:
            found = selectors.result_lookup(**form.cleaned_data)
            if found is None:
                error = _("No results for this ID number and phone number.")
    return render(request, "screening/lookup.html", {"found": found, "error": error}, status=status)
