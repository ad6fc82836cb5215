"""Reads of residents. Masked unless the actor may unmask; every unmasked read is audited."""

from django.db.models import QuerySet

from cordon.core import access, audit, clock, pii
from cordon.people.models import VULNERABLE_FLAGS, Household, Person


def person_list(*, actor, grid_path: str | None = None, q: str | None = None, vulnerable: str | None = None,
                household_id: int | None = None) -> QuerySet[Person]:
    """Residents inside the actor's jurisdiction, filtered."""
    qs = Person.objects.visible_to(actor, "view").order_by("id")
    if grid_path:
        qs = qs.filter(region_path__startswith=grid_path)
    if household_id:
        qs = qs.filter(household_id=household_id)
    if vulnerable in VULNERABLE_FLAGS:
        qs = qs.filter(**{vulnerable: True})
    if q:
        q = q.strip()
        if len(q) == 18:
            qs = qs.filter(id_number=q.upper())
        elif q.isdigit() and len(q) == 11:
            qs = qs.filter(phone=q)
        else:
            qs = qs.filter(name__startswith=q)
    return qs


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
        from django.core.exceptions import PermissionDenied

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


