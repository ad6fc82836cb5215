"""Reads of venues and check-ins."""

import datetime as dt

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from cordon.core import access, clock
from cordon.people import selectors as people_selectors
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
    now = now or clock.now()
    return Exists(ClosureNotice.objects.filter(
        venue=OuterRef("pk"), reopened_at__isnull=True, order__starts_at__lte=now,
        order__status__in=[ClosureStatus.SCHEDULED, ClosureStatus.IN_FORCE]).filter(
        Q(order__ends_at__isnull=True) | Q(order__ends_at__gt=now)))


def with_open_now(qs: QuerySet[Venue], now: dt.datetime | None = None) -> QuerySet[Venue]:
    """Venues annotated with `open_now` (see closed_now)."""
    return qs.annotate(open_now=~closed_now(now))


def venue_list(*, actor, kind: str | None = None, region_path: str | None = None, q: str | None = None,
               open_now: bool | None = None) -> QuerySet[Venue]:
    """Venues inside the actor's jurisdiction, with whether each is open now."""
    qs = with_open_now(Venue.objects.visible_to(actor, "view").order_by("id"))
    if open_now is not None:
        qs = qs.filter(open_now=open_now)
    if kind:
        qs = qs.filter(kind=kind)
    if region_path:
        qs = qs.filter(region_path__startswith=region_path)
    if q:
        qs = qs.filter(name__contains=q)
    return qs


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


def closure_list(*, actor, status: str | None = None, kind: str | None = None):
    """Closure orders in the actor's area, newest first."""
    qs = ClosureOrder.objects.visible_to(actor, "view").select_related("area").order_by("-starts_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kinds__contains=[kind]) if _json_contains() else qs.filter(kinds__icontains=f'"{kind}"')
    return qs


def _json_contains() -> bool:
    return connection.vendor == "postgresql"


def closure_get(*, actor, pk: int, action: str = "view"):
    """One closure order (404 outside the actor's area)."""
    return access.get_for(actor, ClosureOrder.objects.select_related("area"), action, pk=pk)


def closure_notices(*, actor, order, q: str | None = None, state: str | None = None):
    """The venues an order covers with their notice, reopening and latest compliance finding."""
    latest = ComplianceInspection.objects.filter(order=order, venue=OuterRef("venue")).order_by("-at", "-id")
    qs = (ClosureNotice.objects.visible_to(actor, "view").filter(order=order).select_related("venue")
          .annotate(last_found_open=Subquery(latest.values("found_open")[:1]), last_checked=Subquery(latest.values("at")[:1]))
          .order_by("venue__name", "id"))
    if q:
        qs = qs.filter(venue__name__contains=q)
    if state == "open_found":
        qs = qs.filter(last_found_open=True)
    elif state == "unchecked":
        qs = qs.filter(last_checked__isnull=True, reopened_at__isnull=True)
    elif state == "reopened":
        qs = qs.filter(reopened_at__isnull=False)
    return qs


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
