"""Reads of zones: lists, one zone with its households and needs, the map, the public risk-area list (in the
national list's shape), the external risk areas imported from the national list, and the contracts other apps use
(risk_level_for_path, external_risk, zone_households)."""

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from cordon.analytics import geo
from cordon.core import access, audit, clock, pii, policy
from cordon.people.models import Household
from cordon.regions import selectors as region_selectors
from cordon.regions.models import Building, Level, Region, Unit
from cordon.zones import national, rules, services
from cordon.zones.enums import ACTIVE, ENFORCED, ZoneStatus
from cordon.zones.filters import ExternalAreaFilter, ZoneFilter
from cordon.zones.models import ExternalArea, NationalList, Zone, ZoneEvent, ZoneHousehold


def _kinds(code: str) -> dict:
    try:
        return policy.by_code(code).section("zones").get("kinds") or {}
    except Exception:  # noqa: BLE001 - a zone of a rule set that was removed keeps its code
        return {}


def zone_list(*, actor, filters: Mapping | None = None, active_only: bool = False) -> QuerySet[Zone]:
    """Zones inside the actor's area (only the active ones with `active_only`), filtered by ZoneFilter (status, kind,
    district, q)."""
    qs = Zone.objects.visible_to(actor, "view")
    if active_only:
        qs = qs.filter(status__in=ACTIVE)
    return ZoneFilter.apply(filters, qs)


def zone_get(*, actor, pk: int, action: str = "view") -> Zone:
    """One zone, 404 outside the actor's area, 403 when the action is not granted."""
    return access.get_for(actor, Zone.objects.all(), action, pk=pk)


def zone_households(*, actor, zone_id: int) -> QuerySet[Household]:
    """Households of a zone (active members) the actor may see; livelihood plans deliveries from these."""
    return Household.objects.visible_to(actor, "view").filter(
        zone_memberships__zone_id=zone_id, zone_memberships__active=True).order_by("id")


def zone_members(*, actor, zone: Zone) -> QuerySet[ZoneHousehold]:
    """The zone's member rows (household, responsible worker, people, needs) inside the actor's area."""
    visible = Household.objects.visible_to(actor, "view").values("id")
    return ZoneHousehold.objects.filter(zone=zone, active=True, household_id__in=visible).select_related("household").order_by("household_id")


def member_rows(members, *, actor) -> list[dict]:
    """Member rows as shown: address masked unless the actor may unmask there; the unmasked ones are audited (one entry)."""
    out, shown = [], []
    for m in members:
        h = m.household
        show = access.can_unmask(actor, h.region_path)
        if show:
            shown.append(h.pk)
        out.append({"household_id": h.pk, "address": h.address if show else pii.mask_address(h.address),
                    "people": m.people, "vulnerable": m.vulnerable, "needs": m.needs,
                    "worker_name": m.worker_name, "worker_phone": m.worker_phone or "", "grid_path": h.region_path})
    if shown:
        audit.record(actor, "address.unmask", object_type="people.household", object_id=",".join(map(str, shown[:20])),
                     changes={"households": shown, "fields": ["address"], "zone": m.zone_id})
    return out


def zone_summaries(*, zones: list[Zone], now: dt.datetime | None = None) -> dict[int, dict]:
    """zone_summary for a page of zones, with the households' needs and the unassigned counts in two queries."""
    ids = [z.pk for z in zones]
    needs: dict[int, list] = {i: [] for i in ids}
    for zone_id, row in ZoneHousehold.objects.filter(zone_id__in=ids, active=True).values_list("zone_id", "needs"):
        needs[zone_id].append(row)
    unassigned = dict(ZoneHousehold.objects.filter(zone_id__in=ids, active=True).filter(Q(worker_name="") | Q(worker_phone=""))
                      .values("zone_id").annotate(n=Count("id")).values_list("zone_id", "n"))
    return {z.pk: zone_summary(zone=z, now=now, needs_rows=needs[z.pk], unassigned=unassigned.get(z.pk, 0)) for z in zones}


def zone_summary(*, zone: Zone, now: dt.datetime | None = None, needs_rows: list | None = None,
                 unassigned: int | None = None) -> dict:
    """Kind label, days remaining, needs summary and the unassigned households of one zone."""
    now = now or clock.now()
    code, zr = services.zone_rules(zone.ruleset)
    krule = (zr.get("kinds") or {}).get(zone.kind, {})
    if needs_rows is None:
        needs_rows = list(ZoneHousehold.objects.filter(zone=zone, active=True).values_list("needs", flat=True))
    if unassigned is None:
        unassigned = ZoneHousehold.objects.filter(zone=zone, active=True).filter(Q(worker_name="") | Q(worker_phone="")).count()
    clock_day = clock.day_of(zone.clock_start) if zone.clock_start else None
    remaining = rules.days_remaining(krule, clock_start=clock_day, today=clock.day_of(now),
                                     lowered_from=zone.lowered_from) if zone.status in ENFORCED else None
    return {
        "label": krule.get("label", zone.kind), "label_en": krule.get("label_en", zone.kind), "rank": krule.get("rank", 0),
        "regime": krule.get("regime", ""), "days_remaining": remaining,
        "days_required": rules.required_days(krule, lowered_from=zone.lowered_from),
        "needs": rules.needs_summary(needs_rows, zr.get("needs") or {}),
        "unassigned": unassigned,
        "emergency_contact": zone.emergency_phone or zr.get("emergency_contact", ""),
    }


def zone_events(*, zone: Zone) -> QuerySet[ZoneEvent]:
    """The zone's lifecycle, newest first."""
    return ZoneEvent.objects.filter(zone=zone).select_related("actor")


def risk_level_for_path(*, region_path: str, on: dt.datetime | None = None) -> str | None:
    """The highest-rank zone kind in force covering that region path or any ancestor; None outside zones."""
    parts = region_path.split(".")
    prefixes = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    qs = Zone.objects.filter(region_path__in=prefixes)
    if on is None:
        qs = qs.filter(status__in=ENFORCED)
    else:
        qs = qs.filter(in_force_at__lte=on).filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=on)).exclude(status=ZoneStatus.CANCELLED)
    best, best_rank = None, -1
    for kind, code in qs.values_list("kind", "ruleset").distinct():
        r = int(_kinds(code).get(kind, {}).get("rank", 0))
        if r > best_rank:
            best, best_rank = kind, r
    return best


def risk_near(*, region_path: str, lon: float | None, lat: float | None, within_km: float, levels: list[str],
              on: dt.datetime | None = None) -> dict | None:
    """The highest-rank zone that covers a place, or of a `levels` kind lies within `within_km` of it or in the
    same community: {"kind", "zone_id", "zone": name, "how": covers|near|adjacent, "km"}; None when none does."""
    parts = region_path.split(".")
    covering = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    community = ".".join(parts[:4]) if len(parts) >= 4 else region_path
    qs = Zone.objects.exclude(status=ZoneStatus.CANCELLED)
    if on is None:
        qs = qs.filter(status__in=ENFORCED)
    else:
        qs = qs.filter(in_force_at__lte=on).filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=on))
    best, best_rank = None, -1
    for z in qs.only("id", "name", "kind", "ruleset", "region_path", "lon", "lat"):
        how, km = None, None
        if z.region_path in covering:
            how = "covers"
        elif z.kind in levels:
            if lon is not None and lat is not None and z.lon is not None and z.lat is not None:
                km = geo.distance_km(lon, lat, z.lon, z.lat)
                how = "near" if km <= within_km else None
            if how is None and (z.region_path == community or z.region_path.startswith(community + ".")):
                how = "adjacent"
        if how is None:
            continue
        rank = int(_kinds(z.ruleset).get(z.kind, {}).get("rank", 0))
        if rank > best_rank:
            best_rank = rank
            best = {"kind": z.kind, "zone_id": z.pk, "zone": z.name, "how": how, "km": round(km, 2) if km is not None else None}
    return best


def public_risk_areas() -> list[dict]:
    """Zones in force as published: province, city, county, area name, level, since. Nothing personal."""
    city = Region.objects.filter(parent__isnull=True).first()
    districts = dict(Region.objects.filter(level=Level.DISTRICT).values_list("path", "name"))
    out = []
    for z in Zone.objects.filter(status__in=ENFORCED).order_by("district_path", "-in_force_at", "id"):
        k = _kinds(z.ruleset).get(z.kind, {})
        out.append({"province": getattr(settings, "CORDON_PROVINCE_NAME", ""),
                    "city": city.name if city else getattr(settings, "CORDON_CITY_NAME", ""),
                    "county": districts.get(z.district_path, ""), "area": z.name, "level": z.kind,
                    "level_label": k.get("label", z.kind), "level_label_en": k.get("label_en", z.kind),
                    "rank": int(k.get("rank", 0)), "since": clock.day_of(z.in_force_at) if z.in_force_at else None})
    out.sort(key=lambda r: (-r["rank"], r["county"], r["area"]))
    return out


def public_updated_at() -> dt.datetime | None:
    """When the public list last changed (the newest zone event)."""
    return ZoneEvent.objects.order_by("-at").values_list("at", flat=True).first()


def map_data(*, actor, now: dt.datetime | None = None) -> dict:
    """Zones (active) with centre, people and days remaining, and district outlines, for the city map."""
    now = now or clock.now()
    zones = []
    active = list(zone_list(actor=actor, active_only=True).order_by("id")[:2000])
    summaries = {}
    for i in range(0, len(active), 500):
        summaries.update(zone_summaries(zones=active[i:i + 500], now=now))
    for z in active:
        s = summaries[z.pk]
        zones.append({"id": z.pk, "name": z.name, "kind": z.kind, "label": s["label"], "rank": s["rank"], "status": z.status,
                      "status_label": str(z.get_status_display()), "lon": z.lon, "lat": z.lat, "population": z.population,
                      "households": z.households, "days_remaining": s["days_remaining"], "polygon": z.polygon})
    return {"districts": region_selectors.city_map()["districts"], "zones": zones}


def candidates(*, actor, kind: str, parent_path: str, limit: int = 300) -> list[dict]:
    """What an officer can pick inside a community or grid: units, buildings, compounds, grids, communities."""
    if kind in ("grid", "community", "village"):
        level = Level.GRID if kind == "grid" else Level.COMMUNITY
        qs = Region.objects.visible_to(actor, "view").filter(level=level)
        if parent_path:
            qs = qs.filter(path__startswith=parent_path)
        if kind == "village":
            qs = qs.filter(is_rural=True)
        return [{"value": r.pk, "label": r.name, "path": r.path} for r in qs.order_by("path")[:limit]]
    buildings = Building.objects.visible_to(actor, "view")
    if parent_path:
        buildings = buildings.filter(region_path__startswith=parent_path)
    if kind == "compound":
        rows = buildings.values_list("community_id", "compound").distinct().order_by("community_id", "compound")[:limit]
        return [{"value": f"{c}:{name}", "label": name} for c, name in rows]
    if kind == "building":
        return [{"value": b.pk, "label": str(b)} for b in buildings.order_by("compound", "id")[:limit]]
    if kind == "unit":
        units = Unit.objects.visible_to(actor, "view").select_related("building")
        if parent_path:
            units = units.filter(region_path__startswith=parent_path)
        return [{"value": u.pk, "label": str(u)} for u in units.order_by("building__compound", "building_id", "number")[:limit]]
    return []


def counts(*, actor) -> dict:
    """Active zones per status and kind inside the actor's area."""
    qs = zone_list(actor=actor, active_only=True)
    by_status = {r["status"]: r["n"] for r in qs.values("status").annotate(n=Count("id"))}
    by_kind = {r["kind"]: r["n"] for r in qs.values("kind").annotate(n=Count("id"))}
    people = qs.filter(status__in=ENFORCED).exclude(drawn_by="district_rest").aggregate(p=Sum("population"))["p"] or 0
    return {"by_status": by_status, "by_kind": by_kind, "people_in_force": people}


# --- the national risk-area list ---------------------------------------------------------------------------------

def _province(city: Region | None) -> str:
    configured = getattr(settings, "CORDON_PROVINCE_NAME", "")
    if configured or city is None:
        return configured
    return national.PROVINCES.get(city.code[:2], "")


def national_areas() -> list[national.Area]:
    """cordon's own risk areas (zones in force) as national-list areas: the level by the kind's rank (3 high,
    2 middle, 1 low), province/city/county from the region tree, the zone's name as the community."""
    city = Region.objects.filter(parent__isnull=True).first()
    province, city_name = _province(city), city.name if city else getattr(settings, "CORDON_CITY_NAME", "")
    districts = dict(Region.objects.filter(level=Level.DISTRICT).values_list("path", "name"))
    out = []
    for z in Zone.objects.filter(status__in=ENFORCED).order_by("district_path", "in_force_at", "id"):
        rank = int(_kinds(z.ruleset).get(z.kind, {}).get("rank", 0))
        level = {3: "high", 2: "middle", 1: "low"}.get(min(rank, 3))
        if level:
            out.append(national.Area(level, province, city_name, districts.get(z.district_path, ""), z.name))
    return out


def national_document() -> dict:
    """cordon's own risk areas as the national list's JSON document (what the public endpoint serves)."""
    return national.build_document(updated_at=public_updated_at() or clock.now(), areas=national_areas())


def national_lists(*, limit: int = 20) -> list[NationalList]:
    """The snapshots of the national list imported, newest first."""
    return list(NationalList.objects.select_related("imported_by")[:limit])


def external_areas(*, filters: Mapping | None = None) -> QuerySet[ExternalArea]:
    """External risk areas from the national list (public data), filtered by ExternalAreaFilter (level, current, q)."""
    return ExternalAreaFilter.apply(filters, ExternalArea.objects.all())


def external_counts() -> dict:
    """Communities on the national list in force, per level."""
    rows = ExternalArea.objects.filter(listed_until__isnull=True).values("level").annotate(n=Count("id"))
    counts = {"high": 0, "middle": 0, "low": 0}
    counts.update({r["level"]: r["n"] for r in rows})
    return counts


_INDEX: dict = {"batch": None, "index": national.prepare([])}


def _external_index() -> national.Index:
    batch = NationalList.objects.order_by("-id").values_list("batch", flat=True).first()
    if batch != _INDEX["batch"]:
        rows = ExternalArea.objects.values_list("id", "level", "province", "city", "county", "community", "listed_from", "listed_until")
        _INDEX.update(batch=batch, index=national.prepare(rows))
    return _INDEX["index"]


def external_risk(*, place: str, on: dt.datetime | None = None) -> dict | None:
    """The national list's highest level for a place someone came from (its text names city, county and community,
    or a county-wide entry covers it), listed at `on` (default: now): {"level" (cordon's: high, medium, low),
    "national_level", "category" (the arrival's measures category), "area", "area_id"}; None when not listed."""
    if not (place or "").strip():
        return None
    hit = national.match(_external_index(), place, on=on)
    if hit is None:
        return None
    return {"level": national.CORDON_LEVEL[hit.level], "national_level": hit.level,
            "category": national.ARRIVAL_CATEGORY[hit.level], "area_id": hit.id, "area": hit.label}
