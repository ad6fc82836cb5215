"""Reads of residents. Masked unless the actor may unmask; every unmasked read is audited."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from cordon.core import access, audit, clock, pii
from cordon.people.filters import MoveFilter, PersonFilter
from cordon.people.models import Household, Move, MoveStatus, Person
from cordon.people.search import exact_term, search_exact  # noqa: F401 - other apps search through people.selectors


def person_list(*, actor, filters: Mapping | None = None, **named) -> QuerySet[Person]:
    """Residents inside the actor's jurisdiction, filtered by PersonFilter: `filters` from a page (request.GET) or
    named (grid=, q=, vulnerable=, household=)."""
    qs = Person.objects.visible_to(actor, "view").order_by("id")
    return PersonFilter.apply(filters if filters is not None else named, qs, actor=actor)


def person_get(*, actor, pk: int, action: str = "view") -> Person:
    """One resident, 404 outside the actor's area."""
    return access.get_for(actor, Person.objects.select_related("household", "grid"), action, pk=pk)


def household_get(*, actor, pk: int) -> Household:
    """One household, 404 outside the actor's area."""
    return access.get_for(actor, Household.objects.all(), "view", pk=pk)


def person_card(person: Person, *, actor, unmask: bool = False) -> dict:
    """A resident as shown to the actor. Unmasked only when asked and permitted; that view is audited."""
    show = bool(unmask) and access.can_unmask(actor, person)
    if unmask and not show:
        raise PermissionDenied("people.unmask")
    if show:
        audit.record(actor, "person.unmask", person)
    return {
        "id": person.pk,
        "name": person.name if show else pii.mask_name(person.name),
        "id_number": person.id_number if show else pii.mask_id_number(person.id_number),
        "phone": person.phone if show else pii.mask_phone(person.phone),
        "sex": person.sex,
        "birth_year": person.birth_date.year,
        "age": _age(person),
        "household_id": person.household_id,
        "address": (person.household.address if show else pii.mask_address(person.household.address)) if person.household_id else "",
        "grid_path": person.region_path,
        "vulnerable": person.vulnerable,
        "masked": not show,
    }


def _age(person: Person) -> int:

    today = clock.today()
    b = person.birth_date
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))




def move_list(*, actor, filters: Mapping | None = None) -> QuerySet[Move]:
    """Move-in requests the actor's area filed (to one of its grids) or must decide (for one of its residents)."""
    incoming, outgoing = access.scope_q(actor, "people.view"), access.scope_q(actor, "people.view", "from_path")
    if incoming is None and outgoing is None:
        return Move.objects.none()
    q = Q(pk__in=[])
    if incoming is not None:
        q |= incoming
    if outgoing is not None:
        q |= outgoing & ~Q(from_path="")
    qs = Move.objects.filter(q).select_related("to_grid", "person", "person__household").order_by("-created_at", "-id")
    return MoveFilter.apply(filters, qs)


def move_card(move: Move, *, actor) -> dict:
    """A move-in request as the actor may see it: the filing side never learns whether or where the person
    lives; the deciding side sees its resident (masked) and may accept or refuse."""
    origin = bool(move.from_path) and access.can(actor, "people.view", move.from_path)
    return {
        "id": move.pk, "name": pii.mask_name(move.name), "id_number": move.id_masked, "to_grid": move.to_grid.name,
        "to_grid_path": move.to_grid.path, "address": pii.mask_address(move.address), "note": move.note,
        "status": move.status, "status_label": str(MoveStatus(move.status).label), "created_at": move.created_at,
        "decided_at": move.decided_at, "decision_note": move.decision_note,
        "resident": person_card(move.person, actor=actor) if origin and move.person_id else None,
        "can_decide": origin and move.status == MoveStatus.REQUESTED and access.can(actor, "people.change", move.from_path),
    }
