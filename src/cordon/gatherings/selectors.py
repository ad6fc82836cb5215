"""Reads of mass gatherings."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from cordon.core import access
from cordon.gatherings.models import Gathering, GatheringNotice


def gathering_list(*, actor, status: str | None = None, q: str | None = None, since: dt.datetime | None = None) -> QuerySet[Gathering]:
    """Gatherings in the actor's area, soonest first."""
    qs = Gathering.objects.visible_to(actor, "view").select_related("region", "venue").order_by("starts_at", "id")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(organizer__contains=q) | Q(address__contains=q))
    if since:
        qs = qs.filter(ends_at__gte=since)
    return qs


def gathering_get(*, actor, pk: int, action: str = "view") -> Gathering:
    """One gathering (404 outside the actor's area)."""
    return access.get_for(actor, Gathering.objects.select_related("region", "venue"), action, pk=pk)


def notices_of(*, actor, gathering: Gathering) -> QuerySet[GatheringNotice]:
    """Notices sent to a gathering's organizer, newest first."""
    return GatheringNotice.objects.visible_to(actor, "view").filter(gathering=gathering).order_by("-at", "-id")


def status_counts(*, actor) -> dict:
    """Gatherings per status inside the actor's area."""
    return {r["status"]: r["n"] for r in Gathering.objects.visible_to(actor, "view").values("status").annotate(n=Count("id"))}


def area_risk_level(*, region_path: str, on: dt.datetime | None = None) -> str | None:
    """The zone risk level covering a region (None outside zones, or while the zones module is absent)."""
    try:
        from cordon.zones import selectors as zones_selectors
    except ImportError:
        return None
    fn = getattr(zones_selectors, "risk_level_for_path", None)
    return fn(region_path=region_path, on=on) if fn else None
