"""Writes for zones: designate (by picked units or a polygon), confirm, evaluate, lift (or lower),
cancel, escalate or restart on a new positive, propose on a confirmed case, assign workers.

Every change is audited and kept as a ZoneEvent. Lifting re-checks every criterion of the zone's
rule set and refuses naming each one that does not hold.
"""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, Max, Q, Sum

from cordon.accounts.models import Post
from cordon.cases.models import Case
from cordon.command import services as command_services
from cordon.contacts.models import RiskPerson
from cordon.core import access, audit, clock, policy
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.people.models import VULNERABLE_FLAGS, Household, Person
from cordon.regions.models import Building, Level, Region, Unit
from cordon.screening import selectors as screening_selectors
from cordon.status import services as status_services
from cordon.status.models import HealthStatus
from cordon.zones import rules
from cordon.zones.enums import ACTIVE, ENFORCED, Origin, PickType, ZoneStatus
from cordon.zones.models import Zone, ZoneEvent, ZoneHousehold

SYSTEM = access.system("zones")  # this module's work that no user clicked

REGION_PICKS = {PickType.GRID: (Level.GRID,), PickType.COMMUNITY: (Level.COMMUNITY,), PickType.VILLAGE: (Level.COMMUNITY,)}


def zone_rules(code: str | None = None, on=None) -> tuple[str, dict]:
    """(rule set code, its "zones" section): a zone's own rule set, or the one in force."""
    ruleset = policy.by_code(code) if code else policy.in_force(on)
    return ruleset.code, ruleset.section("zones")


def _system(actor) -> bool:
    return access.is_system(actor)


def _check_area(actor, path: str, field: str) -> None:
    if _system(actor):
        return
    if not access.can(actor, "zones.view", path) and not access.can(actor, "zones.change", path):
        raise NotFound(f"{field}: not found in your area", fields=[{"field": field, "message": "not found in your area"}])
    if not access.can(actor, "zones.change", path):
        raise PermissionDenied("zones.change")


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError.field(field, "must be a number") from None


def _resolve_pick(actor, pick: dict, i: int) -> tuple[list[int], str, list[str]]:
    """One pick -> (household ids, label, region paths checked)."""
    field = f"picks[{i}]"
    if not isinstance(pick, dict):
        raise ServiceError.field(field, "must be an object with type and id")
    kind = pick.get("type")
    if kind == PickType.UNIT:
        unit = Unit.objects.select_related("building").filter(pk=_int(pick.get("id"), f"{field}.id")).first()
        if unit is None:
            raise NotFound(f"{field}: unit not found", fields=[{"field": field, "message": "unit not found"}])
        _check_area(actor, unit.region_path, field)
        ids = list(Household.objects.filter(unit=unit).values_list("id", flat=True))
        return ids, f"{unit.building.compound} {unit.building.name} {unit.number}单元", [unit.region_path]
    if kind == PickType.BUILDING:
        b = Building.objects.filter(pk=_int(pick.get("id"), f"{field}.id")).first()
        if b is None:
            raise NotFound(f"{field}: building not found", fields=[{"field": field, "message": "building not found"}])
        _check_area(actor, b.region_path, field)
        return list(Household.objects.filter(building=b).values_list("id", flat=True)), f"{b.compound} {b.name}", [b.region_path]
    if kind == PickType.COMPOUND:
        name = (pick.get("name") or "").strip()
        community = Region.objects.filter(pk=_int(pick.get("community_id"), f"{field}.community_id"), level=Level.COMMUNITY).first()
        if community is None or not name:
            raise ServiceError.field(field, "a compound needs community_id and name")
        buildings = list(Building.objects.filter(community=community, compound=name).values_list("id", "region_path"))
        if not buildings:
            raise NotFound(f"{field}: compound not found", fields=[{"field": field, "message": "compound not found"}])
        paths = sorted({p for _, p in buildings})
        for path in paths:
            _check_area(actor, path, field)
        ids = list(Household.objects.filter(building_id__in=[b for b, _ in buildings]).values_list("id", flat=True))
        return ids, f"{community.name} {name}", paths
    if kind in REGION_PICKS:
        region = Region.objects.filter(pk=_int(pick.get("id"), f"{field}.id"), level__in=REGION_PICKS[kind]).first()
        if region is None:
            raise NotFound(f"{field}: {kind} not found", fields=[{"field": field, "message": f"{kind} not found"}])
        _check_area(actor, region.path, field)
        qs = Household.objects.filter(region_path__startswith=region.path + ".") | Household.objects.filter(region_path=region.path)
        return list(qs.values_list("id", flat=True)), region.name, [region.path]
    raise ServiceError.field(f"{field}.type", f"must be one of {', '.join(t for t in PickType.values if t not in ('polygon', 'district_rest'))}")


def _resolve_polygon(actor, polygon) -> tuple[list[int], list[str]]:
    try:
        rings = rules.polygon_rings(polygon)
    except rules.RuleError as exc:
        raise ServiceError.field("polygon", str(exc)) from None
    x0, y0, x1, y1 = rules.bbox(rings)
    rows = list(Building.objects.filter(lon__gte=x0, lon__lte=x1, lat__gte=y0, lat__lte=y1).values_list("id", "lon", "lat", "region_path"))
    mask = rules.points_inside([r[1] for r in rows], [r[2] for r in rows], rings)
    inside = [r for r, hit in zip(rows, mask, strict=True) if hit]
    if not inside:
        raise ServiceError.field("polygon", "no building lies inside the polygon")
    paths = sorted({r[3] for r in inside})
    if not _system(actor):
        outside = [p for p in paths if not access.can(actor, "zones.change", p)]
        if outside and not any(access.can(actor, "zones.view", p) for p in outside):
            raise NotFound("polygon: not found in your area", fields=[{"field": "polygon", "message": "not found in your area"}])
        if outside:
            raise ServiceError.field("polygon", f"{len(outside)} grids inside the polygon are outside your area", code="outside_area")
    return list(Household.objects.filter(building_id__in=[r[0] for r in inside]).values_list("id", flat=True)), paths


def _workers_for(paths: set[str]) -> dict[str, tuple]:
    """grid path -> (user, name, phone) of the nearest grid worker / community worker / street officer post."""
    prefixes = set()
    for path in paths:
        parts = path.split(".")
        prefixes.update(".".join(parts[:n]) for n in range(3, len(parts) + 1))
    posts = list(Post.objects.filter(active=True, region__path__in=prefixes,
                                     role__in=["grid_worker", "community_worker", "street_officer"])
                 .select_related("user", "region").order_by("id"))
    order = {"grid_worker": 0, "community_worker": 1, "street_officer": 2}
    out = {}
    for path in paths:
        best = None
        for post in posts:
            p = post.region.path
            if path == p or path.startswith(p + "."):
                key = (-len(p), order[post.role])
                if best is None or key < best[0]:
                    best = (key, post)
        if best:
            post = best[1]
            out[path] = (post.user, post.user.get_full_name() or post.title or post.user.get_username(), post.phone)
    return out


def _member_rows(household_ids: list[int], needs_map: dict) -> list[ZoneHousehold]:
    people = defaultdict(int)
    vulnerable = defaultdict(int)
    flags = defaultdict(list)
    for row in Person.objects.filter(household_id__in=household_ids).values("household_id", *VULNERABLE_FLAGS).iterator(chunk_size=5000):
        hid = row["household_id"]
        people[hid] += 1
        f = {k for k in VULNERABLE_FLAGS if row[k]}
        if f:
            vulnerable[hid] += 1
        flags[hid].append(f)
    grids = dict(Household.objects.filter(pk__in=household_ids).values_list("id", "region_path"))
    workers = _workers_for(set(grids.values()))
    out = []
    for hid in household_ids:
        user, name, phone = workers.get(grids.get(hid, ""), (None, "", ""))
        out.append(ZoneHousehold(household_id=hid, worker=user, worker_name=name, worker_phone=phone,
                                 people=people[hid], vulnerable=vulnerable[hid],
                                 needs=rules.household_needs(flags[hid], needs_map)))
    return out


def _recount(zone: Zone) -> None:
    agg = ZoneHousehold.objects.filter(zone=zone, active=True).aggregate(h=Count("id"), p=Sum("people"), v=Sum("vulnerable"))
    zone.households, zone.population, zone.vulnerable = agg["h"] or 0, agg["p"] or 0, agg["v"] or 0
    Zone.objects.filter(pk=zone.pk).update(households=zone.households, population=zone.population, vulnerable=zone.vulnerable)


def _event(zone: Zone, verb: str, actor, *, status_from="", kind_from="", note="") -> None:
    ZoneEvent.objects.create(zone=zone, at=clock.now(), verb=verb, status_from=status_from, status_to=zone.status,
                             kind_from=kind_from, kind_to=zone.kind, note=note[:400],
                             actor=access.user_or_none(actor))


def _centre(household_ids: list[int], region: Region | None) -> tuple[float | None, float | None]:
    agg = Building.objects.filter(households__id__in=household_ids[:5000]).aggregate(lon=Avg("lon"), lat=Avg("lat"))
    if agg["lon"] is not None:
        return agg["lon"], agg["lat"]
    return (region.lon, region.lat) if region else (None, None)


def _designated_households(actor, *, picks: list, polygon, district_rest: Region | None):
    """What a designation covers: (drawn_by, household ids, labels, region paths), from the rest of a district,
    a polygon or picked units."""
    if district_rest is not None:
        ids = list(Household.objects.filter(region_path__startswith=district_rest.path + ".").values_list("id", flat=True))
        return PickType.DISTRICT_REST, ids, [district_rest.name], [district_rest.path]
    if polygon:
        ids, paths = _resolve_polygon(actor, polygon)
        return PickType.POLYGON, ids, ["地图圈定区域"], paths
    if not isinstance(picks, list):
        raise ServiceError.field("picks", "must be a list")
    labels, paths, ids = [], [], []
    types = {p.get("type") for p in picks if isinstance(p, dict)}
    drawn_by = types.pop() if len(types) == 1 else PickType.BUILDING
    for i, pick in enumerate(picks):
        got, label, ps = _resolve_pick(actor, pick, i)
        ids.extend(got)
        labels.append(label)
        paths.extend(ps)
        pick["label"] = label
    return drawn_by, ids, labels, paths


def _overlaps(zr: dict, *, kind: str, ids: list[int], district_rest: Region | None, field: str):
    """Zones already holding some of these households (rows locked): (their households by zone, zones that give way,
    households to leave out). A zone of a kind that may not be overlapped is a Conflict."""
    area_wide = rules.is_area_wide(zr, kind)
    taken = defaultdict(list)
    for hid, zid in ZoneHousehold.objects.select_for_update().filter(household_id__in=ids, active=True).values_list("household_id", "zone_id"):
        taken[zid].append(hid)
    give_way, skip = [], set()
    for zone in Zone.objects.filter(pk__in=list(taken)):
        if zone.kind == kind and area_wide and district_rest is not None:
            skip.update(taken[zone.pk])
        elif rules.overlap_allowed(zr, new_kind=kind, existing_kind=zone.kind):
            give_way.append(zone)
        elif area_wide and not rules.is_area_wide(zr, zone.kind):
            skip.update(taken[zone.pk])  # the rest of an area leaves out the narrower zones inside it
        else:
            raise Conflict(f"overlaps zone {zone.name} ({zone.kind}, {zone.get_status_display()}) in "
                           f"{len(taken[zone.pk])} households; a {kind} zone cannot overlap a {zone.kind} zone",
                           code="zone_overlap", fields=[{"field": field,
                                                         "message": f"overlaps zone {zone.pk} {zone.name} ({zone.kind})"}])
    return taken, give_way, skip


def zone_designate(*, actor, kind: str, picks: list[dict] | None = None, polygon: dict | None = None, name: str = "",
                   note: str = "", emergency_phone: str = "", origin: str = Origin.MANUAL, source: str = "",
                   district_rest: Region | None = None, exclude: set[int] | None = None) -> Zone:
    """Designate a zone over picked units or a polygon; overlapping a zone of a conflicting kind is refused."""
    code, zr = zone_rules()
    try:
        krule = rules.kind_rules(zr, kind)
    except rules.RuleError as exc:
        raise ServiceError.field("kind", str(exc)) from None
    picks = picks or []
    if district_rest is None and bool(picks) == bool(polygon):
        raise ServiceError.field("picks", "pick units or draw a polygon (one of the two)")
    drawn_by, ids, labels, paths = _designated_households(actor, picks=picks, polygon=polygon, district_rest=district_rest)
    ids = sorted(set(ids) - (exclude or set()))
    with transaction.atomic():
        taken, give_way, skip = _overlaps(zr, kind=kind, ids=ids, district_rest=district_rest, field="picks" if picks else "polygon")
        ids = [h for h in ids if h not in skip]
        if not ids:
            raise ServiceError.field("picks" if picks else "polygon", "the area holds no households outside other zones")
        grid_paths = list(Household.objects.filter(pk__in=ids).values_list("region_path", flat=True).distinct())
        region_path = rules.common_path(grid_paths) or rules.common_path(paths)
        district = ".".join(region_path.split(".")[:2])
        region = Region.objects.filter(path=region_path).first()
        for other in give_way:
            ZoneHousehold.objects.filter(zone=other, active=True, household_id__in=taken[other.pk]).update(active=False)
            _recount(other)
            _status_sync(other, actor=actor)
            _event(other, "give_way", actor, status_from=other.status, note=f"{len(taken[other.pk])} households to a {kind} zone")
        lon, lat = _centre(ids, region)
        label = krule.get("label", kind)
        zone = Zone.objects.create(
            name=(name.strip() or f"{'、'.join(labels[:3])}{'等' if len(labels) > 3 else ''} {label}")[:200],
            kind=kind, ruleset=code, drawn_by=drawn_by, picks=picks, polygon=polygon if polygon else None,
            region_path=region_path, district_path=district, origin=origin, source=source, designated_at=clock.now(),
            lon=lon, lat=lat, emergency_phone=(emergency_phone or zr.get("emergency_contact", ""))[:40], note=note[:300],
            created_by=access.user_or_none(actor))
        members = _member_rows(ids, zr.get("needs") or {})
        for m in members:
            m.zone = zone
        ZoneHousehold.objects.bulk_create(members, batch_size=2000)
        _recount(zone)
        _status_sync(zone, actor=actor)
        _event(zone, "designate", actor, note=note)
        audit.record(actor, "zone.designate", zone, changes={"kind": kind, "drawn_by": drawn_by, "households": zone.households,
                                                             "population": zone.population, "origin": origin, "source": source,
                                                             "gave_way": [z.pk for z in give_way]})
    return zone


def _status_sync(zone: Zone, *, actor) -> dict:
    """Give the zone's residents the status reason its kind holds under its rule set (or take it away when the zone
    is lifted, cancelled, lowered to a kind without one, or households left it): the colour changes with the fact."""
    status_rules = policy.by_code(zone.ruleset).section("status")
    reason = rules.status_reason(zone.kind, status=zone.status, active_statuses=ACTIVE, status_rules=status_rules)
    return status_services.reasons_sync(source=zone.source_ref, reason=reason, person_ids=_resident_ids(zone) if reason else [],
                                        since=zone.in_force_at or zone.designated_at, actor=actor)


def _require_change(actor, zone: Zone) -> None:
    if not _system(actor):
        access.require(actor, "zones.change", zone.region_path)


def _close_proposal_task(zone: Zone) -> None:
    if zone.origin != Origin.CASE or not zone.source:
        return
    if Zone.objects.filter(source=zone.source, status=ZoneStatus.DESIGNATED).exists():
        return
    command_services.task_close_by_source(actor=SYSTEM, source=f"zones.{zone.source}", result="zones decided")


def zone_confirm(*, actor, zone: Zone, note: str = "") -> Zone:
    """Put a designated zone in force; its clock starts now."""
    _require_change(actor, zone)
    if zone.status != ZoneStatus.DESIGNATED:
        raise Conflict(f"status: the zone is {zone.get_status_display()}, only a designated zone can be confirmed",
                       fields=[{"field": "status", "message": "only a designated zone can be confirmed"}])
    now = clock.now()
    with transaction.atomic():
        zone.status, zone.in_force_at, zone.clock_start = ZoneStatus.IN_FORCE, now, now
        zone.save(update_fields=["status", "in_force_at", "clock_start", "updated_at"])
        _status_sync(zone, actor=actor)
        _event(zone, "confirm", actor, status_from=ZoneStatus.DESIGNATED, note=note)
        audit.record(actor, "zone.confirm", zone, changes={"kind": zone.kind, "note": note})
        transaction.on_commit(lambda: _close_proposal_task(zone))
    return zone


def zone_cancel(*, actor, zone: Zone, note: str = "") -> Zone:
    """Reject a designated (proposed) zone; its households are free again."""
    _require_change(actor, zone)
    if zone.status != ZoneStatus.DESIGNATED:
        raise Conflict("status: only a designated zone can be cancelled; lift a zone in force",
                       fields=[{"field": "status", "message": "only a designated zone can be cancelled"}])
    with transaction.atomic():
        zone.status = ZoneStatus.CANCELLED
        zone.save(update_fields=["status", "updated_at"])
        ZoneHousehold.objects.filter(zone=zone, active=True).update(active=False)
        _status_sync(zone, actor=actor)
        _event(zone, "cancel", actor, status_from=ZoneStatus.DESIGNATED, note=note)
        audit.record(actor, "zone.cancel", zone, changes={"note": note})
        transaction.on_commit(lambda: _close_proposal_task(zone))
    return zone


def _negative_since(person_ids: list[int], since: dt.datetime) -> tuple[set[int], bool]:
    """People with a negative sample at or after `since`: screening's results, plus negatives status recorded."""
    found = set(HealthStatus.objects.filter(person_id__in=person_ids, last_negative_at__gte=since).values_list("person_id", flat=True))
    found |= screening_selectors.people_negative_since(person_ids=person_ids, since=since)
    return found, True


def _resident_ids(zone: Zone) -> list[int]:
    return list(Person.objects.filter(household__zone_memberships__zone=zone, household__zone_memberships__active=True)
                .values_list("id", flat=True))


def criteria(*, zone: Zone, now: dt.datetime | None = None) -> dict:
    """Where a zone stands against its lifting criteria: clock start, days remaining, unmet criteria."""
    now = now or clock.now()
    today = clock.day_of(now)
    _, zr = zone_rules(zone.ruleset)
    krule = rules.kind_rules(zr, zone.kind)
    lift = krule.get("lift") or {}
    residents = _resident_ids(zone)
    started = zone.clock_start
    case_ids = set()
    if residents:
        cases = Case.objects.filter(person_id__in=residents)
        case_ids = set(cases.values_list("person_id", flat=True))
        last_case = cases.aggregate(m=Max("confirmed_at"))["m"]
        if last_case and started and last_case > started:
            started = last_case
    kwargs = {"results_available": True}
    if lift.get("last_close_contact_days_past_exposure"):
        hh = ZoneHousehold.objects.filter(zone=zone).values("household_id")
        contacts = RiskPerson.objects.filter(category="close_contact").exclude(status="rejected").filter(
            Q(person__household_id__in=hh) | Q(source_case__person__household_id__in=hh))
        last = contacts.aggregate(m=Max("last_exposure"))["m"]
        if last is not None:
            last_ids = list(contacts.filter(last_exposure=last).values_list("person_id", flat=True))
            since = last + dt.timedelta(days=int(lift["last_close_contact_days_past_exposure"]) - 1)
            neg, ok = _negative_since(last_ids, since)
            kwargs.update(last_contact_exposure=last, last_contacts_negative=set(last_ids) <= neg)
    if lift.get("negative_round_within_days"):
        tested = [p for p in residents if p not in case_ids]
        neg, ok = _negative_since(tested, now - dt.timedelta(days=int(lift["negative_round_within_days"])))
        kwargs.update(residents=len(tested), residents_negative=len(neg & set(tested)))
    if rules.is_area_wide(zr, zone.kind):
        area = zone.district_path
        kwargs["higher_zones_open"] = sum(
            1 for z in Zone.objects.filter(status__in=ACTIVE, district_path=area).exclude(pk=zone.pk).only("kind")
            if rules.rank(zr, z.kind) > rules.rank(zr, zone.kind))
    clock_day = clock.day_of(started) if started else None
    unmet = rules.unmet_criteria(krule, today=today, now=now, clock_start=clock_day, lowered_from=zone.lowered_from, **kwargs)
    return {"clock_start": started, "unmet": unmet, "residents": len(residents),
            "days_required": rules.required_days(krule, lowered_from=zone.lowered_from),
            "days_remaining": rules.days_remaining(krule, clock_start=clock_day, today=today, lowered_from=zone.lowered_from),
            "lower_to": krule.get("lower_to")}


def zone_evaluate(*, zone: Zone, actor, now: dt.datetime | None = None) -> Zone:
    """Re-check a zone in force against its criteria and move it between in force, countdown and eligible."""
    now = now or clock.now()
    if zone.status not in ENFORCED:
        return zone
    result = criteria(zone=zone, now=now)
    start = result["clock_start"] or zone.in_force_at
    new = rules.next_status(zone.status, in_force_day=clock.day_of(start) if start else None,
                            today=clock.day_of(now), unmet=result["unmet"])
    with transaction.atomic():
        old = zone.status
        zone.unmet, zone.evaluated_at, zone.status = result["unmet"], now, new
        if result["clock_start"] and result["clock_start"] != zone.clock_start:
            zone.clock_start = result["clock_start"]
        zone.save(update_fields=["unmet", "evaluated_at", "status", "clock_start", "updated_at"])
        if new != old:
            _event(zone, "status", actor, status_from=old)
            audit.record(actor, "zone.status", zone, changes={"from": old, "to": new, "unmet": [u["criterion"] for u in result["unmet"]]})
    return zone


def zones_refresh(*, actor, now: dt.datetime | None = None) -> int:
    """Evaluate every zone in force (the daily tick); returns how many changed status."""
    changed = 0
    for zone in Zone.objects.filter(status__in=ENFORCED).order_by("id"):
        before = zone.status
        if zone_evaluate(zone=zone, actor=actor, now=now).status != before:
            changed += 1
    return changed


def zone_lift(*, actor, zone: Zone, note: str = "", now: dt.datetime | None = None) -> Zone:
    """Lift (or lower, where the rule set says so) a zone; refused naming each criterion that does not hold."""
    _require_change(actor, zone)
    now = now or clock.now()
    if zone.status not in ENFORCED:
        raise Conflict(f"status: the zone is {zone.get_status_display()}, not in force",
                       fields=[{"field": "status", "message": "the zone is not in force"}])
    result = criteria(zone=zone, now=now)
    if result["unmet"]:
        with transaction.atomic():
            zone.unmet, zone.evaluated_at = result["unmet"], now
            zone.save(update_fields=["unmet", "evaluated_at", "updated_at"])
        raise Conflict("cannot lift yet: " + "; ".join(f"{u['criterion']}: {u['message']}" for u in result["unmet"]),
                       code="criteria_unmet", fields=[{"field": u["criterion"], "message": u["message"]} for u in result["unmet"]])
    with transaction.atomic():
        old_status, old_kind = zone.status, zone.kind
        if result["lower_to"]:
            zone.lowered_from, zone.kind = zone.kind, result["lower_to"]
            zone.status, zone.clock_start, zone.unmet = ZoneStatus.IN_FORCE, now, []
            zone.save(update_fields=["kind", "lowered_from", "status", "clock_start", "unmet", "updated_at"])
            _status_sync(zone, actor=actor)
            _event(zone, "lower", actor, status_from=old_status, kind_from=old_kind, note=note)
            audit.record(actor, "zone.lower", zone, changes={"from": old_kind, "to": zone.kind, "note": note})
        else:
            zone.status, zone.lifted_at, zone.unmet = ZoneStatus.LIFTED, now, []
            zone.save(update_fields=["status", "lifted_at", "unmet", "updated_at"])
            ZoneHousehold.objects.filter(zone=zone, active=True).update(active=False)
            _status_sync(zone, actor=actor)
            _event(zone, "lift", actor, status_from=old_status, note=note)
            audit.record(actor, "zone.lift", zone, changes={"kind": zone.kind, "note": note,
                                                            "days": (now - (zone.in_force_at or now)).days})
    return zone


def zone_positive_found(*, zone: Zone, at: dt.datetime, actor, source: str = "") -> Zone:
    """A new positive among a zone's residents: escalate it or restart its clock, per rule set."""
    _, zr = zone_rules(zone.ruleset)
    with transaction.atomic():
        zone.positives += 1
        old_status, old_kind = zone.status, zone.kind
        fields = ["positives", "updated_at"]
        if zone.status in ENFORCED:
            what, kind = rules.on_positive(zr, zone.kind)
            if what in ("escalate", "restart"):
                zone.kind, zone.status, zone.clock_start, zone.lowered_from = kind, ZoneStatus.IN_FORCE, at, ""
                fields += ["kind", "status", "clock_start", "lowered_from"]
                zone.save(update_fields=fields)
                _status_sync(zone, actor=actor)
                _event(zone, what, actor, status_from=old_status, kind_from=old_kind, note=source)
                audit.record(actor, f"zone.{what}", zone, changes={"from": old_kind, "to": kind, "source": source, "at": at})
                return zone
        zone.save(update_fields=fields)
        _event(zone, "positive", actor, status_from=old_status, kind_from=old_kind, note=source)
        audit.record(actor, "zone.positive", zone, changes={"source": source, "at": at})
    return zone


def _pick_for(unit_kind: str | None, household: Household) -> dict | None:
    b = household.building
    if unit_kind == "unit" and household.unit_id:
        return {"type": "unit", "id": household.unit_id}
    if unit_kind in ("unit", "building") and b is not None:
        return {"type": "building", "id": b.pk}
    if unit_kind in ("unit", "building", "compound") and b is not None:
        return {"type": "compound", "community_id": b.community_id, "name": b.compound}
    if unit_kind in ("unit", "building", "compound", "grid"):
        return {"type": "grid", "id": household.grid_id}
    if unit_kind == "community":
        return {"type": "community", "id": household.grid.parent_id}
    return None


def zones_propose_for_case(*, case, actor) -> list[Zone]:
    """On a confirmed case: restart or escalate the zone it lives in, or propose residence, surroundings and the rest of the district."""
    source = f"cases.case:{case.pk}"
    existing = list(Zone.objects.filter(source=source))
    if existing:
        return existing
    person = Person.objects.select_related("household__building", "household__grid").filter(pk=case.person_id).first()
    if person is None or person.household_id is None:
        return []
    code, zr = zone_rules()
    membership = ZoneHousehold.objects.select_related("zone").filter(household_id=person.household_id, active=True).first()
    if membership and not rules.is_area_wide(zr, membership.zone.kind):
        return [zone_positive_found(zone=membership.zone, at=case.confirmed_at, actor=actor, source=source)]
    if membership:
        zone_positive_found(zone=membership.zone, at=case.confirmed_at, actor=actor, source=source)
    plan = zr.get("propose_on_case") or {}
    out = []
    household = person.household
    taken = set(ZoneHousehold.objects.filter(active=True).exclude(zone__kind__in=[k for k in (zr.get("kinds") or {}) if rules.is_area_wide(zr, k)])
                .values_list("household_id", flat=True))
    residence = _pick_for(zr.get("residence_unit") or zr.get("default_unit"), household)
    if plan.get("residence") and residence:
        out.append(zone_designate(actor=SYSTEM, kind=plan["residence"], picks=[residence], origin=Origin.CASE, source=source,
                                  exclude=taken, note=f"case {case.pk}"))
    surroundings = _pick_for(zr.get("surroundings_unit"), household) if zr.get("surroundings_unit") else None
    if plan.get("surroundings") and surroundings:
        taken |= set(ZoneHousehold.objects.filter(active=True, zone__in=out).values_list("household_id", flat=True))
        try:
            out.append(zone_designate(actor=SYSTEM, kind=plan["surroundings"], picks=[surroundings], origin=Origin.CASE,
                                      source=source, exclude=taken, note=f"case {case.pk}"))
        except ServiceError:
            pass  # nothing left around the residence outside other zones
    rest = plan.get("rest_of_district")
    if rest:
        district = Region.objects.filter(path=".".join(person.region_path.split(".")[:2])).first()
        if district and not Zone.objects.filter(status__in=ACTIVE, kind=rest, district_path=district.path).exists():
            try:
                out.append(zone_designate(actor=SYSTEM, kind=rest, district_rest=district, origin=Origin.CASE, source=source,
                                          note=f"case {case.pk}"))
            except ServiceError:
                pass
    if out:
        hours = int(zr.get("publish_within_hours") or 5)
        command_services.task_create(
            actor=SYSTEM, title=f"确认病例 {case.pk} 的拟划定区域 / confirm proposed zones for case {case.pk}", kind="zones.confirm",
            region_path=out[0].district_path, deadline=clock.now() + dt.timedelta(hours=hours), owner_role="district_officer",
            priority=1, detail=", ".join(z.name for z in out), source=f"zones.{source}")
    return out


def zone_assign_worker(*, actor, zone: Zone, household_ids: list[int], worker_name: str, worker_phone: str) -> int:
    """Name the worker responsible for some of a zone's households; returns how many were updated."""
    _require_change(actor, zone)
    if not worker_name.strip():
        raise ServiceError.field("worker_name", "is required")
    if not worker_phone.strip():
        raise ServiceError.field("worker_phone", "is required: every household needs a way to reach its worker")
    with transaction.atomic():
        n = ZoneHousehold.objects.filter(zone=zone, active=True, household_id__in=household_ids).update(
            worker=None, worker_name=worker_name.strip()[:150], worker_phone=worker_phone.strip()[:20])
        audit.record(actor, "zone.assign_worker", zone, changes={"households": n, "worker": worker_name})
    return n
