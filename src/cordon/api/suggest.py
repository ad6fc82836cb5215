"""GET /api/v1/suggest/{kind}?q=...: the shared search's suggestions as an API operation, answered exactly as the
web's /suggest/<kind>/ (cordon.web.suggest): core.autocomplete asks the app owning the kind, scoped to what the
caller may see, personal data masked, at most autocomplete.LIMIT matches."""

from django.http import Http404
from ninja import Field, Router, Schema

from cordon.core import autocomplete
from cordon.core.apikit import actor

router = Router(tags=["suggest"])


class SuggestItemOut(Schema):
    value: str = Field(description="What to send where this kind is asked for: a number, or a region's path")
    label: str = Field(description="The name (masked for a person)")
    detail: str = Field(description="A second line: the area, an address, a masked phone")


class SuggestListOut(Schema):
    kind: str
    q: str
    results: list[SuggestItemOut]


@router.get("/{kind}", response=SuggestListOut)
def suggest(request, kind: str, q: str = ""):
    """The best matches (at most 10) of `q` among the things of this kind you may see: person, household, venue,
    region, site, room or user. An empty search answers no matches."""
    if kind not in autocomplete.kinds():
        raise Http404(kind)
    found = autocomplete.suggest(kind, actor=actor(request), q=q)
    return {"kind": kind, "q": q.strip()[:autocomplete.MAX_QUERY], "results": [s.as_dict() for s in found]}
