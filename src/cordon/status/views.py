"""Health status pages: colours in the actor's area, non-green people, one person's colour and history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from cordon.core import access, pii
from cordon.core.pages import listing
from cordon.people import selectors as people_selectors
from cordon.status import forms, selectors


@login_required
def index(request):
    if not access.can(request.user, "status.view"):
        raise PermissionDenied("status.view")
    lookup = forms.LookupForm(request.GET)
    id_number = lookup.cleaned_data["id_number"] if lookup.is_valid() else ""
    if id_number:
        person = people_selectors.person_list(actor=request.user, q=id_number).first()
        if person is not None:
            return redirect("status:person", person_id=person.pk)
    listed = listing(request, rows=lambda f: selectors.status_list(actor=request.user, filters=f))
    page = listed["page"]
    rows = [{"s": s, "name": pii.mask_name(s.person.name)} for s in page.object_list]
    counts = selectors.colour_counts(actor=request.user)
    option = {"tooltip": {}, "series": [{"type": "pie", "radius": ["40%", "70%"], "data": [
        {"name": "red", "value": counts.get("red", 0), "itemStyle": {"color": "#c0392b"}},
        {"name": "yellow", "value": counts.get("yellow", 0), "itemStyle": {"color": "#e6a700"}}]}]}
    template = "status/_rows.html" if request.headers.get("HX-Request") else "status/index.html"
    return render(request, template, {"page": page, "rows": rows, "counts": counts, "filters": request.GET, "option": option,
                                      "not_found": bool(id_number), "changes": [
                                          {"c": c, "name": pii.mask_name(c.person.name)} for c in selectors.recent_changes(actor=request.user)]})


@login_required
def person(request, person_id: int):
    status = selectors.status_of(actor=request.user, person_id=person_id)
    p = people_selectors.person_get(actor=request.user, pk=person_id)
    return render(request, "status/person.html", {"status": status, "card": people_selectors.person_card(p, actor=request.user)})
