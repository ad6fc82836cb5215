"""Base views, home page with the city map, the residents registry."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.cases import dashboard as cases_dashboard
from cordon.checkpoints import dashboard as checkpoints_dashboard
from cordon.command import dashboard as command_dashboard
from cordon.community import dashboard as community_dashboard
from cordon.contacts import dashboard as contacts_dashboard
from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.core.forms import REFUSED
from cordon.core.pages import asks_unmask, list_page
from cordon.gatherings import dashboard as gatherings_dashboard
from cordon.livelihood import dashboard as livelihood_dashboard
from cordon.people import forms as people_forms
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
    access.require(request.user, "people.view")
    return list_page(request, "web/people.html", partial="web/_people_rows.html",
                     rows=lambda f: people_selectors.person_list(actor=request.user, filters=f).select_related("household"),
                     export=lambda fmt, filters: people_services.people_export(
                         actor=request.user, unmask=asks_unmask(request), fmt=fmt, filters=filters),
                     context=lambda listed: {
        "cards": [people_selectors.person_card(p, actor=request.user) for p in listed["page"].object_list],
        "can_import": access.can(request.user, "people.change"), "can_export": access.can(request.user, "people.export")})


@login_required
def person(request, pk: int):
    p = people_selectors.person_get(actor=request.user, pk=pk)
    unmask = asks_unmask(request)
    card = people_selectors.person_card(p, actor=request.user, unmask=unmask)
    return render(request, "web/person.html", {"p": p, "card": card, "can_unmask": access.can_unmask(request.user, p)})


@login_required
def people_import(request):
    access.require(request.user, "people.change")  # the form is a write: not shown to those who may not import
    report = None
    if request.method == "POST":
        form = people_forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = people_services.people_import(actor=request.user, data=upload.read(), filename=upload.name)
                messages.success(request, _("Imported %(rows)d rows: %(created)d new, %(updated)d updated.") % report)
            except ServiceError as exc:  # every bad row is listed on the page, by row and field
                report = {"errors": exc.fields, "message": exc.message}
        else:
            messages.error(request, form.error_summary())
    return render(request, "web/people_import.html", {"report": report})


@login_required
def moves(request):
    """Move-in requests (迁入): file one for a resident of another area; decide those for your residents."""
    access.require(request.user, "people.view")
    if request.method == "POST":
        access.require(request.user, "people.change")
        done = people_forms.MoveRequestForm(request.POST).submit(
            request, lambda **data: people_services.move_request(actor=request.user, **data),
            success=_("Move-in requested; the resident's current area decides within 7 days."))
        if done is not REFUSED:
            return redirect("web:moves")
    grids = (region_selectors.region_list(actor=request.user, level=Level.GRID).order_by("path")
             if access.can(request.user, "people.change") else [])
    return list_page(request, "web/moves.html", per_page=30,
                     rows=lambda f: people_selectors.move_list(actor=request.user, filters=f),
                     context=lambda listed: {
        "cards": [people_selectors.move_card(m, actor=request.user) for m in listed["page"].object_list],
        "grids": [g for g in grids[:1000] if access.can(request.user, "people.change", g.path)],
        "statuses": MoveStatus.choices})


@login_required
@require_POST
def move_decide(request, pk: int):
    people_forms.MoveDecisionForm(request.POST).submit(
        request, lambda decision, note: people_services.move_decide(actor=request.user, move_id=pk, accept=decision == "accept",
                                                                   note=note),
        success=_("Decision recorded."))
    return redirect("web:moves")


@login_required
def regions(request):
    return list_page(request, "web/regions.html", rows=lambda f: region_selectors.region_list(actor=request.user, filters=f))


def json_for_script(value) -> str:
    return json.dumps(value, ensure_ascii=False)
