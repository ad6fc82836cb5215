"""Zone pages: list with the map, designate, one zone (lifecycle, households, workers), public list, the national
risk-area list (upload by the city command, the areas in force with their history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cordon.core import access, policy
from cordon.core.errors import ServiceError
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import listing, page_of
from cordon.zones import charts, exports, forms, selectors, services
from cordon.zones.enums import HAND_VERBS, ZONE_HAND_LIFECYCLE, PickType, ZoneStatus


def _kinds() -> dict:
    return policy.in_force().section("zones").get("kinds") or {}


@login_required
def index(request):
    access.require(request.user, "zones.view")
    listed = listing(request, rows=lambda f: selectors.zone_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.zones_export(actor=request.user, fmt=fmt, filters=filters))
    if isinstance(listed, HttpResponse):
        return listed
    page = listed["page"]
    zones = list(page.object_list)
    summaries = selectors.zone_summaries(zones=zones)
    rows = [{"zone": z, "summary": summaries[z.pk]} for z in zones]
    if request.headers.get("HX-Request"):
        return render(request, "zones/_rows.html", {"page": page, "rows": rows})
    option = charts.zone_map_option(selectors.map_data(actor=request.user), title_days=_("days remaining"), title_people=_("people"))
    return render(request, "zones/index.html", {
        **listed, "rows": rows, "statuses": ZoneStatus.choices, "kinds": _kinds(),
        "counts": selectors.counts(actor=request.user), "map_option": option,
        "can_change": access.can(request.user, "zones.change")})


@login_required
def candidates(request):
    chosen = forms.CandidatesForm(request.GET).chosen()
    if chosen is None:
        return render(request, "zones/_candidates.html", {"items": [], "pick_type": ""}, status=400)
    kind, parent = chosen
    items = selectors.candidates(actor=request.user, kind=kind, parent_path=parent)
    return render(request, "zones/_candidates.html", {"items": items, "pick_type": kind})


@login_required
def new(request):
    access.require(request.user, "zones.change")
    form = forms.DesignateForm(request.POST if request.method == "POST" else None)
    refused = False
    if request.method == "POST":
        zone = form.submit(request, lambda **data: services.zone_designate(actor=request.user, **data),
                           success=lambda z: _("Zone designated: %(name)s") % {"name": z.name})
        if zone is not REFUSED:
            return redirect("zones:detail", pk=zone.pk)
        refused = True
    return render(request, "zones/new.html", {"kinds": _kinds(), "pick_types": [c for c in PickType.choices if c[0] not in ("polygon", "district_rest")],
                                              "form": form.data, "errors": form.errors if refused else None},
                  status=400 if refused else 200)


@login_required
def detail(request, pk: int):
    zone = selectors.zone_get(actor=request.user, pk=pk)
    summary = selectors.zone_summary(zone=zone)
    members = selectors.zone_members(actor=request.user, zone=zone)
    page = page_of(request, members)
    return render(request, "zones/detail.html", {
        "zone": zone, "summary": summary, "page": page, "members": selectors.member_rows(page.object_list, actor=request.user),
        "events": selectors.zone_events(zone=zone)[:50], "can_change": access.can(request.user, "zones.change", zone.region_path),
        "criteria": services.criteria(zone=zone) if zone.status in ("in_force", "countdown", "eligible") else None,
        "steps": [HAND_VERBS[s] for s in ZONE_HAND_LIFECYCLE.allowed(zone.status)]})


@login_required
def households(request, pk: int):
    zone = selectors.zone_get(actor=request.user, pk=pk)
    page = page_of(request, selectors.zone_members(actor=request.user, zone=zone))
    return render(request, "zones/_members.html", {"zone": zone, "page": page,
                                                   "members": selectors.member_rows(page.object_list, actor=request.user)})


VERBS = {"confirm": services.zone_confirm, "cancel": services.zone_cancel, "lift": services.zone_lift}


def _naming_criteria(request, call):
    """The step's result; a refusal also lists each unmet criterion on the page."""
    try:
        return call()
    except ServiceError as exc:
        for f in exc.fields:
            messages.error(request, f"{f['field']}: {f['message']}")
        raise


@login_required
@require_POST
def act(request, pk: int, verb: str):
    zone = selectors.zone_get(actor=request.user, pk=pk, action="change")
    if verb == "evaluate":
        perform(request, lambda: services.zone_evaluate(zone=zone, actor=request.user), success=_("Criteria checked."))
    elif verb in VERBS:
        forms.NoteForm(request.POST).submit(request, lambda note: _naming_criteria(
            request, lambda: VERBS[verb](actor=request.user, zone=zone, note=note)), success=_("Done."))
    else:
        messages.error(request, _("unknown action"))
    return redirect("zones:detail", pk=zone.pk)


@login_required
@require_POST
def assign_workers(request, pk: int):
    zone = selectors.zone_get(actor=request.user, pk=pk, action="change")
    forms.AssignForm(request.POST).submit(
        request, lambda household, **data: services.zone_assign_worker(actor=request.user, zone=zone, household_ids=household, **data),
        success=lambda n: _("%(n)d households assigned.") % {"n": n})
    return redirect("zones:detail", pk=zone.pk)


def public(request):
    """No login: the published risk areas."""
    return render(request, "zones/public.html", {"areas": selectors.public_risk_areas(), "updated_at": selectors.public_updated_at()})


@login_required
@require_http_methods(["GET", "POST"])
def national(request):
    """The national risk-area list: communities in force per level, the snapshots imported, the areas (filtered), and
    for the city command the upload of a newer snapshot."""
    access.require(request.user, "zones.view")
    can_import = access.can(request.user, "zones.national")
    form = None
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied("zones.national")
        form = forms.NationalImportForm(request.POST, request.FILES)
        result = form.submit(request, lambda file: services.national_import(actor=request.user, data=file.read(), source=file.name),
                             success=lambda r: _("National list of %(end_update_time)s: %(high)d high, %(middle)d medium, %(low)d low "
                                                 "communities; %(added)d added, %(removed)d ended, %(unchanged)d unchanged.") % r)
        if result is not REFUSED:
            return redirect("zones:national")
    listed = listing(request, rows=lambda f: selectors.external_areas(filters=f))
    return render(request, "zones/national.html", {
        **listed, "current": selectors.external_counts(), "lists": selectors.national_lists(), "can_import": can_import,
        "form": form}, status=400 if form is not None else 200)
