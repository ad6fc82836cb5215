"""The suggestions of the shared search widget (cordon.core.autocomplete): /suggest/<kind>/?q=... answers an
HTML list for htmx, or JSON with ?format=json; only what the signed-in user may see, personal data masked."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cordon.core import autocomplete


@login_required
@require_GET
def suggest(request, kind: str):
    if kind not in autocomplete.kinds():
        raise Http404(kind)
    q = request.GET.get("q", "")
    found = autocomplete.suggest(kind, actor=request.user, q=q)
    if request.GET.get("format") == "json":
        return JsonResponse({"kind": kind, "q": q.strip(), "results": [s.as_dict() for s in found]})
    return render(request, "web/_suggestions.html", {"suggestions": found, "q": q.strip()})
