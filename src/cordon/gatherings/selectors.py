"""Reads of mass gatherings."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Count, QuerySet

from cordon.core import access, clock, policy
from cordon.gatherings.filters import GatheringFilter
from cordon.gatherings.models import Gathering, GatheringNotice
from cordon.zones import selectors as zones_selectors


def gathering_list(*, actor, filters: Mapping | None = None) -> QuerySet[Gathering]:
    """Gatherings in the actor's area, soonest first, filtered by GatheringFilter (status, q)."""
    qs = Gathering.objects.visible_to(actor, "view").select_related("region", "venue").order_by("starts_at", "id")
    return GatheringFilter.apply(filters, qs)


def gathering_get(*, actor, pk: int, action: str = "view") -> Gathering:
    """One gathering (404 outside the actor's area)."""
    return access.get_for(actor, Gathering.objects.select_related("region", "venue"), action, pk=pk)


def notices_of(*, actor, gathering: Gathering) -> QuerySet[GatheringNotice]:
    """Notices sent to a gathering's organizer, newest first."""
    return GatheringNotice.objects.visible_to(actor, "view").filter(gathering=gathering).order_by("-at", "-id")


def status_counts(*, actor) -> dict:
    """Gatherings per status inside the actor's area."""
    return {r["status"]: r["n"] for r in Gathering.objects.visible_to(actor, "view").values("status").annotate(n=Count("id"))}


def area_risk(*, gathering, section: dict, on: dt.datetime | None = None) -> dict | None:
    """The zone that sets a gathering's risk level: one covering its place, or of a level the rule set names
    (`neighbour_levels`) within `neighbour_km` of the venue or in the same community. None outside all."""
    place = gathering.venue if gathering.venue_id and gathering.venue.lon is not None else gathering.region
    return zones_selectors.risk_near(region_path=gathering.region_path, lon=place.lon, lat=place.lat,
                                     within_km=float(section.get("neighbour_km", 0)),
                                     levels=list(section.get("neighbour_levels", [])), on=on)


def venue_blocker(*, venue, on: dt.datetime | None = None) -> dict | None:
    """The risk zone that keeps a venue from reopening: of a level the rule set names (`neighbour_levels`), covering the
    venue, within `neighbour_km` of it or in the same community, as for a gathering there. None when no zone does."""
    section = policy.in_force(on or clock.now()).section("gatherings")
    levels = list(section.get("neighbour_levels", []))
    place = venue if venue.lon is not None else venue.region
    risk = zones_selectors.risk_near(region_path=venue.region_path, lon=place.lon, lat=place.lat,
                                     within_km=float(section.get("neighbour_km", 0)), levels=levels, on=on)
    return risk if risk and risk["kind"] in levels else None
