"""Grid work pages: progress per grid, one grid (residents, measures, untested, door checks),
compound entrances (passes, log), villages (checkpoints, returnees)."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cordon.community import exports, forms, selectors, services
from cordon.core import access, clock, pii, qr
from cordon.core.pages import asks_unmask, list_page, listing, page_of
from cordon.status import credentials


def _post(request, then: str, actions: dict):
    """One of a page's forms, chosen by its hidden `what` (the first is the default), validated and handed to its
    service as the user; the outcome goes to the page's messages, and the page is shown again."""
    access.require(request.user, "community.change")
    form_class, service, success = actions.get(request.POST.get("what")) or next(iter(actions.values()))
    form_class(request.POST).submit(request, lambda **data: service(actor=request.user, **data), success=success)
    return redirect(then)


@login_required
def index(request):
    access.require(request.user, "community.view")
    rows = selectors.progress(actor=request.user, parent_path=forms.choice(forms.ProgressForm(request.GET), "parent"))
    option = {"tooltip": {"trigger": "axis"}, "grid": {"left": 120, "right": 20, "top": 10, "bottom": 30},
              "xAxis": {"type": "value", "max": 100}, "yAxis": {"type": "category", "data": [r["name"] for r in rows[:40]][::-1]},
              "series": [{"type": "bar", "data": [r["share"] for r in rows[:40]][::-1], "itemStyle": {"color": "#12b76a"}}]}
    return render(request, "community/index.html", {"rows": page_of(request, rows), "option": option, "today": clock.today()})


@login_required
def grid(request, pk: int):
    g = selectors.grid_get(actor=request.user, pk=pk)
    only = forms.choice(forms.GridViewForm(request.GET), "only")
    page = page_of(request, selectors.grid_residents(actor=request.user, grid=g, only=only))
    households = page_of(request, selectors.grid_households(actor=request.user, grid=g), per_page=200)
    checked = set(selectors.doorcheck_list(actor=request.user, filters={"day": clock.today(), "grid": g.path})
                  .values_list("household_id", flat=True))
    hh_rows = [{"id": h.pk, "address": h.address if access.can_unmask(request.user, h.region_path) else pii.mask_address(h.address),
                "checked": h.pk in checked} for h in households.object_list]
    return render(request, "community/grid.html", {
        "grid": g, "facts": selectors.grid_facts(actor=request.user, grid=g), "page": page, "only": only,
        "people": selectors.resident_rows(page.object_list, actor=request.user), "households": hh_rows,
        "can_change": access.can(request.user, "community.change", g.path), "needs": services.NEED_KINDS})


@login_required
@require_POST
def check(request, pk: int):
    g = selectors.grid_get(actor=request.user, pk=pk)
    forms.DoorCheckForm(request.POST).submit(request, lambda **item: services.doorcheck_bulk(actor=request.user, items=[item]),
                                             success=_("Door check recorded."))
    return redirect("community:grid", pk=g.pk)


@login_required
def checks(request):
    access.require(request.user, "community.view")
    return list_page(request, "community/checks.html", rows=lambda f: selectors.doorcheck_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.doorchecks_export(actor=request.user, fmt=fmt, filters=filters,
                                                                           unmask=asks_unmask(request)))


@login_required
def entrance(request):
    access.require(request.user, "community.view")
    if request.method == "POST":
        return _post(request, "community:entrance", {
            "passage": (forms.PassageForm, services.passage_record, _("Passage logged.")),
            "pass": (forms.EntrancePassForm, services.pass_issue, lambda p: _("Pass issued: %(code)s") % {"code": p.code})})
    listed = listing(request, rows=lambda f: selectors.pass_list(actor=request.user, filters=f))
    return render(request, "community/entrance.html", {
        "compounds": selectors.compounds(actor=request.user), "compound": listed["filters"].get("compound", ""),
        "roles": services.PASS_ROLES, "passes": listed["page"],
        "log": selectors.entrance_log(actor=request.user, filters=listed["filters"])[:100]})


@login_required
def villages(request):
    access.require(request.user, "community.view")
    if request.method == "POST":
        return _post(request, "community:villages", {
            "returnee": (forms.ReturneeForm, services.returnee_register, _("Returnee registered.")),
            "checkpoint": (forms.VillageCheckpointForm, services.checkpoint_create, _("Checkpoint set up."))})
    listed = listing(request, rows=lambda f: selectors.returnee_list(actor=request.user, filters=f))
    page = listed["page"]
    rows = [{"r": r, "name": pii.mask_name(r.name), "id_number": pii.mask_id_number(r.id_number), "phone": pii.mask_phone(r.phone)}
            for r in page.object_list]
    return render(request, "community/villages.html", {"villages": selectors.villages(actor=request.user)[:300],
                                                       "checkpoints": selectors.checkpoint_list(actor=request.user)[:300],
                                                       "page": page, "rows": rows, "filters": listed["filters"]})


@never_cache
def service_worker(request):
    """The gate page's service worker (scope /community/), so the page opens again while the network is down."""
    response = HttpResponse((Path(__file__).parent / "static" / "community" / "sw.js").read_bytes(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/community/"
    return response


@login_required
def gate(request):
    """The door worker's phone page: scan a pass or a resident's health code (checked on the phone with the city's
    public keys), log the passage; entries wait on the phone while the network is down and are sent when it is back."""
    access.require(request.user, "community.view")
    return render(request, "community/gate.html", {
        "compounds": selectors.compounds(actor=request.user), "keys": credentials.public_keys_raw(),
        "can_change": access.can(request.user, "community.change")})


def pass_label(p) -> qr.Label:
    """An entrance pass's label: the QR holds CDE.<code>, what the gate page reads."""
    return qr.Label(code=f"CDE.{p.code}", title=f"{p.community.name} {p.compound}",
                    lines=(f"{pii.mask_name(p.holder_name)} · {p.role}", f"{p.valid_from:%Y-%m-%d} – {p.valid_until:%Y-%m-%d}"),
                    caption=p.code)


# Entrance passes with their QR codes, as an A4 label sheet or single cards (the listed passes or ?ids=).
passes_print = qr.print_view(
    perm="community.view", get=selectors.pass_get, label=pass_label, back="community:entrance",
    listed=lambda actor, filters: selectors.pass_list(actor=actor, filters=filters).filter(revoked=False),
    title=gettext_lazy("Entrance passes"), note=gettext_lazy("Scan on the gate page: the pass is checked and the passage logged."))
