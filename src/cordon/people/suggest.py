"""The search widget's answers for residents and households (cordon.core.autocomplete): only those the actor
may see; names and phones masked, a full ID number or phone is the audited exact look-up of people.search."""

from django.db.models import Q

from cordon.core import autocomplete, pii
from cordon.core.autocomplete import Suggestion
from cordon.people.models import Household, Person
from cordon.people.search import exact_term, search_exact


def _person(p: Person) -> Suggestion:
    where = p.household.address if p.household_id else (p.grid.name if p.grid_id else "")
    detail = " · ".join(x for x in (pii.mask_phone(p.phone), pii.mask_address(where)) if x)
    return Suggestion(value=str(p.pk), label=f"{pii.mask_name(p.name)} ({pii.mask_id_number(p.id_number)[-4:]})", detail=detail)


@autocomplete.SUGGEST["person"].answer
def people(*, actor, q=None, values=None, limit=autocomplete.LIMIT) -> list[Suggestion]:
    """Residents by the start of the name, the last 4+ digits of the phone, or (audited) a full ID number or phone."""
    qs = Person.objects.visible_to(actor, "view").select_related("household", "grid")
    if values is not None:
        return [_person(p) for p in qs.filter(pk__in=[int(v) for v in values if str(v).isdigit()])]
    exact = exact_term(q)
    if exact:
        qs = search_exact(qs, actor=actor, term=exact)
    elif q.isdigit() and len(q) >= 4:
        qs = qs.filter(phone__endswith=q)
    else:
        qs = qs.filter(name__startswith=q)
    return [_person(p) for p in qs.order_by("name", "pk")[:limit]]


def _household(h: Household) -> Suggestion:
    names = ", ".join(pii.mask_name(m.name) for m in list(h.members.all())[:3])
    return Suggestion(value=str(h.pk), label=h.address, detail=" · ".join(x for x in (h.grid.name if h.grid_id else "", names) if x))


@autocomplete.SUGGEST["household"].answer
def households(*, actor, q=None, values=None, limit=autocomplete.LIMIT) -> list[Suggestion]:
    """Households by part of the address or the start of a member's name."""
    qs = Household.objects.visible_to(actor, "view").select_related("grid").prefetch_related("members")
    if values is not None:
        return [_household(h) for h in qs.filter(pk__in=[int(v) for v in values if str(v).isdigit()])]
    qs = qs.filter(Q(address__icontains=q) | Q(members__name__startswith=q)).distinct()
    return [_household(h) for h in qs.order_by("address", "pk")[:limit]]
