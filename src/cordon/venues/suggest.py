"""The search widget's answer for venues (cordon.core.autocomplete): those the actor may see, by name, venue code
or address; the value sent is the venue code (场所码, printed on the venue's poster), what venue fields take."""

from django.db.models import Q

from cordon.core import autocomplete
from cordon.core.autocomplete import Suggestion
from cordon.venues.models import Venue


def _venue(v: Venue) -> Suggestion:
    return Suggestion(value=v.code, label=v.name, detail=" · ".join(x for x in (v.get_kind_display(), v.address, v.code) if x))


@autocomplete.SUGGEST["venue"].answer
def venues(*, actor, q=None, values=None, limit=autocomplete.LIMIT) -> list[Suggestion]:
    """Venues by part of the name or address, or the start of the venue code (场所码)."""
    qs = Venue.objects.visible_to(actor, "view")
    if values is not None:
        return [_venue(v) for v in qs.filter(code__in=values)]
    qs = qs.filter(Q(name__icontains=q) | Q(code__istartswith=q) | Q(address__icontains=q))
    return [_venue(v) for v in qs.order_by("name", "pk")[:limit]]
