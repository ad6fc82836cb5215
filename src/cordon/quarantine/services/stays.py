"""Stays and transfers: creation with their scheduled tests, check-in, home measures, extension, release, hospital."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from cordon.accounts.models import Post
from cordon.command import services as command_services
from cordon.core import access, audit, clock, policy
from cordon.core.errors import Conflict, ServiceError
from cordon.core.ids import new_token
from cordon.people.models import Person
from cordon.quarantine import rules
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    CATEGORIES,
    OPEN_REQUEST,
    REQUEST_LIFECYCLE,
    STAY_LIFECYCLE,
    TRANSFER_LIFECYCLE,
    TRANSFER_NEXT,
    RequestStatus,
    RoomStatus,
    StayKind,
    StayStatus,
    TestResult,
    TransferDirection,
    TransferStatus,
)
from cordon.quarantine.models import (
    PlacementRequest,
    Room,
    ScheduledTest,
    Stay,
    Transfer,
)
from cordon.quarantine.services.common import (
    MISSED_TEST_SOURCE,
    SYSTEM,
    _drop_proposal_lines,
    _q,
    _sources,
    _step,
    _transfer_window,
    _visible,
    _when,
)
from cordon.status import services as status_services


def _stay_create(*, actor, person: Person, kind: str, request=None, site=None, room=None, category: str = "",
                 start: dt.date, planned_end: dt.date, previous=None, community_worker=None) -> Stay:
    return _stays_create(actor=actor, specs=[{
        "person": person, "kind": kind, "request": request, "site": site, "room": room, "category": category,
        "start": start, "planned_end": planned_end, "previous": previous, "community_worker": community_worker}])[0]


def _stays_create(*, actor, specs: list[dict], reasons: bool = True) -> list[Stay]:
    """Stays (dicts of _stay_create's keywords) with their scheduled tests under the rule set of their start: one
    insert of the stays, one of their tests, the status reasons of home stays set in bulk, one audit entry (a single
    stay: its own stay.create entry)."""
    if not specs:
        return []
    now = clock.now()
    stays, phases = [], []
    for sp in specs:
        person, site, kind = sp["person"], sp.get("site"), sp["kind"]
        rs = policy.in_force(sp["start"])
        phases.append(rules.phase_of(rs.section("measures"), sp.get("category", ""), kind)[0])
        stays.append(Stay(person=person, kind=kind, request=sp.get("request"), site=site, room=sp.get("room"),
                          category=sp.get("category", ""), start=sp["start"], planned_end=sp["planned_end"],
                          region_path=site.region_path if site else person.region_path, previous=sp.get("previous"),
                          community_worker=sp.get("community_worker"), monitor_token=new_token(16), ruleset=rs.code,
                          status=StayStatus.EXPECTED if kind == StayKind.CENTRALIZED else StayStatus.IN,
                          checked_in_at=None if kind == StayKind.CENTRALIZED else now))
    Stay.objects.bulk_create(stays, batch_size=500)
    ScheduledTest.objects.bulk_create([
        ScheduledTest(stay=stay, region_path=stay.region_path, day=d, due=date)
        for stay, phase in zip(stays, phases, strict=True)
        for d, date in rules.test_dates(stay.start, rules.test_days(phase, (stay.planned_end - stay.start).days + 1))],
        batch_size=1000)
    if reasons:  # else the caller sets them with its own (a release: with the ones it clears)
        _reasons_on([stay for stay in stays if stay.kind != StayKind.CENTRALIZED], actor)
    if len(stays) == 1:
        stay = stays[0]
        audit.record(actor, "stay.create", stay, changes={"person": stay.person_id, "kind": stay.kind, "start": stay.start,
                                                          "planned_end": stay.planned_end, "room": stay.room_id})
        return stays
    ids = [stay.pk for stay in stays]
    kinds: dict[str, int] = {}
    for stay in stays:
        kinds[stay.kind] = kinds.get(stay.kind, 0) + 1
    audit.record(actor, "stay.create_bulk", object_type="quarantine.stay", object_id=",".join(map(str, ids[:20])),
                 region_path=audit.batch_path([stay.region_path for stay in stays]),
                 changes={"count": len(ids), "kinds": kinds, "ids": ids,
                          "rows": [[s.pk, s.person_id, s.start, s.planned_end, s.room_id] for s in stays]})
    return stays


def _reason_of(stay: Stay) -> tuple[str, dt.datetime, dt.datetime]:
    """The status reason a stay in force sets: (reason, since, until)."""
    reason = {StayKind.CENTRALIZED: "centralized_quarantine", StayKind.HOME_ISOLATION: "home_isolation",
              StayKind.HOME_MONITORING: "home_monitoring"}[stay.kind]
    until = clock.aware(dt.datetime.combine(stay.planned_end + dt.timedelta(days=1), dt.time()))
    return reason, stay.checked_in_at or clock.now(), until


def _reason_on(stay: Stay, actor) -> None:
    reason, since, until = _reason_of(stay)
    status_services.reason_set(person_id=stay.person_id, reason=reason, source=f"quarantine.stay:{stay.pk}",
                               since=since, until=until, actor=actor)



def _reasons_on(stays: list[Stay], actor) -> None:
    """The status reasons of stays in force (each its kind's, until the day after its planned end), colours in bulk."""
    if stays:
        status_services.reasons_apply_many(items=[(s.person_id, f"quarantine.stay:{s.pk}", [_reason_of(s)], [])
                                                  for s in stays], actor=actor)


def _stay_extend(*, actor, stay: Stay, end: dt.date) -> None:
    """A stay runs to a later end: a test is scheduled on its new last day, the status reason follows."""
    _stays_extend(actor=actor, moves=[(stay, end)])


def _stays_extend(*, actor, moves: list[tuple[Stay, dt.date]]) -> None:
    """Stays run to later ends, in order (a stay named twice takes each end in turn): a test is scheduled on each new
    last day, the status reasons of stays in force follow (colours in bulk), and carers stay as long as the person
    they care for. A few queries for the batch (one more per level of carers), whatever its size."""
    if not moves:
        return
    changed: dict[int, Stay] = {s.pk: s for s, _end in moves}
    days: list[tuple[Stay, int, dt.date]] = []
    level = moves
    while level:
        for stay, end in level:
            stay.planned_end = end
            changed[stay.pk] = stay
            days.append((stay, (end - stay.start).days + 1, end))
        carers: dict[int, list[Stay]] = defaultdict(list)
        for carer in Stay.objects.filter(carer_of_id__in={s.pk for s, _end in level}, status__in=ACTIVE_STAY).order_by("pk"):
            carers[carer.carer_of_id].append(changed.get(carer.pk, carer))
        # the carer stays as long as the person they care for
        level = [(carer, end) for stay, end in level for carer in carers[stay.pk] if carer.planned_end < end]
    Stay.objects.bulk_update(list(changed.values()), ["planned_end"], batch_size=500)
    have = set(ScheduledTest.objects.filter(stay_id__in=list(changed)).values_list("stay_id", "day"))
    new = []
    for stay, day, due in days:
        if (stay.pk, day) not in have:
            have.add((stay.pk, day))
            new.append(ScheduledTest(stay=stay, region_path=stay.region_path, day=day, due=due))
    ScheduledTest.objects.bulk_create(new, batch_size=500)
    inside = [s for s in changed.values() if s.status == StayStatus.IN]
    _reasons_on(inside, actor)


def _carer_follows(stay: Stay, actor) -> None:
    """A carer's stay runs at least as long as the stay of the person they care for (never a child left alone)."""
    cared = Stay.objects.filter(pk=stay.carer_of_id, status__in=ACTIVE_STAY).only("planned_end").first()
    if cared is not None and cared.planned_end > stay.planned_end:
        audit.record(actor, "stay.extend", stay, changes={"planned_end": {"from": stay.planned_end, "to": cared.planned_end},
                                                          "why": "carer", "carer_of": cared.pk})
        _stay_extend(actor=actor, stay=stay, end=cared.planned_end)


def stay_check_in(*, actor, stay: Stay, at: dt.datetime | None = None) -> Stay:
    """The person arrives at the site: the stay starts, the status reason centralized_quarantine is set."""
    access.require(actor, "quarantine.change", stay.region_path)
    _step(STAY_LIFECYCLE, stay.status, StayStatus.IN)
    with transaction.atomic():
        if stay.carer_of_id:
            _carer_follows(stay, actor)
        stay.status = StayStatus.IN
        stay.checked_in_at = at or clock.now()
        stay.save(update_fields=["status", "checked_in_at"])
        _reason_on(stay, actor)
        audit.record(actor, "stay.check_in", stay)
    return stay


def stays_check_in_many(*, actor, stays: list[Stay], at: dt.datetime | None = None) -> list[Stay]:
    """stay_check_in for many arrivals at once (a bus at the site, a placement run): the same checks, carers
    following their child's end, the same status reasons (set a chunk at a time, colours recomputed in bulk) and one
    stay.check_in audit entry for the batch. All or nothing: a stay that may not check in refuses the batch."""
    for stay in stays:
        access.require(actor, "quarantine.change", stay.region_path)
        _step(STAY_LIFECYCLE, stay.status, StayStatus.IN)
    if not stays:
        return []
    now = at or clock.now()
    with transaction.atomic():
        for stay in stays:
            if stay.carer_of_id:
                _carer_follows(stay, actor)
            stay.status, stay.checked_in_at = StayStatus.IN, now
        Stay.objects.bulk_update(stays, ["status", "checked_in_at"], batch_size=500)
        _reasons_on(stays, actor)
        ids = [s.pk for s in stays]
        audit.record(actor, "stay.check_in", object_type="quarantine.stay", object_id=",".join(map(str, ids[:20])),
                     region_path=stays[0].region_path, changes={"count": len(ids), "ids": ids, "at": now})
    return stays


def home_stay_start(*, actor, person_id: int, kind: str, start: dt.date, end: dt.date, community_worker_id: int | None,
                    category: str = "", request_id: int | None = None) -> Stay:
    """Home isolation (needs a separate room with its own bathroom) or home health monitoring, with a named worker."""
    if kind not in (StayKind.HOME_ISOLATION, StayKind.HOME_MONITORING):
        raise ServiceError.field("kind", _("must be home_isolation or home_monitoring"))
    person = _visible(actor, Person.objects.select_related("household"), pk=person_id)
    access.require(actor, "quarantine.change", person.region_path)
    if end < start:
        raise ServiceError.field("end", _("is before start"))
    if kind == StayKind.HOME_ISOLATION and not (person.household and person.household.has_separate_room_with_bathroom):
        raise ServiceError.field("kind", _("not eligible for home isolation: the home has no separate room with its own "
                                 "bathroom; place the person in a centralized site"), code="not_eligible")
    if category and category not in CATEGORIES:
        raise ServiceError.field("category", _("unknown category"))
    worker = None
    if community_worker_id:
        worker = get_user_model().objects.filter(pk=community_worker_id, is_active=True).first()
        if worker is None:
            raise ServiceError.field("community_worker_id", _("no such user"))
    else:
        raise ServiceError.field("community_worker_id", _("name the community worker responsible"))
    if Stay.objects.filter(person=person, status__in=ACTIVE_STAY).exists():
        raise Conflict(_("this person already has an active quarantine stay"),
                       fields=[{"field": "person_id", "message": _("is placed already")}])
    request = None
    if request_id:
        request = PlacementRequest.objects.filter(pk=request_id, person=person, status__in=OPEN_REQUEST).first()
        if request is None:
            raise ServiceError.field("request_id", _("no open request of this person"))
        if request.status != RequestStatus.PLACED:
            _step(REQUEST_LIFECYCLE, request.status, RequestStatus.PLACED, field="request_id")
    with transaction.atomic():
        stay = _stay_create(actor=actor, person=person, kind=kind, request=request, category=category or (
            request.category if request else "manual"), start=start, planned_end=end, community_worker=worker)
        if request is not None:
            _drop_proposal_lines([request.pk])
            PlacementRequest.objects.filter(pk=request.pk, status__in=_sources(REQUEST_LIFECYCLE, RequestStatus.PLACED)).update(
                status=RequestStatus.PLACED)
    return stay


def _release_checks(stay: Stay, *, today: dt.date, tests: list | None = None) -> None:
    """Refuse a release the rules do not allow yet: a positive test, days not complete, the last test not negative.
    `tests`: the stay's tests as (due, day, early, result) rows when the caller read them already."""
    if tests is None:
        tests = list(stay.tests.values_list("due", "day", "early", "result"))
    # the last scheduled test decides; one sampled before its due day does not count (the due-day test is needed)
    last = max(tests, key=lambda t: (t[0], t[1]), default=None)
    if last is not None and (last[2] or last[3] == TestResult.PENDING):
        last = None
    if any(t[3] == TestResult.POSITIVE for t in tests):
        raise Conflict(_("a test of this stay was positive: the person goes to hospital, not home"), code="positive")
    measures = policy.in_force(stay.start).section("measures")
    problems = rules.release_problems(today=today, planned_end=stay.planned_end, last_test=last[3] if last else None,
                                      require_negative=measures.get("release_requires_last_test_negative", True))
    if problems:
        raise ServiceError("early release refused: " + "; ".join(problems), code="early_release",
                           fields=[{"field": "release", "message": p} for p in problems])


def _left_alone(stay: Stay) -> Stay | None:
    """The active stay of the child or dependent person this stay is the only active carer of (None when none)."""
    if not stay.carer_of_id:
        return None
    cared = Stay.objects.filter(pk=stay.carer_of_id, status__in=ACTIVE_STAY).select_related("person__household", "site").first()
    if cared is None or cared.carers.filter(status__in=ACTIVE_STAY).exclude(pk=stay.pk).exists():
        return None
    return cared


def _may_leave(stay: Stay, *, today: dt.date, tests: list | None = None) -> bool:
    """Would this stay pass its own release checks today?"""
    try:
        _step(STAY_LIFECYCLE, stay.status, StayStatus.RELEASED)
        _release_checks(stay, today=today, tests=tests)
    except ServiceError:
        return False
    return True


def stay_release(*, actor, stay: Stay, today: dt.date | None = None, vehicle: str = "", escort: str = "") -> Stay:
    """Release after the checks (days complete, last test negative); a site stay hands over to the next home phase.
    A family leaves together: a carer is kept while the child or dependent person they care for stays (unless that
    person may leave today too, and then both are released), and a released dependant's carers leave with them.
    The one-stay case of stays_release_many; its refusal is raised."""
    out = stays_release_many(actor=actor, stays=[stay], today=today, vehicle=vehicle, escort=escort)
    if out["refused"]:
        raise out["refused"][0][1]
    return stay


def stays_release_many(*, actor, stays: list[Stay], today: dt.date | None = None, vehicle: str = "",
                       escort: str = "") -> dict:
    """stay_release for many stays at once (the day's releases): the same checks and families, taken in order as one
    stay_release after the other would (a stay released with its family earlier in the batch is simply released). A
    refused stay is skipped and reported, {"released": [stays], "refused": [(stay, error)]}; the writes are set-based
    (stays, rooms, the next home phases and transfers in bulk, one reasons_apply_many for everyone) with one
    stay.release audit entry for the batch (a one-stay call: one per family member, as before). Out of scope: 403."""
    for stay in stays:
        access.require(actor, "quarantine.change", stay.region_path)
    if not stays:
        return {"released": [], "refused": []}
    today = today or clock.today()
    loaded, carers, tests = _release_read([s.pk for s in stays])
    families, refused, done = [], [], set()
    for given in stays:
        stay = loaded[given.pk]
        if stay.pk in done:
            continue  # released with its family a moment ago
        try:
            family = _family(stay, carers=carers, tests=tests, loaded=loaded, today=today)
        except ServiceError as exc:
            given.status = stay.status
            refused.append((given, exc))
            continue
        for member in family:
            member.status = StayStatus.RELEASED
            done.add(member.pk)
        families.append(family)
    if families:
        with transaction.atomic():
            nxt = _released_many(actor=actor, members=[m for f in families for m in f], today=today, vehicle=vehicle,
                                 escort=escort)
            _release_audit(actor, families, nxt, refused=refused, one=len(stays) == 1)
    for given in stays:
        if given.pk in done:
            given.status, given.released_at = StayStatus.RELEASED, loaded[given.pk].released_at
    return {"released": [m for f in families for m in f], "refused": refused}


def _release_read(ids: list[int]) -> tuple[dict, dict, dict]:
    """The stays as stored with their cared-for stays and active carers ({pk: Stay}, {cared pk: [carers]}) and every
    one's tests ({pk: [(due, day, early, result)]}): four queries."""
    related = ("person__household", "site", "request")
    loaded = {s.pk: s for s in Stay.objects.filter(pk__in=ids).select_related(*related)}
    cared = {s.carer_of_id for s in loaded.values() if s.carer_of_id} - set(loaded)
    loaded.update({s.pk: s for s in Stay.objects.filter(pk__in=cared, status__in=ACTIVE_STAY).select_related(*related)})
    carers: dict[int, list[Stay]] = defaultdict(list)
    for c in Stay.objects.filter(carer_of_id__in=list(loaded), status__in=ACTIVE_STAY).select_related(*related):
        carers[c.carer_of_id].append(loaded.setdefault(c.pk, c))
    tests: dict[int, list] = defaultdict(list)
    for sid, *row in ScheduledTest.objects.filter(stay_id__in=list(loaded)).values_list("stay_id", "due", "day", "early", "result"):
        tests[sid].append(row)
    return loaded, carers, tests


def _family(stay: Stay, *, carers: dict, tests: dict, loaded: dict, today: dt.date) -> list[Stay]:
    """Who leaves with this stay (itself first, the person it is the only carer of, its carers who may leave), or the
    refusal stay_release gives - from what _release_read loaded, statuses as the batch has left them."""
    _step(STAY_LIFECYCLE, stay.status, StayStatus.RELEASED)
    _release_checks(stay, today=today, tests=tests[stay.pk])
    cared = loaded.get(stay.carer_of_id) if stay.carer_of_id else None
    if cared is not None and (cared.status not in ACTIVE_STAY or any(
            c.status in ACTIVE_STAY for c in carers[cared.pk] if c.pk != stay.pk)):
        cared = None  # not alone: another carer stays with them
    if cared is not None and not _may_leave(cared, today=today, tests=tests[cared.pk]):
        why = _("kept as the carer of a child or dependent person who stays until %(end)s (stay %(pk)s): they leave "
                "together") % {"end": cared.planned_end.isoformat(), "pk": cared.pk}
        raise Conflict(_("release: %(why)s") % {"why": why}, code="carer_kept", fields=[{"field": "release", "message": why}])
    mine = sorted(carers[stay.pk], key=lambda c: (-c.start.toordinal(), c.pk))  # the stays' order (-start, id)
    return [stay] + ([cared] if cared is not None else []) + [
        c for c in mine if c.status == StayStatus.IN and _may_leave(c, today=today, tests=tests[c.pk])]


def _released_many(*, actor, members: list[Stay], today: dt.date, vehicle: str, escort: str) -> dict[int, Stay]:
    """Write the releases: stays released, their missed-reading tasks closed, emptied site rooms to disinfection, the
    next home phases and transfers home of site stays, and every status reason in one reasons_apply_many. Returns
    {released stay pk: next stay}."""
    now = clock.now()
    for m in members:
        m.status, m.released_at = StayStatus.RELEASED, now
    Stay.objects.bulk_update(members, ["status", "released_at"], batch_size=500)
    command_services.task_close_by_sources(actor=SYSTEM, sources=[f"quarantine.stay:{m.pk}:missed" for m in members])
    site = [m for m in members if m.kind == StayKind.CENTRALIZED]
    rooms = {m.room_id for m in site if m.room_id}
    if rooms:
        busy = Stay.objects.filter(room_id__in=rooms, status__in=ACTIVE_STAY).values("room_id")
        Room.objects.filter(pk__in=rooms).exclude(pk__in=busy).update(status=RoomStatus.DISINFECTION)
    workers = _community_workers([m.person.region_path for m in site])
    specs = []
    for stay in site:
        _phase, following = rules.phase_of(policy.in_force(stay.start).section("measures"), stay.category, StayKind.CENTRALIZED)
        kind = following["kind"] if following and following.get("kind") in (
            StayKind.HOME_ISOLATION, StayKind.HOME_MONITORING) else StayKind.HOME_MONITORING
        days = following["days"] if following else _q(stay.start).get("post_release_monitoring_days", 7)
        hh = stay.person.household
        if kind == StayKind.HOME_ISOLATION and not (hh and hh.has_separate_room_with_bathroom):
            kind = StayKind.HOME_MONITORING
        specs.append({"person": stay.person, "kind": kind, "request": stay.request, "category": stay.category,
                      "start": today + dt.timedelta(days=1), "planned_end": today + dt.timedelta(days=days),
                      "previous": stay, "community_worker": workers[stay.person.region_path]})
    nexts = _stays_create(actor=actor, specs=specs, reasons=False)
    window = _transfer_window()
    Transfer.objects.bulk_create([Transfer(
        stay=stay, region_path=stay.region_path, direction=TransferDirection.HOME,
        pickup_address=stay.site.address if stay.site else "",
        destination=stay.person.household.address if stay.person.household else "", vehicle=vehicle, escort=escort,
        window_start=now, window_end=now + window) for stay in site], batch_size=500)
    status_services.reasons_apply_many(actor=actor, items=[
        *[(m.person_id, f"quarantine.stay:{m.pk}", [], [_reason_of(m)[0]]) for m in members],
        *[(pid, MISSED_TEST_SOURCE, [], ["missed_test"]) for pid in {m.person_id for m in members}],
        *[(n.person_id, f"quarantine.stay:{n.pk}", [_reason_of(n)], []) for n in nexts]])
    return {stay.pk: n for stay, n in zip(site, nexts, strict=True)}


def _release_audit(actor, families: list[list[Stay]], nxt: dict[int, Stay], *, refused: list, one: bool) -> None:
    """One stay.release entry for the batch (counts, ids, next stays, refused ids); a one-stay call keeps one entry per
    family member, naming the others it left with."""
    if one:
        family = families[0]
        for member in family:
            n = nxt.get(member.pk)
            audit.record(actor, "stay.release", member, changes={
                "next": n.pk if n else None, "next_kind": n.kind if n else None,
                "together_with": [m.pk for m in family if m is not member]})
        return
    members = [m for f in families for m in f]
    ids = [m.pk for m in members]
    audit.record(actor, "stay.release", object_type="quarantine.stay", object_id=",".join(map(str, ids[:20])),
                 region_path=audit.batch_path([m.region_path for m in members]), changes={
                     "count": len(ids), "ids": ids, "next": {pk: n.pk for pk, n in nxt.items()},
                     "families": [[m.pk for m in f] for f in families if len(f) > 1],
                     "refused": len(refused), "refused_ids": [s.pk for s, _exc in refused]})


def _community_workers(grid_paths: list[str]) -> dict:
    """{grid path: the community worker posted nearest to it (None when nobody is)}: one query up every path."""
    ups = {path: [".".join(path.split(".")[:i]) for i in range(len(path.split(".")), 0, -1)] for path in set(grid_paths)}
    posts = {}
    if ups:
        for post in (Post.objects.filter(role="community_worker", region__path__in={p for up in ups.values() for p in up},
                                         active=True).select_related("user", "region").order_by("pk")):
            posts.setdefault(post.region.path, post)
    return {path: next((posts[p].user for p in up if p in posts), None) for path, up in ups.items()}


def _room_vacated(stay: Stay) -> None:
    """The stay's room goes to disinfection once nobody is left in it (a carer may still be)."""
    if stay.room_id and not Stay.objects.filter(room_id=stay.room_id, status__in=ACTIVE_STAY).exists():
        Room.objects.filter(pk=stay.room_id).update(status=RoomStatus.DISINFECTION)


def stay_to_hospital(*, actor, stay: Stay) -> Stay:
    """A positive person leaves the site for hospital; the room goes to disinfection, a transfer not yet under way is
    cancelled, and a child or dependent person they were the only carer of gets a task asking for another carer."""
    access.require(actor, "quarantine.change", stay.region_path)
    _step(STAY_LIFECYCLE, stay.status, StayStatus.TO_HOSPITAL)
    cared = _left_alone(stay)
    now = clock.now()
    with transaction.atomic():
        stay.status = StayStatus.TO_HOSPITAL
        stay.released_at = now
        stay.save(update_fields=["status", "released_at"])
        status_services.reason_clear(person_id=stay.person_id, source=f"quarantine.stay:{stay.pk}", actor=actor)
        status_services.reason_clear(person_id=stay.person_id, source=MISSED_TEST_SOURCE, actor=actor)
        _room_vacated(stay)
        cancelled = (stay.transfers.filter(status__in=_sources(TRANSFER_LIFECYCLE, TransferStatus.CANCELLED))
                     .update(status=TransferStatus.CANCELLED))
        care = _care_without(actor=actor, carer=stay, cared=cared, now=now) if cared is not None else {}
        audit.record(actor, "stay.to_hospital", stay, changes={"transfers_cancelled": cancelled,
                                                               "carer_needed_for": cared.pk if cared else None, **care})
    return stay


def _household_carer(cared: Stay) -> Stay | None:
    """An adult of the cared person's household checked in at the same site, caring for nobody and needing no care
    (the rule set's child age limit), who can move into the cared person's room at once."""
    hh = cared.person.household_id
    if hh is None or cared.site_id is None:
        return None
    today = clock.today()
    candidates = (Stay.objects.filter(site_id=cared.site_id, status=StayStatus.IN, kind=StayKind.CENTRALIZED,
                                      carer_of__isnull=True, person__household_id=hh)
                  .exclude(pk=cared.pk).exclude(carers__status__in=ACTIVE_STAY).select_related("person"))
    section = _q(cared.start)
    return next((c for c in candidates if rules.age_on(c.person.birth_date, today) >= 18
                 and not rules.needs_carer(c.person, on=today, section=section)), None)


def _care_without(*, actor, carer: Stay, cared: Stay, now: dt.datetime) -> dict:
    """The only carer of a child or dependent person went to hospital: nobody may stay alone in the room. Another
    adult of the household at the site moves in as carer; otherwise the person accompanies their carer to hospital
    (the practice for children of a confirmed parent), and the community worker gets a task either way."""
    other = _household_carer(cared)
    if other is not None:
        old_room = other.room_id
        other.room_id, other.carer_of_id = cared.room_id, cared.pk
        other.save(update_fields=["room", "carer_of"])
        if old_room and not Stay.objects.filter(room_id=old_room, status__in=ACTIVE_STAY).exists():
            Room.objects.filter(pk=old_room).update(status=RoomStatus.DISINFECTION)
        audit.record(actor, "stay.carer_replaced", cared, changes={"carer": other.pk, "previous_carer": carer.pk,
                                                                  "carer_room_from": old_room})
        detail = _("stay %(cared)s: their carer (stay %(stay)s) went to hospital; stay %(other)s of the same household "
                   "moved into the room as carer") % {"cared": cared.pk, "stay": carer.pk, "other": other.pk}
        outcome = {"new_carer": other.pk}
    else:
        cared.status, cared.released_at = StayStatus.TO_HOSPITAL, now
        cared.release_note = _("accompanies their carer (stay %(stay)s) to hospital") % {"stay": carer.pk}
        cared.save(update_fields=["status", "released_at", "release_note"])
        status_services.reason_clear(person_id=cared.person_id, source=f"quarantine.stay:{cared.pk}", actor=actor)
        _room_vacated(cared)  # the room was still theirs when the carer left: now nobody is in it
        cared.transfers.filter(status__in=_sources(TRANSFER_LIFECYCLE, TransferStatus.CANCELLED)).update(
            status=TransferStatus.CANCELLED)
        audit.record(actor, "stay.to_hospital", cared, changes={"accompanies": carer.pk})
        detail = _("stay %(cared)s: their carer (stay %(stay)s) went to hospital and no other adult of the household "
                   "is at the site: they accompany the carer; arrange their care and their measures at the "
                   "hospital") % {"cared": cared.pk, "stay": carer.pk}
        outcome = {"accompanies": cared.pk}
    command_services.task_create(
        actor=SYSTEM, title=_("Quarantine: a child or dependent person needs another carer"),
        kind="quarantine.carer_needed", region_path=cared.region_path, deadline=now + dt.timedelta(hours=4),
        owner_role="community_worker", priority=1, source=f"quarantine.stay:{cared.pk}:carer", detail=detail)
    return outcome


# --------------------------------------------------------------------------- transfers

def transfer_update(*, actor, transfer: Transfer, vehicle: str | None = None, escort: str | None = None,
                    window_start=None, window_end=None) -> Transfer:
    """Assign the vehicle, the escort and the time window of a transfer."""
    access.require(actor, "quarantine.change", transfer.region_path)
    if not TRANSFER_LIFECYCLE.allowed(transfer.status):
        raise Conflict(_("status: this transfer is finished"), fields=[{"field": "status", "message": _("this transfer is finished")}])
    ws = _when(window_start, "window_start") if window_start else transfer.window_start
    we = _when(window_end, "window_end") if window_end else transfer.window_end
    if we <= ws:
        raise ServiceError.field("window_end", _("must be after the window start"))
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
    _step(TRANSFER_LIFECYCLE, transfer.status, nxt or TransferStatus.ARRIVED)  # a finished one: refused, named final
    if nxt == TransferStatus.DISPATCHED and not transfer.vehicle:
        raise ServiceError.field("vehicle", _("assign a vehicle before dispatching"))
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


