"""Gatherings API: register (decided by rule at once), list, suspend, re-check against current risk levels."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.command.api_duty import CommandResponsibleOut, responsible_of
from cordon.core import access
from cordon.core.apikit import Id, actor
from cordon.core.errors import ServiceError
from cordon.core.pagination import Pagination
from cordon.gatherings import selectors, services
from cordon.regions.models import Region
from cordon.venues import selectors as venue_selectors

router = Router(tags=["gatherings"])


class GatheringIn(Schema):
    title: str
    organizer: str
    organizer_phone: str
    expected_attendance: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    region_path: str = ""
    venue_id: Id | None = None
    address: str = ""


class GatheringOut(Schema):
    responsible: CommandResponsibleOut | None = None  # detail only: who answers for it now (duty roster)
    id: int
    title: str
    organizer: str
    expected_attendance: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    region_path: str
    venue_id: Id | None
    status: str
    risk_level: str
    max_allowed: int | None
    decision_reason: str


class GatheringsReasonIn(Schema):
    reason: str


@router.get("/", response=list[GatheringOut])
@paginate(Pagination)
def list_gatherings(request, status: str | None = None, q: str | None = None):
    """Gatherings in your area."""
    return selectors.gathering_list(actor=actor(request), filters={"status": status, "q": q})


@router.post("/", response={201: GatheringOut})
def register(request, payload: GatheringIn):
    """Register a planned event; it is approved or not at once by the rule set and the area's risk level."""
    who = actor(request)
    access.require(who, "gatherings.change")
    venue = None
    if payload.venue_id:
        venue = venue_selectors.venue_get(actor=who, pk=payload.venue_id)
    # a region outside the actor's area answers as an unknown one
    region = Region.objects.visible_to(who, "view").filter(path=payload.region_path).first() if payload.region_path else None
    if payload.region_path and region is None:
        raise ServiceError.field("region_path", _("unknown region %(region_path)r") % {"region_path": payload.region_path})
    data = payload.model_dump(exclude={"region_path", "venue_id"})
    return Status(201, services.gathering_register(actor=who, region=region, venue=venue, **data))


class GatheringsRecheckOut(Schema):
    checked: int = Field(description="Approved gatherings checked against the current risk levels")
    suspended: int = Field(description="Of those, suspended now (their organizers are notified)")


@router.post("/recheck", response=GatheringsRecheckOut)
def recheck(request):
    """Re-apply the limits to approved events after risk levels changed."""
    return services.gatherings_recheck(actor=actor(request))


@router.get("/{int:pk}", response=GatheringOut)
def get_gathering(request, pk: Id):
    """One gathering, with who answers for the decision now."""
    g = selectors.gathering_get(actor=actor(request), pk=pk)
    g.responsible = responsible_of("gathering", g)
    return g


@router.post("/{int:pk}/suspend", response=GatheringOut)
def suspend(request, pk: Id, payload: GatheringsReasonIn):
    """Suspend an event, notifying the organizer."""
    g = selectors.gathering_get(actor=actor(request), pk=pk, action="change")
    return services.gathering_suspend(actor=actor(request), gathering=g, reason=payload.reason)
