"""Reads of venues and check-ins."""

from django.db.models import QuerySet

from cordon.core import access
from cordon.venues.models import CheckIn, Venue


def venue_list(*, actor, kind: str | None = None, region_path: str | None = None, q: str | None = None) -> QuerySet[Venue]:
    """Venues inside the actor's jurisdiction."""
    qs = Venue.objects.visible_to(actor, "view").order_by("id")
    if kind:
        qs = qs.filter(kind=kind)
    if region_path:
        qs = qs.filter(region_path__startswith=region_path)
    if q:
        qs = qs.filter(name__contains=q)
    return qs


def venue_get(*, actor, pk: int, action: str = "view") -> Venue:
    """One venue, 404 outside the actor's area."""
    return access.get_for(actor, Venue.objects.all(), action, pk=pk)


def checkins_of_person(*, actor, person_id: int, since=None) -> QuerySet[CheckIn]:
    """A person's scans (personal data: the person must be visible to the actor)."""
    from cordon.people import selectors as people_selectors

    person = people_selectors.person_get(actor=actor, pk=person_id)
    qs = CheckIn.objects.filter(person=person).select_related("venue").order_by("-time_in")
    if since is not None:
        qs = qs.filter(time_in__gte=since)
    return qs


def checkins_at_venue(*, actor, venue_id: int, start, end) -> QuerySet[CheckIn]:
    """Scans at a venue in a window; the venue must be in the actor's area for checkins.view."""
    venue = venue_get(actor=actor, pk=venue_id)
    access.require(actor, "checkins.view", venue.region_path)
    return CheckIn.objects.filter(venue=venue, time_in__lt=end, time_out__gt=start).order_by("time_in")
