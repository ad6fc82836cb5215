"""Writes for centralized quarantine: the placement queue, sites, proposals, transfers, stays, release."""

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, policy, tabular
from cordon.core.errors import Conflict, ServiceError
from cordon.core.ids import new_token
from cordon.people.models import Household, Person
from cordon.quarantine import rules, solver
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    CATEGORIES,
    OPEN_REQUEST,
    READINESS_ITEMS,
    SITE_LIFECYCLE,
    SYMPTOMS,
    TRANSFER_NEXT,
    ProposalStatus,
    RequestStatus,
    RoomKind,
    RoomStatus,
    SiteStatus,
    StayKind,
    StayStatus,
    TestResult,
    TransferDirection,
    TransferStatus,
)
from cordon.quarantine.models import (
    PlacementRequest,
    Proposal,
    ProposalLine,
    Reading,
    Room,
    ScheduledTest,
    Site,
    Stay,
    Transfer,
)
from cordon.regions.models import Level, Region
from cordon.status import services as status_services

SYSTEM = access.system("quarantine")  # this module's work that no user clicked

# Who may put people into the queue: the site side and the outbreak-response side (contacts/cases).
_ENQUEUE_PERMS = ("quarantine.change", "contacts.change", "cases.change")


def _visible(actor, queryset, **lookup):
    """One named object inside the actor's quarantine view: 404 when missing or elsewhere (never 403 for another area)."""
    obj = queryset.visible_to(actor, "quarantine.view").filter(**lookup).first()
    if obj is None:
        raise Http404("not found")
    return obj


def _may_enqueue(actor, region_path: str) -> None:
    if not any(access.can(actor, p, region_path) for p in _ENQUEUE_PERMS):
        access.require(actor, "quarantine.change", region_path)


def placement_enqueue(*, actor, person_id: int, category: str, start: dt.date, end: dt.date, source: str,
                      household_id: int | None = None) -> PlacementRequest:
    """Queue a person for centralized quarantine: one measure per person. Someone with an open request or an
    active centralized stay keeps it, extended to the later end (audited); a home stay is upgraded by one request."""
    if not source or not str(source).strip():
        raise ServiceError.field("source", "is required")
    source = str(source).strip()[:120]
    if category not in CATEGORIES:
        raise ServiceError.field("category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ServiceError.field("start" if not isinstance(start, dt.date) else "end", "must be a date")
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if end < start:
        raise ServiceError.field("end", "is before start")
    person = _visible(actor, Person.objects.only("id", "region_path", "household_id"), pk=person_id)
    _may_enqueue(actor, person.region_path)
    if household_id is None:
        household_id = person.household_id
    elif not Household.objects.filter(pk=household_id).exists():
        raise ServiceError.field("household_id", "no such household")
    try:
        with transaction.atomic():
            existing = (PlacementRequest.objects.select_for_update().filter(person_id=person.pk, status__in=OPEN_REQUEST)
                        .order_by("created_at", "id").first())
            stay = (Stay.objects.select_for_update().filter(person_id=person.pk, status__in=ACTIVE_STAY,
                                                            kind=StayKind.CENTRALIZED).first())
            if existing is not None or stay is not None:
                return _measure_extend(actor=actor, request=existing, stay=stay, category=category, end=end,
                                       source=source, person=person)
            home = Stay.objects.filter(person_id=person.pk, status__in=ACTIVE_STAY).exclude(
                kind=StayKind.CENTRALIZED).first()
            req = PlacementRequest.objects.create(
                person_id=person.pk, household_id=household_id, category=category, start=start, end=end,
                source=source, region_path=person.region_path)
            audit.record(actor, "placement_request.enqueue", req,
                         changes={"person": person.pk, "category": category, "start": start, "end": end,
                                  "source": source, "upgrades_stay": home.pk if home else None,
                                  "upgrades_kind": home.kind if home else None})
    except IntegrityError:  # a concurrent enqueue of the same (person, source) won the race
        existing = PlacementRequest.objects.filter(person_id=person.pk, source=source,
                                                   status__in=OPEN_REQUEST).first()
        if existing is None:
            raise
        return existing
    return req


def _measure_extend(*, actor, request: PlacementRequest | None, stay: Stay | None, category: str, end: dt.date,
                    source: str, person: Person) -> PlacementRequest | None:
    """A further classification of someone already under centralized measures: the later end wins, the new
    source is remembered on the request, the stay (when placed) runs to the new end; one audit entry."""
    changes = {"person": person.pk, "source": source, "category": category}
    if request is not None and source != request.source and source not in request.also_sources:
        request.also_sources = [*request.also_sources, source]
        changes["also_sources"] = request.also_sources
    if request is not None and end > request.end:
        changes["end"] = {"from": request.end, "to": end}
        request.end = end
    if request is not None and ("end" in changes or "also_sources" in changes):
        request.save(update_fields=["end", "also_sources", "updated_at"])
    if stay is not None and end > stay.planned_end:
        changes["stay"] = stay.pk
        changes["planned_end"] = {"from": stay.planned_end, "to": end}
        _stay_extend(actor=actor, stay=stay, end=end)
    if len(changes) > 3:
        target = stay if stay is not None else request
        audit.record(actor, "placement_request.extend" if request is not None else "stay.extend", target,
                     changes=changes)
    return request if request is not None else stay.request


def _stay_extend(*, actor, stay: Stay, end: dt.date) -> None:
    """A stay runs to a later end: a test is scheduled on its new last day, the status reason follows."""
    stay.planned_end = end
    stay.save(update_fields=["planned_end"])
    day = (end - stay.start).days + 1
    if not ScheduledTest.objects.filter(stay=stay, day=day).exists():
        ScheduledTest.objects.create(stay=stay, region_path=stay.region_path, day=day, due=end)
    if stay.status == StayStatus.IN:
        _reason_on(stay, actor)


def placement_cancel(*, actor, source: str) -> int:
    """Withdraw a source's placement: its queued or proposed requests are cancelled (returns how many) unless
    another source also named the person; then the request passes to that source and stays in the queue."""
    if not source or not str(source).strip():
        raise ServiceError.field("source", "is required")
    source = str(source).strip()
    with transaction.atomic():
        for req in (PlacementRequest.objects.visible_to(actor, "quarantine.view").select_for_update(of=("self",))
                    .filter(status__in=OPEN_REQUEST, also_sources__icontains=f'"{source}"')):
            if source in req.also_sources:
                _may_enqueue(actor, req.region_path)
                req.also_sources = [s for s in req.also_sources if s != source]
                req.save(update_fields=["also_sources", "updated_at"])
                audit.record(actor, "placement_request.source_withdrawn", req, changes={"source": source})
        reqs = list(PlacementRequest.objects.visible_to(actor, "quarantine.view").select_for_update(of=("self",))
                    .filter(source=source, status__in=[RequestStatus.QUEUED, RequestStatus.PROPOSED]))
        if not reqs:
            return 0
        for req in reqs:
            _may_enqueue(actor, req.region_path)
        kept = [r for r in reqs if r.also_sources]
        for req in kept:
            nxt, *rest = req.also_sources
            req.source, req.also_sources = nxt, rest
            req.save(update_fields=["source", "also_sources", "updated_at"])
            audit.record(actor, "placement_request.source_withdrawn", req, changes={"source": source, "now": nxt})
        ids = [r.pk for r in reqs if r not in kept]
        if not ids:
            return 0
        _drop_proposal_lines(ids)
        now = clock.now()
        PlacementRequest.objects.filter(pk__in=ids).update(status=RequestStatus.CANCELLED, cancelled_at=now,
                                                           updated_at=now)
        audit.record(actor, "placement_request.cancel", object_type="quarantine.placementrequest",
                     object_id=ids[0], region_path=reqs[0].region_path,
                     changes={"source": source, "count": len(ids), "ids": ids[:50]})
    return len(ids)


def _drop_proposal_lines(request_ids: list[int]) -> None:
    """Remove unconfirmed proposal lines of withdrawn requests."""
    ProposalLine.objects.filter(request_id__in=request_ids, confirmed_at__isnull=True).delete()


# --------------------------------------------------------------------------- helpers

def _q(on=None) -> dict:
    return policy.in_force(on or clock.today()).section("quarantine")


def _measures(on=None) -> dict:
    return policy.in_force(on or clock.today()).section("measures")


def _district_path(path: str) -> str:
    return ".".join(path.split(".")[:2])


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _float(value, field: str, *, row=None, lo=None, hi=None):
    if value in (None, ""):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ServiceError.field(field, f"{value!r} is not a number", row=row)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ServiceError.field(field, f"must be between {lo} and {hi}", row=row)
    return v


def _bool(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "y", "on", "是", "x"} if not isinstance(value, bool) else value


def _when(value, field: str, *, row=None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        v = value
    else:
        try:
            v = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ServiceError.field(field, f"{value!r} is not a date and time", row=row)
    return clock.aware(v) if timezone.is_naive(v) else v


# --------------------------------------------------------------------------- sites and rooms

SITE_FIELDS = {"name", "address", "kind", "lends_rooms", "lon", "lat", "doctors_on_duty", "nurses_on_duty", "staff_note",
               "manager_id"}


def site_create(*, actor, name: str, address: str, region_id: int, lends_rooms: bool = False, lon=None, lat=None,
                kind: str = "hotel", manager_id: int | None = None) -> Site:
    """Register a quarantine site (status reserve) in a district or one of its streets/communities."""
    region = _visible(actor, Region.objects.all(), pk=region_id)
    if region.level < Level.DISTRICT:
        raise ServiceError.field("region_id", "must be a district or a region inside one")
    access.require(actor, "quarantine.change", region.path)
    if not (name or "").strip():
        raise ServiceError.field("name", "is required")
    if not (address or "").strip():
        raise ServiceError.field("address", "is required")
    lon = _float(lon, "lon", lo=-180, hi=180)
    lat = _float(lat, "lat", lo=-90, hi=90)
    with transaction.atomic():
        site = Site.objects.create(name=name.strip(), address=address.strip(), region=region, region_path=region.path,
                                   kind=kind or "hotel", lends_rooms=bool(lends_rooms),
                                   lon=lon if lon is not None else region.lon, lat=lat if lat is not None else region.lat,
                                   manager_id=manager_id, readiness={k: False for k in READINESS_ITEMS})
        audit.record(actor, "site.create", site, changes={"name": site.name, "region": region.path})
    return site


def site_update(*, actor, site: Site, **changes) -> Site:
    """Change a site's details, staff on duty or lending."""
    access.require(actor, "quarantine.change", site.region_path)
    unknown = set(changes) - SITE_FIELDS
    if unknown:
        raise ServiceError.field(sorted(unknown)[0], "cannot be changed here")
    for f in ("doctors_on_duty", "nurses_on_duty"):
        if f in changes:
            try:
                changes[f] = int(changes[f])
            except (TypeError, ValueError):
                raise ServiceError.field(f, "must be a whole number")
            if changes[f] < 0:
                raise ServiceError.field(f, "must not be negative")
    for f in ("lon", "lat"):
        if f in changes:
            changes[f] = _float(changes[f], f, lo=-180, hi=180)
    if "lends_rooms" in changes:
        changes["lends_rooms"] = _bool(changes["lends_rooms"])
    if "name" in changes and not str(changes["name"]).strip():
        raise ServiceError.field("name", "is required")
    with transaction.atomic():
        for k, v in changes.items():
            setattr(site, k, v)
        site.save()
        audit.record(actor, "site.update", site, changes=changes)
    return site


def site_readiness(*, actor, site: Site, items: dict) -> Site:
    """Tick or untick items of the readiness checklist."""
    access.require(actor, "quarantine.change", site.region_path)
    bad = [k for k in items if k not in READINESS_ITEMS]
    if bad:
        raise ServiceError.field(bad[0], "is not a checklist item")
    with transaction.atomic():
        site.readiness = {**{k: False for k in READINESS_ITEMS}, **site.readiness, **{k: _bool(v) for k, v in items.items()}}
        site.save(update_fields=["readiness"])
        audit.record(actor, "site.readiness", site, changes=items)
    return site


def site_set_status(*, actor, site: Site, status: str) -> Site:
    """Move a site between reserve, being readied, open, full and closed for disinfection."""
    access.require(actor, "quarantine.change", site.region_path)
    if status == site.status:
        return site
    SITE_LIFECYCLE.check(site.status, status)
    if status == SiteStatus.OPEN and not site.ready:
        missing = [k for k in READINESS_ITEMS if not site.readiness.get(k)]
        raise ServiceError.field("status", f"the readiness checklist is not complete: {', '.join(missing)}",
                                 code="not_ready")
    if status == SiteStatus.DISINFECTION and Stay.objects.filter(site=site, status__in=ACTIVE_STAY).exists():
        raise Conflict("people are still in this site; release or move them before closing it for disinfection")
    with transaction.atomic():
        old = site.status
        site.status = status
        site.save(update_fields=["status"])
        if status == SiteStatus.DISINFECTION:
            _drop_proposal_lines(list(ProposalLine.objects.filter(site=site, confirmed_at__isnull=True)
                                      .values_list("request_id", flat=True)))
        audit.record(actor, "site.status", site, changes={"from": old, "to": status})
    return site


ROOM_ALIASES = {"number": "number", "房号": "number", "房间号": "number", "floor": "floor", "楼层": "floor",
                "kind": "kind", "房型": "kind", "own_bathroom": "own_bathroom", "独立卫生间": "own_bathroom",
                "accessible": "accessible", "无障碍": "accessible", "position": "position", "位置": "position"}


def rooms_add(*, actor, site: Site, rows: list[dict]) -> dict:
    """Add rooms to a site in bulk: every bad row listed, nothing written when any row is bad."""
    access.require(actor, "quarantine.change", site.region_path)
    existing = set(Room.objects.filter(site=site).values_list("number", flat=True))
    errors, clean, seen = [], [], set()
    for i, r in enumerate(rows, start=1):
        number = str(r.get("number") or "").strip()
        if not number:
            errors.append({"row": i, "field": "number", "message": "is required"})
            continue
        if number in existing or number in seen:
            errors.append({"row": i, "field": "number", "message": f"room {number} exists already"})
            continue
        seen.add(number)
        try:
            floor = int(r.get("floor") or (int(number) // 100 if number.isdigit() else 1))
        except (TypeError, ValueError):
            errors.append({"row": i, "field": "floor", "message": f"{r.get('floor')!r} is not a whole number"})
            continue
        kind = str(r.get("kind") or RoomKind.SINGLE).strip()
        if kind not in RoomKind.values:
            errors.append({"row": i, "field": "kind", "message": f"must be one of {', '.join(RoomKind.values)}"})
            continue
        try:
            position = int(r.get("position") or (int(number) % 100 if number.isdigit() else len(seen)))
        except (TypeError, ValueError):
            errors.append({"row": i, "field": "position", "message": "is not a whole number"})
            continue
        own = r.get("own_bathroom")
        clean.append(Room(site=site, region_path=site.region_path, number=number, floor=floor, position=position,
                          kind=kind, own_bathroom=True if own in (None, "") else _bool(own),
                          accessible=_bool(r.get("accessible") or False)))
    if errors:
        raise ServiceError(f"{len(errors)} rows have errors", fields=errors)
    if not clean:
        raise ServiceError.field("rows", "no rooms given")
    with transaction.atomic():
        Room.objects.bulk_create(clean, batch_size=1000)
        audit.record(actor, "room.bulk_add", site, changes={"count": len(clean)})
    return {"created": len(clean)}


def rooms_import(*, actor, site: Site, data: bytes, filename: str) -> dict:
    """Rooms from CSV/Excel (number, floor, kind, own bathroom, accessible)."""
    rows = [row for _, row in tabular.read_rows(data, filename, ROOM_ALIASES)]
    return rooms_add(actor=actor, site=site, rows=rows)


def rooms_generate(*, actor, site: Site, floors: int, per_floor: int, first_floor: int = 2, accessible_per_floor: int = 1) -> dict:
    """Add numbered rooms floor by floor (e.g. 201..220, 301..320)."""
    if not 1 <= int(floors) <= 60:
        raise ServiceError.field("floors", "must be between 1 and 60")
    if not 1 <= int(per_floor) <= 99:
        raise ServiceError.field("per_floor", "must be between 1 and 99")
    rows = [{"number": f"{f}{p:02d}", "floor": f, "position": p, "accessible": p <= accessible_per_floor}
            for f in range(first_floor, first_floor + int(floors)) for p in range(1, int(per_floor) + 1)]
    return rooms_add(actor=actor, site=site, rows=rows)


def room_set_status(*, actor, room: Room, status: str) -> Room:
    """Free a room after disinfection, send it to disinfection, or take it out of service."""
    access.require(actor, "quarantine.change", room.region_path)
    if status not in (RoomStatus.FREE, RoomStatus.DISINFECTION, RoomStatus.OUT):
        raise ServiceError.field("status", "must be free, disinfection or out")
    if Stay.objects.filter(room=room, status__in=ACTIVE_STAY).exists():
        raise Conflict(f"room {room.number} is occupied")
    with transaction.atomic():
        old = room.status
        room.status = status
        room.save(update_fields=["status"])
        if status != RoomStatus.FREE:
            _drop_proposal_lines(list(ProposalLine.objects.filter(room=room, confirmed_at__isnull=True)
                                      .values_list("request_id", flat=True)))
        audit.record(actor, "room.status", room, changes={"from": old, "to": status})
    return room


# --------------------------------------------------------------------------- placement proposals

def _origin_of(person: Person) -> tuple[float, float] | None:
    hh = person.household
    if hh is not None and hh.building_id and hh.building.lon is not None:
        return hh.building.lon, hh.building.lat
    return None


def proposal_build(*, actor, district_path: str) -> Proposal:
    """Propose rooms for the queued requests of a district (min-cost flow, households together, carers in the room)."""
    district = _visible(actor, Region.objects.all(), path=district_path)
    if district.level != Level.DISTRICT:
        raise ServiceError.field("district_path", "is not a district")
    access.require(actor, "quarantine.change", district_path)
    q = _q()
    today = clock.today()
    t0 = time.perf_counter()
    with transaction.atomic():
        # An open proposal of the district is replaced: its unconfirmed lines go back to the queue.
        for old in Proposal.objects.select_for_update(of=("self",)).filter(region_path=district_path, status=ProposalStatus.OPEN):
            _proposal_release(old)
        queue = list(PlacementRequest.objects.select_for_update(of=("self",))
                     .filter(status=RequestStatus.QUEUED)
                     .filter(region_path__startswith=district_path + ".")
                     .select_related("person", "person__household__building", "person__grid")
                     .order_by("created_at", "id"))
        # a person at home who is now due for a site is upgraded by their request; a site stay serves them already
        active = set(Stay.objects.filter(person_id__in=[r.person_id for r in queue], status__in=ACTIVE_STAY,
                                         kind=StayKind.CENTRALIZED).values_list("person_id", flat=True))
        # One line per person: a person named by two sources (two cases, a case and a manual entry) is one
        # request here; the others are served by the same stay when it is confirmed.
        seen: set[int] = set()
        queue = [r for r in queue if r.person_id not in active and not (r.person_id in seen or seen.add(r.person_id))]
        if not queue:
            raise ServiceError("the placement queue of this district is empty", code="empty_queue")
        sites = list(Site.objects.filter(status=SiteStatus.OPEN).filter(
            Q(region_path=district_path) | Q(region_path__startswith=district_path + ".") | Q(lends_rooms=True))
            .order_by("id"))
        free_rooms = defaultdict(list)
        for rid, sid, floor, pos in (Room.objects.filter(site__in=[s.pk for s in sites], status=RoomStatus.FREE)
                                     .exclude(stays__status__in=ACTIVE_STAY)
                                     .exclude(proposal_lines__confirmed_at__isnull=True,
                                              proposal_lines__proposal__status=ProposalStatus.OPEN)
                                     .values_list("id", "site_id", "floor", "position")):
            free_rooms[sid].append((rid, floor, pos))
        caps = [solver.SiteCap(id=s.pk, district=s.district_path, lon=s.lon or 0.0, lat=s.lat or 0.0,
                               free=len(free_rooms[s.pk]), lends=s.lends_rooms) for s in sites]
        dependent_flags = q.get("dependent_flags", ["disability"])
        members, origin_of, origins, origin_key = [], {}, [], {}
        req_of_person = {}
        for r in queue:
            p = r.person
            req_of_person[p.pk] = r
            where = _origin_of(p) or (p.grid.lon or district.lon or 0.0, p.grid.lat or district.lat or 0.0)
            key = (round(where[0], 4), round(where[1], 4), _district_path(r.region_path))
            if key not in origin_key:
                origin_key[key] = len(origins)
                origins.append(solver.Origin(id=len(origins), lon=key[0], lat=key[1], district=key[2]))
            origin_of[p.pk] = origin_key[key]
            members.append(solver.Member(person_id=p.pk, household=r.household_id, age=_age(p.birth_date, today),
                                         pregnant=p.pregnant, dependent=any(getattr(p, f, False) for f in dependent_flags)))
        units = solver.make_units(members, origin_of, child_age_limit=q.get("child_age_limit", 14),
                                  carer_for=q.get("carer_allowed_for", []))
        result = solver.solve(units, origins, caps, lent_penalty_km=q.get("lent_penalty_km", 30))
        withheld = [req_of_person[u.person_ids[0]] for u in units if u.key in set(result.withheld)]
        groups = defaultdict(lambda: defaultdict(list))
        for u in units:
            sid = result.site_of.get(u.key)
            if sid is not None:
                groups[sid][u.group].append(u.key)
        room_of = {}
        for sid, by_group in groups.items():
            room_of.update(solver.assign_rooms(list(by_group.values()), free_rooms[sid]))
        site_path = {s.pk: s.region_path for s in sites}
        proposal = Proposal.objects.create(region_path=district_path, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                                           cost=result.cost, optimum=result.optimum, unplaced=result.unplaced,
                                           seconds=time.perf_counter() - t0)
        lines, proposed = [], []
        for u in units:
            sid, rid = result.site_of.get(u.key), room_of.get(u.key)
            if sid is None or rid is None:
                continue
            for pid in u.person_ids:
                carer_req = req_of_person[u.carer_of] if (u.carer_of and pid != u.carer_of) else None
                lines.append(ProposalLine(proposal=proposal, request=req_of_person[pid], site_id=sid, room_id=rid,
                                          region_path=site_path[sid], carer_of=carer_req,
                                          cost=result.unit_cost.get(u.key, 0), lent=result.lent.get(u.key, False)))
                proposed.append(req_of_person[pid].pk)
        ProposalLine.objects.bulk_create(lines, batch_size=1000)
        PlacementRequest.objects.filter(pk__in=proposed).update(status=RequestStatus.PROPOSED, updated_at=clock.now())
        for req in withheld:
            _carer_needed(req, today=today)
        audit.record(actor, "proposal.build", proposal, changes={"requests": len(queue), "lines": len(lines),
                                                                 "unplaced_units": result.unplaced,
                                                                 "withheld_need_carer": [r.pk for r in withheld],
                                                                 "cost": result.cost, "optimum": result.optimum})
    return proposal


def _carer_needed(req: PlacementRequest, *, today: dt.date) -> None:
    """A dependant with no carer in the queue stays queued (never placed alone): a task asks for a carer,
    naming how many adults of the household could be proposed as carer."""
    from cordon.command import services as command_services

    person = req.person
    adults = 0
    if req.household_id:
        adult_born = (today.replace(year=today.year - 18, day=28) if (today.month, today.day) == (2, 29)
                      else today.replace(year=today.year - 18))
        adults = (Person.objects.filter(household_id=req.household_id, birth_date__lte=adult_born)
                  .exclude(pk=person.pk).count())
    command_services.task_create(
        actor=SYSTEM, title=_("Quarantine placement needs a carer"), kind="quarantine.carer_needed",
        region_path=req.region_path, deadline=clock.now() + dt.timedelta(hours=4), owner_role="community_worker",
        priority=1, detail=f"request {req.pk}: a child, pregnant woman or dependent person is not placed alone; "
        f"name a carer ({adults} adult(s) in the household could be proposed as carer)",
        source=f"quarantine.request:{req.pk}:carer")


def _proposal_release(proposal: Proposal) -> None:
    open_lines = ProposalLine.objects.filter(proposal=proposal, confirmed_at__isnull=True)
    req_ids = list(open_lines.values_list("request_id", flat=True))
    PlacementRequest.objects.filter(pk__in=req_ids, status=RequestStatus.PROPOSED).update(status=RequestStatus.QUEUED)
    open_lines.delete()
    proposal.status = ProposalStatus.CONFIRMED if proposal.lines.exists() else ProposalStatus.DISCARDED
    proposal.save(update_fields=["status"])


def proposal_discard(*, actor, proposal: Proposal) -> Proposal:
    """Drop the unconfirmed lines of a proposal; their requests go back to the queue."""
    access.require(actor, "quarantine.change", proposal.region_path)
    with transaction.atomic():
        _proposal_release(proposal)
        audit.record(actor, "proposal.discard", proposal)
    return proposal


def proposal_confirm(*, actor, line_ids: list[int]) -> dict:
    """Confirm proposal lines in bulk: each becomes an expected stay with its transfer; all or nothing."""
    if not line_ids:
        raise ServiceError.field("line_ids", "choose at least one line")
    # another district's line is as unknown as a missing one (not a 403 that says it exists)
    lines = list(access.scope(ProposalLine.objects.filter(pk__in=line_ids), actor, "quarantine.view").select_related(
        "request", "request__person", "request__person__household", "room", "site", "proposal"))
    found = {ln.pk for ln in lines}
    errors = [{"field": "line_ids", "row": i, "message": f"line {lid} does not exist or was withdrawn"}
              for i, lid in enumerate(line_ids, start=1) if lid not in found]
    for i, ln in enumerate(lines, start=1):
        if not access.can(actor, "quarantine.change", ln.region_path):
            raise PermissionDenied("quarantine.change")
        if ln.confirmed_at:
            errors.append({"field": "line_ids", "row": i, "message": f"line {ln.pk} is confirmed already"})
        elif ln.request.status != RequestStatus.PROPOSED:
            errors.append({"field": "line_ids", "row": i, "message": f"request {ln.request_id} is {ln.request.status}"})
        elif ln.room.status != RoomStatus.FREE:
            errors.append({"field": "line_ids", "row": i,
                           "message": f"room {ln.room.number} is not free ({ln.room.status})"})
        elif ln.site.status != SiteStatus.OPEN:
            errors.append({"field": "line_ids", "row": i, "message": f"site {ln.site.name} is not open"})
    if errors:
        raise ServiceError(f"{len(errors)} lines cannot be confirmed: {errors[0]['message']}", fields=errors)
    persons = [ln.request.person_id for ln in lines]
    twice = sorted({p for p in persons if persons.count(p) > 1})
    if twice:
        raise Conflict(f"{len(twice)} people are on two lines", fields=[
            {"field": "line_ids", "message": f"person {pid} is on two lines"} for pid in twice])
    placed = set(Stay.objects.filter(person_id__in=persons, status__in=ACTIVE_STAY, kind=StayKind.CENTRALIZED)
                 .values_list("person_id", flat=True))
    if placed:
        raise Conflict(f"{len(placed)} of these people are placed already", fields=[
            {"field": "line_ids", "message": f"person {pid} is placed already"} for pid in sorted(placed)])
    by_room = defaultdict(list)
    for ln in lines:
        by_room[ln.room_id].append(ln)
    for rid, lns in by_room.items():
        if Stay.objects.filter(room_id=rid, status__in=ACTIVE_STAY).exists() or len(lns) > 2 or (
                len(lns) == 2 and not any(ln.carer_of_id for ln in lns)):
            raise Conflict(f"room {lns[0].room.number} would be over capacity",
                           fields=[{"field": "line_ids", "message": f"room {lns[0].room.number} is over capacity"}])
    now = clock.now()
    window = dt.timedelta(hours=_q().get("transfer_window_hours", 3))
    with transaction.atomic():
        stay_of_req = {}
        for ln in sorted(lines, key=lambda x: x.carer_of_id is not None):
            req = ln.request
            stay = _stay_create(actor=actor, person=req.person, kind=StayKind.CENTRALIZED, request=req, site=ln.site,
                                room=ln.room, category=req.category, start=max(req.start, clock.today()),
                                planned_end=req.end)
            stay_of_req[req.pk] = stay
            hh = req.person.household
            Transfer.objects.create(stay=stay, region_path=ln.site.region_path, direction=TransferDirection.IN,
                                    pickup_address=hh.address if hh else "", destination=ln.site.address,
                                    window_start=now, window_end=now + window)
        for ln in lines:
            if ln.carer_of_id and ln.carer_of_id in stay_of_req:
                Stay.objects.filter(pk=stay_of_req[ln.request_id].pk).update(carer_of=stay_of_req[ln.carer_of_id])
        Room.objects.filter(pk__in=list(by_room)).update(status=RoomStatus.OCCUPIED)
        # a home stay upgraded to a site: the site stay replaces it (one measure per person)
        site_stay_of = {ln.request.person_id: stay_of_req[ln.request_id] for ln in lines}
        for home in Stay.objects.filter(person_id__in=persons, status__in=ACTIVE_STAY).exclude(
                kind=StayKind.CENTRALIZED):
            Stay.objects.filter(pk=home.pk).update(status=StayStatus.CANCELLED, released_at=now,
                                                   release_note="upgraded to centralized quarantine")
            status_services.reason_clear(person_id=home.person_id, source=f"quarantine.stay:{home.pk}", actor=actor)
            audit.record(actor, "stay.upgrade", home, changes={"to": StayKind.CENTRALIZED,
                                                               "stay": site_stay_of[home.person_id].pk})
        PlacementRequest.objects.filter(pk__in=[ln.request_id for ln in lines]).update(status=RequestStatus.PLACED,
                                                                                       updated_at=now)
        # the same people's other queued requests are served by these stays
        merged = PlacementRequest.objects.filter(person_id__in=persons, status=RequestStatus.QUEUED).update(
            status=RequestStatus.PLACED, updated_at=now)
        ProposalLine.objects.filter(pk__in=[ln.pk for ln in lines]).update(
            confirmed_at=now, confirmed_by=actor if getattr(actor, "is_authenticated", False) else None)
        for prop in {ln.proposal for ln in lines}:
            if not prop.lines.filter(confirmed_at__isnull=True).exists():
                Proposal.objects.filter(pk=prop.pk).update(status=ProposalStatus.CONFIRMED)
        audit.record(actor, "proposal.confirm", lines[0].proposal,
                     changes={"lines": len(lines), "sites": sorted({ln.site_id for ln in lines}), "merged": merged})
    return {"confirmed": len(lines), "stays": [s.pk for s in stay_of_req.values()]}


# --------------------------------------------------------------------------- stays

def _schedule_tests(stay: Stay, phase: dict | None) -> None:
    days = (stay.planned_end - stay.start).days + 1
    ScheduledTest.objects.bulk_create([
        ScheduledTest(stay=stay, region_path=stay.region_path, day=d, due=date)
        for d, date in rules.test_dates(stay.start, rules.test_days(phase, days))])


def _stay_create(*, actor, person: Person, kind: str, request=None, site=None, room=None, category: str = "",
                 start: dt.date, planned_end: dt.date, previous=None, community_worker=None) -> Stay:
    rs = policy.in_force(start)
    phase, _next = rules.phase_of(rs.section("measures"), category, kind)
    stay = Stay.objects.create(person=person, kind=kind, request=request, site=site, room=room, category=category,
                               start=start, planned_end=planned_end,
                               region_path=site.region_path if site else person.region_path,
                               previous=previous, community_worker=community_worker, monitor_token=new_token(16),
                               ruleset=rs.code,
                               status=StayStatus.EXPECTED if kind == StayKind.CENTRALIZED else StayStatus.IN,
                               checked_in_at=None if kind == StayKind.CENTRALIZED else clock.now())
    _schedule_tests(stay, phase)
    if kind != StayKind.CENTRALIZED:
        _reason_on(stay, actor)
    audit.record(actor, "stay.create", stay, changes={"person": person.pk, "kind": kind, "start": start,
                                                      "planned_end": planned_end, "room": room.pk if room else None})
    return stay


def _reason_on(stay: Stay, actor) -> None:
    reason = {StayKind.CENTRALIZED: "centralized_quarantine", StayKind.HOME_ISOLATION: "home_isolation",
              StayKind.HOME_MONITORING: "home_monitoring"}[stay.kind]
    until = clock.aware(dt.datetime.combine(stay.planned_end + dt.timedelta(days=1), dt.time()))
    status_services.reason_set(person_id=stay.person_id, reason=reason, source=f"quarantine.stay:{stay.pk}",
                               since=stay.checked_in_at or clock.now(), until=until, actor=actor)


def stay_check_in(*, actor, stay: Stay, at: dt.datetime | None = None) -> Stay:
    """The person arrives at the site: the stay starts, the status reason centralized_quarantine is set."""
    access.require(actor, "quarantine.change", stay.region_path)
    if stay.status != StayStatus.EXPECTED:
        raise Conflict(f"this stay is {stay.get_status_display()}, not expected")
    with transaction.atomic():
        stay.status = StayStatus.IN
        stay.checked_in_at = at or clock.now()
        stay.save(update_fields=["status", "checked_in_at"])
        _reason_on(stay, actor)
        audit.record(actor, "stay.check_in", stay)
    return stay


def home_stay_start(*, actor, person_id: int, kind: str, start: dt.date, end: dt.date, community_worker_id: int | None,
                    category: str = "", request_id: int | None = None) -> Stay:
    """Home isolation (needs a separate room with its own bathroom) or home health monitoring, with a named worker."""
    from django.contrib.auth import get_user_model

    if kind not in (StayKind.HOME_ISOLATION, StayKind.HOME_MONITORING):
        raise ServiceError.field("kind", "must be home_isolation or home_monitoring")
    person = _visible(actor, Person.objects.select_related("household"), pk=person_id)
    access.require(actor, "quarantine.change", person.region_path)
    if end < start:
        raise ServiceError.field("end", "is before start")
    if kind == StayKind.HOME_ISOLATION and not (person.household and person.household.has_separate_room_with_bathroom):
        raise ServiceError.field("kind", "not eligible for home isolation: the home has no separate room with its own "
                                 "bathroom; place the person in a centralized site", code="not_eligible")
    if category and category not in CATEGORIES:
        raise ServiceError.field("category", "unknown category")
    worker = None
    if community_worker_id:
        worker = get_user_model().objects.filter(pk=community_worker_id, is_active=True).first()
        if worker is None:
            raise ServiceError.field("community_worker_id", "no such user")
    else:
        raise ServiceError.field("community_worker_id", "name the community worker responsible")
    if Stay.objects.filter(person=person, status__in=ACTIVE_STAY).exists():
        raise Conflict("this person already has an active quarantine stay",
                       fields=[{"field": "person_id", "message": "is placed already"}])
    request = None
    if request_id:
        request = PlacementRequest.objects.filter(pk=request_id, person=person, status__in=OPEN_REQUEST).first()
        if request is None:
            raise ServiceError.field("request_id", "no open request of this person")
    with transaction.atomic():
        stay = _stay_create(actor=actor, person=person, kind=kind, request=request, category=category or (
            request.category if request else "manual"), start=start, planned_end=end, community_worker=worker)
        if request is not None:
            _drop_proposal_lines([request.pk])
            PlacementRequest.objects.filter(pk=request.pk).update(status=RequestStatus.PLACED)
    return stay


def stay_release(*, actor, stay: Stay, today: dt.date | None = None, vehicle: str = "", escort: str = "") -> Stay:
    """Release after the checks (days complete, last test negative); a site stay hands over to the next home phase."""
    access.require(actor, "quarantine.change", stay.region_path)
    today = today or clock.today()
    if stay.status != StayStatus.IN:
        raise Conflict(f"this stay is {stay.get_status_display()}; only people in quarantine can be released")
    # the last scheduled test decides; one sampled before its due day does not count (the due-day test is needed)
    last = stay.tests.order_by("-due", "-day").first()
    if last is not None and (last.early or last.result == TestResult.PENDING):
        last = None
    if stay.tests.filter(result=TestResult.POSITIVE).exists():
        raise Conflict("a test of this stay was positive: the person goes to hospital, not home", code="positive")
    rs = policy.in_force(stay.start)
    measures = rs.section("measures")
    problems = rules.release_problems(today=today, planned_end=stay.planned_end, last_test=last.result if last else None,
                                      require_negative=measures.get("release_requires_last_test_negative", True))
    if problems:
        raise ServiceError("early release refused: " + "; ".join(problems), code="early_release",
                           fields=[{"field": "release", "message": p} for p in problems])
    now = clock.now()
    with transaction.atomic():
        stay.status = StayStatus.RELEASED
        stay.released_at = now
        stay.save(update_fields=["status", "released_at"])
        status_services.reason_clear(person_id=stay.person_id, source=f"quarantine.stay:{stay.pk}", actor=actor)
        from cordon.command import services as command_services

        command_services.task_close_by_source(actor=SYSTEM, source=f"quarantine.stay:{stay.pk}:missed")
        nxt = None
        if stay.kind == StayKind.CENTRALIZED:
            if stay.room_id and not Stay.objects.filter(room_id=stay.room_id, status__in=ACTIVE_STAY).exists():
                Room.objects.filter(pk=stay.room_id).update(status=RoomStatus.DISINFECTION)
            _phase, following = rules.phase_of(measures, stay.category, StayKind.CENTRALIZED)
            kind = following["kind"] if following and following.get("kind") in (
                StayKind.HOME_ISOLATION, StayKind.HOME_MONITORING) else StayKind.HOME_MONITORING
            days = following["days"] if following else _q(stay.start).get("post_release_monitoring_days", 7)
            if kind == StayKind.HOME_ISOLATION and not (stay.person.household and
                                                        stay.person.household.has_separate_room_with_bathroom):
                kind = StayKind.HOME_MONITORING
            worker = _community_worker(stay.person.region_path)
            nxt = _stay_create(actor=actor, person=stay.person, kind=kind, request=stay.request, category=stay.category,
                               start=today + dt.timedelta(days=1), planned_end=today + dt.timedelta(days=days),
                               previous=stay, community_worker=worker)
            hh = stay.person.household
            window = dt.timedelta(hours=_q().get("transfer_window_hours", 3))
            Transfer.objects.create(stay=stay, region_path=stay.region_path, direction=TransferDirection.HOME,
                                    pickup_address=stay.site.address if stay.site else "",
                                    destination=hh.address if hh else "", vehicle=vehicle, escort=escort,
                                    window_start=now, window_end=now + window)
        audit.record(actor, "stay.release", stay, changes={"next": nxt.pk if nxt else None,
                                                           "next_kind": nxt.kind if nxt else None})
    return stay


def _community_worker(grid_path: str):
    """The community worker posted nearest to the person's grid (None when nobody is)."""
    from cordon.accounts.models import Post

    parts = grid_path.split(".")
    paths = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    for path in paths:
        post = Post.objects.filter(role="community_worker", region__path=path, active=True).select_related("user").first()
        if post is not None:
            return post.user
    return None


def stay_to_hospital(*, actor, stay: Stay) -> Stay:
    """A positive person leaves the site for hospital; the room goes to disinfection."""
    access.require(actor, "quarantine.change", stay.region_path)
    if stay.status not in ACTIVE_STAY:
        raise Conflict(f"this stay is {stay.get_status_display()}")
    with transaction.atomic():
        stay.status = StayStatus.TO_HOSPITAL
        stay.released_at = clock.now()
        stay.save(update_fields=["status", "released_at"])
        status_services.reason_clear(person_id=stay.person_id, source=f"quarantine.stay:{stay.pk}", actor=actor)
        if stay.room_id and not Stay.objects.filter(room_id=stay.room_id, status__in=ACTIVE_STAY).exists():
            Room.objects.filter(pk=stay.room_id).update(status=RoomStatus.DISINFECTION)
        audit.record(actor, "stay.to_hospital", stay)
    return stay


# --------------------------------------------------------------------------- monitoring

def _clean_reading(temperature, symptoms, *, row=None) -> tuple[Decimal, list[str]]:
    try:
        t = Decimal(str(temperature).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ServiceError.field("temperature", f"{temperature!r} is not a temperature", row=row)
    if not Decimal("34.0") <= t <= Decimal("43.0"):
        raise ServiceError.field("temperature", "must be between 34.0 and 43.0 °C", row=row)
    if isinstance(symptoms, str):
        symptoms = [s.strip() for s in symptoms.replace("，", ",").split(",") if s.strip()]
    symptoms = list(symptoms or [])
    bad = [s for s in symptoms if s not in SYMPTOMS]
    if bad:
        raise ServiceError.field("symptoms", f"{bad[0]!r} is not one of {', '.join(SYMPTOMS)}", row=row)
    return t, symptoms


def _reading_write(*, actor, stay: Stay, temperature, symptoms, at, by_self: bool) -> Reading:
    if stay.status != StayStatus.IN:
        raise Conflict("monitoring is only recorded for people in quarantine")
    t, symptoms = _clean_reading(temperature, symptoms)
    at = at or clock.now()
    fever = rules.is_fever(t, _q(at).get("fever_threshold", 37.3)) or "fever" in symptoms
    from cordon.command import services as command_services

    with transaction.atomic():
        reading = Reading.objects.create(stay=stay, region_path=stay.region_path, at=at, temperature=t, symptoms=symptoms,
                                         by_self=by_self, fever=fever,
                                         recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        Stay.objects.filter(pk=stay.pk).update(last_monitored_at=at)
        command_services.task_close_by_source(actor=SYSTEM, source=f"quarantine.stay:{stay.pk}:missed")
        if fever or symptoms:
            where = stay.site.name if stay.site_id else _("home")
            command_services.task_create(
                actor=SYSTEM, title=f"{_('Fever or symptoms in quarantine')}: {where}, {t} °C",
                kind="quarantine.fever", region_path=stay.region_path, deadline=at + dt.timedelta(hours=2),
                owner=stay.site.manager if stay.site_id else stay.community_worker, owner_role="quarantine_manager",
                priority=1, detail=f"stay {stay.pk}, symptoms: {', '.join(symptoms) or '-'}",
                source=f"quarantine.stay:{stay.pk}:fever:{clock.day_of(at).isoformat()}")
        audit.record(actor, "reading.create", reading, changes={"stay": stay.pk, "temperature": t, "fever": fever,
                                                                "by_self": by_self})
    return reading


def reading_record(*, actor, stay: Stay, temperature, symptoms=(), at: dt.datetime | None = None) -> Reading:
    """Staff record a temperature and symptoms (fever or symptoms raise an alert task)."""
    access.require(actor, "quarantine.change", stay.region_path)
    return _reading_write(actor=actor, stay=stay, temperature=temperature, symptoms=symptoms, at=at, by_self=False)


def reading_record_self(*, token: str, temperature, symptoms=()) -> Reading:
    """The person reports through the tokenised link (no login)."""
    stay = Stay.objects.filter(monitor_token=token or "-").select_related("site").first()
    if stay is None or stay.status != StayStatus.IN:
        raise ServiceError("this monitoring link is not valid any more", code="invalid_token", status=404)
    return _reading_write(actor=SYSTEM, stay=stay, temperature=temperature, symptoms=symptoms, at=None, by_self=True)


def monitoring_sweep(*, now: dt.datetime | None = None) -> int:
    """File a task for each person in quarantine without monitoring for longer than the rule allows."""
    from cordon.command import services as command_services

    now = now or clock.now()
    hours = _q(now).get("missed_monitoring_alert_hours", 14)
    cutoff = now - dt.timedelta(hours=hours)
    stays = (Stay.objects.filter(status=StayStatus.IN, checked_in_at__lt=cutoff)
             .exclude(last_monitored_at__gte=cutoff).select_related("site", "community_worker"))
    n = 0
    for stay in stays:
        command_services.task_create(
            actor=SYSTEM, title=f"{_('Monitoring missed')}: {stay.site.name if stay.site_id else _('home')}",
            kind="quarantine.missed_monitoring", region_path=stay.region_path, deadline=now + dt.timedelta(hours=2),
            owner=stay.site.manager if stay.site_id else stay.community_worker, owner_role="quarantine_manager",
            priority=2, detail=f"stay {stay.pk}: no reading for {hours} h", source=f"quarantine.stay:{stay.pk}:missed")
        n += 1
    return n


# --------------------------------------------------------------------------- scheduled tests

def test_result_record(*, actor, test: ScheduledTest, result: str, sampled_at: dt.datetime | None = None) -> ScheduledTest:
    """Record a sample or result of a scheduled test; negative updates health status, positive starts the review."""
    access.require(actor, "quarantine.change", test.region_path)
    return _test_results(actor=actor, items=[(test, result, sampled_at)])[0]


TEST_ALIASES = {"test_id": "test_id", "检测编号": "test_id", "stay_id": "stay_id", "day": "day", "天": "day",
                "result": "result", "结果": "result", "sampled_at": "sampled_at", "采样时间": "sampled_at"}
_RESULT_WORDS = {"negative": "negative", "阴性": "negative", "neg": "negative", "-": "negative",
                 "positive": "positive", "阳性": "positive", "pos": "positive", "+": "positive", "sampled": "sampled",
                 "已采样": "sampled"}


def test_results_import(*, actor, rows: list[dict]) -> dict:
    """Results in bulk (test_id or stay_id+day, result, sampled_at): all rows checked first, nothing half-written."""
    access.require(actor, "quarantine.change")  # a read-only role may not record results anywhere (403)
    errors, items = [], []
    ids = [r.get("test_id") for r in rows if r.get("test_id")]
    tests = {str(t.pk): t for t in ScheduledTest.objects.filter(pk__in=[i for i in ids if str(i).isdigit()])}
    for i, r in enumerate(rows, start=1):
        t = None
        if r.get("test_id"):
            t = tests.get(str(r["test_id"]).strip())
        elif r.get("stay_id") and r.get("day"):
            t = ScheduledTest.objects.filter(stay_id=r["stay_id"], day=r["day"]).first() if str(r["stay_id"]).isdigit() and str(r["day"]).isdigit() else None
        if t is None or not access.can(actor, "quarantine.view", t.region_path):
            errors.append({"row": i, "field": "test_id", "message": "no such scheduled test"})
            continue
        if not access.can(actor, "quarantine.change", t.region_path):
            errors.append({"row": i, "field": "test_id", "message": "not permitted"})
            continue
        result = _RESULT_WORDS.get(str(r.get("result") or "").strip().lower())
        if result is None:
            errors.append({"row": i, "field": "result", "message": "must be negative, positive or sampled"})
            continue
        sampled = None
        if r.get("sampled_at"):
            try:
                sampled = _when(r["sampled_at"], "sampled_at", row=i)
            except ServiceError as exc:
                errors.extend(exc.fields)
                continue
        items.append((t, result, sampled))
    if errors:
        raise ServiceError(f"{len(errors)} rows have errors", fields=errors)
    done = _test_results(actor=actor, items=items)
    return {"recorded": len(done), "early": sum(1 for t in done if t.early)}


def _test_results(*, actor, items: list) -> list[ScheduledTest]:
    now = clock.now()
    for i, (t, result, sampled_at) in enumerate(items, start=1):
        if result not in (TestResult.SAMPLED, TestResult.NEGATIVE, TestResult.POSITIVE):
            raise ServiceError.field("result", "must be sampled, negative or positive", row=i if len(items) > 1 else None)
        # an early result may be followed by the test taken on its due day; a result on the due day is final
        if t.result in (TestResult.NEGATIVE, TestResult.POSITIVE) and t.result != result and not t.early:
            raise Conflict(f"test {t.pk} has a {t.result} result already",
                           fields=[{"field": "result", "row": i, "message": "has a result already"}])
        if sampled_at and sampled_at > now:
            raise ServiceError.field("sampled_at", "is in the future", row=i if len(items) > 1 else None)
    out, negatives, positives = [], [], []
    with transaction.atomic():
        for t, result, sampled_at in items:
            t.sampled_at = sampled_at or t.sampled_at or now
            t.result = result
            if result != TestResult.SAMPLED:
                t.result_at = now
            t.early = clock.day_of(t.sampled_at) < t.due
            t.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
            t.save(update_fields=["sampled_at", "result", "result_at", "early", "recorded_by"])
            if result == TestResult.NEGATIVE:
                negatives.append((t.stay.person_id, t.sampled_at))
            elif result == TestResult.POSITIVE:
                positives.append(t)
            out.append(t)
        if negatives:
            status_services.status_bulk_negatives(items=negatives)
        for t in positives:
            status_services.sample_recorded(person_id=t.stay.person_id, sampled_at=t.sampled_at, negative=False, actor=actor)
            _positive_in_site(actor=actor, test=t)
        audit.record(actor, "scheduled_test.results", object_type="quarantine.scheduledtest", object_id=out[0].pk,
                     region_path=out[0].region_path,
                     changes={"count": len(out), "negative": len(negatives), "positive": len(positives),
                              "early": [t.pk for t in out if t.early]})
    return out


def neighbour_stays(stay: Stay, *, positions: int = 2):
    """Active stays in the rooms next to this one (same floor within `positions`, same position one floor up or down)."""
    if not stay.room_id:
        return Stay.objects.none()
    r = stay.room
    near = (Q(floor=r.floor, position__gte=r.position - positions, position__lte=r.position + positions)
            | Q(floor__in=[r.floor - 1, r.floor + 1], position=r.position))
    rooms = Room.objects.filter(near, site_id=r.site_id).values_list("id", flat=True)
    return Stay.objects.filter(room_id__in=list(rooms), status__in=ACTIVE_STAY).exclude(pk=stay.pk)


def _positive_in_site(*, actor, test: ScheduledTest) -> None:
    """A positive result: report the case and file a review of the neighbouring rooms."""
    from cordon.command import services as command_services

    stay = test.stay
    try:
        from cordon.cases import services as cases_services
    except ImportError:  # pragma: no cover - the cases app is part of the platform
        cases_services = None
    if cases_services is not None:
        cases_services.case_report(actor=SYSTEM, person_id=stay.person_id, kind="confirmed", found_by="quarantine",
                                   sampled_at=test.sampled_at, confirmed_at=clock.now(),
                                   source=f"quarantine.test:{test.pk}")
    if stay.kind != StayKind.CENTRALIZED:
        return
    near = list(neighbour_stays(stay, positions=_q().get("neighbour_review_positions", 2)).select_related("room"))
    command_services.task_create(
        actor=SYSTEM, title=f"{_('Positive in site, review neighbouring rooms')}: {stay.site.name} {stay.room.number}",
        kind="quarantine.positive_review", region_path=stay.region_path,
        deadline=clock.now() + dt.timedelta(hours=6), owner=stay.site.manager, owner_role="quarantine_manager",
        priority=1, detail=f"{_('Rooms to review')}: {', '.join(s.room.number for s in near) or '-'}",
        source=f"quarantine.stay:{stay.pk}:positive")


# --------------------------------------------------------------------------- transfers

def transfer_update(*, actor, transfer: Transfer, vehicle: str | None = None, escort: str | None = None,
                    window_start=None, window_end=None) -> Transfer:
    """Assign the vehicle, the escort and the time window of a transfer."""
    access.require(actor, "quarantine.change", transfer.region_path)
    if transfer.status in (TransferStatus.ARRIVED, TransferStatus.CANCELLED):
        raise Conflict("this transfer is finished")
    ws = _when(window_start, "window_start") if window_start else transfer.window_start
    we = _when(window_end, "window_end") if window_end else transfer.window_end
    if we <= ws:
        raise ServiceError.field("window_end", "must be after the window start")
    with transaction.atomic():
        if vehicle is not None:
            transfer.vehicle = vehicle.strip()[:30]
        if escort is not None:
            transfer.escort = escort.strip()[:60]
        transfer.window_start, transfer.window_end = ws, we
        transfer.save()
        audit.record(actor, "transfer.update", transfer, changes={"vehicle": transfer.vehicle, "escort": transfer.escort,
                                                                  "window_start": ws, "window_end": we})
    return transfer


def transfer_advance(*, actor, transfer: Transfer) -> Transfer:
    """Dispatched -> picked up -> arrived; arriving at the site checks the person in."""
    access.require(actor, "quarantine.change", transfer.region_path)
    nxt = TRANSFER_NEXT.get(transfer.status)
    if nxt is None:
        raise Conflict(f"this transfer is {transfer.get_status_display()}")
    if nxt == TransferStatus.DISPATCHED and not transfer.vehicle:
        raise ServiceError.field("vehicle", "assign a vehicle before dispatching")
    now = clock.now()
    with transaction.atomic():
        transfer.status = nxt
        setattr(transfer, {"dispatched": "dispatched_at", "picked_up": "picked_up_at", "arrived": "arrived_at"}[nxt], now)
        transfer.save()
        if nxt == TransferStatus.ARRIVED and transfer.direction == TransferDirection.IN:
            stay = Stay.objects.get(pk=transfer.stay_id)
            if stay.status == StayStatus.EXPECTED:
                stay_check_in(actor=actor, stay=stay, at=now)
        audit.record(actor, "transfer.advance", transfer, changes={"status": nxt})
    return transfer

