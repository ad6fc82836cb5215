"""Reads of assistance requests: scoped lists, one request (404 outside the actor's area), its card masked unless
the viewer may unmask it there (the unmasked read is audited), partners, counts."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Count, QuerySet

from cordon.assist.enums import OPEN, Direction
from cordon.assist.filters import RequestFilter, late_q
from cordon.assist.models import Partner, Request, RequestStep
from cordon.core import access, audit, clock, pii


def request_list(*, actor, filters: Mapping | None = None) -> QuerySet[Request]:
    """Requests in the actor's area, newest first, filtered by RequestFilter (direction, status, overdue, q)."""
    qs = Request.objects.visible_to(actor, "view").select_related("partner").order_by("-created_at", "-id")
    return RequestFilter.apply(filters, qs)


def request_get(*, actor, pk: int, action: str = "view") -> Request:
    """One request (404 outside the actor's area)."""
    return access.get_for(actor, Request.objects.select_related("partner", "risk_person"), action, pk=pk)


def steps_of(*, actor, req: Request) -> QuerySet[RequestStep]:
    """A request's history, oldest first."""
    return RequestStep.objects.visible_to(actor, "view").filter(request=req).select_related("by").order_by("at", "id")


def partner_list() -> QuerySet[Partner]:
    """Partner cities by division code (names and endpoints only are shown; the secret never)."""
    return Partner.objects.order_by("region_code")


def is_late(req: Request) -> bool:
    """Overdue: marked so, or open and past its deadline."""
    return req.status == "overdue" or (req.status in OPEN and req.deadline < clock.now())


def counts(*, actor) -> dict:
    """Open requests each way, and the overdue ones, in the actor's area."""
    qs = Request.objects.visible_to(actor, "view")
    by_dir = {r["direction"]: r["n"] for r in qs.filter(status__in=OPEN).values("direction").annotate(n=Count("id"))}
    return {"out": by_dir.get(Direction.OUTGOING, 0), "in": by_dir.get(Direction.INCOMING, 0), "overdue": qs.filter(late_q()).count()}


def person_of(req: Request, *, actor, unmask: bool = False) -> dict:
    """The person as the viewer may see them: masked, unless unmasking is asked for and granted (audited)."""
    shown = unmask and access.can_unmask(actor, req.region_path, domain="assist")
    if shown:
        with transaction.atomic():
            audit.record(actor, "assist.unmask", req)
        return {"name": req.name, "id_number": req.id_number, "phone": req.phone, "address": req.address, "masked": False}
    return {"name": pii.mask_name(req.name), "id_number": pii.mask_id_number(req.id_number), "phone": pii.mask_phone(req.phone),
            "address": pii.mask_address(req.address), "masked": True}
