"""Finding a resident by a full ID number or mobile number: an unmasked look-up, allowed only where the actor may
unmask, and audited. Cases, contacts and the registry all search through it."""

import re

from django.db.models import QuerySet

from cordon.core import access, audit, pii

_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
_PHONE = re.compile(r"^1\d{10}$")


def exact_term(q: str | None) -> tuple[str, str] | None:
    """("id_number" | "phone", value) when a search term is a full ID number or mobile number, else None."""
    q = (q or "").strip()
    if _ID_NUMBER.match(q):
        return "id_number", q.upper()
    if _PHONE.match(q):
        return "phone", q
    return None


def search_exact(qs: QuerySet, *, actor, term: tuple[str, str], person: str = "") -> QuerySet:
    """Rows whose person has exactly this ID number or phone, only where the actor may unmask (and audited).

    A full ID number or phone identifies someone: finding them by it is an unmasked look-up. Actors who may
    not unmask get nothing, whether or not the person exists; the audit entry holds the masked form only.
    `person` is the path to the person from the rows ("" for Person rows, "person" for cases, contacts).
    """
    kind, value = term
    prefix = f"{person}__" if person else ""
    where = access.scope_q(actor, "people.unmask", f"{prefix}region_path")
    if where is None:
        return qs.none()
    masked = pii.mask_id_number(value) if kind == "id_number" else pii.mask_phone(value)
    audit.record(actor, "people.search.exact", object_type="people.person", changes={"kind": kind, "term": masked})
    return qs.filter(where, **{f"{prefix}{kind}": value})
