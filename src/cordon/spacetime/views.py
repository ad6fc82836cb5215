"""Presence pages: the batches of the actor's area, one batch's grids, one person's presence, the upload form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access, clock
from cordon.core.exports import wants, web_download
from cordon.core.forms import REFUSED
from cordon.core.pages import asks_unmask, list_page, page_of
from cordon.people import selectors as people_selectors
from cordon.spacetime import cells, exports, forms, selectors, services


def _local(value) -> str:
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""


@login_required
def index(request):
    if not access.can(request.user, "spacetime.view"):
        raise PermissionDenied("spacetime.view")
    person = (request.GET.get("person") or "").strip()
    if person.isdigit():
        return redirect("spacetime:person", person_id=int(person))
    return list_page(request, "spacetime/index.html", rows=lambda f: selectors.batch_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.batches_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "totals": selectors.presence_totals(actor=request.user), "can_load": selectors.can_load(request.user),
    })


@login_required
def upload(request):
    if not selectors.can_load(request.user):
        raise PermissionDenied("spacetime.change")
    form = forms.UploadForm(request.POST, request.FILES) if request.method == "POST" else forms.UploadForm()
    if request.method == "POST":
        done = form.submit(request, lambda file, source: services.presence_import(
            actor=request.user, data=file.read(), filename=file.name, source=source))
        if done is not REFUSED:
            if done["already_loaded"]:
                messages.info(request, _("This batch was loaded before; nothing new stored."))
            else:
                messages.success(request, _("Loaded %(stored)d presence rows (%(duplicates)d already held).") % done)
            return redirect("spacetime:batch", pk=done["batch"])
    return render(request, "spacetime/upload.html", {"report": form.refusal_report(), "columns": sorted(set(services.ALIASES.values()))})


@login_required
def batch(request, pk: int):
    info = selectors.batch_get(actor=request.user, pk=pk)
    qs = selectors.batch_areas(actor=request.user, pk=pk)
    if fmt := wants(request):
        return web_download(request, lambda: exports.batch_areas_export(actor=request.user, pk=pk, fmt=fmt))
    return render(request, "spacetime/batch.html", {"batch": info, "page": page_of(request, qs)})


@login_required
def person(request, person_id: int):
    p = people_selectors.person_get(actor=request.user, pk=person_id)
    card = people_selectors.person_card(p, actor=request.user)
    qs = selectors.presence_of_person(actor=request.user, person_id=p.pk)
    if fmt := wants(request):
        return web_download(request, lambda: exports.presence_export(actor=request.user, person_id=p.pk, fmt=fmt,
                                                                     unmask=asks_unmask(request)))
    page = page_of(request, qs)
    items = [{"row": r, "label": cells.cell_label(r.cell_id), "center": cells.cell_center(r.cell_id),
              "minutes": round((r.end - r.start).total_seconds() / 60)} for r in page.object_list]
    return render(request, "spacetime/person.html", {"card": card, "page": page, "items": items})
