"""Mass-testing pages: rounds and plans, the phone-sized sampler page (works offline), coverage
dashboard with the grid workers' lists, lab results and retests, and the public result lookup."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.core import access, clock, throttle
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.regions.models import Level, Region
from cordon.screening import charts, exports, metrics, selectors, services
from cordon.screening.enums import RetestStatus, RoundStatus, TubeStatus


def _need(request, perm="screening.view"):
    if not access.can(request.user, perm):
        raise PermissionDenied(perm)


def _local(value: str):
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # the service names the field
    return clock.aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
def index(request):
    _need(request)
    error = None
    if request.method == "POST":
        region = Region.objects.filter(path=request.POST.get("region", "")).first()
        try:
            if region is None:
                raise ServiceError.field("region", _("choose a region"))
            rnd = services.round_plan(actor=request.user, name=request.POST.get("name", ""), region=region,
                                      starts_at=_local(request.POST.get("starts_at", "")),
                                      ends_at=_local(request.POST.get("ends_at", "")),
                                      pool_size=int(request.POST.get("pool_size") or 0) or None)
            messages.success(request, _("Round planned: %(sites)d sites. Adjust the sites, then publish.") % {"sites": rnd.sites.count()})
            return redirect("screening:round", pk=rnd.pk)
        except ServiceError as exc:
            error = exc.message
    if fmt := wants(request):
        return web_download(request, lambda: exports.rounds_export(actor=request.user, fmt=fmt, status=request.GET.get("status") or None))
    qs = selectors.round_list(actor=request.user, status=request.GET.get("status") or None)
    page = page_of(request, qs, per_page=20)
    regions = [r for r in Region.objects.visible_to(request.user, "view").filter(level__lte=Level.STREET).order_by("path")[:300]
               if access.can(request.user, "screening.change", r.path)]
    now = clock.local().replace(minute=0, second=0, microsecond=0)
    return render(request, "screening/index.html", {
        "page": page, "overview": metrics.rounds_overview(list(page.object_list)), "regions": regions, "error": error,
        "filters": request.GET, "statuses": RoundStatus.choices, "form": request.POST if error else None,
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
        "can_publish": rnd.status == RoundStatus.DRAFT and access.can(request.user, "screening.publish", rnd.region_path),
        "can_close": rnd.status == RoundStatus.PUBLISHED and access.can(request.user, "screening.change", rnd.region_path),
        "can_change": rnd.status != RoundStatus.CLOSED and access.can(request.user, "screening.change"),
        "can_sample": rnd.status == RoundStatus.PUBLISHED and (access.can(request.user, "screening.sample")
                                                                or access.can(request.user, "screening.change")),
    })


def _round_action(request, pk: int, write, done: str):
    """Publish or close a round from its page; the outcome is a message on the page."""
    rnd = selectors.round_get(actor=request.user, pk=pk)
    try:
        write(actor=request.user, rnd=rnd)
        messages.success(request, done)
    except ServiceError as exc:
        messages.error(request, exc.message)
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
        try:
            services.site_update(actor=request.user, site=site, name=request.POST.get("name"),
                                 opens_at=_local(request.POST.get("opens_at", "")), closes_at=_local(request.POST.get("closes_at", "")),
                                 tables=request.POST.get("tables") or None, samplers=request.POST.get("samplers") or None,
                                 pool_size=request.POST.get("pool_size") or None, active=request.POST.get("active") == "1")
            if not request.headers.get("HX-Request"):
                messages.success(request, _("Site saved."))
                return redirect("screening:round", pk=site.round_id)
        except ServiceError as exc:
            error = exc.message
            site = selectors.site_get(actor=request.user, pk=pk)
    template = "screening/_site_row.html" if request.headers.get("HX-Request") else "screening/site.html"
    return render(request, template, {"s": site, "error": error, "editing": request.GET.get("edit") == "1" or bool(error),
                                      "can_change": access.can(request.user, "screening.change", site.region_path)})


@login_required
def sampler(request, pk: int):
    site = selectors.site_get(actor=request.user, pk=pk)
    if not (access.can(request.user, "screening.sample", site.region_path) or access.can(request.user, "screening.change", site.region_path)):
        raise PermissionDenied("screening.sample")
    return render(request, "screening/sampler.html", {
        "site": site, "rnd": site.round,
        "api_url": f"/api/v1/screening/rounds/{site.round_id}/samples", "close_url": "/api/v1/screening/tubes/",
        "open": site.round.status == RoundStatus.PUBLISHED and site.active,
    })


def _round_from(request):
    rid = request.GET.get("round")
    if rid and rid.isdigit():
        return selectors.round_get(actor=request.user, pk=int(rid))
    return selectors.round_list(actor=request.user, status=RoundStatus.PUBLISHED).first() or selectors.round_list(actor=request.user).first()


@login_required
def coverage(request):
    _need(request)
    rnd = _round_from(request)
    if rnd is None:
        return render(request, "screening/coverage.html", {"rnd": None, "rounds": []})
    try:
        level = max(2, min(5, int(request.GET.get("level", 2))))
    except ValueError:
        level = 2
    parent = request.GET.get("parent") or None
    grid = request.GET.get("grid") or None
    if (fmt := wants(request)) and grid:
        return web_download(request, lambda: exports.unsampled_export(actor=request.user, rnd=rnd, grid_path=grid, fmt=fmt,
                                                                      unmask=request.GET.get("unmask") == "1"))
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


@login_required
def results(request):
    _need(request)
    report = error = None
    if request.method == "POST":
        try:
            what = request.POST.get("what")
            if what == "hl7":
                upload = request.FILES.get("file")
                text = upload.read().decode("utf-8", "replace") if upload else request.POST.get("message", "")
                report = services.results_import_hl7(actor=request.user, message=text)
            elif what == "receive":
                codes = [c for c in request.POST.get("codes", "").replace(",", "\n").split() if c.strip()]
                report = services.tubes_receive(actor=request.user, codes=codes, lab=request.POST.get("lab", ""))
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ServiceError.field("file", _("Choose a CSV or Excel file."))
                report = services.results_import(actor=request.user, data=upload.read(), filename=upload.name,
                                                 lab=request.POST.get("lab", ""))
            messages.success(request, _("Done: %(report)s") % {"report": ", ".join(f"{k} {v}" for k, v in report.items())})
        except ServiceError as exc:
            error = exc
    rnd = _round_from(request)
    tab = request.GET.get("tab", "tubes")
    if tab == "retests":
        qs = selectors.retest_list(actor=request.user, round_id=rnd.pk if rnd else None, status=request.GET.get("status") or None)
    else:
        qs = selectors.tube_list(actor=request.user, round_id=rnd.pk if rnd else None, status=request.GET.get("status") or None,
                                 result=request.GET.get("result") or None, code=request.GET.get("code") or None)
    if (fmt := wants(request)) and tab == "retests":
        return web_download(request, lambda: exports.retests_export(actor=request.user, fmt=fmt, round_id=rnd.pk if rnd else None,
                                                                    status=request.GET.get("status") or None))
    if fmt:
        return web_download(request, lambda: exports.tubes_export(
            actor=request.user, fmt=fmt, round_id=rnd.pk if rnd else None, status=request.GET.get("status") or None,
            result=request.GET.get("result") or None, code=request.GET.get("code") or None))
    page = page_of(request, qs)
    return render(request, "screening/results.html", {
        "rnd": rnd, "rounds": selectors.round_list(actor=request.user)[:30], "tab": tab, "page": page, "filters": request.GET,
        "report": report, "error": error, "tube_statuses": TubeStatus.choices, "retest_statuses": RetestStatus.choices,
        "can_result": access.can(request.user, "screening.result") or access.can(request.user, "screening.change"),
        "can_sample": access.can(request.user, "screening.sample") or access.can(request.user, "screening.change"),
        "can_export": access.can(request.user, "screening.export"),
    })


@login_required
@require_POST
def retest_sample(request, pk: int):
    retest = selectors.retest_get(actor=request.user, pk=pk)
    try:
        services.retest_register(actor=request.user, retest=retest, tube=request.POST.get("tube", ""))
        messages.success(request, _("Single-tube retest sample registered."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("screening:results") + f"?round={retest.round_id}&tab=retests")


def lookup(request):
    """Public page (no login): a resident checks their own results with ID number and phone."""
    found = error = None
    status = 200
    if request.method == "POST":
        id_number = request.POST.get("id_number", "")
        if not services.lookup_allowed(address=throttle.client_address(request), id_number=id_number):
            error, status = _("Too many lookups. Try again in %(minutes)d minutes.") % {"minutes": throttle.lookup_window_minutes()}, 429
        else:
            found = selectors.result_lookup(id_number=id_number, phone=request.POST.get("phone", ""))
            if found is None:
                error = _("No results for this ID number and phone number.")
    return render(request, "screening/lookup.html", {"found": found, "error": error}, status=status)
