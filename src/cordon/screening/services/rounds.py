"""Rounds and their sites: plan a round over a region (sites of ~2,000-3,000 people by community, pool
sizes by zone level, staffing and tubes), adjust a site, publish and close."""

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, policy
from cordon.core.errors import ServiceError
from cordon.people.models import Person
from cordon.regions.models import Level, Region
from cordon.screening import events, rules
from cordon.screening.enums import ROUND_LIFECYCLE, TUBE_LIFECYCLE, RoundStatus, TubeStatus, reaching
from cordon.screening.models import Round, Site, Tube
from cordon.screening.services.common import aware, user_id

SITE_FIELDS = ("name", "opens_at", "closes_at", "tables", "samplers", "pool_size", "active")


def _grid_population(region: Region) -> dict[str, int]:
    rows = (Person.objects.filter(region_path__startswith=region.path + ".").values("region_path")
            .annotate(n=Count("id")).values_list("region_path", "n"))
    out = dict(rows)
    if region.level == Level.GRID:
        out[region.path] = Person.objects.filter(region_path=region.path).count()
    return out


def _zone_level(path: str, on: dt.datetime) -> str | None:
    """The zone kind in force over a grid (answered by zones), None outside zones."""
    return events.ZONE_LEVEL.ask(region_path=path, on=on)


def _round_window(starts_at, ends_at) -> tuple[dt.datetime, dt.datetime]:
    starts_at = aware(starts_at, field="starts_at")
    ends_at = aware(ends_at, field="ends_at")
    if starts_at is None:
        raise ServiceError.field("starts_at", _("is required"))
    if ends_at is None or ends_at <= starts_at:
        raise ServiceError.field("ends_at", _("must be after the start"))
    return starts_at, ends_at


def _default_pool(ruleset, pool_sizes: dict, pool_size: int | None) -> int:
    default_pool = int(pool_size or pool_sizes.get("default", 10))
    allowed = rules.allowed_pool_sizes(pool_sizes)
    if default_pool not in allowed and default_pool not in (1, 10, 20):
        raise ServiceError.field("pool_size", _("%(default_pool)s is not a pool size of rule set %(code)s") % {"default_pool": default_pool, "code": ruleset.code})
    if default_pool > max(allowed | {20}):
        raise ServiceError.field("pool_size", _("is bigger than the rule set allows"))
    return default_pool


def _grid_groups(region: Region, population: dict[str, int], *, target_max: int):
    """Grids with people grouped into sites by community: (groups, community names, community ids by path)."""
    grids = list(Region.objects.filter(level=Level.GRID).filter(path__startswith=region.path).values_list("path", "parent_id"))
    if region.level == Level.GRID:
        grids = [(region.path, region.parent_id)]
    parents = dict(Region.objects.filter(pk__in={p for _g, p in grids}).values_list("pk", "path"))
    names = dict(Region.objects.filter(pk__in=list(parents)).values_list("path", "name"))
    items = [(parents[p], g, population.get(g, 0)) for g, p in grids if population.get(g, 0)]
    groups = rules.group_grids(items, target_max=target_max)
    return groups, names, {path: pk for pk, path in parents.items()}


def _plan_sites(rnd: Round, groups, *, names, community_ids, pool_sizes, sizing_rules) -> tuple[list[Site], dict[int, int]]:
    """One site per group of grids, its pool size the smallest of its grids' zone levels; people per pool size."""
    sites, numbers = [], {}
    by_pool: dict[int, int] = {}
    for group in groups:
        community = group[0][0]
        numbers[community] = numbers.get(community, 0) + 1
        pop = sum(g[2] for g in group)
        levels = [lvl for lvl in (_zone_level(g[1], rnd.starts_at) for g in group) if lvl]
        sizes = [rules.pool_size_for(lvl, pool_sizes=pool_sizes, default=rnd.pool_size) for lvl in levels] or [rnd.pool_size]
        size = min(sizes)
        tables, samplers = rules.tables_and_samplers(pop, sizing_rules)
        by_pool[size] = by_pool.get(size, 0) + pop
        sites.append(Site(round=rnd, region_path=community, region_id=community_ids[community],
                          name=f"{names.get(community, community)} {numbers[community]}号采样点",
                          grid_paths=[g[1] for g in group], population=pop, opens_at=rnd.starts_at, closes_at=rnd.ends_at,
                          tables=min(tables, 200), samplers=min(samplers, 500), pool_size=size,
                          zone_level=levels[0] if levels else ""))
    return sites, by_pool


def round_plan(*, actor, name: str, region: Region, starts_at: dt.datetime, ends_at: dt.datetime,
               pool_size: int | None = None) -> Round:
    """Draft a round over a region: sites of ~2,000-3,000 people by community, pool sizes by zone, staffing and tubes."""
    access.require(actor, "screening.change", region.path)
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    starts_at, ends_at = _round_window(starts_at, ends_at)
    ruleset = policy.in_force(starts_at)
    section = ruleset.section("screening")
    pool_sizes = section["pool_size"]
    default_pool = _default_pool(ruleset, pool_sizes, pool_size)
    sizing_rules = section["sizing"]
    population = _grid_population(region)
    groups, names, community_ids = _grid_groups(region, population, target_max=sizing_rules["people_per_site_max"])
    with transaction.atomic():
        rnd = Round.objects.create(name=name.strip(), region=region, region_path=region.path, starts_at=starts_at,
                                   ends_at=ends_at, pool_size=default_pool, ruleset=ruleset.code, created_by_id=user_id(actor))
        sites, by_pool = _plan_sites(rnd, groups, names=names, community_ids=community_ids, pool_sizes=pool_sizes,
                                     sizing_rules=sizing_rules)
        Site.objects.bulk_create(sites, batch_size=500)
        total = sum(population.values())
        plan = rules.sizing(population=total, pool_size=default_pool, rules=sizing_rules)
        plan["tubes"] = sum(-(-pop // size) for size, pop in by_pool.items())
        plan["planned_sites"] = len(sites)
        plan["people_by_pool_size"] = {str(k): v for k, v in sorted(by_pool.items())}
        rnd.plan = plan
        rnd.save(update_fields=["plan"])
        audit.record(actor, "round.plan", rnd, changes={"name": rnd.name, "sites": len(sites), "population": total,
                                                         "pool_size": default_pool, "ruleset": ruleset.code})
    return rnd


def _site_value(key: str, value, allowed: set[int]):
    """One checked site field."""
    if key in ("opens_at", "closes_at"):
        value = aware(value, field=key)
    if key in ("tables", "samplers", "pool_size"):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ServiceError.field(key, _("must be a whole number"))
        if value < 1:
            raise ServiceError.field(key, _("must be at least 1"))
    if key == "pool_size" and value not in allowed:
        raise ServiceError.field("pool_size", _("%(value)s is not allowed (allowed: %(sorted_allowed)s)") % {"value": value, "sorted_allowed": sorted(allowed)})
    if key == "name" and not str(value).strip():
        raise ServiceError.field("name", _("is required"))
    return value


def site_update(*, actor, site: Site, **changes) -> Site:
    """Adjust a site of a draft or running round (hours, tables, samplers, pool size, active)."""
    access.require(actor, "screening.change", site.region_path)
    if site.round.status == RoundStatus.CLOSED:
        raise ServiceError.field("round", _("is closed"), code="closed")
    pool_sizes = policy.by_code(site.round.ruleset).section("screening")["pool_size"] if site.round.ruleset else {}
    allowed = rules.allowed_pool_sizes(pool_sizes) | {1, 10, 20}
    fields = {key: _site_value(key, changes[key], allowed) for key in SITE_FIELDS if changes.get(key) is not None}
    opens, closes = fields.get("opens_at", site.opens_at), fields.get("closes_at", site.closes_at)
    if closes <= opens:
        raise ServiceError.field("closes_at", _("must be after the opening time"))
    with transaction.atomic():
        for k, v in fields.items():
            setattr(site, k, v)
        site.save(update_fields=list(fields) or None)
        audit.record(actor, "site.update", site, changes={k: v for k, v in fields.items()})
    return site


def round_publish(*, actor, rnd: Round) -> Round:
    """Publish a draft plan: sites open for sampling."""
    access.require(actor, "screening.publish", rnd.region_path)
    ROUND_LIFECYCLE.step(rnd.status, RoundStatus.PUBLISHED)
    with transaction.atomic():
        rnd.status, rnd.published_at = RoundStatus.PUBLISHED, clock.now()
        rnd.save(update_fields=["status", "published_at"])
        audit.record(actor, "round.publish", rnd, changes={"sites": rnd.sites.count()})
    return rnd


def round_close(*, actor, rnd: Round) -> Round:
    """End sampling for a round; open tubes are closed."""
    access.require(actor, "screening.change", rnd.region_path)
    ROUND_LIFECYCLE.step(rnd.status, RoundStatus.CLOSED)
    now = clock.now()
    with transaction.atomic():
        closed = (Tube.objects.filter(round=rnd, status__in=reaching(TUBE_LIFECYCLE, TubeStatus.CLOSED))
                  .update(status=TubeStatus.CLOSED, closed_at=now))
        rnd.status, rnd.closed_at = RoundStatus.CLOSED, now
        rnd.save(update_fields=["status", "closed_at"])
        audit.record(actor, "round.close", rnd, changes={"tubes_closed": closed})
    return rnd
