"""Designate a zone over picked units (unit, building, compound, grid, community), a drawn polygon or the rest
of a district; overlapping a zone of a conflicting kind is refused, a lesser zone gives way. Members get
their responsible worker; workers can be named by hand."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Avg
from django.utils.translation import gettext as _

from cordon.accounts.models import Post
from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.people.models import VULNERABLE_FLAGS, Household, Person
from cordon.regions.models import Building, Level, Region, Unit
from cordon.zones import rules
from cordon.zones.enums import Origin, PickType
from cordon.zones.models import Zone, ZoneHousehold
from cordon.zones.services.common import (
    as_int,
    check_area,
    record_event,
    recount,
    require_change,
    status_sync,
    zone_rules,
)

REGION_PICKS = {PickType.GRID: (Level.GRID,), PickType.COMMUNITY: (Level.COMMUNITY,), PickType.VILLAGE: (Level.COMMUNITY,)}


def _resolve_pick(actor, pick: dict, i: int) -> tuple[list[int], str, list[str]]:
    """One pick -> (household ids, label, region paths checked)."""
    field = f"picks[{i}]"
    if not isinstance(pick, dict):
        raise ServiceError.field(field, _("must be an object with type and id"))
    kind = pick.get("type")
    if kind == PickType.UNIT:
        unit = Unit.objects.select_related("building").filter(pk=as_int(pick.get("id"), f"{field}.id")).first()
        if unit is None:
            raise NotFound(_("%(field)s: unit not found") % {"field": field}, fields=[{"field": field, "message": _("unit not found")}])
        check_area(actor, unit.region_path, field)
        ids = list(Household.objects.filter(unit=unit).values_list("id", flat=True))
        return ids, f"{unit.building.compound} {unit.building.name} {unit.number}单元", [unit.region_path]
    if kind == PickType.BUILDING:
        b = Building.objects.filter(pk=as_int(pick.get("id"), f"{field}.id")).first()
        if b is None:
            raise NotFound(_("%(field)s: building not found") % {"field": field}, fields=[{"field": field, "message": _("building not found")}])
        check_area(actor, b.region_path, field)
        return list(Household.objects.filter(building=b).values_list("id", flat=True)), f"{b.compound} {b.name}", [b.region_path]
    if kind == PickType.COMPOUND:
        name = (pick.get("name") or "").strip()
        community = Region.objects.filter(pk=as_int(pick.get("community_id"), f"{field}.community_id"), level=Level.COMMUNITY).first()
        if community is None or not name:
            raise ServiceError.field(field, _("a compound needs community_id and name"))
        buildings = list(Building.objects.filter(community=community, compound=name).values_list("id", "region_path"))
        if not buildings:
            raise NotFound(_("%(field)s: compound not found") % {"field": field}, fields=[{"field": field, "message": _("compound not found")}])
        paths = sorted({p for _unused, p in buildings})
        for path in paths:
            check_area(actor, path, field)
        ids = list(Household.objects.filter(building_id__in=[b for b, _unused in buildings]).values_list("id", flat=True))
        return ids, f"{community.name} {name}", paths
    if kind in REGION_PICKS:
        region = Region.objects.filter(pk=as_int(pick.get("id"), f"{field}.id"), level__in=REGION_PICKS[kind]).first()
        if region is None:
            raise NotFound(_("%(field)s: %(kind)s not found") % {"field": field, "kind": kind}, fields=[{"field": field, "message": _("%(kind)s not found") % {"kind": kind}}])
        check_area(actor, region.path, field)
        qs = Household.objects.filter(region_path__startswith=region.path + ".") | Household.objects.filter(region_path=region.path)
        return list(qs.values_list("id", flat=True)), region.name, [region.path]
    raise ServiceError.field(f"{field}.type", _("must be one of %(choices)s") % {"choices": ', '.join(t for t in PickType.values if t not in ('polygon', 'district_rest'))})


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
        raise ServiceError.field("polygon", _("no building lies inside the polygon"))
    paths = sorted({r[3] for r in inside})
    if not access.is_system(actor):
        outside = [p for p in paths if not access.can(actor, "zones.change", p)]
        if outside and not any(access.can(actor, "zones.view", p) for p in outside):
            raise NotFound(_("polygon: not found in your area"), fields=[{"field": "polygon", "message": _("not found in your area")}])
        if outside:
            raise ServiceError.field("polygon", _("%(len_outside)s grids inside the polygon are outside your area") % {"len_outside": len(outside)}, code="outside_area")
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
        raise ServiceError.field("picks", _("must be a list"))
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
            raise Conflict(_("overlaps zone %(name)s (%(kind)s, %(get_status_display)s) in %(len_taken_zone_pk)s households; a %(kind2)s zone cannot overlap a %(kind)s zone") % {"name": zone.name, "kind": zone.kind, "get_status_display": zone.get_status_display(), "len_taken_zone_pk": len(taken[zone.pk]), "kind2": kind},
                           code="zone_overlap", fields=[{"field": field,
                                                         "message": _("overlaps zone %(pk)s %(name)s (%(kind)s)") % {"pk": zone.pk, "name": zone.name, "kind": zone.kind}}])
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
        raise ServiceError.field("picks", _("pick units or draw a polygon (one of the two)"))
    drawn_by, ids, labels, paths = _designated_households(actor, picks=picks, polygon=polygon, district_rest=district_rest)
    ids = sorted(set(ids) - (exclude or set()))
    with transaction.atomic():
        taken, give_way, skip = _overlaps(zr, kind=kind, ids=ids, district_rest=district_rest, field="picks" if picks else "polygon")
        ids = [h for h in ids if h not in skip]
        if not ids:
            raise ServiceError.field("picks" if picks else "polygon", _("the area holds no households outside other zones"))
        grid_paths = list(Household.objects.filter(pk__in=ids).values_list("region_path", flat=True).distinct())
        region_path = rules.common_path(grid_paths) or rules.common_path(paths)
        district = ".".join(region_path.split(".")[:2])
        region = Region.objects.filter(path=region_path).first()
        for other in give_way:
            ZoneHousehold.objects.filter(zone=other, active=True, household_id__in=taken[other.pk]).update(active=False)
            recount(other)
            status_sync(other, actor=actor)
            record_event(other, "give_way", actor, status_from=other.status, note=f"{len(taken[other.pk])} households to a {kind} zone")
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
        recount(zone)
        status_sync(zone, actor=actor)
        record_event(zone, "designate", actor, note=note)
        audit.record(actor, "zone.designate", zone, changes={"kind": kind, "drawn_by": drawn_by, "households": zone.households,
                                                             "population": zone.population, "origin": origin, "source": source,
                                                             "gave_way": [z.pk for z in give_way]})
    return zone


def zone_assign_worker(*, actor, zone: Zone, household_ids: list[int], worker_name: str, worker_phone: str) -> int:
    """Name the worker responsible for some of a zone's households; returns how many were updated."""
    require_change(actor, zone)
    if not worker_name.strip():
        raise ServiceError.field("worker_name", _("is required"))
    if not worker_phone.strip():
        raise ServiceError.field("worker_phone", _("is required: every household needs a way to reach its worker"))
    with transaction.atomic():
        n = ZoneHousehold.objects.filter(zone=zone, active=True, household_id__in=household_ids).update(
            worker=None, worker_name=worker_name.strip()[:150], worker_phone=worker_phone.strip()[:20])
        audit.record(actor, "zone.assign_worker", zone, changes={"households": n, "worker": worker_name})
    return n
