"""Reads for centralized quarantine: sites, rooms, the queue, proposals, stays, tests, transfers, dashboards."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from cordon.cases.models import Case
from cordon.contacts.models import RiskPerson
from cordon.core import access, audit, clock, pii, policy
from cordon.quarantine import rules
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    RESERVE_STATUSES,
    ProposalStatus,
    RequestStatus,
    RoomStatus,
    SiteStatus,
    StayKind,
    StayStatus,
    TestResult,
    TransferStatus,
)
from cordon.quarantine.filters import (
    ProposalFilter,
    RequestFilter,
    SiteFilter,
    StayFilter,
    TestDueFilter,
    TransferFilter,
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
from cordon.surveillance import selectors as surveillance_selectors


def _under(qs, path: str | None, field: str = "region_path"):
    if not path:
        return qs
    return qs.filter(Q(**{field: path}) | Q(**{f"{field}__startswith": path + "."}))


def _given(filters: Mapping | None, name: str) -> bool:
    return bool((filters or {}).get(name))


# the sites whose rooms count in the room figures (pages, API, dashboard, reports, bulletins): one definition
SITES_IN_USE = (SiteStatus.OPEN, SiteStatus.FULL, SiteStatus.READYING)


def site_list(*, actor, filters: Mapping | None = None) -> QuerySet[Site]:
    """Sites in the actor's jurisdiction with room counts, filtered by SiteFilter (status, region, q)."""
    qs = SiteFilter.apply(filters, Site.objects.visible_to(actor, "view").select_related("region"))
    return qs.annotate(
        rooms_total=Count("rooms", distinct=True),
        # free as room_figures counts it: a free room of an open site (a readying or full site's rooms are not free)
        rooms_free=Count("rooms", filter=Q(rooms__status=RoomStatus.FREE, status=SiteStatus.OPEN), distinct=True),
        rooms_occupied=Count("rooms", filter=Q(rooms__status=RoomStatus.OCCUPIED), distinct=True),
        rooms_disinfection=Count("rooms", filter=Q(rooms__status=RoomStatus.DISINFECTION), distinct=True),
    ).order_by("region_path", "name")


def site_get(*, actor, pk: int, action: str = "view") -> Site:
    """One site, 404 outside the actor's area."""
    return access.get_for(actor, Site.objects.select_related("region", "manager"), action, pk=pk)


def room_list(*, actor, site: Site) -> QuerySet[Room]:
    """The rooms of a site with who is in them."""
    return Room.objects.visible_to(actor, "view").filter(site=site).order_by("floor", "position")


def room_get(*, actor, pk: int, action: str = "view") -> Room:
    """One room, 404 outside the actor's area."""
    return access.get_for(actor, Room.objects.select_related("site"), action, pk=pk)


def request_list(*, actor, filters: Mapping | None = None) -> QuerySet[PlacementRequest]:
    """The placement queue (open requests unless a status is given), filtered by RequestFilter (status, region, category)."""
    qs = RequestFilter.apply(filters, PlacementRequest.objects.visible_to(actor, "view").select_related("person", "household"))
    if not _given(filters, "status"):
        qs = qs.filter(status__in=[RequestStatus.QUEUED, RequestStatus.PROPOSED])
    return qs.order_by("created_at", "id")


def request_get(*, actor, pk: int, action: str = "view") -> PlacementRequest:
    """One placement request, 404 outside the actor's area."""
    return access.get_for(actor, PlacementRequest.objects.select_related("person"), action, pk=pk)


def queue_by_district(*, actor) -> list[dict]:
    """Queued requests per district, for the build-proposal buttons."""
    qs = PlacementRequest.objects.visible_to(actor, "view").filter(status=RequestStatus.QUEUED)
    counts = defaultdict(int)
    for path in qs.values_list("region_path", flat=True):
        counts[rules.district_of(path)] += 1
    names = dict(Region.objects.filter(path__in=list(counts)).values_list("path", "name"))
    return [{"path": p, "name": names.get(p, p), "queued": n,
             "can_build": access.can(actor, "quarantine.change", p)} for p, n in sorted(counts.items())]


def proposal_list(*, actor, filters: Mapping | None = None) -> QuerySet[Proposal]:
    """Proposals of the districts in the actor's jurisdiction, filtered by ProposalFilter (status)."""
    qs = ProposalFilter.apply(filters, Proposal.objects.visible_to(actor, "view"))
    return qs.annotate(line_count=Count("lines"), open_lines=Count("lines", filter=Q(lines__confirmed_at__isnull=True))
                       ).order_by("-created_at")


def proposal_get(*, actor, pk: int, action: str = "view") -> Proposal:
    """One proposal, 404 outside the actor's area."""
    return access.get_for(actor, Proposal.objects.all(), action, pk=pk)


def proposal_lines(*, actor, proposal: Proposal | None = None, open_only: bool = False) -> QuerySet[ProposalLine]:
    """Proposal lines in the actor's sites (the site manager's review list)."""
    qs = ProposalLine.objects.visible_to(actor, "view").select_related("request__person", "room", "site", "proposal")
    if proposal is not None:
        qs = qs.filter(proposal=proposal)
    if open_only:
        qs = qs.filter(confirmed_at__isnull=True, proposal__status=ProposalStatus.OPEN)
    return qs.order_by("site_id", "room__floor", "room__position", "id")


def stay_list(*, actor, filters: Mapping | None = None) -> QuerySet[Stay]:
    """Stays (active unless a status is given), filtered by StayFilter (kind, status, site, region)."""
    qs = StayFilter.apply(filters, Stay.objects.visible_to(actor, "view").select_related("person", "site", "room",
                                                                                       "community_worker"))
    if not _given(filters, "status"):
        qs = qs.filter(status__in=ACTIVE_STAY)
    return qs.order_by("site_id", "room__floor", "room__position", "id")


def stay_get(*, actor, pk: int, action: str = "view") -> Stay:
    """One stay, 404 outside the actor's area."""
    return access.get_for(actor, Stay.objects.select_related("person", "person__household", "site", "room",
                                                              "community_worker"), action, pk=pk)


def stay_by_token(*, token: str) -> Stay | None:
    """The active stay of a tokenised self-report link (no login; shows no personal data)."""
    return Stay.objects.filter(monitor_token=token, status=StayStatus.IN).select_related("site").first()


def readings_of(*, actor, stay: Stay) -> QuerySet[Reading]:
    """Monitoring entries of a stay, newest first."""
    return Reading.objects.visible_to(actor, "view").filter(stay=stay).order_by("-at")


def overdue_monitoring(*, actor, now: dt.datetime | None = None) -> QuerySet[Stay]:
    """People in quarantine without a reading for longer than the rule allows."""
    now = now or clock.now()
    hours = policy.in_force(now).get("quarantine.missed_monitoring_alert_hours", 14)
    cutoff = now - dt.timedelta(hours=hours)
    return (Stay.objects.visible_to(actor, "view").filter(status=StayStatus.IN, checked_in_at__lt=cutoff)
            .exclude(last_monitored_at__gte=cutoff).select_related("person", "site", "room").order_by("last_monitored_at"))


def tests_due(*, actor, on: dt.date | None = None, filters: Mapping | None = None) -> QuerySet[ScheduledTest]:
    """Scheduled tests due on or before a day (`on`, or the filter's, or today) without a result that counts (none
    yet, or only an early one), filtered by TestDueFilter (on, site)."""
    filters = {**(filters or {}), **({"on": on} if on else {})}
    qs = (ScheduledTest.objects.visible_to(actor, "view")
          .filter(Q(result__in=[TestResult.PENDING, TestResult.SAMPLED]) | Q(early=True, result=TestResult.NEGATIVE),
                  stay__status__in=ACTIVE_STAY)
          .select_related("stay__person", "stay__site", "stay__room"))
    qs = TestDueFilter.apply(filters, qs)
    if not _given(filters, "on"):
        qs = qs.filter(due__lte=clock.today())
    return qs.order_by("due", "stay__site_id", "stay__room__floor", "stay__room__position")


def test_get(*, actor, pk: int, action: str = "view") -> ScheduledTest:
    """One scheduled test, 404 outside the actor's area."""
    return access.get_for(actor, ScheduledTest.objects.select_related("stay", "stay__site", "stay__room"), action, pk=pk)


def transfer_list(*, actor, filters: Mapping | None = None) -> QuerySet[Transfer]:
    """Transfers (open unless a status is given), filtered by TransferFilter (status, direction)."""
    qs = TransferFilter.apply(filters, Transfer.objects.visible_to(actor, "view").select_related(
        "stay__person", "stay__site", "stay__room"))
    if not _given(filters, "status"):
        qs = qs.exclude(status__in=[TransferStatus.ARRIVED, TransferStatus.CANCELLED])
    return qs.order_by("window_start", "id")


def transfer_addresses(transfers, *, actor) -> dict[int, tuple[str, str]]:
    """{transfer id: (pickup, destination)} as shown: masked unless the actor may unmask where the person lives.

    The unmasked ones are audited, one entry for the lot (ids and fields, never the addresses).
    """
    out, shown = {}, []
    for t in transfers:
        if access.can_unmask(actor, t.stay.person.region_path):
            shown.append(t.pk)
            out[t.pk] = (t.pickup_address, t.destination)
        else:
            out[t.pk] = (pii.mask_address(t.pickup_address), pii.mask_address(t.destination))
    if shown:
        audit.record(actor, "address.unmask", object_type="quarantine.transfer", object_id=",".join(map(str, shown[:20])),
                     changes={"transfers": shown, "fields": ["pickup_address", "destination"]})
    return out


def transfer_get(*, actor, pk: int, action: str = "view") -> Transfer:
    """One transfer, 404 outside the actor's area."""
    return access.get_for(actor, Transfer.objects.select_related("stay"), action, pk=pk)


def _districts(actor) -> list[Region]:
    paths = access.areas(actor, "quarantine.view")
    qs = Region.objects.filter(level=Level.DISTRICT).order_by("path")
    if "" in paths:
        return list(qs)
    return [d for d in qs if any(d.path == a or d.path.startswith(a + ".") or a.startswith(d.path + ".") for a in paths)]


def reserves(*, actor, on: dt.date | None = None) -> list[dict]:
    """Per district: population, reserve target (rooms per 10,000 residents), rooms held, free rooms and the gap."""
    on = on or clock.today()
    per_10k = policy.in_force(on).get("quarantine.reserve_rooms_per_10k", 20)
    rooms = (Room.objects.visible_to(actor, "view").filter(site__status__in=RESERVE_STATUSES)
             .exclude(status=RoomStatus.OUT).values_list("region_path", "status"))
    held, free = defaultdict(int), defaultdict(int)
    for path, status in rooms:
        d = rules.district_of(path)
        held[d] += 1
        if status == RoomStatus.FREE:
            free[d] += 1
    sites = defaultdict(int)
    for path in Site.objects.visible_to(actor, "view").values_list("region_path", flat=True):
        sites[rules.district_of(path)] += 1
    out = []
    for d in _districts(actor):
        target = rules.reserve_target(d.population, per_10k)
        out.append({"path": d.path, "name": d.name, "population": d.population, "target": target, "sites": sites[d.path],
                    "rooms": held[d.path], "free": free[d.path], "gap": max(0, target - held[d.path]),
                    "per_10k": per_10k})
    return out


def occupancy(*, actor) -> dict:
    """Occupancy per site and per district of the sites in use (open, full and readying), summing to room_figures."""
    sites = list(site_list(actor=actor).filter(status__in=SITES_IN_USE))
    per_district = defaultdict(lambda: {"rooms": 0, "occupied": 0, "free": 0})
    for s in sites:
        d = per_district[s.district_path]
        d["rooms"] += s.rooms_total
        d["occupied"] += s.rooms_occupied
        d["free"] += s.rooms_free
    names = dict(Region.objects.filter(path__in=list(per_district)).values_list("path", "name"))
    return {
        "sites": [{"id": s.pk, "name": s.name, "status": s.status, "rooms": s.rooms_total, "occupied": s.rooms_occupied,
                   "free": s.rooms_free, "rate": round(100 * s.rooms_occupied / s.rooms_total) if s.rooms_total else 0}
                  for s in sites],
        "districts": [{"path": p, "name": names.get(p, p), **v,
                       "rate": round(100 * v["occupied"] / v["rooms"]) if v["rooms"] else 0}
                      for p, v in sorted(per_district.items())],
    }


def flows_per_day(*, actor, days: int = 14, today: dt.date | None = None) -> list[dict]:
    """Arrivals (check-ins) and releases per day over the last days."""
    today = today or clock.today()
    start = today - dt.timedelta(days=days - 1)
    qs = Stay.objects.visible_to(actor, "view").filter(kind=StayKind.CENTRALIZED)
    since = clock.aware(dt.datetime.combine(start, dt.time()))
    arrivals = dict(qs.filter(checked_in_at__gte=since).annotate(d=TruncDate("checked_in_at")).values("d")
                    .annotate(n=Count("id")).values_list("d", "n"))
    releases = dict(qs.filter(released_at__gte=since, status=StayStatus.RELEASED).annotate(d=TruncDate("released_at"))
                    .values("d").annotate(n=Count("id")).values_list("d", "n"))
    return [{"day": start + dt.timedelta(days=k), "arrivals": arrivals.get(start + dt.timedelta(days=k), 0),
             "releases": releases.get(start + dt.timedelta(days=k), 0)} for k in range(days)]


def capacity_forecast(*, actor, today: dt.date | None = None) -> list[dict]:
    """Per district: rooms needed over the next days (requests trend, or cases trend x contacts per case) vs free rooms."""
    today = today or clock.today()
    rs = policy.in_force(today)
    q = rs.section("quarantine")
    days, hist = q.get("forecast_days", 7), q.get("forecast_history_days", 14)
    start = today - dt.timedelta(days=hist - 1)
    since = clock.aware(dt.datetime.combine(start, dt.time()))
    stay_days = 5
    phase, _next = rules.phase_of(rs.section("measures"), "close_contact", "centralized")
    if phase:
        stay_days = phase.get("days", stay_days)
    reqs = defaultdict(lambda: [0] * hist)
    for path, created in (PlacementRequest.objects.visible_to(actor, "view").filter(created_at__gte=since)
                          .exclude(status=RequestStatus.CANCELLED).values_list("region_path", "created_at")):
        k = (clock.day_of(created) - start).days
        if 0 <= k < hist:
            reqs[rules.district_of(path)][k] += 1
    active = defaultdict(list)
    for path, end in (Stay.objects.visible_to(actor, "view").filter(kind=StayKind.CENTRALIZED, status__in=ACTIVE_STAY)
                      .values_list("request__region_path", "planned_end")):
        if path:
            active[rules.district_of(path)].append(end)
    queued = defaultdict(int)
    for path in (PlacementRequest.objects.visible_to(actor, "view")
                 .filter(status__in=[RequestStatus.QUEUED, RequestStatus.PROPOSED]).values_list("region_path", flat=True)):
        queued[rules.district_of(path)] += 1
    reserve = {r["path"]: r for r in reserves(actor=actor, on=today)}
    districts = _districts(actor)
    # one query each for every district (not three per district): recent cases, cases to date, Rt forecasts
    recent = _recent_cases_by_district(actor, since, hist, start)
    to_date = _cases_by_district()
    forecasts = surveillance_selectors.forecast_contacts_many([d.path for d in districts], days=days)
    out = []
    for d in districts:
        counts = reqs[d.path]
        arrivals = rules.forecast_arrivals(counts, days)
        basis = "requests"
        by_cases = recent.get(d.path)
        if by_cases is not None:
            case_counts, ratio = by_cases
            case_arrivals = [a * ratio for a in rules.forecast_arrivals(case_counts, days)]
            if sum(case_arrivals) > sum(arrivals):
                arrivals, basis = case_arrivals, "cases"
        # The surveillance forecast (renewal equation over the Rt posterior) projects new close contacts.
        projected = forecasts.get(d.path)
        if projected is not None and sum(projected) > sum(arrivals):
            arrivals, basis = list(projected), "rt_forecast"
        # Nobody enters a site twice in the horizon: arrivals are capped by the residents not yet a case nor in a site.
        eligible = max(0, d.population - len(active[d.path]) - to_date[d.path]) if d.population else None
        arrivals = rules.cap_arrivals(arrivals, eligible=eligible)
        needed = rules.rooms_needed(occupied_until=active[d.path], arrivals=arrivals, stay_days=stay_days, today=today)
        peak = max(needed) if needed else 0
        new_rooms = round(sum(arrivals)) + queued[d.path]
        free = reserve.get(d.path, {}).get("free", 0)
        out.append({"path": d.path, "name": d.name, "history": counts, "arrivals": [round(a, 1) for a in arrivals],
                    "needed": needed, "peak": peak, "queued": queued[d.path], "new_rooms": new_rooms, "free": free,
                    "basis": basis, "eligible": eligible, "warning": free < new_rooms})
    return out


def _cases_by_district() -> defaultdict[str, int]:
    """Cases ever confirmed per district path (an aggregate for the eligibility cap, no personal data)."""
    out = defaultdict(int)
    for path, n in Case.objects.order_by().values("region_path").annotate(n=Count("id")).values_list("region_path", "n"):
        out[rules.district_of(path)] += n
    return out


def _recent_cases_by_district(actor, since, hist: int, start: dt.date) -> dict[str, tuple[list[int], float]]:
    """Per district path with cases confirmed since `since`: (cases per day from `start`, close contacts per case)."""
    cases = Case.objects.visible_to(actor, "view").filter(confirmed_at__gte=since)
    n, counts = defaultdict(int), defaultdict(lambda: [0] * hist)
    for path, at in cases.order_by().values_list("region_path", "confirmed_at"):
        district = rules.district_of(path)
        n[district] += 1
        k = (clock.day_of(at) - start).days
        if 0 <= k < hist:
            counts[district][k] += 1
    contacts = defaultdict(int)
    for path, c in (RiskPerson.objects.visible_to(actor, "view").filter(category="close_contact", source_case__in=cases)
                    .order_by().values("source_case__region_path").annotate(c=Count("id"))
                    .values_list("source_case__region_path", "c")):
        contacts[rules.district_of(path)] += c
    return {district: (counts[district], contacts[district] / k) for district, k in n.items()}


def people_in_sites() -> dict[str, int]:
    """People in or expected at a centralized site per district path (by their request's region): what the
    surveillance forecast subtracts from the residents who may still enter a site (an aggregate, no personal data)."""
    return {d.path: Stay.objects.filter(request__region_path__startswith=d.path, kind=StayKind.CENTRALIZED,
                                        status__in=ACTIVE_STAY).count()
            for d in Region.objects.filter(level=Level.DISTRICT)}


def people_in_measures(*, actor=None, region_path: str | None = None, cut_off: dt.datetime | None = None) -> dict:
    """The one definition of "how many people are in quarantine" (dashboard, command metrics, daily report,
    bulletins and the sim invariant all read it):

    - centralized / home_isolation / home_monitoring: distinct people with a stay of that kind whose status is
      `in` (checked in at or before the cut-off and not released, moved or cancelled by then); a stay's
      region is its site's (centralized) or the person's (home);
    - awaiting_site: distinct people due for a site but not in one: an open queued/proposed request or an
      expected (not yet checked-in) centralized stay at the cut-off.
    A measure plan in its centralized phase is not a person in a site. Without an actor the count is unscoped
    (the snapshot job); with one, only what the actor may view. Without a cut-off, now."""
    base = Stay.objects.visible_to(actor, "view") if actor is not None else Stay.objects.all()
    base = _under(base, region_path)
    if cut_off is None or cut_off >= clock.now():
        inside = base.filter(status=StayStatus.IN)
    else:
        inside = base.filter(checked_in_at__isnull=False, checked_in_at__lte=cut_off).exclude(
            status=StayStatus.EXPECTED).filter(Q(released_at__isnull=True) | Q(released_at__gt=cut_off))
    counts = {row["kind"]: row["n"] for row in inside.values("kind").annotate(n=Count("person_id", distinct=True))}
    in_site = inside.filter(kind=StayKind.CENTRALIZED).values("person_id")
    reqs = PlacementRequest.objects.visible_to(actor, "view") if actor is not None else PlacementRequest.objects.all()
    reqs = _under(reqs, region_path).filter(status__in=[RequestStatus.QUEUED, RequestStatus.PROPOSED])
    expected = base.filter(status=StayStatus.EXPECTED, kind=StayKind.CENTRALIZED)
    if cut_off is not None:
        reqs = reqs.filter(created_at__lte=cut_off)
        expected = expected.filter(created_at__lte=cut_off)
    waiting = (set(reqs.exclude(person_id__in=in_site).values_list("person_id", flat=True))
               | set(expected.exclude(person_id__in=in_site).values_list("person_id", flat=True)))
    return {"centralized": counts.get(StayKind.CENTRALIZED, 0), "home_isolation": counts.get(StayKind.HOME_ISOLATION, 0),
            "home_monitoring": counts.get(StayKind.HOME_MONITORING, 0), "awaiting_site": len(waiting)}


def room_figures(*, actor=None, region_path: str | None = None) -> dict:
    """The one definition of room figures (dashboard, command metrics, daily report, bulletins, sim invariant):
    rooms of sites in use (open, full, readying), how many occupied, and free = rooms one can place someone in
    now (status free in an open site); rooms in disinfection or out of service, and free rooms of a site not
    open, are neither occupied nor free. Rooms keep no status history: the state when asked."""
    qs = Room.objects.visible_to(actor, "view") if actor is not None else Room.objects.all()
    agg = _under(qs, region_path).filter(
        site__status__in=SITES_IN_USE).aggregate(
        rooms=Count("id"), occupied=Count("id", filter=Q(status=RoomStatus.OCCUPIED)),
        free=Count("id", filter=Q(status=RoomStatus.FREE, site__status=SiteStatus.OPEN)))
    return {"rooms": agg["rooms"], "occupied": agg["occupied"], "free": agg["free"]}


def dashboard_figures(*, actor) -> dict:
    """Headline figures: people in sites and at home (people_in_measures), people waiting for a site, free rooms,
    overdue monitoring, open proposal lines."""
    people = people_in_measures(actor=actor)
    return {
        "in_sites": people["centralized"],
        "at_home": people["home_isolation"] + people["home_monitoring"],
        "awaiting_site": people["awaiting_site"],
        "free": room_figures(actor=actor)["free"],
        "overdue": overdue_monitoring(actor=actor).count(),
        "queued": PlacementRequest.objects.visible_to(actor, "view").filter(status=RequestStatus.QUEUED).count(),
        "to_confirm": proposal_lines(actor=actor, open_only=True).count(),
    }
