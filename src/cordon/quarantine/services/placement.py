"""The placement queue and proposals: enqueue and withdraw requests, build and confirm room proposals."""

import datetime as dt
import time
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.people.models import Household, Person
from cordon.quarantine import rules, solver
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    CATEGORIES,
    OPEN_REQUEST,
    REQUEST_LIFECYCLE,
    STAY_LIFECYCLE,
    ProposalStatus,
    RequestStatus,
    RoomStatus,
    SiteStatus,
    StayKind,
    StayStatus,
    TransferDirection,
)
from cordon.quarantine.models import (
    PlacementRequest,
    Proposal,
    ProposalLine,
    Room,
    Site,
    Stay,
    Transfer,
)
from cordon.quarantine.services.common import (
    SYSTEM,
    _drop_proposal_lines,
    _may_enqueue,
    _q,
    _sources,
    _transfer_window,
    _user,
    _visible,
)
from cordon.quarantine.services.stays import _stay_create, _stay_extend
from cordon.regions.models import Level, Region
from cordon.status import services as status_services


def placement_enqueue(*, actor, person_id: int, category: str, start: dt.date, end: dt.date, source: str,
                      household_id: int | None = None) -> PlacementRequest:
    """Queue a person for centralized quarantine: one measure per person. Someone with an open request or an
    active centralized stay keeps it, extended to the later end (audited); a home stay is upgraded by one request."""
    if not source or not str(source).strip():
        raise ServiceError.field("source", _("is required"))
    source = str(source).strip()[:120]
    if category not in CATEGORIES:
        raise ServiceError.field("category", _("%(category)r is not one of %(choices)s") % {"category": category, "choices": ', '.join(CATEGORIES)})
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ServiceError.field("start" if not isinstance(start, dt.date) else "end", _("must be a date"))
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if end < start:
        raise ServiceError.field("end", _("is before start"))
    person = _visible(actor, Person.objects.only("id", "region_path", "household_id"), pk=person_id)
    _may_enqueue(actor, person.region_path)
    if household_id is None:
        household_id = person.household_id
    elif household_id != person.household_id and not Household.objects.filter(pk=household_id).exists():
        raise ServiceError.field("household_id", _("no such household"))
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


def placement_cancel(*, actor, source: str) -> int:
    """Withdraw a source's placement: its queued or proposed requests are cancelled (returns how many) unless
    another source also named the person; then the request passes to that source and stays in the queue."""
    if not source or not str(source).strip():
        raise ServiceError.field("source", _("is required"))
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
                    .filter(source=source, status__in=_sources(REQUEST_LIFECYCLE, RequestStatus.CANCELLED)))
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



# --------------------------------------------------------------------------- placement proposals

def _origin_of(person: Person) -> tuple[float, float] | None:
    hh = person.household
    if hh is not None and hh.building_id and hh.building.lon is not None:
        return hh.building.lon, hh.building.lat
    return None


# long: one transaction that locks the queue and rooms, asks the solver and writes the proposal; its steps share the locked rows
def proposal_build(*, actor, district_path: str) -> Proposal:
    """Propose rooms for the queued requests of a district (min-cost flow, households together, carers in the room)."""
    district = _visible(actor, Region.objects.all(), path=district_path)
    if district.level != Level.DISTRICT:
        raise ServiceError.field("district_path", _("is not a district"))
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
            raise ServiceError(_("the placement queue of this district is empty"), code="empty_queue")
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
            key = (round(where[0], 4), round(where[1], 4), rules.district_of(r.region_path))
            if key not in origin_key:
                origin_key[key] = len(origins)
                origins.append(solver.Origin(id=len(origins), lon=key[0], lat=key[1], district=key[2]))
            origin_of[p.pk] = origin_key[key]
            members.append(solver.Member(person_id=p.pk, household=r.household_id, age=rules.age_on(p.birth_date, today),
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
        proposal = Proposal.objects.create(region_path=district_path, created_by=_user(actor),
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
        PlacementRequest.objects.filter(pk__in=proposed, status__in=_sources(REQUEST_LIFECYCLE, RequestStatus.PROPOSED)).update(
            status=RequestStatus.PROPOSED, updated_at=clock.now())
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
    PlacementRequest.objects.filter(pk__in=req_ids, status__in=_sources(REQUEST_LIFECYCLE, RequestStatus.QUEUED)).update(
        status=RequestStatus.QUEUED)
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


# long: one transaction that re-checks every line against the rooms as they are now and writes the stays; its checks share the locked rows
def proposal_confirm(*, actor, line_ids: list[int]) -> dict:  # noqa: C901 - each line re-checked against the rooms as they are now
    """Confirm proposal lines in bulk: each becomes an expected stay with its transfer; all or nothing."""
    if not line_ids:
        raise ServiceError.field("line_ids", _("choose at least one line"))
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
        raise ServiceError(_("%(len_errors)s lines cannot be confirmed: %(message)s") % {"len_errors": len(errors), "message": errors[0]['message']}, fields=errors)
    persons = [ln.request.person_id for ln in lines]
    twice = sorted({p for p in persons if persons.count(p) > 1})
    if twice:
        raise Conflict(_("%(len_twice)s people are on two lines") % {"len_twice": len(twice)}, fields=[
            {"field": "line_ids", "message": f"person {pid} is on two lines"} for pid in twice])
    placed = set(Stay.objects.filter(person_id__in=persons, status__in=ACTIVE_STAY, kind=StayKind.CENTRALIZED)
                 .values_list("person_id", flat=True))
    if placed:
        raise Conflict(_("%(len_placed)s of these people are placed already") % {"len_placed": len(placed)}, fields=[
            {"field": "line_ids", "message": f"person {pid} is placed already"} for pid in sorted(placed)])
    by_room = defaultdict(list)
    for ln in lines:
        by_room[ln.room_id].append(ln)
    for rid, lns in by_room.items():
        if Stay.objects.filter(room_id=rid, status__in=ACTIVE_STAY).exists() or len(lns) > 2 or (
                len(lns) == 2 and not any(ln.carer_of_id for ln in lns)):
            raise Conflict(_("room %(number)s would be over capacity") % {"number": lns[0].room.number},
                           fields=[{"field": "line_ids", "message": _("room %(number)s is over capacity") % {"number": lns[0].room.number}}])
    now = clock.now()
    window = _transfer_window()
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
        for home in Stay.objects.filter(person_id__in=persons, status__in=_sources(STAY_LIFECYCLE, StayStatus.CANCELLED)).exclude(
                kind=StayKind.CENTRALIZED):
            Stay.objects.filter(pk=home.pk).update(status=StayStatus.CANCELLED, released_at=now,
                                                   release_note="upgraded to centralized quarantine")
            status_services.reason_clear(person_id=home.person_id, source=f"quarantine.stay:{home.pk}", actor=actor)
            audit.record(actor, "stay.upgrade", home, changes={"to": StayKind.CENTRALIZED,
                                                               "stay": site_stay_of[home.person_id].pk})
        PlacementRequest.objects.filter(pk__in=[ln.request_id for ln in lines],
                                        status__in=_sources(REQUEST_LIFECYCLE, RequestStatus.PLACED)).update(status=RequestStatus.PLACED,
                                                                                       updated_at=now)
        # the same people's other queued requests are served by these stays
        merged = PlacementRequest.objects.filter(person_id__in=persons, status=RequestStatus.QUEUED).update(
            status=RequestStatus.PLACED, updated_at=now)
        ProposalLine.objects.filter(pk__in=[ln.pk for ln in lines]).update(
            confirmed_at=now, confirmed_by=_user(actor))
        for prop in {ln.proposal for ln in lines}:
            if not prop.lines.filter(confirmed_at__isnull=True).exists():
                Proposal.objects.filter(pk=prop.pk).update(status=ProposalStatus.CONFIRMED)
        audit.record(actor, "proposal.confirm", lines[0].proposal,
                     changes={"lines": len(lines), "sites": sorted({ln.site_id for ln in lines}), "merged": merged})
    return {"confirmed": len(lines), "stays": [s.pk for s in stay_of_req.values()]}
