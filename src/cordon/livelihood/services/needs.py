"""Delivery teams and household needs: filed by grid workers, the API (in bulk) or residents through the public
portal, assigned to a team serving the area, delivered with a photo as proof or cancelled with a reason."""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.livelihood import rules
from cordon.livelihood.enums import Channel, NeedKind, NeedStatus
from cordon.livelihood.models import DeliveryTeam, Need
from cordon.livelihood.services.common import SYSTEM, _choice, _region, _require, _section
from cordon.people.models import Household, Person

PROOF_MAX_BYTES = 5 * 1024 * 1024
PROOF_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")


def team_create(*, actor, name: str, region_id: int, leader: str = "", phone: str = "", members: int = 2) -> DeliveryTeam:
    """Register a delivery team serving a region (its grids and below)."""
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    region = _region(actor, region_id)
    _require(actor, "livelihood.change", region.path)
    with transaction.atomic():
        team = DeliveryTeam.objects.create(name=name.strip(), region=region, region_path=region.path, leader=leader,
                                           phone=phone, members=max(1, int(members or 1)))
        audit.record(actor, "team.create", team, changes={"name": team.name, "region": region.path})
    return team


def _validate_need(actor, item: dict, row: int | None = None, *, households: dict | None = None,
                   persons: dict | None = None) -> dict:
    hh_id = item.get("household_id")
    if households is not None:
        household = households.get(int(hh_id)) if str(hh_id or "").isdigit() else None
    else:
        household = Household.objects.filter(pk=hh_id).first() if str(hh_id or "").isdigit() else None
    if household is None or (not access.can(actor, "people.view", household.region_path)
                             and not access.can(actor, "livelihood.view", household.region_path)):
        raise NotFound.field("household_id", _("unknown household"), row=row, code="unknown_household")
    _require(actor, "livelihood.change", household.region_path)
    kind = _choice(item.get("kind"), NeedKind, "kind", row)
    person = None
    if item.get("person_id"):
        if persons is not None:
            person = persons.get(int(item["person_id"])) if str(item["person_id"]).isdigit() else None
            person = person if person is not None and person.household_id == household.pk else None
        else:
            person = Person.objects.filter(pk=item["person_id"], household=household).first()
        if person is None:
            raise ServiceError.field("person_id", _("is not a member of this household"), row=row)
    detail = str(item.get("detail") or "")[:500]
    return {"household": household, "person": person, "kind": kind, "detail": detail,
            "source": str(item.get("source") or "")[:80]}


def _write_need(actor, v: dict, channel: str, now: dt.datetime) -> tuple[Need, bool]:
    if v["source"]:
        existing = Need.objects.filter(source=v["source"], household=v["household"]).first()
        if existing:
            return existing, False
    hours = _section(now).get("need_deadline_hours", {})
    need = Need.objects.create(household=v["household"], person=v["person"], kind=v["kind"], detail=v["detail"],
                               channel=channel, region_path=v["household"].region_path, created_at=now,
                               deadline=rules.need_deadline(created_at=now, kind=v["kind"], hours_by_kind=hours),
                               created_by=access.user_or_none(actor), source=v["source"])
    return need, True


def need_create(*, actor, household_id: int, kind: str, detail: str = "", person_id: int | None = None,
                channel: str = Channel.GRID, source: str = "") -> Need:
    """File a household need; refused for an unknown household; the deadline comes from the rule set."""
    v = _validate_need(actor, {"household_id": household_id, "kind": kind, "detail": detail, "person_id": person_id,
                               "source": source})
    channel = _choice(channel, Channel, "channel")
    now = clock.now()
    with transaction.atomic():
        need, created = _write_need(actor, v, channel, now)
        if created:
            audit.record(actor, "need.create", need, changes={"kind": need.kind, "channel": channel, "household": need.household_id})
    return need


def need_bulk(*, actor, items: list[dict]) -> dict:
    """File many needs at once: every row checked first, nothing written when any row is bad; set-based (households,
    members and earlier rows with the same source key each fetched in one query, the new rows in one insert)."""
    if not items:
        raise ServiceError.field("items", _("is empty"))
    hh_ids = {int(i["household_id"]) for i in items if str(i.get("household_id") or "").isdigit()}
    households = Household.objects.in_bulk(list(hh_ids)) if hh_ids else {}
    p_ids = {int(i["person_id"]) for i in items if str(i.get("person_id") or "").isdigit()}
    persons = Person.objects.only("pk", "household_id").in_bulk(list(p_ids)) if p_ids else {}
    checked = []
    errors = []
    for row, item in enumerate(items, 1):
        try:
            checked.append(_validate_need(actor, item, row, households=households, persons=persons))
        except PermissionDenied:
            errors.append({"field": "household_id", "message": _("not permitted in this area"), "row": row})
        except ServiceError as exc:
            errors.extend(exc.fields)
    if errors:
        raise ServiceError(_("%(len_errors)s row(s) are invalid; nothing was written (first: row %(get_row)s, %(field)s: %(message)s)") % {"len_errors": len(errors), "get_row": errors[0].get('row'), "field": errors[0]['field'], "message": errors[0]['message']}, fields=errors)
    now = clock.now()
    hours = _section(now).get("need_deadline_hours", {})
    creator = access.user_or_none(actor)
    with transaction.atomic():
        sources = {v["source"] for v in checked if v["source"]}
        known = {(src, hh): pk for src, hh, pk in Need.objects.filter(source__in=sources).values_list("source", "household_id", "pk")} if sources else {}
        fresh, slots = [], []  # slots: per row, a known pk or an index into fresh
        pending: dict = {}
        for v in checked:
            key = (v["source"], v["household"].pk)
            if v["source"] and key in known:
                slots.append(("pk", known[key]))
                continue
            if v["source"] and key in pending:
                slots.append(("new", pending[key]))
                continue
            if v["source"]:
                pending[key] = len(fresh)
            slots.append(("new", len(fresh)))
            fresh.append(Need(household=v["household"], person=v["person"], kind=v["kind"], detail=v["detail"],
                              channel=Channel.API, region_path=v["household"].region_path, created_at=now,
                              deadline=rules.need_deadline(created_at=now, kind=v["kind"], hours_by_kind=hours),
                              created_by=creator, source=v["source"]))
        Need.objects.bulk_create(fresh, batch_size=1000)
        ids = [ref if what == "pk" else fresh[ref].pk for what, ref in slots]
        audit.record(actor, "need.bulk", object_type="livelihood.need", changes={"rows": len(items), "created": len(fresh)})
    return {"rows": len(items), "created": len(fresh), "ids": ids}


def portal_identify(*, id_number: str, phone: str) -> Person:
    """The resident behind an ID number and phone pair, or a refusal that does not say which one was wrong."""
    id_number = (id_number or "").strip().upper()
    phone = (phone or "").strip()
    person = None
    if len(id_number) == 18 and phone:
        person = Person.objects.filter(id_number=id_number, phone=phone).select_related("household").first()
    if person is None or person.household_id is None:
        raise ServiceError.field("id_number", _("no household matches this ID number and phone"), code="unknown_household")
    return person


def need_portal(*, id_number: str, phone: str, kind: str, detail: str = "") -> Need:
    """A resident files a need through the public portal after identifying by ID number and phone."""
    person = portal_identify(id_number=id_number, phone=phone)
    return need_create(actor=SYSTEM, household_id=person.household_id, person_id=person.pk, kind=kind, detail=detail,
                       channel=Channel.PORTAL)


def need_assign(*, actor, need: Need, team_id: int) -> Need:
    """Give an open need to a delivery team that serves its area."""
    _require(actor, "livelihood.change", need.region_path)
    team = DeliveryTeam.objects.filter(pk=team_id, active=True).first() if str(team_id or "").isdigit() else None
    if team is None or (not access.can(actor, "livelihood.view", team.region_path)):
        raise ServiceError.field("team", _("no such delivery team"))
    if not (need.region_path == team.region_path or need.region_path.startswith(team.region_path + ".")):
        raise ServiceError.field("team", _("this team does not serve the household's area"))
    if need.status not in (NeedStatus.OPEN, NeedStatus.ASSIGNED):
        raise Conflict(_("the need is %(status)s already") % {"status": need.get_status_display()})
    with transaction.atomic():
        need.team, need.status, need.assigned_at = team, NeedStatus.ASSIGNED, clock.now()
        need.save(update_fields=["team", "status", "assigned_at"])
        audit.record(actor, "need.assign", need, changes={"team": team.pk})
    return need


def need_deliver(*, actor, need: Need, proof, note: str = "") -> Need:
    """Record the delivery with a photo as proof."""
    _require(actor, "livelihood.change", need.region_path)
    if need.status != NeedStatus.ASSIGNED:
        raise Conflict(_("only an assigned need can be delivered") if need.status == NeedStatus.OPEN
                       else _("the need is %(status)s already") % {"status": need.get_status_display()})
    if proof is None:
        raise ServiceError.field("proof", _("a photo of the delivery is required"))
    if getattr(proof, "content_type", "") not in PROOF_TYPES:
        raise ServiceError.field("proof", _("must be a JPEG, PNG, WebP or HEIC photo"))
    if proof.size > PROOF_MAX_BYTES:
        raise ServiceError.field("proof", _("is larger than 5 MB"))
    with transaction.atomic():
        need.proof.save(f"need-{need.pk}-{secrets.token_hex(4)}{_ext(proof.name)}", proof, save=False)
        need.status, need.delivered_at, need.proof_note = NeedStatus.DELIVERED, clock.now(), note[:300]
        need.save(update_fields=["proof", "status", "delivered_at", "proof_note"])
        audit.record(actor, "need.deliver", need, changes={"team": need.team_id, "late": need.delivered_at > need.deadline})
    return need


def _ext(name: str) -> str:
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in (name or "") else ""
    return ext if ext in (".jpg", ".jpeg", ".png", ".webp", ".heic") else ".jpg"


def need_cancel(*, actor, need: Need, reason: str) -> Need:
    """Cancel an open or assigned need, with a reason."""
    _require(actor, "livelihood.change", need.region_path)
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("is required"))
    if need.status in (NeedStatus.DELIVERED, NeedStatus.CANCELLED):
        raise Conflict(_("the need is %(status)s already") % {"status": need.get_status_display()})
    with transaction.atomic():
        need.status, need.proof_note = NeedStatus.CANCELLED, reason.strip()[:300]
        need.save(update_fields=["status", "proof_note"])
        audit.record(actor, "need.cancel", need, changes={"reason": need.proof_note})
    return need
