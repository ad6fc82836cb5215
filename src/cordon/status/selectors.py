"""Reads of health status."""

from cordon.core import access
from cordon.people.models import Person
from cordon.status.models import HealthStatus, StatusChange, StatusReason


def status_of(*, actor, person_id: int) -> dict:
    """A person's colour, reasons and history (the person must be visible to the actor)."""
    person = access.get_for(actor, Person.objects.all(), "view", pk=person_id)
    access.require(actor, "status.view", person.region_path)
    status = HealthStatus.objects.filter(person=person).first()
    return {
        "person_id": person.pk,
        "colour": status.colour if status else "green",
        "reasons": status.reasons if status else [],
        "last_negative_at": status.last_negative_at if status else None,
        "updated_at": status.updated_at if status else None,
        "history": list(StatusChange.objects.filter(person=person).order_by("-at").values(
            "at", "colour_from", "colour_to", "reasons", "ruleset")[:50]),
        "active_reasons": list(StatusReason.objects.filter(person=person, active=True).values("reason", "source", "since", "until")),
    }


def colour_counts(*, actor) -> dict:
    """People per colour inside the actor's area (non-green only are stored; green is the rest)."""
    from django.db.models import Count

    qs = HealthStatus.objects.visible_to(actor, "view").exclude(colour="green")
    return {row["colour"]: row["n"] for row in qs.values("colour").annotate(n=Count("id"))}
