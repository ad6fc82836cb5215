"""Reads of venues and check-ins."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from cordon.core import access, clock
from cordon.people import selectors as people_selectors
from cordon.venues.filters import ClosureFilter, NoticeFilter, VenueFilter
from cordon.venues.models import (
    CheckIn,
    ClosureNotice,
    ClosureOrder,
    ClosureStatus,
    ComplianceInspection,
    Venue,
)


def closed_now(now: dt.datetime | None = None) -> Exists:
    """Whether a venue (OuterRef "pk") is held closed at `now` by an order: decided from the orders themselves,
    so an order closes its venues the moment it starts and reopens them the moment it ends or is lifted
    (Venue.is_open is only the copy the scheduled job reconciles)."""
    return Exists(_holding(now).filter(venue=OuterRef("pk")))


def _holding(now: dt.datetime | None = None) -> QuerySet[ClosureNotice]:
    """Notices that hold their venue closed at `now` (closed_now's one definition)."""
    now = now or clock.now()
    return ClosureNotice.objects.filter(
        reopened_at__isnull=True, order__starts_at__lte=now,
        order__status__in=[ClosureStatus.SCHEDULED, ClosureStatus.IN_FORCE]).filter(
        Q(order__ends_at__isnull=True) | Q(order__ends_at__gt=now))


def closed_count(*, actor, now: dt.datetime | None = None) -> int:
    """How many venues in the actor's area are held closed at `now`: venue_list(is_open=False) counted from the
    notices' side (a few rows) instead of testing every venue of the city."""
    return Venue.objects.visible_to(actor, "view").filter(pk__in=_holding(now).values("venue_id")).count()


def with_open_now(qs: QuerySet[Venue], now: dt.datetime | None = None) -> QuerySet[Venue]:
    """Venues annotated with `open_now` (see closed_now)."""
    return qs.annotate(open_now=~closed_now(now))


def venue_list(*, actor, filters: Mapping | None = None) -> QuerySet[Venue]:
    """Venues inside the actor's jurisdiction, with whether each is open now, filtered by VenueFilter (kind, q,
    region, is_open)."""
    return VenueFilter.apply(filters, with_open_now(Venue.objects.visible_to(actor, "view").order_by("id")))


def venue_get(*, actor, pk: int, action: str = "view") -> Venue:
    """One venue, 404 outside the actor's area."""
    return access.get_for(actor, with_open_now(Venue.objects.all()), action, pk=pk)


def checkins_of_person(*, actor, person_id: int, since=None) -> QuerySet[CheckIn]:
    """A person's scans (personal data: the person must be visible to the actor)."""
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


def closure_list(*, actor, filters: Mapping | None = None):
    """Closure orders in the actor's area filtered by ClosureFilter (status, kind), newest first."""
    return ClosureFilter.apply(filters, ClosureOrder.objects.visible_to(actor, "view").select_related("area").order_by("-starts_at", "-id"))


def closure_get(*, actor, pk: int, action: str = "view"):
    """One closure order (404 outside the actor's area)."""
    return access.get_for(actor, ClosureOrder.objects.select_related("area"), action, pk=pk)


def closure_notices(*, actor, order, filters: Mapping | None = None):
    """The venues an order covers with their notice, reopening and latest compliance finding, filtered by
    NoticeFilter (q, state)."""
    latest = ComplianceInspection.objects.filter(order=order, venue=OuterRef("venue")).order_by("-at", "-id")
    qs = (ClosureNotice.objects.visible_to(actor, "view").filter(order=order).select_related("venue")
          .annotate(last_found_open=Subquery(latest.values("found_open")[:1]), last_checked=Subquery(latest.values("at")[:1]))
          .order_by("venue__name", "id"))
    return NoticeFilter.apply(filters, qs)


def closure_summary(*, actor, order) -> dict:
    """Counts for an order: venues covered, reopened, inspected, found open at the latest visit."""
    rows = list(closure_notices(actor=actor, order=order).values_list("reopened_at", "last_found_open", "last_checked"))
    return {"venues": len(rows), "reopened": sum(1 for r in rows if r[0]),
            "inspected": sum(1 for r in rows if r[2]), "found_open": sum(1 for r in rows if r[1])}


def compliance_of(*, actor, order):
    """Compliance inspections of an order, newest first."""
    return ComplianceInspection.objects.visible_to(actor, "view").filter(order=order).select_related("venue").order_by("-at", "-id")


def notice_get(*, actor, pk: int, action: str = "view"):
    """One venue's closure notice (404 outside the actor's area)."""
    return access.get_for(actor, ClosureNotice.objects.select_related("order", "venue"), action, pk=pk)
