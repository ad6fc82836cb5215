"""Placement proposals: build room proposals for the queue (services.queue files and withdraws requests) and confirm them."""

import datetime as dt
import time
from collections import defaultdict
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.people.models import Person
from cordon.quarantine import rules, solver
from cordon.quarantine.enums import (
    ACTIVE_STAY,
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
    _q,
    _sources,
    _transfer_window,
    _user,
    _visible,
)
from cordon.quarantine.services.stays import _stays_create
from cordon.regions.models import Level, Region
from cordon.status import services as status_services

# --------------------------------------------------------------------------- placement proposals

class _Queued(NamedTuple):
    """A queued request as the proposal needs it (read as values: a run reads the whole queue of a district)."""
    pk: int
    person_id: int
    household_id: int | None
    region_path: str
    birth_date: dt.date | None
    pregnant: bool
    person_household_id: int | None
    building_id: int | None
    building_lon: float | None
    building_lat: float | None
    grid_lon: float | None
    grid_lat: float | None
    dependent: bool


_QUEUED_COLUMNS = ("id", "person_id", "household_id", "region_path", "person__birth_date", "person__pregnant",
                   "person__household_id", "person__household__building_id", "person__household__building__lon",
                   "person__household__building__lat", "person__grid__lon", "person__grid__lat")


def _queued(district_path: str, dependent_flags: list[str]) -> list[_Queued]:
    """The district's queued requests, locked, oldest first; dependent: any of the Person flags named by the rules."""
    fields = {f.name for f in Person._meta.get_fields()}
    flags = [f"person__{f}" for f in dependent_flags if f in fields]  # a flag Person does not have counts as not set
    n = len(_QUEUED_COLUMNS)
    return [_Queued(*row[:n], dependent=any(row[n:])) for row in (
        PlacementRequest.objects.select_for_update(of=("self",)).filter(status=RequestStatus.QUEUED)
        .filter(region_path__startswith=district_path + ".").order_by("created_at", "id")
        .values_list(*_QUEUED_COLUMNS, *flags))]


def _origin_of(r: _Queued) -> tuple[float, float] | None:
    if r.person_household_id is not None and r.building_id and r.building_lon is not None:
        return r.building_lon, r.building_lat
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
        dependent_flags = q.get("dependent_flags", ["disability"])
        queue = _queued(district_path, dependent_flags)
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
        members, origin_of, origins, origin_key = [], {}, [], {}
        req_of_person = {}
        for r in queue:
            req_of_person[r.person_id] = r
            where = _origin_of(r) or (r.grid_lon or district.lon or 0.0, r.grid_lat or district.lat or 0.0)
            key = (round(where[0], 4), round(where[1], 4), rules.district_of(r.region_path))
            if key not in origin_key:
                origin_key[key] = len(origins)
                origins.append(solver.Origin(id=len(origins), lon=key[0], lat=key[1], district=key[2]))
            origin_of[r.person_id] = origin_key[key]
            members.append(solver.Member(person_id=r.person_id, household=r.household_id,
                                         age=rules.age_on(r.birth_date, today), pregnant=r.pregnant,
                                         dependent=r.dependent))
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
                carer_req = req_of_person[u.carer_of].pk if (u.carer_of and pid != u.carer_of) else None
                lines.append(ProposalLine(proposal=proposal, request_id=req_of_person[pid].pk, site_id=sid, room_id=rid,
                                          region_path=site_path[sid], carer_of_id=carer_req,
                                          cost=result.unit_cost.get(u.key, 0), lent=result.lent.get(u.key, False)))
                proposed.append(req_of_person[pid].pk)
        ProposalLine.objects.bulk_create(lines, batch_size=1000)
        PlacementRequest.objects.filter(pk__in=proposed, status__in=_sources(REQUEST_LIFECYCLE, RequestStatus.PROPOSED)).update(
            status=RequestStatus.PROPOSED, updated_at=clock.now())
        _carers_needed(withheld, today=today)
        audit.record(actor, "proposal.build", proposal, changes={"requests": len(queue), "lines": len(lines),
                                                                 "unplaced_units": result.unplaced,
                                                                 "withheld_need_carer": [r.pk for r in withheld],
                                                                 "cost": result.cost, "optimum": result.optimum})
    return proposal


def _carers_needed(withheld: list[_Queued], *, today: dt.date) -> None:
    """A dependant with no carer in the queue stays queued (never placed alone): a task asks for a carer, naming how
    many adults of the household could be proposed as carer. One task per request while it is open (a request
    withheld again at the next run keeps its task): the adults counted in one query, the tasks filed as one batch."""
    if not withheld:
        return
    adult_born = (today.replace(year=today.year - 18, day=28) if (today.month, today.day) == (2, 29)
                  else today.replace(year=today.year - 18))
    adults_in = dict(Person.objects.filter(household_id__in={r.household_id for r in withheld if r.household_id},
                                           birth_date__lte=adult_born)
                     .values("household_id").annotate(n=Count("id")).values_list("household_id", "n"))
    deadline = clock.now() + dt.timedelta(hours=4)
    items = []
    for req in withheld:
        adults = 0
        if req.household_id:  # the household's adults but the person themself
            adults = adults_in.get(req.household_id, 0) - (req.person_household_id == req.household_id
                                                             and req.birth_date is not None
                                                             and req.birth_date <= adult_born)
        items.append({"title": _("Quarantine placement needs a carer"), "kind": "quarantine.carer_needed",
                      "region_path": req.region_path, "deadline": deadline, "owner_role": "community_worker",
                      "priority": 1, "source": f"quarantine.request:{req.pk}:carer",
                      "detail": f"request {req.pk}: a child, pregnant woman or dependent person is not placed alone; "
                      f"name a carer ({adults} adult(s) in the household could be proposed as carer)"})
    command_services.task_create_many(actor=SYSTEM, items=items)


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
    errors = [{"field": "line_ids", "row": i, "message": _("line %(line)s does not exist or was withdrawn") % {"line": lid}}
              for i, lid in enumerate(line_ids, start=1) if lid not in found]
    for i, ln in enumerate(lines, start=1):
        if not access.can(actor, "quarantine.change", ln.region_path):
            raise PermissionDenied("quarantine.change")
        if ln.confirmed_at:
            errors.append({"field": "line_ids", "row": i, "message": _("line %(line)s is confirmed already") % {"line": ln.pk}})
        elif ln.request.status != RequestStatus.PROPOSED:
            errors.append({"field": "line_ids", "row": i, "message": _("request %(request)s is %(status)s") % {
                "request": ln.request_id, "status": ln.request.get_status_display()}})
        elif ln.room.status != RoomStatus.FREE:
            errors.append({"field": "line_ids", "row": i,
                           "message": _("room %(room)s is not free (%(status)s)") % {
                               "room": ln.room.number, "status": ln.room.get_status_display()}})
        elif ln.site.status != SiteStatus.OPEN:
            errors.append({"field": "line_ids", "row": i, "message": _("site %(site)s is not open") % {"site": ln.site.name}})
    if errors:
        raise ServiceError(_("%(len_errors)s lines cannot be confirmed: %(message)s") % {"len_errors": len(errors), "message": errors[0]['message']}, fields=errors)
    persons = [ln.request.person_id for ln in lines]
    twice = sorted({p for p in persons if persons.count(p) > 1})
    if twice:
        raise Conflict(_("%(len_twice)s people are on two lines") % {"len_twice": len(twice)}, fields=[
            {"field": "line_ids", "message": _("person %(person)s is on two lines") % {"person": pid}} for pid in twice])
    placed = set(Stay.objects.filter(person_id__in=persons, status__in=ACTIVE_STAY, kind=StayKind.CENTRALIZED)
                 .values_list("person_id", flat=True))
    if placed:
        raise Conflict(_("%(len_placed)s of these people are placed already") % {"len_placed": len(placed)}, fields=[
            {"field": "line_ids", "message": _("person %(person)s is placed already") % {"person": pid}} for pid in sorted(placed)])
    by_room = defaultdict(list)
    for ln in lines:
        by_room[ln.room_id].append(ln)
    busy = set(Stay.objects.filter(room_id__in=list(by_room), status__in=ACTIVE_STAY).values_list("room_id", flat=True))
    for rid, lns in by_room.items():
        if rid in busy or len(lns) > 2 or (
                len(lns) == 2 and not any(ln.carer_of_id for ln in lns)):
            raise Conflict(_("room %(number)s would be over capacity") % {"number": lns[0].room.number},
                           fields=[{"field": "line_ids", "message": _("room %(number)s is over capacity") % {"number": lns[0].room.number}}])
    now = clock.now()
    window = _transfer_window()
    with transaction.atomic():
        ordered = sorted(lines, key=lambda x: x.carer_of_id is not None)
        stays = _stays_create(actor=actor, specs=[{
            "person": ln.request.person, "kind": StayKind.CENTRALIZED, "request": ln.request, "site": ln.site,
            "room": ln.room, "category": ln.request.category, "start": max(ln.request.start, clock.today()),
            "planned_end": ln.request.end} for ln in ordered])
        stay_of_req = {ln.request_id: stay for ln, stay in zip(ordered, stays, strict=True)}
        Transfer.objects.bulk_create([
            Transfer(stay=stay, region_path=ln.site.region_path, direction=TransferDirection.IN,
                     pickup_address=ln.request.person.household.address if ln.request.person.household else "",
                     destination=ln.site.address, window_start=now, window_end=now + window)
            for ln, stay in zip(ordered, stays, strict=True)], batch_size=500)
        carers = []
        for ln in lines:
            if ln.carer_of_id and ln.carer_of_id in stay_of_req:
                stay_of_req[ln.request_id].carer_of = stay_of_req[ln.carer_of_id]
                carers.append(stay_of_req[ln.request_id])
        Stay.objects.bulk_update(carers, ["carer_of"], batch_size=500)
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
