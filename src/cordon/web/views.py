"""Base views, home page with the city map, the residents registry."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.cases import dashboard as cases_dashboard
from cordon.checkpoints import dashboard as checkpoints_dashboard
from cordon.command import dashboard as command_dashboard
from cordon.community import dashboard as community_dashboard
from cordon.contacts import dashboard as contacts_dashboard
from cordon.core import access, exports
from cordon.core.errors import ServiceError
from cordon.core.pages import page_of
from cordon.gatherings import dashboard as gatherings_dashboard
from cordon.livelihood import dashboard as livelihood_dashboard
from cordon.people import selectors as people_selectors
from cordon.people import services as people_services
from cordon.people.models import MoveStatus
from cordon.quarantine import dashboard as quarantine_dashboard
from cordon.regions import selectors as region_selectors
from cordon.regions.models import Level
from cordon.screening import dashboard as screening_dashboard
from cordon.spacetime import dashboard as spacetime_dashboard
from cordon.status import dashboard as status_dashboard
from cordon.supplies import dashboard as supplies_dashboard
from cordon.surveillance import dashboard as surveillance_dashboard
from cordon.venues import dashboard as venues_dashboard
from cordon.workforce import dashboard as workforce_dashboard
from cordon.zones import dashboard as zones_dashboard

log = logging.getLogger(__name__)

# (app, its tiles) in the order of settings.CORDON_APPS; tests/architecture checks no app's dashboard module is left out.
DASHBOARDS = [
    ("venues", venues_dashboard.tiles),
    ("spacetime", spacetime_dashboard.tiles),
    ("cases", cases_dashboard.tiles),
    ("contacts", contacts_dashboard.tiles),
    ("status", status_dashboard.tiles),
    ("surveillance", surveillance_dashboard.tiles),
    ("quarantine", quarantine_dashboard.tiles),
    ("zones", zones_dashboard.tiles),
    ("community", community_dashboard.tiles),
    ("checkpoints", checkpoints_dashboard.tiles),
    ("gatherings", gatherings_dashboard.tiles),
    ("supplies", supplies_dashboard.tiles),
    ("workforce", workforce_dashboard.tiles),
    ("screening", screening_dashboard.tiles),
    ("livelihood", livelihood_dashboard.tiles),
    ("command", command_dashboard.tiles),
]


def dashboard_tiles(actor) -> list[dict]:
    """Every module's home-page tiles. A failing module degrades to an "unavailable" tile instead of
    taking the page down (outside tests and debug, where the error is raised)."""
    tiles = []
    for label, tiles_of in DASHBOARDS:
        try:
            tiles.extend(tiles_of(actor))
        except Exception:
            if settings.DEBUG or settings.TESTING:
                raise
            log.exception("dashboard tiles of %s failed", label)
            tiles.append({"title": label, "value": _("unavailable"), "tone": "yellow"})
    return tiles


@login_required
def home(request):
    city = region_selectors.city_map()
    return render(request, "web/home.html", {
        "city": city,
        "map_data": {"districts": [{"name": d["name"], "code": d["code"], "population": d["population"],
                                    "boundary": d["boundary"], "lon": d["lon"], "lat": d["lat"]} for d in city["districts"]]},
        "tiles": dashboard_tiles(request.user),
        "people_count": sum(d["population"] for d in city["districts"]),
    })


@login_required
def people(request):
    if not access.can(request.user, "people.view"):
        raise PermissionDenied("people.view")
    filters = {"grid_path": request.GET.get("grid") or None, "q": request.GET.get("q") or None,
               "vulnerable": request.GET.get("vulnerable") or None}
    qs = people_selectors.person_list(actor=request.user, **filters).select_related("household")
    if fmt := exports.wants(request):
        return exports.web_download(request, lambda: people_services.people_export(
            actor=request.user, unmask=request.GET.get("unmask") == "1", fmt=fmt, **filters))
    page = page_of(request, qs)
    cards = [people_selectors.person_card(p, actor=request.user) for p in page.object_list]
    template = "web/_people_rows.html" if request.headers.get("HX-Request") else "web/people.html"
    return render(request, template, {"page": page, "cards": cards, "filters": request.GET,
                                      "can_import": access.can(request.user, "people.change"),
                                      "can_export": access.can(request.user, "people.export")})


@login_required
def person(request, pk: int):
    p = people_selectors.person_get(actor=request.user, pk=pk)
    unmask = request.GET.get("unmask") == "1"
    card = people_selectors.person_card(p, actor=request.user, unmask=unmask)
    return render(request, "web/person.html", {"p": p, "card": card, "can_unmask": access.can_unmask(request.user, p)})


@login_required
def people_import(request):
    access.require(request.user, "people.change")  # the form is a write: not shown to those who may not import
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or Excel file."))
        else:
            try:
                report = people_services.people_import(actor=request.user, data=upload.read(), filename=upload.name)
                messages.success(request, _("Imported %(rows)d rows: %(created)d new, %(updated)d updated.") % report)
            except ServiceError as exc:
                report = {"errors": exc.fields, "message": exc.message}
    return render(request, "web/people_import.html", {"report": report})


@login_required
def moves(request):
    """Move-in requests (迁入): file one for a resident of another area; decide those for your residents."""
    access.require(request.user, "people.view")
    if request.method == "POST":
        access.require(request.user, "people.change")
        try:
            people_services.move_request(actor=request.user, id_number=request.POST.get("id_number", ""),
                                         name=request.POST.get("name", ""), grid_id=request.POST.get("grid_id", ""),
                                         address=request.POST.get("address", ""), note=request.POST.get("note", ""))
            messages.success(request, _("Move-in requested; the resident's current area decides within 7 days."))
            return redirect("web:moves")
        except ServiceError as exc:
            messages.error(request, exc.message)
    qs = people_selectors.move_list(actor=request.user, status=request.GET.get("status") or None)
    page = page_of(request, qs, per_page=30)
    grids = (region_selectors.region_list(actor=request.user, level=Level.GRID).order_by("path")
             if access.can(request.user, "people.change") else [])
    return render(request, "web/moves.html", {
        "page": page, "cards": [people_selectors.move_card(m, actor=request.user) for m in page.object_list],
        "grids": [g for g in grids[:1000] if access.can(request.user, "people.change", g.path)],
        "statuses": MoveStatus.choices, "filters": request.GET})


@login_required
@require_POST
def move_decide(request, pk: int):
    try:
        people_services.move_decide(actor=request.user, move_id=pk, accept=request.POST.get("decision") == "accept",
                                    note=request.POST.get("note", ""))
        messages.success(request, _("Decision recorded."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("web:moves")


@login_required
def regions(request):
    qs = region_selectors.region_list(actor=request.user, level=int(request.GET.get("level", 0)) or None,
                                      parent_path=request.GET.get("parent") or None)
    return render(request, "web/regions.html", {"page": page_of(request, qs)})


def json_for_script(value) -> str:
    return json.dumps(value, ensure_ascii=False)
