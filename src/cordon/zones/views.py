"""Zone pages: list with the map, designate, one zone (lifecycle, households, workers), public list."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.core import access, policy
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of
from cordon.zones import charts, exports, selectors, services
from cordon.zones.enums import PickType, ZoneStatus


def _kinds() -> dict:
    return policy.in_force().section("zones").get("kinds") or {}


@login_required
def index(request):
    if not access.can(request.user, "zones.view"):
        raise PermissionDenied("zones.view")
    f = {"status": request.GET.get("status") or None, "kind": request.GET.get("kind") or None,
         "q": request.GET.get("q") or None, "district": request.GET.get("district") or None}
    qs = selectors.zone_list(actor=request.user, **f)
    if fmt := wants(request):
        return web_download(request, lambda: exports.zones_export(actor=request.user, fmt=fmt, **f))
    page = page_of(request, qs)
    zones = list(page.object_list)
    summaries = selectors.zone_summaries(zones=zones)
    rows = [{"zone": z, "summary": summaries[z.pk]} for z in zones]
    if request.headers.get("HX-Request"):
        return render(request, "zones/_rows.html", {"page": page, "rows": rows})
    option = charts.zone_map_option(selectors.map_data(actor=request.user), title_days=_("days remaining"), title_people=_("people"))
    return render(request, "zones/index.html", {
        "page": page, "rows": rows, "filters": request.GET, "statuses": ZoneStatus.choices, "kinds": _kinds(),
        "counts": selectors.counts(actor=request.user), "map_option": option,
        "can_change": access.can(request.user, "zones.change")})


@login_required
def candidates(request):
    kind = request.GET.get("pick_type", "building")
    items = selectors.candidates(actor=request.user, kind=kind, parent_path=request.GET.get("parent", "").strip())
    return render(request, "zones/_candidates.html", {"items": items, "pick_type": kind})


def _parse_picks(pick_type: str, values: list[str]) -> list[dict]:
    out = []
    for v in values:
        if pick_type == PickType.COMPOUND:
            community_id, _sep, name = v.partition(":")
            out.append({"type": "compound", "community_id": community_id, "name": name})
        else:
            out.append({"type": pick_type, "id": v})
    return out


@login_required
def new(request):
    if not access.can(request.user, "zones.change"):
        raise PermissionDenied("zones.change")
    error, form = None, request.POST if request.method == "POST" else {}
    if request.method == "POST":
        polygon = None
        raw = request.POST.get("polygon", "").strip()
        try:
            if raw:
                try:
                    polygon = json.loads(raw)
                except ValueError:
                    raise ServiceError.field("polygon", _("is not valid GeoJSON")) from None
            picks = [] if polygon else _parse_picks(request.POST.get("pick_type", ""), request.POST.getlist("pick"))
            zone = services.zone_designate(actor=request.user, kind=request.POST.get("kind", ""), picks=picks, polygon=polygon,
                                           name=request.POST.get("name", ""), note=request.POST.get("note", ""),
                                           emergency_phone=request.POST.get("emergency_phone", ""))
            messages.success(request, _("Zone designated: %(name)s") % {"name": zone.name})
            return redirect("zones:detail", pk=zone.pk)
        except ServiceError as exc:
            error = exc
    return render(request, "zones/new.html", {"kinds": _kinds(), "pick_types": [c for c in PickType.choices if c[0] not in ("polygon", "district_rest")],
                                              "error": error, "form": form}, status=400 if error else 200)


@login_required
def detail(request, pk: int):
    zone = selectors.zone_get(actor=request.user, pk=pk)
    summary = selectors.zone_summary(zone=zone)
    members = selectors.zone_members(actor=request.user, zone=zone)
    page = page_of(request, members)
    return render(request, "zones/detail.html", {
        "zone": zone, "summary": summary, "page": page, "members": selectors.member_rows(page.object_list, actor=request.user),
        "events": selectors.zone_events(zone=zone)[:50], "can_change": access.can(request.user, "zones.change", zone.region_path),
        "criteria": services.criteria(zone=zone) if zone.status in ("in_force", "countdown", "eligible") else None})


@login_required
def households(request, pk: int):
    zone = selectors.zone_get(actor=request.user, pk=pk)
    page = page_of(request, selectors.zone_members(actor=request.user, zone=zone))
    return render(request, "zones/_members.html", {"zone": zone, "page": page,
                                                   "members": selectors.member_rows(page.object_list, actor=request.user)})


VERBS = {"confirm": services.zone_confirm, "cancel": services.zone_cancel, "lift": services.zone_lift}


@login_required
@require_POST
def act(request, pk: int, verb: str):
    zone = selectors.zone_get(actor=request.user, pk=pk, action="change")
    try:
        if verb == "evaluate":
            services.zone_evaluate(zone=zone, actor=request.user)
            messages.success(request, _("Criteria checked."))
        elif verb in VERBS:
            VERBS[verb](actor=request.user, zone=zone, note=request.POST.get("note", ""))
            messages.success(request, _("Done."))
        else:
            raise ServiceError.field("verb", _("unknown action"))
    except ServiceError as exc:
        messages.error(request, exc.message)
        for f in exc.fields:
            messages.error(request, f"{f['field']}: {f['message']}")
    return redirect("zones:detail", pk=zone.pk)


@login_required
@require_POST
def assign_workers(request, pk: int):
    zone = selectors.zone_get(actor=request.user, pk=pk, action="change")
    ids = [int(x) for x in request.POST.getlist("household") if x.isdigit()]
    try:
        n = services.zone_assign_worker(actor=request.user, zone=zone, household_ids=ids,
                                        worker_name=request.POST.get("worker_name", ""), worker_phone=request.POST.get("worker_phone", ""))
        messages.success(request, _("%(n)d households assigned.") % {"n": n})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("zones:detail", pk=zone.pk)


def public(request):
    """No login: the published risk areas."""
    return render(request, "zones/public.html", {"areas": selectors.public_risk_areas(), "updated_at": selectors.public_updated_at()})
