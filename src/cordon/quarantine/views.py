"""Web pages for centralized quarantine (server-rendered, htmx)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.core import access, clock, pii, tabular
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.people import selectors as people_selectors
from cordon.quarantine import charts, exports, selectors, services
from cordon.quarantine.enums import (
    CATEGORY_LABELS,
    READINESS_ITEMS,
    READINESS_LABELS,
    SITE_LIFECYCLE,
    SYMPTOM_LABELS,
    SYMPTOMS,
    RoomStatus,
    SiteStatus,
    StayKind,
    StayStatus,
)
from cordon.regions import selectors as region_selectors


def _need(request, perm="quarantine.view"):
    if not access.can(request.user, perm):
        raise PermissionDenied(perm)


def _fail(request, exc: ServiceError, *, rows_from: int | None = None):
    """A refusal as a message; with `rows_from`, each bad row too (up to 20) when at least that many are listed."""
    messages.error(request, exc.message)
    if rows_from is not None and exc.fields and len(exc.fields) >= rows_from:
        for f in exc.fields[:20]:
            messages.error(request, f"{_('row')} {f.get('row', '-')}, {f['field']}: {f['message']}")


def _filters(request, *names: str, **renamed: str) -> dict:
    """List filters from the query string, empty ones as None; `renamed` maps a selector argument to its parameter."""
    return {**{n: request.GET.get(n) or None for n in names}, **{a: request.GET.get(q) or None for a, q in renamed.items()}}


def _pairs(request, objs, person_of):
    """(object, masked person card) for each object of a page."""
    return [(o, people_selectors.person_card(person_of(o), actor=request.user)) for o in objs]


@login_required
def index(request):
    _need(request)
    who = request.user
    occ = selectors.occupancy(actor=who)
    city = region_selectors.city_map()
    sites = occ["sites"]
    site_pos = {s.pk: (s.lon, s.lat) for s in selectors.site_list(actor=who)}
    map_sites = [{**s, "lon": site_pos.get(s["id"], (None, None))[0], "lat": site_pos.get(s["id"], (None, None))[1]}
                 for s in sites]
    for s in selectors.site_list(actor=who, status=SiteStatus.RESERVE):
        map_sites.append({"id": s.pk, "name": s.name, "status": s.status, "rooms": s.rooms_total, "free": s.rooms_free,
                          "lon": s.lon, "lat": s.lat})
    forecast = selectors.capacity_forecast(actor=who)
    overdue = selectors.overdue_monitoring(actor=who).select_related("person__household")[:20]
    return render(request, "quarantine/index.html", {
        "figures": selectors.dashboard_figures(actor=who),
        "occ": occ, "queue": selectors.queue_by_district(actor=who),
        "warnings": [f for f in forecast if f["warning"]],
        "overdue": _pairs(request, overdue, lambda s: s.person),
        "map_option": charts.site_map(city, map_sites),
        "district_option": charts.occupancy_bars(occ["districts"]),
        "site_option": charts.occupancy_bars(sorted(sites, key=lambda s: -s["rooms"])[:25]),
        "flows_option": charts.flows(selectors.flows_per_day(actor=who)),
    })


@login_required
def reserves(request):
    _need(request)
    rows = selectors.reserves(actor=request.user)
    if fmt := wants(request):
        return web_download(request, lambda: exports.reserves_export(actor=request.user, fmt=fmt))
    return render(request, "quarantine/reserves.html", {"rows": rows, "option": charts.reserve_bars(rows),
                                                        "total_gap": sum(r["gap"] for r in rows)})


@login_required
def forecast(request):
    _need(request)
    rows = selectors.capacity_forecast(actor=request.user)
    return render(request, "quarantine/forecast.html", {"rows": rows, "option": charts.forecast(rows)})


@login_required
def sites(request):
    _need(request)
    who = request.user
    if request.method == "POST":
        try:
            site = services.site_create(actor=who, name=request.POST.get("name", ""), address=request.POST.get("address", ""),
                                        region_id=int(request.POST.get("region_id") or 0),
                                        lends_rooms=request.POST.get("lends_rooms") == "on",
                                        lon=request.POST.get("lon") or None, lat=request.POST.get("lat") or None)
            messages.success(request, _("Site registered."))
            return redirect("quarantine:site", pk=site.pk)
        except ServiceError as exc:
            _fail(request, exc)
    f = _filters(request, "status", "q", region_path="region")
    qs = selectors.site_list(actor=who, **f)
    if fmt := wants(request):
        return web_download(request, lambda: exports.sites_export(actor=who, fmt=fmt, **f))
    page = page_of(request, qs)
    template = "quarantine/_site_rows.html" if request.headers.get("HX-Request") else "quarantine/sites.html"
    regions = region_selectors.region_list(actor=who, level=2) if access.can(who, "quarantine.change") else []
    return render(request, template, {"page": page, "filters": request.GET, "statuses": SiteStatus.choices,
                                      "regions": regions, "can_change": access.can(who, "quarantine.change")})


def _post_action(request, actions: dict, *, done: str, rows_from: int | None = None, numbers: bool = False):
    """Run the POSTed `action` (a name in `actions`; another name does nothing) and redirect to `done`. A refusal
    is shown as messages and None returned, so the page is drawn again; with `numbers` a bad whole number is one too."""
    try:
        run = actions.get(request.POST.get("action"))
        if run is not None:
            run()
        return redirect(done)
    except ServiceError as exc:
        _fail(request, exc, rows_from=rows_from)
    except ValueError:
        if not numbers:
            raise
        messages.error(request, _("Enter whole numbers."))
    return None


def _rooms_added(request, out: dict) -> None:
    messages.success(request, _("%(n)d rooms added.") % {"n": out["created"]})


def _site_actions(request, s) -> dict:
    """What the site page's forms do: status, checklist, staff, rooms generated or imported, one room's status."""
    who, post = request.user, request.POST

    def generate():
        _rooms_added(request, services.rooms_generate(actor=who, site=s, floors=int(post.get("floors") or 0),
                                                      per_floor=int(post.get("per_floor") or 0),
                                                      first_floor=int(post.get("first_floor") or 2)))

    def import_rooms():
        if up := request.FILES.get("file"):
            _rooms_added(request, services.rooms_import(actor=who, site=s, data=up.read(), filename=up.name))

    def room_status():
        room = selectors.room_get(actor=who, pk=int(post.get("room_id") or 0), action="change")
        services.room_set_status(actor=who, room=room, status=post.get("status", ""))

    return {
        "status": lambda: services.site_set_status(actor=who, site=s, status=post.get("status", "")),
        "readiness": lambda: services.site_readiness(actor=who, site=s,
                                                     items={k: post.get(k) == "on" for k in READINESS_ITEMS}),
        "staff": lambda: services.site_update(actor=who, site=s, doctors_on_duty=post.get("doctors_on_duty") or 0,
                                              nurses_on_duty=post.get("nurses_on_duty") or 0,
                                              staff_note=post.get("staff_note", ""),
                                              lends_rooms=post.get("lends_rooms") == "on"),
        "generate": generate, "import": import_rooms, "room": room_status,
    }


@login_required
def site(request, pk: int):
    who = request.user
    s = selectors.site_get(actor=who, pk=pk)
    if request.method == "POST":
        done = _post_action(request, _site_actions(request, s), done=reverse("quarantine:site", args=[s.pk]),
                            rows_from=2, numbers=True)
        if done is not None:
            return done
        s = selectors.site_get(actor=who, pk=pk)
    rooms = list(selectors.room_list(actor=who, site=s))
    occupants = {st.room_id: st for st in selectors.stay_list(actor=who, site_id=s.pk)}
    floors: dict[int, list] = {}
    for r in rooms:
        floors.setdefault(r.floor, []).append((r, occupants.get(r.pk)))
    counts = {k: sum(1 for r in rooms if r.status == k) for k in RoomStatus.values}
    return render(request, "quarantine/site.html", {
        "s": s, "floors": sorted(floors.items()), "counts": counts,
        "statuses": SITE_LIFECYCLE.next_choices(SiteStatus.choices, s.status),
        "room_statuses": RoomStatus.choices,
        "checklist": [(k, READINESS_LABELS[k], s.readiness.get(k, False)) for k in READINESS_ITEMS],
        "can_change": access.can(who, "quarantine.change", s.region_path),
    })


@login_required
def queue(request):
    _need(request)
    who = request.user
    if request.method == "POST":
        try:
            p = services.proposal_build(actor=who, district_path=request.POST.get("district_path", ""))
            messages.success(request, _("Proposal built: %(n)d people placed, %(u)d rooms short.")
                             % {"n": p.lines.count(), "u": p.unplaced})
            return redirect("quarantine:proposal", pk=p.pk)
        except ServiceError as exc:
            _fail(request, exc)
    f = _filters(request, "status", "category")
    qs = selectors.request_list(actor=who, **f).select_related("person__household")
    page = page_of(request, qs)
    return render(request, "quarantine/queue.html", {
        "page": page, "rows": _pairs(request, page.object_list, lambda r: r.person), "filters": request.GET,
        "by_district": selectors.queue_by_district(actor=who), "categories": CATEGORY_LABELS.items(),
        "proposals": selectors.proposal_list(actor=who)[:10]})


@login_required
def proposals(request):
    """The site manager's review: open lines in their sites, confirmed in bulk."""
    _need(request)
    who = request.user
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("line") if i.isdigit()]
        try:
            out = services.proposal_confirm(actor=who, line_ids=ids)
            messages.success(request, _("%(n)d placements confirmed; transfers are planned.") % {"n": out["confirmed"]})
            return redirect("quarantine:transfers")
        except ServiceError as exc:
            _fail(request, exc)
    qs = selectors.proposal_lines(actor=who, open_only=True).select_related("request__person__household", "carer_of")
    page = page_of(request, qs, per_page=200)
    return render(request, "quarantine/proposals.html", {
        "page": page, "rows": _pairs(request, page.object_list, lambda ln: ln.request.person),
        "can_change": access.can(who, "quarantine.change"), "categories": CATEGORY_LABELS})


@login_required
def proposal(request, pk: int):
    who = request.user
    p = selectors.proposal_get(actor=who, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "discard":
        try:
            services.proposal_discard(actor=who, proposal=p)
            messages.success(request, _("Proposal discarded; its people are back in the queue."))
            return redirect("quarantine:queue")
        except ServiceError as exc:
            _fail(request, exc)
    lines = list(selectors.proposal_lines(actor=who, proposal=p).select_related("request__person__household"))
    return render(request, "quarantine/proposal.html", {
        "p": p, "rows": _pairs(request, lines, lambda ln: ln.request.person),
        "gap": (p.cost - p.optimum) / p.optimum * 100 if p.optimum else 0,
        "can_change": access.can(who, "quarantine.change", p.region_path)})


@login_required
def stays(request):
    _need(request)
    who = request.user
    f = _filters(request, "kind", "status", site_id="site")
    qs = selectors.stay_list(actor=who, **f).select_related("person__household")
    if fmt := wants(request):
        return web_download(request, lambda: exports.stays_export(actor=who, fmt=fmt, unmask=request.GET.get("unmask") == "1", **f))
    page = page_of(request, qs)
    return render(request, "quarantine/stays.html", {
        "page": page, "rows": _pairs(request, page.object_list, lambda s: s.person), "filters": request.GET,
        "kinds": StayKind.choices, "statuses": StayStatus.choices})


def _stay_actions(request, s) -> dict:
    """What the stay page's forms do: check-in, a reading, release, hospital, a test result."""
    who, post = request.user, request.POST

    def release():
        services.stay_release(actor=who, stay=s, vehicle=post.get("vehicle", ""), escort=post.get("escort", ""))
        messages.success(request, _("Released; handed over to home health monitoring with a transfer home."))

    def result():
        t = selectors.test_get(actor=who, pk=int(post.get("test_id") or 0), action="change")
        services.test_result_record(actor=who, test=t, result=post.get("result", ""))

    return {
        "check_in": lambda: services.stay_check_in(actor=who, stay=s),
        "reading": lambda: services.reading_record(actor=who, stay=s, temperature=post.get("temperature", ""),
                                                   symptoms=post.getlist("symptoms")),
        "release": release, "hospital": lambda: services.stay_to_hospital(actor=who, stay=s), "result": result,
    }


@login_required
def stay(request, pk: int):
    who = request.user
    s = selectors.stay_get(actor=who, pk=pk)
    if request.method == "POST":
        done = _post_action(request, _stay_actions(request, s), done=reverse("quarantine:stay", args=[s.pk]))
        if done is not None:
            return done
        s = selectors.stay_get(actor=who, pk=pk)
    card = people_selectors.person_card(s.person, actor=who)
    link = request.build_absolute_uri(reverse("quarantine:monitor", args=[s.monitor_token]))
    return render(request, "quarantine/stay.html", {
        "s": s, "card": card, "readings": selectors.readings_of(actor=who, stay=s)[:30], "tests": s.tests.all(),
        "transfers": s.transfers.all(), "link": link, "symptoms": [(k, SYMPTOM_LABELS[k]) for k in SYMPTOMS],
        "can_change": access.can(who, "quarantine.change", s.region_path),
        "next": s.handovers.first(), "near": services.neighbour_stays(s).select_related("room") if s.room_id else []})


@login_required
def home_stays(request):
    _need(request)
    who = request.user
    if request.method == "POST":
        try:
            start = dt.date.fromisoformat(request.POST.get("start") or clock.today().isoformat())
            end = dt.date.fromisoformat(request.POST.get("end") or "")
            person = people_selectors.person_list(actor=who, q=request.POST.get("id_number", "")).first()
            if person is None:
                raise ServiceError.field("id_number", _("no resident with this ID number in your area"))
            s = services.home_stay_start(actor=who, person_id=person.pk, kind=request.POST.get("kind", ""),
                                         start=start, end=end,
                                         community_worker_id=int(request.POST.get("community_worker_id") or 0) or None,
                                         category=request.POST.get("category", ""))
            messages.success(request, _("Home measure started."))
            return redirect("quarantine:stay", pk=s.pk)
        except ValueError:
            messages.error(request, _("end: enter a date"))
        except ServiceError as exc:
            _fail(request, exc)
    qs = selectors.stay_list(actor=who).exclude(kind=StayKind.CENTRALIZED).select_related("person__household")
    page = page_of(request, qs)
    workers = get_user_model().objects.filter(posts__role="community_worker", posts__active=True).distinct()[:200]
    return render(request, "quarantine/home.html", {
        "page": page, "rows": _pairs(request, page.object_list, lambda s: s.person), "workers": workers,
        "categories": CATEGORY_LABELS.items(), "today": clock.today()})


@login_required
def tests_due(request):
    _need(request)
    who = request.user
    if request.method == "POST":
        try:
            if request.FILES.get("file"):
                up = request.FILES["file"]
                rows = [row for _, row in tabular.read_rows(up.read(), up.name, services.TEST_ALIASES)]
                out = services.test_results_import(actor=who, rows=rows)
                messages.success(request, _("%(n)d results recorded.") % {"n": out["recorded"]})
            else:
                t = selectors.test_get(actor=who, pk=int(request.POST.get("test_id") or 0), action="change")
                services.test_result_record(actor=who, test=t, result=request.POST.get("result", ""))
                if request.headers.get("HX-Request"):
                    return HttpResponse(format_html('<span class="badge">{}</span>', t.get_result_display()))
            return redirect("quarantine:tests")
        except ServiceError as exc:
            if request.headers.get("HX-Request"):
                return HttpResponse(format_html('<span class="error">{}</span>', exc.message))
            _fail(request, exc, rows_from=1)
    qs = selectors.tests_due(actor=who).select_related("stay__person__household")
    if fmt := wants(request):
        return web_download(request, lambda: exports.tests_due_export(actor=who, fmt=fmt, unmask=request.GET.get("unmask") == "1"))
    page = page_of(request, qs)
    return render(request, "quarantine/tests.html", {
        "page": page, "rows": _pairs(request, page.object_list, lambda t: t.stay.person),
        "can_change": access.can(who, "quarantine.change")})


@login_required
def transfers(request):
    _need(request)
    who = request.user
    if request.method == "POST":
        try:
            t = selectors.transfer_get(actor=who, pk=int(request.POST.get("transfer_id") or 0), action="change")
            if request.POST.get("action") == "advance":
                services.transfer_advance(actor=who, transfer=t)
            else:
                services.transfer_update(actor=who, transfer=t, vehicle=request.POST.get("vehicle"),
                                         escort=request.POST.get("escort"))
            return redirect(request.get_full_path())
        except ServiceError as exc:
            _fail(request, exc)
    f = _filters(request, "status", "direction")
    qs = selectors.transfer_list(actor=who, **f).select_related("stay__person__household")
    page = page_of(request, qs)
    addresses = selectors.transfer_addresses(page.object_list, actor=who)
    rows = [(t, pii.mask_name(t.stay.person.name), *addresses[t.pk]) for t in page.object_list]
    return render(request, "quarantine/transfers.html", {"page": page, "rows": rows, "filters": request.GET,
                                                         "can_change": access.can(who, "quarantine.change")})


def monitor(request, token: str):
    """The person's own twice-daily report through the tokenised link (no login, nothing personal shown)."""
    s = selectors.stay_by_token(token=token)
    if s is None:
        return render(request, "quarantine/monitor.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        try:
            services.reading_record_self(token=token, temperature=request.POST.get("temperature", ""),
                                         symptoms=request.POST.getlist("symptoms"))
            done = True
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "quarantine/monitor.html", {"s": s, "done": done,
                                                       "symptoms": [(k, SYMPTOM_LABELS[k]) for k in SYMPTOMS]})


@login_required
@require_POST
def sweep(request):
    _need(request, "quarantine.change")
    n = services.monitoring_sweep()
    messages.success(request, _("%(n)d missed-monitoring alerts filed.") % {"n": n})
    return redirect("quarantine:index")
