"""Web pages for centralized quarantine (server-rendered, htmx)."""


from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cordon.core import access, clock, pii, tabular
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page
from cordon.people import selectors as people_selectors
from cordon.quarantine import charts, exports, forms, selectors, services
from cordon.quarantine.enums import (
    CATEGORY_LABELS,
    READINESS_ITEMS,
    READINESS_LABELS,
    SITE_LIFECYCLE,
    STAY_LIFECYCLE,
    SYMPTOM_LABELS,
    SYMPTOMS,
    TRANSFER_LIFECYCLE,
    TRANSFER_NEXT,
    RoomStatus,
    SiteStatus,
    StayKind,
    StayStatus,
    TransferStatus,
)
from cordon.regions import selectors as region_selectors
from cordon.surveillance import selectors as surveillance_selectors


def _need(request, perm="quarantine.view"):
    if not access.can(request.user, perm):
        raise PermissionDenied(perm)


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
    for s in selectors.site_list(actor=who, filters={"status": SiteStatus.RESERVE}):
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
    return render(request, "quarantine/forecast.html", {
        "rows": rows, "option": charts.forecast(rows),
        "backtest": surveillance_selectors.forecast_backtest_latest(actor=request.user),
        "backtest_how": surveillance_selectors.BACKTEST_HOW})


@login_required
def sites(request):
    _need(request)
    who = request.user
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST":
        site = form.submit(request, lambda **data: services.site_create(actor=who, **data), success=_("Site registered."))
        if site is not REFUSED:
            return redirect("quarantine:site", pk=site.pk)
    return list_page(request, "quarantine/sites.html", partial="quarantine/_site_rows.html",
                     rows=lambda f: selectors.site_list(actor=who, filters=f),
                     export=lambda fmt, filters: exports.sites_export(actor=who, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "form": form, "statuses": SiteStatus.choices, "can_change": access.can(who, "quarantine.change"),
        "regions": region_selectors.region_list(actor=who, level=2) if access.can(who, "quarantine.change") else []})


def _with_rows(request, call, *, rows_from: int):
    """`call` whose refusal also lists each bad row (up to 20) when at least `rows_from` are named."""

    def run(**data):
        try:
            return call(**data)
        except ServiceError as exc:
            if exc.fields and len(exc.fields) >= rows_from:
                for f in exc.fields[:20]:
                    messages.error(request, f"{_('row')} {f.get('row', '-')}, {f['field']}: {f['message']}")
            raise
    return run


def _rooms_added(out: dict) -> str:
    return _("%(n)d rooms added.") % {"n": out["created"]}


def _acted(request, get, actions_of, url_name: str):
    """A page's object after the POSTed `action` (a name in `actions_of(request, obj)`; another name does nothing):
    (object, redirect to `url_name`) when done, or (object read again, None) to draw the page with the refusal."""
    obj = get()
    if request.method != "POST":
        return obj, None
    run = actions_of(request, obj).get(request.POST.get("action"))
    if (run() if run is not None else None) is not REFUSED:
        return obj, redirect(url_name, pk=obj.pk)
    return get(), None


def _site_actions(request, s) -> dict:
    """What the site page's forms do: status, checklist, staff, rooms generated or imported, one room's status."""
    who, post = request.user, request.POST

    def room_status(room_id, status):
        room = selectors.room_get(actor=who, pk=room_id, action="change")
        return services.room_set_status(actor=who, room=room, status=status)

    return {
        "status": lambda: forms.StatusForm(post).submit(
            request, lambda status: services.site_set_status(actor=who, site=s, status=status)),
        "readiness": lambda: forms.ReadinessForm(post).submit(
            request, lambda items: services.site_readiness(actor=who, site=s, items=items)),
        "staff": lambda: forms.StaffForm(post).submit(
            request, lambda **data: services.site_update(actor=who, site=s, **data)),
        "generate": lambda: forms.GenerateRoomsForm(post).submit(
            request, _with_rows(request, lambda **data: services.rooms_generate(actor=who, site=s, **data), rows_from=2),
            success=_rooms_added),
        "import": lambda: forms.FileForm(post, request.FILES).submit(
            request, _with_rows(request, lambda file: services.rooms_import(actor=who, site=s, data=file.read(),
                                                                           filename=file.name), rows_from=2),
            success=_rooms_added),
        "room": lambda: forms.RoomStatusForm(post).submit(request, room_status),
    }


@login_required
def site(request, pk: int):
    who = request.user
    s, done = _acted(request, lambda: selectors.site_get(actor=who, pk=pk), _site_actions, "quarantine:site")
    if done:
        return done
    rooms = list(selectors.room_list(actor=who, site=s))
    occupants = {st.room_id: st for st in selectors.stay_list(actor=who, filters={"site": s.pk})}
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
        p = forms.BuildForm(request.POST).submit(
            request, lambda district_path: services.proposal_build(actor=who, district_path=district_path),
            success=lambda p: _("Proposal built: %(n)d people placed, %(u)d rooms short.")
            % {"n": p.lines.count(), "u": p.unplaced})
        if p is not REFUSED:
            return redirect("quarantine:proposal", pk=p.pk)
    return list_page(request, "quarantine/queue.html",
                     rows=lambda f: selectors.request_list(actor=who, filters=f).select_related("person__household"),
                     context=lambda listed: {
        "rows": _pairs(request, listed["page"].object_list, lambda r: r.person),
        "by_district": selectors.queue_by_district(actor=who), "categories": CATEGORY_LABELS.items(),
        "proposals": selectors.proposal_list(actor=who)[:10]})


@login_required
def proposals(request):
    """The site manager's review: open lines in their sites, confirmed in bulk."""
    _need(request)
    who = request.user
    if request.method == "POST":
        out = forms.ConfirmForm(request.POST).submit(
            request, lambda line: services.proposal_confirm(actor=who, line_ids=line),
            success=lambda out: _("%(n)d placements confirmed; transfers are planned.") % {"n": out["confirmed"]})
        if out is not REFUSED:
            return redirect("quarantine:transfers")
    return list_page(request, "quarantine/proposals.html", per_page=200,
                     rows=lambda f: selectors.proposal_lines(actor=who, open_only=True).select_related("request__person__household",
                                                                                                     "carer_of"),
                     context=lambda listed: {
        "rows": _pairs(request, listed["page"].object_list, lambda ln: ln.request.person),
        "can_change": access.can(who, "quarantine.change"), "categories": CATEGORY_LABELS})


@login_required
def proposal(request, pk: int):
    who = request.user
    p = selectors.proposal_get(actor=who, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "discard":
        if perform(request, lambda: services.proposal_discard(actor=who, proposal=p),
                   success=_("Proposal discarded; its people are back in the queue.")) is not REFUSED:
            return redirect("quarantine:queue")
    lines = list(selectors.proposal_lines(actor=who, proposal=p).select_related("request__person__household"))
    return render(request, "quarantine/proposal.html", {
        "p": p, "rows": _pairs(request, lines, lambda ln: ln.request.person),
        "gap": (p.cost - p.optimum) / p.optimum * 100 if p.optimum else 0,
        "can_change": access.can(who, "quarantine.change", p.region_path)})


@login_required
def stays(request):
    _need(request)
    who = request.user
    return list_page(request, "quarantine/stays.html",
                     rows=lambda f: selectors.stay_list(actor=who, filters=f).select_related("person__household"),
                     export=lambda fmt, filters: exports.stays_export(actor=who, fmt=fmt, unmask=asks_unmask(request),
                                                                      filters=filters),
                     context=lambda listed: {
        "rows": _pairs(request, listed["page"].object_list, lambda s: s.person),
        "kinds": StayKind.choices, "statuses": StayStatus.choices})


def _result(request, who):
    """The result form of a scheduled test (the stay page and the samplers' list)."""
    def record(test_id, result):
        t = selectors.test_get(actor=who, pk=test_id, action="change")
        return services.test_result_record(actor=who, test=t, result=result)
    return forms.ResultForm(request.POST).submit(request, record)


# The stay page's button for each next status staff move a stay to (cancelled is the placement's own step).
STAY_STEPS = {StayStatus.IN: ("check_in", gettext_lazy("Check in")), StayStatus.RELEASED: ("release", gettext_lazy("Release")),
              StayStatus.TO_HOSPITAL: ("hospital", gettext_lazy("Moved to hospital"))}


def _stay_actions(request, s) -> dict:
    """What the stay page's forms do: check-in, a reading, release, hospital, a test result."""
    who, post = request.user, request.POST
    return {
        "check_in": lambda: perform(request, lambda: services.stay_check_in(actor=who, stay=s)),
        "reading": lambda: forms.ReadingForm(post).submit(
            request, lambda **data: services.reading_record(actor=who, stay=s, **data)),
        "release": lambda: forms.ReleaseForm(post).submit(
            request, lambda **data: services.stay_release(actor=who, stay=s, **data),
            success=_("Released; handed over to home health monitoring with a transfer home.")),
        "hospital": lambda: perform(request, lambda: services.stay_to_hospital(actor=who, stay=s)),
        "result": lambda: _result(request, who),
        "cancel_transfer": lambda: _transfer_cancel(request, who, stay=s),
    }


def _transfer_cancel(request, who, stay=None):
    """The cancel form of a transfer (the stay page, for that stay's transfers, and the transfers list)."""
    def cancel(transfer_id, reason):
        t = selectors.transfer_get(actor=who, pk=transfer_id, action="change")
        if stay is not None and t.stay_id != stay.pk:
            raise ServiceError.field("transfer_id", _("is not a transfer of this stay"))
        return services.transfer_cancel(actor=who, transfer=t, reason=reason)
    return forms.TransferCancelForm(request.POST).submit(request, cancel, success=_("Transfer cancelled."))


@login_required
def stay(request, pk: int):
    who = request.user
    s, done = _acted(request, lambda: selectors.stay_get(actor=who, pk=pk), _stay_actions, "quarantine:stay")
    if done:
        return done
    card = people_selectors.person_card(s.person, actor=who)
    link = request.build_absolute_uri(reverse("quarantine:monitor", args=[s.monitor_token]))
    return render(request, "quarantine/stay.html", {
        "s": s, "card": card, "readings": selectors.readings_of(actor=who, stay=s)[:30], "tests": s.tests.all(),
        "transfers": [(t, TransferStatus.CANCELLED in TRANSFER_LIFECYCLE.allowed(t.status)) for t in s.transfers.all()],
        "link": link, "symptoms": [(k, SYMPTOM_LABELS[k]) for k in SYMPTOMS],
        "can_change": access.can(who, "quarantine.change", s.region_path),
        "steps": [STAY_STEPS[v] for v, _label in STAY_LIFECYCLE.next_choices(StayStatus.choices, s.status) if v in STAY_STEPS],
        "next": s.handovers.first(), "near": services.neighbour_stays(s).select_related("room") if s.room_id else []})


@login_required
def home_stays(request):
    _need(request)
    who = request.user
    form = forms.HomeStayForm(request.POST or None)
    if request.method == "POST":
        def start(id_number, start, community_worker_id, **data):
            person = people_selectors.person_list(actor=who, q=id_number).first()
            if person is None:
                raise ServiceError.field("id_number", _("no resident with this ID number in your area"))
            return services.home_stay_start(actor=who, person_id=person.pk, start=start or clock.today(),
                                            community_worker_id=community_worker_id or None, **data)
        s = form.submit(request, start, success=_("Home measure started."))
        if s is not REFUSED:
            return redirect("quarantine:stay", pk=s.pk)
    return list_page(request, "quarantine/home.html",
                     rows=lambda f: selectors.stay_list(actor=who, filters=f).exclude(kind=StayKind.CENTRALIZED)
                     .select_related("person__household"),
                     context=lambda listed: {
        "rows": _pairs(request, listed["page"].object_list, lambda s: s.person), "form": form,
        "workers": get_user_model().objects.filter(posts__role="community_worker", posts__active=True).distinct()[:200],
        "categories": CATEGORY_LABELS.items(), "today": clock.today()})


def _results_import(request, who):
    def run(file):
        rows = [row for _, row in tabular.read_rows(file.read(), file.name, services.TEST_ALIASES)]
        return services.test_results_import(actor=who, rows=rows)
    return forms.FileForm(request.POST, request.FILES).submit(
        request, _with_rows(request, run, rows_from=1),
        success=lambda out: _("%(n)d results recorded.") % {"n": out["recorded"]})


@login_required
def tests_due(request):
    _need(request)
    who = request.user
    if request.method == "POST":
        if request.FILES.get("file"):
            done = _results_import(request, who)
        elif request.headers.get("HX-Request"):
            form = forms.ResultForm(request.POST)
            t = form.submit(request, lambda test_id, result: services.test_result_record(
                actor=who, test=selectors.test_get(actor=who, pk=test_id, action="change"), result=result))
            list(messages.get_messages(request))  # the answer is the cell itself, not a message on the next page
            if t is REFUSED:
                return HttpResponse(format_html('<span class="error">{}</span>', form.error_summary()))
            return HttpResponse(format_html('<span class="badge">{}</span>', t.get_result_display()))
        else:
            done = _result(request, who)
        if done is not REFUSED:
            return redirect("quarantine:tests")
    return list_page(request, "quarantine/tests.html",
                     rows=lambda f: selectors.tests_due(actor=who, filters=f).select_related("stay__person__household"),
                     export=lambda fmt, filters: exports.tests_due_export(actor=who, fmt=fmt, unmask=asks_unmask(request),
                                                                          filters=filters),
                     context=lambda listed: {
        "rows": _pairs(request, listed["page"].object_list, lambda t: t.stay.person),
        "can_change": access.can(who, "quarantine.change")})


@login_required
def transfers(request):
    _need(request)
    who = request.user
    if request.method == "POST":
        def change(transfer_id, **data):
            t = selectors.transfer_get(actor=who, pk=transfer_id, action="change")
            if request.POST.get("action") == "advance":
                return services.transfer_advance(actor=who, transfer=t)
            return services.transfer_update(actor=who, transfer=t, **data)
        if request.POST.get("action") == "cancel":
            done = _transfer_cancel(request, who)
        else:
            done = forms.TransferForm(request.POST).submit(request, change)
        if done is not REFUSED:
            return redirect(request.get_full_path())
    def rows(listed):
        addresses = selectors.transfer_addresses(listed["page"].object_list, actor=who)
        return [(t, pii.mask_name(t.stay.person.name), *addresses[t.pk], TRANSFER_NEXT.get(t.status),
                 TransferStatus.CANCELLED in TRANSFER_LIFECYCLE.allowed(t.status))
                for t in listed["page"].object_list]
    return list_page(request, "quarantine/transfers.html",
                     rows=lambda f: selectors.transfer_list(actor=who, filters=f).select_related("stay__person__household"),
                     context=lambda listed: {"rows": rows(listed), "can_change": access.can(who, "quarantine.change")})


def monitor(request, token: str):
    """The person's own twice-daily report through the tokenised link (no login, nothing personal shown)."""
    s = selectors.stay_by_token(token=token)
    if s is None:
        return render(request, "quarantine/monitor.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        done = forms.ReadingForm(request.POST).submit(
            request, lambda **data: services.reading_record_self(token=token, **data)) is not REFUSED
    return render(request, "quarantine/monitor.html", {"s": s, "done": done,
                                                       "symptoms": [(k, SYMPTOM_LABELS[k]) for k in SYMPTOMS]})


@login_required
@require_POST
def sweep(request):
    _need(request, "quarantine.change")
    n = services.monitoring_sweep()
    messages.success(request, _("%(n)d missed-monitoring alerts filed.") % {"n": n})
    return redirect("quarantine:index")
