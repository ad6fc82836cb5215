"""Grid work pages: progress per grid, one grid (residents, measures, untested, door checks),
compound entrances (passes, log), villages (checkpoints, returnees)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.community import exports, selectors, services
from cordon.core import access, clock, pii
from cordon.core.errors import ServiceError
from cordon.core.exports import wants, web_download
from cordon.core.pages import page_of


@login_required
def index(request):
    access.require(request.user, "community.view")
    rows = selectors.progress(actor=request.user, parent_path=request.GET.get("parent", ""))
    option = {"tooltip": {"trigger": "axis"}, "grid": {"left": 120, "right": 20, "top": 10, "bottom": 30},
              "xAxis": {"type": "value", "max": 100}, "yAxis": {"type": "category", "data": [r["name"] for r in rows[:40]][::-1]},
              "series": [{"type": "bar", "data": [r["share"] for r in rows[:40]][::-1], "itemStyle": {"color": "#12b76a"}}]}
    return render(request, "community/index.html", {"rows": page_of(request, rows), "option": option, "today": clock.today()})


@login_required
def grid(request, pk: int):
    g = selectors.grid_get(actor=request.user, pk=pk)
    only = request.GET.get("only", "")
    page = page_of(request, selectors.grid_residents(actor=request.user, grid=g, only=only))
    households = page_of(request, selectors.grid_households(actor=request.user, grid=g), per_page=200)
    checked = set(selectors.doorcheck_list(actor=request.user, day=clock.today(), grid_path=g.path).values_list("household_id", flat=True))
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
    item = {k: request.POST.get(k, "") for k in ("household_id", "absent", "symptom_note", "note")}
    item.update(answered=request.POST.get("answered") == "on", all_present=request.POST.get("all_present") == "on",
                symptoms=request.POST.get("symptoms") == "on", needs=request.POST.getlist("needs"), absent=item["absent"] or 0)
    try:
        services.doorcheck_bulk(actor=request.user, items=[item])
        messages.success(request, _("Door check recorded."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("community:grid", pk=g.pk)


@login_required
def checks(request):
    access.require(request.user, "community.view")
    day = request.GET.get("day") or None
    qs = selectors.doorcheck_list(actor=request.user, day=day, grid_path=request.GET.get("grid", ""),
                                  symptoms=True if request.GET.get("symptoms") == "1" else None)
    if fmt := wants(request):
        return web_download(request, lambda: exports.doorchecks_export(
            actor=request.user, fmt=fmt, unmask=request.GET.get("unmask") == "1", day=day, grid_path=request.GET.get("grid", ""),
            symptoms=True if request.GET.get("symptoms") == "1" else None))
    return render(request, "community/checks.html", {"page": page_of(request, qs), "filters": request.GET})


@login_required
def entrance(request):
    access.require(request.user, "community.view")
    if request.method == "POST":
        access.require(request.user, "community.change")
        community_id, _sep, compound = request.POST.get("compound_key", "").partition(":")
        try:
            if request.POST.get("what") == "pass":
                p = services.pass_issue(actor=request.user, community_id=community_id, compound=compound,
                                        **{k: request.POST.get(k, "") for k in ("holder_name", "holder_phone", "role", "valid_from", "valid_until")})
                messages.success(request, _("Pass issued: %(code)s") % {"code": p.code})
            else:
                services.passage_record(actor=request.user, community_id=community_id, compound=compound,
                                        direction=request.POST.get("direction", ""), pass_code=request.POST.get("pass_code", ""),
                                        person_id=int(request.POST["person_id"]) if request.POST.get("person_id", "").isdigit() else None,
                                        purpose=request.POST.get("purpose", ""))
                messages.success(request, _("Passage logged."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("community:entrance")
    compound = request.GET.get("compound", "")
    return render(request, "community/entrance.html", {
        "compounds": selectors.compounds(actor=request.user), "compound": compound, "roles": services.PASS_ROLES,
        "passes": page_of(request, selectors.pass_list(actor=request.user, compound=compound)),
        "log": selectors.entrance_log(actor=request.user, compound=compound)[:100]})


@login_required
def villages(request):
    access.require(request.user, "community.view")
    if request.method == "POST":
        access.require(request.user, "community.change")
        try:
            if request.POST.get("what") == "checkpoint":
                services.checkpoint_create(actor=request.user, village_id=request.POST.get("village_id"), name=request.POST.get("name", ""),
                                           location=request.POST.get("location", ""), staff=request.POST.get("staff", ""),
                                           phone=request.POST.get("phone", ""))
                messages.success(request, _("Checkpoint set up."))
            else:
                cp = request.POST.get("checkpoint_id", "")
                services.returnee_register(actor=request.user, **{k: request.POST.get(k, "") for k in
                                           ("village_id", "name", "id_number", "phone", "from_place", "from_risk", "note")},
                                           arrived_on=request.POST.get("arrived_on") or None, checkpoint_id=int(cp) if cp.isdigit() else None,
                                           grid_id=request.POST.get("grid_id") or None)
                messages.success(request, _("Returnee registered."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("community:villages")
    rs = selectors.returnee_list(actor=request.user, risk=request.GET.get("risk", ""))
    page = page_of(request, rs)
    rows = [{"r": r, "name": pii.mask_name(r.name), "id_number": pii.mask_id_number(r.id_number), "phone": pii.mask_phone(r.phone)}
            for r in page.object_list]
    return render(request, "community/villages.html", {"villages": selectors.villages(actor=request.user)[:300],
                                                       "checkpoints": selectors.checkpoint_list(actor=request.user)[:300],
                                                       "page": page, "rows": rows})
