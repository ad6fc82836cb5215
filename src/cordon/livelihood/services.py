"""Writes for household needs, the emergency medical channel, utility incidents, supply points and key
enterprises. Every write is atomic and audited.

Emergencies are accepted whatever the person's health status (no code path here reads it): nobody
under measures may be refused care. A missed deadline files a command task one post further up the
region path each escalation step (`emergency_escalate_overdue`, run by livelihood.jobs and on board load).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cordon.command import services as command_services
from cordon.core import access, audit, clock, pii, policy
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.livelihood import rules
from cordon.livelihood.enums import (
    Channel,
    DispatchKind,
    EmergencyKind,
    EmergencyStatus,
    IncidentKind,
    IncidentStatus,
    NeedKind,
    NeedStatus,
    PlanStatus,
    Sector,
    StaffRole,
    StockLevel,
    SupplyPointKind,
)
from cordon.livelihood.models import (
    DeliveryTeam,
    Emergency,
    Enterprise,
    Escalation,
    Incident,
    LoopPlan,
    LoopStaff,
    Need,
    StaffPass,
    SupplyPoint,
)
from cordon.people.models import Household, Person
from cordon.regions.models import Region

SYSTEM = access.system("livelihood")  # this module's work that no user clicked

PROOF_MAX_BYTES = 5 * 1024 * 1024
PROOF_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")


def _section(on=None) -> dict:
    return policy.in_force(on or clock.now()).section("livelihood")


def _require(actor, perm: str, path: str) -> None:
    access.require(actor, perm, path)


def _choice(value, choices, field: str, row: int | None = None) -> str:
    if value not in choices.values:
        raise ServiceError.field(field, f"must be one of {', '.join(choices.values)}", row=row)
    return value


def _region(actor, region_id, field: str = "region_id", row: int | None = None) -> Region:
    """The region by id; outside the actor's area it does not exist for them (404, never revealed)."""
    region = Region.objects.filter(pk=region_id).first() if str(region_id or "").isdigit() else None
    if region is None or (not access.can(actor, "livelihood.view", region.path)):
        raise NotFound.field(field, "no such region", row=row, code="unknown_region")
    return region


# --- delivery teams and household needs -------------------------------------------------------------

def team_create(*, actor, name: str, region_id: int, leader: str = "", phone: str = "", members: int = 2) -> DeliveryTeam:
    """Register a delivery team serving a region (its grids and below)."""
    if not (name or "").strip():
        raise ServiceError.field("name", "is required")
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
        raise NotFound.field("household_id", "unknown household", row=row, code="unknown_household")
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
            raise ServiceError.field("person_id", "is not a member of this household", row=row)
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
                               created_by=actor if getattr(actor, "is_authenticated", False) else None, source=v["source"])
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
        raise ServiceError.field("items", "is empty")
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
            errors.append({"field": "household_id", "message": "not permitted in this area", "row": row})
        except ServiceError as exc:
            errors.extend(exc.fields)
    if errors:
        raise ServiceError(f"{len(errors)} row(s) are invalid; nothing was written (first: row {errors[0].get('row')}, "
                           f"{errors[0]['field']}: {errors[0]['message']})", fields=errors)
    now = clock.now()
    hours = _section(now).get("need_deadline_hours", {})
    creator = actor if getattr(actor, "is_authenticated", False) else None
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
        raise ServiceError.field("id_number", "no household matches this ID number and phone", code="unknown_household")
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
        raise ServiceError.field("team", "no such delivery team")
    if not (need.region_path == team.region_path or need.region_path.startswith(team.region_path + ".")):
        raise ServiceError.field("team", "this team does not serve the household's area")
    if need.status not in (NeedStatus.OPEN, NeedStatus.ASSIGNED):
        raise Conflict(f"the need is {need.status} already")
    with transaction.atomic():
        need.team, need.status, need.assigned_at = team, NeedStatus.ASSIGNED, clock.now()
        need.save(update_fields=["team", "status", "assigned_at"])
        audit.record(actor, "need.assign", need, changes={"team": team.pk})
    return need


def need_deliver(*, actor, need: Need, proof, note: str = "") -> Need:
    """Record the delivery with a photo as proof."""
    _require(actor, "livelihood.change", need.region_path)
    if need.status != NeedStatus.ASSIGNED:
        raise Conflict("only an assigned need can be delivered" if need.status == NeedStatus.OPEN
                       else f"the need is {need.status} already")
    if proof is None:
        raise ServiceError.field("proof", "a photo of the delivery is required")
    if getattr(proof, "content_type", "") not in PROOF_TYPES:
        raise ServiceError.field("proof", "must be a JPEG, PNG, WebP or HEIC photo")
    if proof.size > PROOF_MAX_BYTES:
        raise ServiceError.field("proof", "is larger than 5 MB")
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
        raise ServiceError.field("reason", "is required")
    if need.status in (NeedStatus.DELIVERED, NeedStatus.CANCELLED):
        raise Conflict(f"the need is {need.status} already")
    with transaction.atomic():
        need.status, need.proof_note = NeedStatus.CANCELLED, reason.strip()[:300]
        need.save(update_fields=["status", "proof_note"])
        audit.record(actor, "need.cancel", need, changes={"reason": need.proof_note})
    return need


# --- emergency medical channel ----------------------------------------------------------------------

def emergency_create(*, actor, kind: str, person_id: int | None = None, household_id: int | None = None,
                     phone: str = "", detail: str = "", channel: str = Channel.GRID, now: dt.datetime | None = None) -> Emergency:
    """Open an urgent medical request with minute-level deadlines; never refused for the person's status."""
    kind = _choice(kind, EmergencyKind, "kind")
    channel = _choice(channel, Channel, "channel")
    person = household = None
    if person_id:
        person = Person.objects.filter(pk=person_id).select_related("household").first()
        if person is None or (not access.can(actor, "people.view", person.region_path)):
            raise NotFound.field("person_id", "unknown person", code="unknown_person")
        household = person.household
    elif household_id:
        household = Household.objects.filter(pk=household_id).first()
        if household is None or (not access.can(actor, "people.view", household.region_path)):
            raise NotFound.field("household_id", "unknown household", code="unknown_household")
    else:
        raise ServiceError.field("person_id", "name the person or the household")
    path = person.region_path if person else household.region_path
    _require(actor, "livelihood.change", path)
    now = now or clock.now()
    em = _section(now).get("emergency", {})
    ack, dispatch = rules.emergency_deadlines(created_at=now, ack_minutes=em.get("acknowledge_minutes", 10),
                                              dispatch_minutes=em.get("dispatch_minutes", 30))
    with transaction.atomic():
        e = Emergency.objects.create(person=person, household=household, kind=kind, detail=(detail or "")[:500],
                                     phone=(phone or (person.phone if person else ""))[:20], channel=channel,
                                     region_path=path, created_at=now, ack_deadline=ack, dispatch_deadline=dispatch,
                                     created_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit.record(actor, "emergency.create", e, changes={"kind": kind, "channel": channel})
        command_services.task_create(actor=SYSTEM, title=f"急救诉求 #{e.pk}：{EmergencyKind(kind).label}，{em.get('acknowledge_minutes', 10)} 分钟内响应",
                                     kind="livelihood.emergency", region_path=path, deadline=ack, priority=1,
                                     detail=e.detail, source=_source(e, 0))
    return e


def emergency_portal(*, id_number: str, phone: str, kind: str, detail: str = "") -> Emergency:
    """A resident raises an emergency through the public portal."""
    person = portal_identify(id_number=id_number, phone=phone)
    return emergency_create(actor=SYSTEM, kind=kind, person_id=person.pk, phone=phone, detail=detail, channel=Channel.PORTAL)


def _source(e: Emergency, level: int) -> str:
    return f"livelihood.emergency:{e.pk}" + (f":L{level}" if level else "")


def _close_tasks(e: Emergency, levels, result: str) -> None:
    for level in levels:
        command_services.task_close_by_source(actor=SYSTEM, source=_source(e, level), result=result)


def emergency_acknowledge(*, actor, emergency: Emergency) -> Emergency:
    """Someone on the chain takes the request: the acknowledge deadline stops counting."""
    _require(actor, "livelihood.change", emergency.region_path)
    if emergency.status != EmergencyStatus.OPEN:
        raise Conflict(f"the request is {emergency.status} already")
    with transaction.atomic():
        emergency.status, emergency.acknowledged_at = EmergencyStatus.ACKNOWLEDGED, clock.now()
        emergency.acknowledged_by = actor if getattr(actor, "is_authenticated", False) else None
        emergency.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        audit.record(actor, "emergency.acknowledge", emergency,
                     changes={"late": emergency.acknowledged_at > emergency.ack_deadline})
        ack_levels = [0, *emergency.escalations.filter(missed="acknowledge").values_list("level", flat=True)]
        _close_tasks(emergency, ack_levels, "acknowledged")
    return emergency


def emergency_dispatch(*, actor, emergency: Emergency, dispatch_kind: str, hospital: str = "", vehicle: str = "") -> Emergency:
    """Record the ambulance, hospital transfer or doctor visit sent (acknowledges too)."""
    _require(actor, "livelihood.change", emergency.region_path)
    dispatch_kind = _choice(dispatch_kind, DispatchKind, "dispatch_kind")
    if dispatch_kind in (DispatchKind.HOSPITAL, DispatchKind.AMBULANCE) and not (hospital or "").strip():
        raise ServiceError.field("hospital", "name the receiving hospital")
    if emergency.status not in (EmergencyStatus.OPEN, EmergencyStatus.ACKNOWLEDGED):
        raise Conflict(f"the request is {emergency.status} already")
    now = clock.now()
    with transaction.atomic():
        if emergency.acknowledged_at is None:
            emergency.acknowledged_at = now
            emergency.acknowledged_by = actor if getattr(actor, "is_authenticated", False) else None
        emergency.status, emergency.dispatched_at = EmergencyStatus.DISPATCHED, now
        emergency.dispatch_kind, emergency.hospital, emergency.vehicle = dispatch_kind, hospital.strip()[:100], vehicle.strip()[:40]
        emergency.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "dispatched_at", "dispatch_kind",
                                      "hospital", "vehicle"])
        audit.record(actor, "emergency.dispatch", emergency, changes={"dispatch_kind": dispatch_kind, "hospital": emergency.hospital,
                                                                      "late": now > emergency.dispatch_deadline})
        _close_tasks(emergency, [0, *emergency.escalations.values_list("level", flat=True)], "dispatched")
    return emergency


def emergency_close(*, actor, emergency: Emergency, outcome: str) -> Emergency:
    """Close the request with its outcome (admitted, treated at home, ...)."""
    _require(actor, "livelihood.change", emergency.region_path)
    if not (outcome or "").strip():
        raise ServiceError.field("outcome", "is required")
    if emergency.status == EmergencyStatus.CLOSED:
        raise Conflict("the request is closed already")
    with transaction.atomic():
        emergency.status, emergency.closed_at, emergency.outcome = EmergencyStatus.CLOSED, clock.now(), outcome.strip()[:300]
        emergency.save(update_fields=["status", "closed_at", "outcome"])
        audit.record(actor, "emergency.close", emergency, changes={"outcome": emergency.outcome})
        _close_tasks(emergency, [0, *emergency.escalations.values_list("level", flat=True)], "closed")
    return emergency


def emergency_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Raise every open emergency whose deadline passed one post further up the region path per step; returns steps taken."""
    now = now or clock.now()
    step = int(_section(now).get("emergency", {}).get("escalate_every_minutes", 10))
    qs = Emergency.objects.filter(status__in=[EmergencyStatus.OPEN, EmergencyStatus.ACKNOWLEDGED],
                                  ack_deadline__lt=now).order_by("id")
    steps = 0
    for e in qs:
        missed = rules.missed_deadline(status=e.status, now=now, ack_deadline=e.ack_deadline, dispatch_deadline=e.dispatch_deadline)
        if missed is None:
            continue
        top = len(e.region_path.split(".")) - 1
        if e.status == EmergencyStatus.OPEN:
            target = rules.due_level(now=now, first_missed=e.ack_deadline, step_minutes=step)
        else:
            ack_levels = e.escalations.filter(missed="acknowledge").count()
            target = ack_levels + rules.due_level(now=now, first_missed=e.dispatch_deadline, step_minutes=step)
        target = min(top, target)
        if target <= e.escalation_level:
            continue
        with transaction.atomic():
            locked = Emergency.objects.select_for_update().get(pk=e.pk)
            if locked.escalation_level >= target or locked.status not in (EmergencyStatus.OPEN, EmergencyStatus.ACKNOWLEDGED):
                continue
            for level in range(locked.escalation_level + 1, target + 1):
                path = rules.escalation_path(region_path=locked.region_path, level=level)
                task = command_services.task_create(
                    actor=SYSTEM, kind="livelihood.emergency_escalated", region_path=path, priority=1,
                    deadline=now + dt.timedelta(minutes=step), source=_source(locked, level), detail=locked.detail,
                    title=f"急救诉求 #{locked.pk} 超时未{'响应' if missed == 'acknowledge' else '派车'}，升级至第 {level} 级")
                Escalation.objects.create(emergency=locked, level=level, missed=missed, at=now, task_id=task.pk, region_path=path)
                steps += 1
            locked.escalation_level = target
            locked.save(update_fields=["escalation_level"])
            audit.record(SYSTEM, "emergency.escalate", locked, changes={"level": target, "missed": missed})
    return steps


# --- heating, water, power and gas ------------------------------------------------------------------

def _zone_level(path: str) -> str:
    """The zone risk level in force at the path, when the zones module provides it."""
    try:
        from cordon.zones import selectors as zone_selectors
    except ImportError:
        return ""
    fn = getattr(zone_selectors, "risk_level_for_path", None)
    return (fn(region_path=path) or "") if fn else ""


def incident_create(*, actor, kind: str, region_id: int, address: str, detail: str = "", households_affected: int = 1) -> Incident:
    """Open a heating, water, power or gas ticket; the deadline comes from the rule set."""
    kind = _choice(kind, IncidentKind, "kind")
    region = _region(actor, region_id)
    if not (address or "").strip():
        raise ServiceError.field("address", "is required")
    _require(actor, "livelihood.change", region.path)
    now = clock.now()
    hours = int(_section(now).get("incident_deadline_hours", {}).get(kind, 4))
    with transaction.atomic():
        inc = Incident.objects.create(kind=kind, region=region, region_path=region.path, address=address.strip()[:200],
                                      detail=(detail or "")[:500], households_affected=max(1, int(households_affected or 1)),
                                      zone_level=_zone_level(region.path), reported_at=now,
                                      deadline=now + dt.timedelta(hours=hours))
        audit.record(actor, "incident.create", inc, changes={"kind": kind, "zone_level": inc.zone_level})
    return inc


def incident_update(*, actor, incident: Incident, status: str, resolution: str = "") -> Incident:
    """Move a ticket to in progress or resolved (a resolution note is required)."""
    _require(actor, "livelihood.change", incident.region_path)
    status = _choice(status, IncidentStatus, "status")
    if incident.status == IncidentStatus.RESOLVED:
        raise Conflict("the ticket is resolved already")
    if status == IncidentStatus.RESOLVED and not (resolution or "").strip():
        raise ServiceError.field("resolution", "is required to resolve a ticket")
    with transaction.atomic():
        incident.status = status
        if status == IncidentStatus.RESOLVED:
            incident.resolved_at, incident.resolution = clock.now(), resolution.strip()[:300]
        incident.save(update_fields=["status", "resolved_at", "resolution"])
        audit.record(actor, "incident.update", incident, changes={"status": status})
    return incident


def supply_point_create(*, actor, name: str, kind: str, region_id: int, address: str = "") -> SupplyPoint:
    """Register a supermarket, wholesale market, pharmacy or distribution station."""
    kind = _choice(kind, SupplyPointKind, "kind")
    if not (name or "").strip():
        raise ServiceError.field("name", "is required")
    region = _region(actor, region_id)
    _require(actor, "livelihood.change", region.path)
    with transaction.atomic():
        sp = SupplyPoint.objects.create(name=name.strip(), kind=kind, region=region, region_path=region.path,
                                        address=address, updated_at=clock.now())
        audit.record(actor, "supply_point.create", sp, changes={"name": sp.name, "kind": kind})
    return sp


def supply_point_stock(*, actor, point: SupplyPoint, levels: dict, open: bool | None = None) -> SupplyPoint:
    """Report a supply point's stock status per category (ample, tight, out) and whether it is open."""
    _require(actor, "livelihood.change", point.region_path)
    changes = {}
    for field, value in levels.items():
        if field not in SupplyPoint.STOCK_FIELDS:
            raise ServiceError.field(field, "is not a stock category")
        _choice(value, StockLevel, field)
        changes[field] = value
    if open is not None:
        changes["open"] = bool(open)
    with transaction.atomic():
        for k, v in changes.items():
            setattr(point, k, v)
        point.updated_at = clock.now()
        point.save()
        audit.record(actor, "supply_point.stock", point, changes=changes)
    return point


# --- key enterprises and closed-loop production -----------------------------------------------------

def enterprise_create(*, actor, name: str, credit_code: str, sector: str, region_id: int, address: str = "",
                      liaison: str = "", liaison_phone: str = "") -> Enterprise:
    """Register an enterprise that applies for the key-enterprise whitelist."""
    sector = _choice(sector, Sector, "sector")
    if not (name or "").strip():
        raise ServiceError.field("name", "is required")
    code = (credit_code or "").strip().upper()
    if len(code) != 18 or not code.isalnum():
        raise ServiceError.field("credit_code", "must be the 18-character unified social credit code")
    region = _region(actor, region_id)
    _require(actor, "livelihood.change", region.path)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise Conflict("an enterprise with this credit code is registered already",
                       fields=[{"field": "credit_code", "message": "is registered already"}])
    with transaction.atomic():
        ent = Enterprise.objects.create(name=name.strip(), credit_code=code, sector=sector, region=region,
                                        region_path=region.path, address=address, liaison=liaison, liaison_phone=liaison_phone)
        audit.record(actor, "enterprise.create", ent, changes={"name": ent.name, "sector": sector})
    return ent


def enterprise_whitelist(*, actor, enterprise: Enterprise, on: bool = True) -> Enterprise:
    """Put an enterprise on (or take it off) the key-enterprise whitelist; taking it off ends its plans and passes."""
    _require(actor, "livelihood.approve", enterprise.region_path)
    with transaction.atomic():
        enterprise.whitelisted = bool(on)
        enterprise.whitelisted_at = clock.now() if on else None
        enterprise.save(update_fields=["whitelisted", "whitelisted_at"])
        ended = 0
        if not on:
            for plan in enterprise.plans.filter(status=PlanStatus.ACTIVE):
                _plan_end(plan, actor)
                ended += 1
        audit.record(actor, "enterprise.whitelist", enterprise, changes={"whitelisted": bool(on), "plans_ended": ended})
    return enterprise


def plan_create(*, actor, enterprise: Enterprise, start: dt.date, end: dt.date, dormitory: str,
                test_every_days: int | None = None) -> LoopPlan:
    """Draft a closed-loop production plan for a whitelisted enterprise."""
    _require(actor, "livelihood.change", enterprise.region_path)
    if not enterprise.whitelisted:
        raise ServiceError.field("enterprise", "is not on the key-enterprise whitelist")
    if not start or not end or end < start:
        raise ServiceError.field("end", "must be on or after the start")
    if not (dormitory or "").strip():
        raise ServiceError.field("dormitory", "is required: closed-loop staff sleep on site")
    every = int(test_every_days or _section().get("closed_loop", {}).get("test_every_days", 1))
    if every < 1:
        raise ServiceError.field("test_every_days", "must be at least 1")
    with transaction.atomic():
        plan = LoopPlan.objects.create(enterprise=enterprise, start=start, end=end, dormitory=dormitory.strip(),
                                       test_every_days=every, region_path=enterprise.region_path)
        audit.record(actor, "loop_plan.create", plan, changes={"start": start, "end": end, "every": every})
    return plan


def plan_staff_add(*, actor, plan: LoopPlan, rows: list[dict]) -> dict:
    """Add staff and drivers to a plan's roster: every row checked first, repeats (same ID number) skipped."""
    from cordon.core.ids import InvalidIdNumber, validate_id_number

    _require(actor, "livelihood.change", plan.region_path)
    if plan.status == PlanStatus.ENDED:
        raise Conflict("the plan has ended")
    if not rows:
        raise ServiceError.field("rows", "is empty")
    errors, clean = [], []
    for i, r in enumerate(rows, 1):
        name = str(r.get("name") or "").strip()
        if not name:
            errors.append({"field": "name", "message": "is required", "row": i})
        idn = str(r.get("id_number") or "").strip().upper()
        try:
            validate_id_number(idn)
        except InvalidIdNumber as exc:
            errors.append({"field": "id_number", "message": str(exc), "row": i})
        role = r.get("role") or StaffRole.STAFF
        if role not in StaffRole.values:
            errors.append({"field": "role", "message": "must be staff or driver", "row": i})
        if role == StaffRole.DRIVER and not str(r.get("vehicle") or "").strip():
            errors.append({"field": "vehicle", "message": "a driver needs a plate number", "row": i})
        clean.append({"name": name[:50], "id_number": idn, "phone": str(r.get("phone") or "")[:20], "role": role,
                      "dorm_room": str(r.get("dorm_room") or "")[:40], "vehicle": str(r.get("vehicle") or "")[:20]})
    if errors:
        raise ServiceError(f"{len(errors)} problem(s) in the roster; nothing was written", fields=errors)
    have = set(plan.staff.values_list("id_number", flat=True))
    added = 0
    with transaction.atomic():
        for c in clean:
            if c["id_number"] in have:
                continue
            have.add(c["id_number"])
            staff = LoopStaff.objects.create(plan=plan, region_path=plan.region_path, **c)
            added += 1
            if plan.status == PlanStatus.ACTIVE:
                _issue_pass(staff, plan)
        audit.record(actor, "loop_plan.staff", plan, changes={"rows": len(rows), "added": added})
    return {"rows": len(rows), "added": added}


def _issue_pass(staff: LoopStaff, plan: LoopPlan) -> StaffPass:
    """A staff pass; a driver's vehicle also gets the checkpoints' green-lane pass (checkpoints.services.pass_issue)."""
    days = int(_section().get("closed_loop", {}).get("pass_days", 14))
    today = clock.today()
    start = max(plan.start, today)
    until = min(plan.end, start + dt.timedelta(days=days - 1))
    if staff.role == StaffRole.DRIVER and staff.vehicle:
        from cordon.checkpoints import services as checkpoint_services

        tz = clock.zone()
        checkpoint_services.pass_issue(
            actor=SYSTEM, plate=staff.vehicle, enterprise=plan.enterprise.name, region_path=plan.region_path,
            valid_from=dt.datetime.combine(start, dt.time.min, tzinfo=tz), valid_until=dt.datetime.combine(until, dt.time.max, tzinfo=tz),
            cargo=plan.enterprise.get_sector_display(), driver=staff.name, source=_vehicle_source(staff))
    return StaffPass.objects.create(staff=staff, region_path=plan.region_path, code=secrets.token_hex(8),
                                    valid_from=start, valid_until=until, issued_at=clock.now())


def _vehicle_source(staff: LoopStaff) -> str:
    return f"livelihood.loopstaff:{staff.pk}"


def _revoke_passes(actor, staff_qs) -> int:
    """Revoke staff passes and the drivers' green-lane vehicle passes (through checkpoints.pass_revoke when the actor
    may; otherwise a task asks the checkpoint side to revoke it)."""
    from cordon.checkpoints import services as checkpoint_services
    from cordon.checkpoints.models import Pass as VehiclePass

    n = StaffPass.objects.filter(staff__in=staff_qs, revoked=False).update(revoked=True)
    sources = [_vehicle_source(s) for s in staff_qs.filter(role=StaffRole.DRIVER)]
    for vp in VehiclePass.objects.filter(source__in=sources, revoked=False):
        if access.can(actor, "checkpoints.change", vp.region_path):
            checkpoint_services.pass_revoke(actor=actor, vehicle_pass=vp)
        else:
            command_services.task_create(actor=SYSTEM, title=f"吊销闭环司机车辆通行证 {vp.plate}", kind="livelihood.vehicle_pass_revoke",
                                         region_path=vp.region_path, owner_role="checkpoint_officer", priority=1,
                                         deadline=clock.now() + dt.timedelta(hours=1), source=vp.source)
    return n


def plan_activate(*, actor, plan: LoopPlan) -> LoopPlan:
    """Start the closed loop: needs a roster; every member gets a pass for the green lane."""
    _require(actor, "livelihood.approve", plan.region_path)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"the plan is {plan.status} already")
    if not plan.enterprise.whitelisted:
        raise ServiceError.field("enterprise", "is not on the key-enterprise whitelist")
    staff = list(plan.staff.all())
    if not staff:
        raise ServiceError.field("staff", "add the roster before starting the closed loop")
    with transaction.atomic():
        plan.status = PlanStatus.ACTIVE
        plan.save(update_fields=["status"])
        for s in staff:
            _issue_pass(s, plan)
        audit.record(actor, "loop_plan.activate", plan, changes={"passes": len(staff)})
    return plan


def _plan_end(plan: LoopPlan, actor) -> None:
    plan.status = PlanStatus.ENDED
    plan.save(update_fields=["status"])
    _revoke_passes(actor, plan.staff.all())


def plan_end(*, actor, plan: LoopPlan) -> LoopPlan:
    """End a closed loop; its passes are revoked."""
    _require(actor, "livelihood.change", plan.region_path)
    if plan.status == PlanStatus.ENDED:
        raise Conflict("the plan has ended already")
    with transaction.atomic():
        _plan_end(plan, actor)
        audit.record(actor, "loop_plan.end", plan)
    return plan


def staff_test_record(*, actor, staff: LoopStaff, tested_on: dt.date, negative: bool) -> LoopStaff:
    """Record a closed-loop test; a positive one revokes the person's pass and files a task for the site."""
    _require(actor, "livelihood.change", staff.region_path)
    if tested_on > clock.today():
        raise ServiceError.field("tested_on", "is in the future")
    with transaction.atomic():
        staff.last_test, staff.last_negative = tested_on, bool(negative)
        staff.save(update_fields=["last_test", "last_negative"])
        if not negative:
            _revoke_passes(actor, LoopStaff.objects.filter(pk=staff.pk))
            command_services.task_create(actor=SYSTEM, title=f"闭环人员核酸阳性：{staff.plan.enterprise.name}",
                                         kind="livelihood.loop_positive", region_path=staff.region_path, priority=1,
                                         deadline=clock.now() + dt.timedelta(hours=2), source=f"livelihood.loopstaff:{staff.pk}")
        audit.record(actor, "loop_staff.test", staff, changes={"tested_on": tested_on, "negative": bool(negative)})
    return staff


def pass_verify(*, code: str, on: dt.date | None = None) -> dict:
    """Check a staff or driver pass at a checkpoint's green lane: valid or the reason it is not."""
    p = StaffPass.objects.filter(code=(code or "").strip()).select_related("staff__plan__enterprise").first()
    on = on or clock.today()
    if p is None:
        return {"valid": False, "reason": "unknown pass"}
    reason = ""
    if p.revoked:
        reason = "revoked"
    elif not (p.valid_from <= on <= p.valid_until):
        reason = "expired" if on > p.valid_until else "not yet valid"
    elif p.staff.plan.status != PlanStatus.ACTIVE:
        reason = "closed loop not running"
    return {"valid": not reason, "reason": reason, "enterprise": p.staff.plan.enterprise.name, "role": p.staff.role,
            "vehicle": p.staff.vehicle, "valid_until": p.valid_until}



# --- retention -------------------------------------------------------------------------------------

def retention_run(*, actor, days: int | None = None, dry_run: bool = False, today: dt.date | None = None) -> dict:
    """Pseudonymise the closed-loop staff of plans that ended more than `days` ago (CORDON_RETENTION_DAYS):
    names 已脱敏, ID numbers a keyed pseudonym, phones blank; roles, rooms and test dates stay for the statistics."""
    access.require(actor, "livelihood.change")
    days = settings.CORDON_RETENTION_DAYS if days is None else int(days)
    if days < 0:
        raise ServiceError.field("days", "must be 0 or more")
    cut = (today or clock.today()) - dt.timedelta(days=days)
    staff = access.scope(LoopStaff.objects.filter(plan__end__lt=cut).exclude(name=pii.PSEUDONYM_NAME), actor,
                         "livelihood.change")
    counts = {"staff": staff.count(), "days": days, "dry_run": dry_run}
    if dry_run:
        return counts
    with transaction.atomic():
        for s in staff.select_for_update().only("pk", "id_number"):
            LoopStaff.objects.filter(pk=s.pk).update(name=pii.PSEUDONYM_NAME, id_number=pii.pseudonym_id_number(s.id_number),
                                                     phone="")
        audit.record(actor, "livelihood.retention", object_type="livelihood.loopstaff",
                     changes={"staff": counts["staff"], "days": days, "plans_ended_before": cut})
    return counts
