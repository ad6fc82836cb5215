"""Cross-district dispatch: districts post requests and offers of people, rooms, supplies or lab capacity;
suggested loans (reserving both sides) are approved by the lender and tracked until they return. A loan of
people names each person lent (destination post, start, planned return; back when confirmed one by one) and
serves the borrower as its own staff meanwhile; a loan of rooms, supplies or lab capacity lists them by item."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cordon.accounts.models import Post
from cordon.command import rules
from cordon.command.enums import PostSide, Resource
from cordon.command.models import DispatchLine, DispatchMatch, DispatchMember, DispatchPost
from cordon.command.rules import display_name
from cordon.command.services.common import region_path as known_region
from cordon.command.services.common import require_change, user
from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.core.filters import inside
from cordon.regions.models import Region
from cordon.regions.selectors import district_of


def dispatch_post(*, actor, side: str, resource: str, quantity: int, region_path: str, start: dt.date, end: dt.date,
                  note: str = "") -> DispatchPost:
    """A district posts a request for (or an offer of) people, rooms, supplies or lab capacity."""

    if side not in PostSide.values:
        raise ServiceError.field("side", _("must be request or offer"))
    if resource not in Resource.values:
        raise ServiceError.field("resource", _("must be one of %(choices)s") % {"choices": ', '.join(Resource.values)})
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise ServiceError.field("quantity", _("must be a whole number")) from None
    if quantity <= 0:
        raise ServiceError.field("quantity", _("must be more than 0"))
    known_region(region_path)
    if region_path.count(".") < 1:
        raise ServiceError.field("region_path", _("post for a district (or below), not the whole city"))
    require_change(actor, region_path)
    if start is None or end is None or end < start:
        raise ServiceError.field("end", _("must be on or after start"))
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
        raise ServiceError.field("status", _("only a proposed match can be decided"), code="state")
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
            if match.members.filter(returned_at__isnull=True).exists():
                raise ServiceError.field("status", _("confirm each person's return first"), code="people_out")
            match.status, match.returned_at = "returned", now

            offer = DispatchPost.objects.select_for_update().get(pk=match.offer_id)
            if offer.end >= clock.today():
                offer.remaining = min(offer.quantity, offer.remaining + match.quantity)
                offer.status = "open"
                offer.save(update_fields=["remaining", "status"])
        else:
            raise ServiceError.field("status", _("a %(status)s match cannot move on") % {"status": match.status}, code="state")
        match.save(update_fields=["status", "dispatched_at", "returned_at"])
        audit.record(actor, f"dispatch.{match.status}", match)
    return match


PEOPLE = (Resource.SAMPLERS, Resource.TRACERS)  # loans of people name each person lent; the others list items


def _open_loan(match) -> None:
    if match.status not in ("approved", "dispatched"):
        raise ServiceError.field("status", _("people and items are named on an approved loan or one on its way"), code="state")


# long: one person lent, every check named by its field before the single write
def dispatch_lend_person(*, actor, match, user_id, post: str, post_path: str = "", start: dt.date | None = None,
                         planned_return: dt.date | None = None) -> DispatchMember:
    """Name a person lent on a loan: their destination post in the borrowing district, start and planned return.
    The person holds an active post in the lending district and is on no other unreturned loan (also a DB constraint)."""
    access.require(actor, "command.change", match.region_path)
    _open_loan(match)
    if match.resource not in PEOPLE:
        raise ServiceError.field("resource", _("this loan lends items, not people: list them by item"), code="state")
    person = user(user_id, "user_id")
    if person is None:
        raise ServiceError.field("user_id", _("choose the person lent"))
    if not Post.objects.filter(user=person, active=True).filter(inside(match.region_path, "region__path")).exists():
        raise ServiceError.field("user_id", _("the person lent holds no post in the lending district"))
    if not (post or "").strip():
        raise ServiceError.field("post", _("name the post they fill (e.g. 甲一小区采样点)"))
    post_path = post_path or match.borrower_path
    if not Region.objects.filter(inside(match.borrower_path, "path"), path=post_path).exists():
        raise ServiceError.field("post_path", _("the destination post lies inside the borrowing district"))
    start = start or match.request.start
    planned_return = planned_return or match.due_back or match.request.end
    if planned_return < start:
        raise ServiceError.field("planned_return", _("must be on or after the start"))
    if match.members.filter(returned_at__isnull=True).count() >= match.quantity:
        raise ServiceError.field("user_id", _("the loan is for %(quantity)s; all are named") % {"quantity": match.quantity})
    busy = DispatchMember.objects.filter(user=person, returned_at__isnull=True).select_related("match").first()
    if busy is not None:
        raise Conflict.field("user_id", _("%(display_name_person)s is already lent (loan %(match_id)s, until %(planned_return)s)") % {"display_name_person": display_name(person), "match_id": busy.match_id, "planned_return": busy.planned_return},
                             code="already_lent")
    try:
        with transaction.atomic():
            member = DispatchMember.objects.create(match=match, user=person, post=post.strip(), post_path=post_path, start=start,
                                                   planned_return=planned_return, added_by=access.user_or_none(actor))
            audit.record(actor, "dispatch.lend_person", match, changes={"member": member.pk, "user": person.pk, "post": member.post,
                                                                        "start": start, "planned_return": planned_return})
    except IntegrityError:  # lent elsewhere at the same moment: the constraint keeps one unreturned loan per person
        raise Conflict.field("user_id", _("%(display_name_person)s is already lent") % {"display_name_person": display_name(person)}, code="already_lent") from None
    return member


def dispatch_add_line(*, actor, match, item: str, quantity: int, unit: str = "") -> DispatchLine:
    """List rooms, supplies or lab capacity lent on a loan by item (the lines add up to at most the loan's quantity)."""
    access.require(actor, "command.change", match.region_path)
    _open_loan(match)
    if match.resource in PEOPLE:
        raise ServiceError.field("resource", _("this loan lends people: name each person"), code="state")
    if not (item or "").strip():
        raise ServiceError.field("item", _("is required"))
    if not isinstance(quantity, int) or quantity <= 0:
        raise ServiceError.field("quantity", _("must be more than 0"))
    listed = sum(match.lines.values_list("quantity", flat=True))
    if listed + quantity > match.quantity:
        raise ServiceError.field("quantity", _("the loan is for %(quantity)s; %(listed)s already listed") % {"quantity": match.quantity, "listed": listed})
    with transaction.atomic():
        line = DispatchLine.objects.create(match=match, item=item.strip()[:120], quantity=quantity, unit=(unit or "")[:20],
                                           added_by=access.user_or_none(actor))
        audit.record(actor, "dispatch.line", match, changes={"line": line.pk, "item": line.item, "quantity": quantity})
    return line


def dispatch_return_person(*, actor, member) -> DispatchMember:
    """Confirm one lent person is back (the lender confirms); the loan is returned once every person named is back."""
    match = member.match
    access.require(actor, "command.change", match.region_path)
    if member.returned_at is not None:
        raise ServiceError.field("status", _("this person's return is already confirmed"), code="state")
    if match.status != "dispatched":
        raise ServiceError.field("status", _("only a person on a loan under way can come back"), code="state")
    with transaction.atomic():
        member.returned_at, member.returned_by = clock.now(), access.user_or_none(actor)
        member.save(update_fields=["returned_at", "returned_by"])
        audit.record(actor, "dispatch.return_person", match, changes={"member": member.pk, "user": member.user_id})
        if not match.members.filter(returned_at__isnull=True).exists():
            dispatch_advance(actor=actor, match=match)
    return member
