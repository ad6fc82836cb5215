"""Cross-district dispatch: districts post requests and offers of people, rooms, supplies or lab capacity;
suggested loans (reserving both sides) are approved by the lender and tracked until they return."""

import datetime as dt

from django.db import transaction

from cordon.command import rules
from cordon.command.enums import PostSide, Resource
from cordon.command.models import DispatchMatch, DispatchPost
from cordon.command.services.common import region_path as known_region
from cordon.command.services.common import require_change
from cordon.core import access, audit, clock
from cordon.core.errors import ServiceError
from cordon.regions.models import Region
from cordon.regions.selectors import district_of


def dispatch_post(*, actor, side: str, resource: str, quantity: int, region_path: str, start: dt.date, end: dt.date,
                  note: str = "") -> DispatchPost:
    """A district posts a request for (or an offer of) people, rooms, supplies or lab capacity."""

    if side not in PostSide.values:
        raise ServiceError.field("side", "must be request or offer")
    if resource not in Resource.values:
        raise ServiceError.field("resource", f"must be one of {', '.join(Resource.values)}")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise ServiceError.field("quantity", "must be a whole number") from None
    if quantity <= 0:
        raise ServiceError.field("quantity", "must be more than 0")
    known_region(region_path)
    if region_path.count(".") < 1:
        raise ServiceError.field("region_path", "post for a district (or below), not the whole city")
    require_change(actor, region_path)
    if start is None or end is None or end < start:
        raise ServiceError.field("end", "must be on or after start")
    with transaction.atomic():
        post = DispatchPost.objects.create(side=side, resource=resource, quantity=quantity, remaining=quantity,
                                           region_path=district_of(region_path), start=start, end=end, note=note, posted_by=access.user_or_none(actor))
        audit.record(actor, "dispatch.post", post, changes={"side": side, "resource": resource, "quantity": quantity})
    return post


def dispatch_suggest(*, actor) -> list:
    """Suggest loans for the open requests and offers the actor can see (Hungarian assignment on distance);
    each suggestion reserves the quantity on both sides until approved or rejected."""

    access.require(actor, "command.change")
    posts = list(DispatchPost.objects.visible_to(actor, "view").filter(status="open", remaining__gt=0,
                                                                        end__gte=clock.today()))
    where = {r["path"]: (r["lon"], r["lat"]) for r in Region.objects.filter(path__in={p.region_path for p in posts}).values("path", "lon", "lat")}

    def item(p):
        lon, lat = where.get(p.region_path, (None, None))
        return {"id": p.pk, "district": p.region_path, "resource": p.resource, "remaining": p.remaining, "lon": lon, "lat": lat}

    suggestions = rules.suggest_matches([item(p) for p in posts if p.side == "request"], [item(p) for p in posts if p.side == "offer"])
    by_id = {p.pk: p for p in posts}
    made = []
    with transaction.atomic():
        for s in suggestions:
            req = DispatchPost.objects.select_for_update().get(pk=s["request"])
            off = DispatchPost.objects.select_for_update().get(pk=s["offer"])
            qty = min(s["quantity"], req.remaining, off.remaining)
            if qty <= 0:
                continue
            match = DispatchMatch.objects.create(request=req, offer=off, region_path=off.region_path, borrower_path=req.region_path,
                                                 resource=req.resource, quantity=qty, distance_km=s["distance_km"],
                                                 due_back=max(req.end, off.start))
            for p in (req, off):
                p.remaining -= qty
                p.status = "matched" if p.remaining == 0 else "open"
                p.save(update_fields=["remaining", "status"])
            made.append(match)
        if made:
            audit.record(actor, "dispatch.suggest", object_type="command.dispatchmatch",
                         changes={"matches": [m.pk for m in made], "posts": len(by_id)})
    return made


def _release(match) -> None:

    for p in (DispatchPost.objects.select_for_update().get(pk=match.request_id), DispatchPost.objects.select_for_update().get(pk=match.offer_id)):
        p.remaining = min(p.quantity, p.remaining + match.quantity)
        p.status = "open" if p.end >= clock.today() else "closed"
        p.save(update_fields=["remaining", "status"])


def dispatch_decide(*, actor, match, approve: bool, note: str = "", due_back: dt.date | None = None):
    """The lending district (or the city) approves or rejects a suggested loan."""
    access.require(actor, "command.approve", match.region_path)
    if match.status != "proposed":
        raise ServiceError.field("status", "only a proposed match can be decided", code="state")
    with transaction.atomic():
        match.note = note
        if approve:
            match.status, match.approved_by, match.approved_at = "approved", actor, clock.now()
            if due_back:
                match.due_back = due_back
        else:
            match.status = "rejected"
            _release(match)
        match.save(update_fields=["status", "approved_by", "approved_at", "note", "due_back"])
        audit.record(actor, "dispatch.approve" if approve else "dispatch.reject", match, changes={"note": note})
    return match


def dispatch_advance(*, actor, match):
    """Track an approved loan: approved -> dispatched (sent) -> returned (back home)."""
    access.require(actor, "command.change", match.region_path)
    now = clock.now()
    with transaction.atomic():
        if match.status == "approved":
            match.status, match.dispatched_at = "dispatched", now
        elif match.status == "dispatched":
            match.status, match.returned_at = "returned", now

            offer = DispatchPost.objects.select_for_update().get(pk=match.offer_id)
            if offer.end >= clock.today():
                offer.remaining = min(offer.quantity, offer.remaining + match.quantity)
                offer.status = "open"
                offer.save(update_fields=["remaining", "status"])
        else:
            raise ServiceError.field("status", f"a {match.status} match cannot move on", code="state")
        match.save(update_fields=["status", "dispatched_at", "returned_at"])
        audit.record(actor, f"dispatch.{match.status}", match)
    return match
