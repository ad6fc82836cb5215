"""Reads of risk persons: lists per case, venue or district, one record, masked export rows."""

from collections.abc import Mapping

from django.db.models import Count, QuerySet

from cordon.contacts.enums import RISK_LIFECYCLE
from cordon.contacts.filters import RiskFilter
from cordon.contacts.models import RiskPerson
from cordon.core import access, clock, exports, pii


def risk_list(*, actor, filters: Mapping | None = None) -> QuerySet[RiskPerson]:
    """Risk persons inside the actor's jurisdiction, latest exposure first, filtered by RiskFilter (source case, venue
    of exposure, region, category, status, q)."""
    qs = RiskPerson.objects.visible_to(actor, "view").select_related("person", "person__household", "source_case")
    return RiskFilter.apply(filters, qs, actor=actor).order_by("-last_exposure", "id")


def risk_get(*, actor, pk: int, action: str = "view") -> RiskPerson:
    """One risk person, 404 outside the actor's area."""
    return access.get_for(actor, RiskPerson.objects.select_related("person", "person__household", "source_case", "via"), action, pk=pk)


def counts(*, actor, case_id: int | None = None) -> dict:
    """Risk persons per status and per category (for a case, or the actor's whole area)."""
    qs = RiskPerson.objects.visible_to(actor, "view")
    if case_id:
        qs = qs.filter(source_case_id=case_id)
    return {"status": {r["status"]: r["n"] for r in qs.values("status").annotate(n=Count("id"))},
            "category": {r["category"]: r["n"] for r in qs.values("category").annotate(n=Count("id"))}}


def found_as_contacts(*, person_ids: list[int], case_ids: list[int]) -> list[tuple[int, int]]:
    """(person, source case) for each of these people found as a contact of one of these cases."""
    return list(RiskPerson.objects.filter(person_id__in=person_ids, source_case_id__in=case_ids).values_list(
        "person_id", "source_case_id"))


def risk_card(risk: RiskPerson, *, unmask: bool = False) -> dict:
    """A risk person as a plain dict, masked unless the caller has checked and audited unmasking."""
    p = risk.person
    return {
        "id": risk.pk, "person_id": p.pk,
        "name": p.name if unmask else pii.mask_name(p.name),
        "id_number": p.id_number if unmask else pii.mask_id_number(p.id_number),
        "phone": p.phone if unmask else pii.mask_phone(p.phone),
        "category": risk.category, "status": risk.status, "next_statuses": list(RISK_LIFECYCLE.allowed(risk.status)),
        "source_case_id": risk.source_case_id,
        "last_exposure": risk.last_exposure, "evidence": risk.evidence, "plan": risk.plan,
        "plan_ruleset": risk.plan_ruleset, "measures_end": risk.measures_end, "grid_path": risk.region_path,
        "masked": not unmask,
    }


EXPORT_COLUMNS = [
    exports.Column("id", lambda r: r.pk),
    exports.Column("person_id", lambda r: r.person_id),
    exports.Column("name", lambda r: r.person.name, pii=exports.NAME),
    exports.Column("id_number", lambda r: r.person.id_number, pii=exports.ID_NUMBER),
    exports.Column("phone", lambda r: r.person.phone, pii=exports.PHONE),
    exports.Column("category", lambda r: r.get_category_display()),
    exports.Column("status", lambda r: r.get_status_display()),
    exports.Column("source_case", lambda r: r.source_case_id),
    exports.Column("last_exposure", lambda r: clock.local(r.last_exposure).strftime("%Y-%m-%d %H:%M")),
    exports.Column("evidence", lambda r: "; ".join(_evidence_text(e) for e in r.evidence[:5])),
    exports.Column("measures_end", lambda r: r.measures_end),
    exports.Column("grid_path", lambda r: r.region_path),
]


def _evidence_text(e: dict) -> str:
    if e.get("venue"):
        unit = f" {e['unit']}" if e.get("unit") else ""
        return f"{e['rule']}: {e['venue']}{unit} {e.get('start', '')[5:16]}–{e.get('end', '')[11:16]} ({e.get('minutes')} min)"
    return f"{e['rule']}: {e.get('setting') or e.get('note') or ''}".strip()
