"""The search widget's answers for quarantine sites and rooms (cordon.core.autocomplete): those the actor may see,
sites by name or address, rooms by site name and room number ("锦江 305" finds room 305 of 锦江酒店)."""

from django.db.models import Q

from cordon.core import autocomplete
from cordon.core.autocomplete import Suggestion
from cordon.quarantine.models import Room, Site


def _site(s: Site) -> Suggestion:
    return Suggestion(value=str(s.pk), label=s.name, detail=" · ".join(x for x in (s.get_status_display(), s.address) if x))


@autocomplete.SUGGEST["site"].answer
def sites(*, actor, q=None, values=None, limit=autocomplete.LIMIT) -> list[Suggestion]:
    """Sites by part of the name or address."""
    qs = Site.objects.visible_to(actor, "view")
    if values is not None:
        return [_site(s) for s in qs.filter(pk__in=[int(v) for v in values if str(v).isdigit()])]
    return [_site(s) for s in qs.filter(Q(name__icontains=q) | Q(address__icontains=q)).order_by("name", "pk")[:limit]]


def _room(r: Room) -> Suggestion:
    return Suggestion(value=str(r.pk), label=f"{r.site.name} {r.number}", detail=" · ".join((r.get_kind_display(), r.get_status_display())))


@autocomplete.SUGGEST["room"].answer
def rooms(*, actor, q=None, values=None, limit=autocomplete.LIMIT) -> list[Suggestion]:
    """Rooms by room number, or by part of the site's name followed by the start of the room number."""
    qs = Room.objects.visible_to(actor, "view").select_related("site")
    if values is not None:
        return [_room(r) for r in qs.filter(pk__in=[int(v) for v in values if str(v).isdigit()])]
    words = q.split()
    if len(words) > 1:
        qs = qs.filter(site__name__icontains=" ".join(words[:-1]), number__startswith=words[-1])
    else:
        qs = qs.filter(Q(number__startswith=q) | Q(site__name__icontains=q))
    return [_room(r) for r in qs.order_by("site__name", "floor", "position", "number")[:limit]]
