"""Reads of health status."""

from collections.abc import Mapping

from django.db.models import Count

from cordon.core import access, clock, policy
from cordon.people.models import Person
from cordon.status.filters import StatusFilter
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
    qs = HealthStatus.objects.visible_to(actor, "view").exclude(colour="green")
    return {row["colour"]: row["n"] for row in qs.values("colour").annotate(n=Count("id"))}


def status_list(*, actor, filters: Mapping | None = None):
    """People who are not green inside the actor's area, most recently changed first, filtered by StatusFilter
    (colour, region, reason)."""
    qs = HealthStatus.objects.visible_to(actor, "view").exclude(colour="green").select_related("person").order_by("-updated_at", "id")
    return StatusFilter.apply(filters, qs)


def recent_changes(*, actor, limit: int = 20):
    """The latest colour changes inside the actor's area."""
    return StatusChange.objects.visible_to(actor, "view").select_related("person").order_by("-at", "-id")[:limit]


def exit_check(*, actor, person_id: int, on=None) -> dict:
    """Whether a person may leave (a compound gate, a checkpoint outward): their colour, active reasons and
    whether the rule set in force refuses that colour an exit. The caller has already authorised the passage
    it records (community.change / checkpoints.change), so this reads no personal data beyond the colour."""
    status = HealthStatus.objects.filter(person_id=person_id).only("colour", "reasons").first()
    colour = status.colour if status else "green"
    refused = policy.in_force(on or clock.now()).get("status.no_exit_colours", ["red", "yellow"]) or []
    return {"colour": colour, "reasons": list(status.reasons) if status else [], "refused": colour in refused}
