"""Writes for mass testing: plan and publish rounds, register samples, close and receive tubes,
apply lab results (CSV/Excel and HL7 v2 ORU^R01), hold positive pools and track single-tube retests.

Sample registration is one path for the sampler page, the bulk API and the benchmark: the whole
batch is validated with a handful of set-based reads, then written with executemany inside one
transaction (one audit entry per batch). The partial unique index on (round, person) makes a
retried sample impossible to store twice even if two uploads race.
"""

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cordon.command import services as command_services
from cordon.core import access, audit, clock, policy, tabular, throttle
from cordon.core.errors import Conflict, ServiceError
from cordon.core.notify import notifier
from cordon.people.models import Person
from cordon.regions.models import Level, Region
from cordon.screening import jobs, rules, selectors
from cordon.screening.enums import RetestStatus, RoundStatus, SampleResult, TubeStatus
from cordon.screening.models import Retest, Round, Sample, Site, Tube
from cordon.status import services as status_services

SYSTEM = access.system("screening")  # this module's work that no user clicked

MAX_BATCH = 10_000
CLOCK_SLACK = dt.timedelta(minutes=10)  # a lab's clock a little ahead of ours is not a future result
CHUNK = 900
HELD_REASON = "held_positive_pool"


def _chunks(seq, n=CHUNK):
    seq = list(seq)
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _may(actor, verbs: tuple[str, ...], path: str) -> bool:
    return any(access.can(actor, f"screening.{v}", path) for v in verbs)


def _require(actor, verbs: tuple[str, ...], path: str) -> None:
    if not _may(actor, verbs, path):
        raise PermissionDenied(f"screening.{verbs[0]}")


def _aware(value, *, field: str, row: int | None = None, errors: list | None = None):
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        parsed = parse_datetime(str(value).strip().replace("/", "-"))
        if parsed is None:
            try:
                parsed = dt.datetime.combine(dt.date.fromisoformat(str(value).strip()), dt.time(12))
            except ValueError:
                if errors is None:
                    raise ServiceError.field(field, f"{value!r} is not a date and time", row=row)
                errors.append({"row": row, "field": field, "message": f"{value!r} is not a date and time"})
                return None
    if timezone.is_naive(parsed):
        parsed = clock.aware(parsed)
    return parsed


# ---------------------------------------------------------------- rounds and sites

def _grid_population(region: Region) -> dict[str, int]:
    rows = (Person.objects.filter(region_path__startswith=region.path + ".").values("region_path")
            .annotate(n=Count("id")).values_list("region_path", "n"))
    out = dict(rows)
    if region.level == Level.GRID:
        out[region.path] = Person.objects.filter(region_path=region.path).count()
    return out


def _zone_level(path: str, on: dt.datetime) -> str | None:
    try:
        from cordon.zones import selectors as zone_selectors
    except ImportError:
        return None
    fn = getattr(zone_selectors, "risk_level_for_path", None)
    return fn(region_path=path, on=on) if fn else None


def round_plan(*, actor, name: str, region: Region, starts_at: dt.datetime, ends_at: dt.datetime,
               pool_size: int | None = None) -> Round:
    """Draft a round over a region: sites of ~2,000-3,000 people by community, pool sizes by zone, staffing and tubes."""
    access.require(actor, "screening.change", region.path)
    if not (name or "").strip():
        raise ServiceError.field("name", "is required")
    starts_at = _aware(starts_at, field="starts_at")
    ends_at = _aware(ends_at, field="ends_at")
    if starts_at is None:
        raise ServiceError.field("starts_at", "is required")
    if ends_at is None or ends_at <= starts_at:
        raise ServiceError.field("ends_at", "must be after the start")
    ruleset = policy.in_force(starts_at)
    section = ruleset.section("screening")
    pool_sizes = section["pool_size"]
    default_pool = int(pool_size or pool_sizes.get("default", 10))
    if default_pool not in rules.allowed_pool_sizes(pool_sizes) and default_pool not in (1, 10, 20):
        raise ServiceError.field("pool_size", f"{default_pool} is not a pool size of rule set {ruleset.code}")
    if default_pool > max(rules.allowed_pool_sizes(pool_sizes) | {20}):
        raise ServiceError.field("pool_size", "is bigger than the rule set allows")
    sizing_rules = section["sizing"]
    population = _grid_population(region)
    grids = list(Region.objects.filter(level=Level.GRID).filter(path__startswith=region.path).values_list("path", "parent_id"))
    if region.level == Level.GRID:
        grids = [(region.path, region.parent_id)]
    parents = dict(Region.objects.filter(pk__in={p for _g, p in grids}).values_list("pk", "path"))
    names = dict(Region.objects.filter(pk__in=list(parents)).values_list("path", "name"))
    items = [(parents[p], g, population.get(g, 0)) for g, p in grids if population.get(g, 0)]
    groups = rules.group_grids(items, target_max=sizing_rules["people_per_site_max"])
    community_ids = {path: pk for pk, path in parents.items()}
    with transaction.atomic():
        rnd = Round.objects.create(name=name.strip(), region=region, region_path=region.path, starts_at=starts_at,
                                   ends_at=ends_at, pool_size=default_pool, ruleset=ruleset.code,
                                   created_by=actor if getattr(actor, "is_authenticated", False) else None)
        sites, numbers = [], {}
        by_pool: dict[int, int] = {}
        for group in groups:
            community = group[0][0]
            numbers[community] = numbers.get(community, 0) + 1
            pop = sum(g[2] for g in group)
            levels = [lvl for lvl in (_zone_level(g[1], starts_at) for g in group) if lvl]
            sizes = [rules.pool_size_for(lvl, pool_sizes=pool_sizes, default=default_pool) for lvl in levels] or [default_pool]
            size = min(sizes)
            tables, samplers = rules.tables_and_samplers(pop, sizing_rules)
            by_pool[size] = by_pool.get(size, 0) + pop
            sites.append(Site(round=rnd, region_path=community, region_id=community_ids[community],
                              name=f"{names.get(community, community)} {numbers[community]}号采样点",
                              grid_paths=[g[1] for g in group], population=pop, opens_at=starts_at, closes_at=ends_at,
                              tables=min(tables, 200), samplers=min(samplers, 500), pool_size=size,
                              zone_level=levels[0] if levels else ""))
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


def site_update(*, actor, site: Site, **changes) -> Site:
    """Adjust a site of a draft or running round (hours, tables, samplers, pool size, active)."""
    access.require(actor, "screening.change", site.region_path)
    if site.round.status == RoundStatus.CLOSED:
        raise ServiceError.field("round", "is closed", code="closed")
    pool_sizes = policy.by_code(site.round.ruleset).section("screening")["pool_size"] if site.round.ruleset else {}
    allowed = rules.allowed_pool_sizes(pool_sizes) | {1, 10, 20}
    fields = {}
    for key in ("name", "opens_at", "closes_at", "tables", "samplers", "pool_size", "active"):
        if key not in changes or changes[key] is None:
            continue
        value = changes[key]
        if key in ("opens_at", "closes_at"):
            value = _aware(value, field=key)
        if key in ("tables", "samplers", "pool_size"):
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ServiceError.field(key, "must be a whole number")
            if value < 1:
                raise ServiceError.field(key, "must be at least 1")
        if key == "pool_size" and value not in allowed:
            raise ServiceError.field("pool_size", f"{value} is not allowed (allowed: {sorted(allowed)})")
        if key == "name" and not str(value).strip():
            raise ServiceError.field("name", "is required")
        fields[key] = value
    opens, closes = fields.get("opens_at", site.opens_at), fields.get("closes_at", site.closes_at)
    if closes <= opens:
        raise ServiceError.field("closes_at", "must be after the opening time")
    with transaction.atomic():
        for k, v in fields.items():
            setattr(site, k, v)
        site.save(update_fields=list(fields) or None)
        audit.record(actor, "site.update", site, changes={k: v for k, v in fields.items()})
    return site


def round_publish(*, actor, rnd: Round) -> Round:
    """Publish a draft plan: sites open for sampling."""
    access.require(actor, "screening.publish", rnd.region_path)
    if rnd.status != RoundStatus.DRAFT:
        raise ServiceError.field("status", "only a draft round can be published", code="not_draft")
    with transaction.atomic():
        rnd.status, rnd.published_at = RoundStatus.PUBLISHED, clock.now()
        rnd.save(update_fields=["status", "published_at"])
        audit.record(actor, "round.publish", rnd, changes={"sites": rnd.sites.count()})
    return rnd


def round_close(*, actor, rnd: Round) -> Round:
    """End sampling for a round; open tubes are closed."""
    access.require(actor, "screening.change", rnd.region_path)
    if rnd.status != RoundStatus.PUBLISHED:
        raise ServiceError.field("status", "only a running round can be closed", code="not_running")
    now = clock.now()
    with transaction.atomic():
        closed = Tube.objects.filter(round=rnd, status=TubeStatus.OPEN).update(status=TubeStatus.CLOSED, closed_at=now)
        rnd.status, rnd.closed_at = RoundStatus.CLOSED, now
        rnd.save(update_fields=["status", "closed_at"])
        audit.record(actor, "round.close", rnd, changes={"tubes_closed": closed})
    return rnd


# ---------------------------------------------------------------- sample registration

def _select(sql: str, keys, params_before: tuple = ()) -> list[tuple]:
    """Rows of `sql` (with one IN list marked {in}) for all keys, chunked; plain tuples, no ORM."""
    out: list[tuple] = []
    with connection.cursor() as cur:
        for chunk in _chunks(keys):
            cur.execute(sql.format(marks=", ".join(["%s"] * len(chunk))), [*params_before, *chunk])
            out.extend(cur.fetchall())
    return out


def _lookup_people(id_numbers: set[str], tokens: set[str]) -> dict[str, tuple[int, str]]:
    table = Person._meta.db_table
    found: dict[str, tuple[int, str]] = {}
    for pk, key, path in _select(f"SELECT id, id_number, region_path FROM {table} WHERE id_number IN ({{marks}})", id_numbers):
        found[key] = (pk, path)
    if tokens:
        for pk, key, path in _select(f"SELECT id, token, region_path FROM {table} WHERE token IN ({{marks}})", tokens):
            found[key] = (pk, path)
    return found


def _inside(path: str, area: str) -> bool:
    return path == area or path.startswith(area + ".")


def _db_datetime():
    """A fast adapter of aware datetimes to what the database stores (memoised: a batch shares few timestamps)."""
    if connection.vendor == "sqlite":
        utc = dt.UTC

        def adapt(value):
            return None if value is None else value.astimezone(utc).replace(tzinfo=None).isoformat(" ")
    else:
        def adapt(value):
            return value
    return adapt


def samples_register(*, actor, round_id: int, items: list[dict], now: dt.datetime | None = None) -> dict:
    """Register a batch of samples (person code + tube barcode + site): all rows valid or none written."""
    now = now or clock.now()
    rnd = selectors.round_get(actor=actor, pk=round_id)
    if not items:
        raise ServiceError.field("items", "the batch is empty")
    if len(items) > MAX_BATCH:
        raise ServiceError.field("items", f"at most {MAX_BATCH} samples per batch ({len(items)} sent)")
    raw_sites = {it.get("site") for it in items}
    site_ids = set()
    for v in raw_sites:
        try:
            site_ids.add(int(v))
        except (TypeError, ValueError):
            pass
    sites = {s.pk: s for s in Site.objects.filter(round=rnd, pk__in=site_ids)}
    for s in sites.values():
        _require(actor, ("sample", "change"), s.region_path)
    if not sites:
        _require(actor, ("sample", "change"), rnd.region_path)
    if rnd.status != RoundStatus.PUBLISHED:
        raise ServiceError.field("round", f"round {rnd.name} is not open for sampling ({rnd.get_status_display()})",
                                 code="round_not_open")
    site_of = {}  # raw site value -> (site id, pool size, region path) for usable sites
    site_error = {}
    for v in raw_sites:
        try:
            site = sites.get(int(v))
        except (TypeError, ValueError):
            site = None
        if site is None:
            site_error[v] = ("site", f"site {v!r} is not a site of this round (wrong site)", "wrong_site")
        elif not site.active:
            site_error[v] = ("site", f"site {site.name} is closed", "site_closed")
        else:
            site_of[v] = (site.pk, site.pool_size, site.region_path)

    errors: list[dict] = []

    def bad(row, field, message, code="invalid"):
        errors.append({"row": row, "field": field, "message": message, "code": code})

    id_numbers, tokens, codes = set(), set(), set()
    persons, tube_codes = [], []
    for it in items:
        person = it.get("person")
        person = person.strip() if isinstance(person, str) else str(person or "")
        if len(person) == 18 and person[:17].isdigit():
            person = person.upper()
            id_numbers.add(person)
        elif person and len(person) <= 32:
            tokens.add(person)
        code = it.get("tube")
        code = code.strip().upper() if isinstance(code, str) else rules.normalise_barcode(code)
        codes.add(code)
        persons.append(person)
        tube_codes.append(code)
    people = _lookup_people(id_numbers, tokens)
    person_ids = {v[0] for v in people.values()}
    done = {r[0] for r in _select(f"SELECT person_id FROM {Sample._meta.db_table} WHERE round_id = %s AND is_retest = %s "
                                  "AND person_id IN ({marks})", person_ids, (rnd.pk, False))}
    tube_cols = ("id", "code", "round_id", "site_id", "capacity", "count", "status", "is_retest")
    tubes = {r[1]: dict(zip(tube_cols, r, strict=True)) for r in
             _select(f"SELECT {', '.join(tube_cols)} FROM {Tube._meta.db_table} WHERE code IN ({{marks}})", [c for c in codes if c])}
    site_names = {pk: s.name for pk, s in sites.items()}
    good_codes = {c for c in codes if rules.barcode_ok(c)}
    seen_people: dict[int, int] = {}
    state: dict[str, dict] = {}  # tube code -> running count / capacity / site / new
    rows = []
    area = rnd.region_path
    area_dot = area + "."
    slack = now + dt.timedelta(minutes=10)
    earliest = rnd.starts_at - dt.timedelta(hours=12)
    OPEN = TubeStatus.OPEN
    for n, (it, person, code) in enumerate(zip(items, persons, tube_codes, strict=True), 1):
        ok = True
        raw_site = it.get("site")
        site = site_of.get(raw_site)
        if site is None:
            bad(n, *site_error[raw_site])
            ok = False
        hit = people.get(person) if person else None
        if hit is None:
            if person:
                bad(n, "person", "unknown person: register them on the spot", "unknown_person")
            else:
                bad(n, "person", "is required (scan the ID card or the person's code)", "required")
            ok = False
        else:
            pid, path = hit
            if pid in done:
                bad(n, "person", "already sampled in this round", "already_sampled")
                ok = False
            elif pid in seen_people:
                bad(n, "person", f"appears twice in this batch (row {seen_people[pid]})", "duplicate")
                ok = False
            elif path != area and not path.startswith(area_dot):
                bad(n, "person", "lives outside this round's area", "outside_round")
                ok = False
            else:
                seen_people[pid] = n
        st = None
        if code not in good_codes:
            bad(n, "tube", f"malformed barcode {code!r} (6-32 letters, digits or dashes)", "malformed_barcode")
            ok = False
        elif site is not None:
            st = state.get(code)
            if st is None:
                t = tubes.get(code)
                if t is None:
                    st = {"id": None, "capacity": site[1], "count": 0, "site": site[0], "status": OPEN,
                          "opened_at": None, "new": True}
                elif t["round_id"] != rnd.pk:
                    bad(n, "tube", f"tube {code} belongs to another round", "tube_other_round")
                    ok = False
                elif t["is_retest"]:
                    bad(n, "tube", f"tube {code} is a single-tube retest tube", "tube_retest")
                    ok = False
                else:
                    st = {"id": t["id"], "capacity": t["capacity"], "count": t["count"], "site": t["site_id"],
                          "status": t["status"], "opened_at": None, "new": False}
                if st is not None:
                    state[code] = st
            if st is not None:
                if st["site"] != site[0]:
                    bad(n, "tube", f"tube {code} is in use at {site_names.get(st['site'], 'another site')} (wrong site)",
                        "wrong_site")
                    ok = False
                elif st["count"] >= st["capacity"]:
                    bad(n, "tube", f"tube {code} is full ({st['capacity']} of {st['capacity']})", "tube_full")
                    ok = False
                elif st["status"] != OPEN:
                    bad(n, "tube", f"tube {code} is closed", "tube_closed")
                    ok = False
        sampled_at = now
        when = it.get("sampled_at")
        if when:
            sampled_at = _aware(when, field="sampled_at", row=n, errors=errors)
            if sampled_at is None:
                ok = False
            elif sampled_at > slack:
                bad(n, "sampled_at", "is in the future")
                ok = False
            elif sampled_at < earliest:
                bad(n, "sampled_at", "is before the round started")
                ok = False
        if ok:
            st["count"] += 1
            if st["opened_at"] is None:
                st["opened_at"] = sampled_at
            if st["count"] >= st["capacity"]:
                st["status"] = TubeStatus.CLOSED
                st["closed_at"] = sampled_at
            rows.append((hit[1], hit[0], code, site[0], sampled_at))
    if errors:
        raise ServiceError(f"{len(errors)} of {len(items)} rows refused; nothing was stored. First: row {errors[0]['row']}, "
                           f"{errors[0]['field']}: {errors[0]['message']}", code="invalid_rows", fields=errors)

    sampler_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    adapt_one = _db_datetime()
    memo: dict = {}

    def adapt(value):
        out = memo.get(value)
        if out is None and value is not None:
            out = memo[value] = adapt_one(value)
        return out

    touched = {code: st for code, st in state.items() if st["count"]}
    new_codes = [c for c, st in touched.items() if st["new"]]
    site_paths = {pk: s.region_path for pk, s in sites.items()}
    tube_table, sample_table = Tube._meta.db_table, Sample._meta.db_table
    try:
        with transaction.atomic(), connection.cursor() as cur:
            if new_codes:
                cur.executemany(
                    f"INSERT INTO {tube_table} (region_path, round_id, site_id, code, capacity, count, status, "
                    "result, is_retest, lab, opened_at, closed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [(site_paths[st["site"]], rnd.pk, st["site"], c, st["capacity"], st["count"], st["status"], "pending", False,
                      "", adapt(st["opened_at"]), adapt(st.get("closed_at"))) for c in new_codes for st in (state[c],)])
                for pk, c in _select(f"SELECT id, code FROM {tube_table} WHERE code IN ({{marks}})", new_codes):
                    state[c]["id"] = pk
            updates = [(st["count"], st["status"], adapt(st.get("closed_at")), st["id"])
                       for st in touched.values() if not st["new"]]
            rid, pending = rnd.pk, SampleResult.PENDING
            cur.executemany(
                f"INSERT INTO {sample_table} (region_path, round_id, person_id, tube_id, site_id, sampled_at, "
                "sampler_id, result, is_retest) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [(path, rid, pid, state[code]["id"], site_id, adapt(at), sampler_id, pending, False)
                 for path, pid, code, site_id, at in rows])
            if updates:
                cur.executemany(f"UPDATE {tube_table} SET count = %s, status = %s, "
                                "closed_at = COALESCE(%s, closed_at) WHERE id = %s", updates)
            audit.record(actor, "sample.register_batch", rnd,
                         changes={"samples": len(rows), "tubes_opened": len(new_codes),
                                  "tubes_closed": sum(1 for st in touched.values() if st["status"] == TubeStatus.CLOSED)})
    except IntegrityError:
        raise Conflict("some of these people were sampled in this round by another upload at the same time; "
                       "nothing was stored, retry the batch", code="already_sampled")
    return {
        "round": rnd.pk,
        "accepted": len(rows),
        "tubes_opened": len(new_codes),
        "tubes": {c: {"count": st["count"], "capacity": st["capacity"], "status": str(st["status"])} for c, st in touched.items()},
    }


def tube_close(*, actor, code: str) -> Tube:
    """Close a tube by hand (fewer swabs than its capacity)."""
    code = rules.normalise_barcode(code)
    tube = access.get_for(actor, Tube.objects.all(), "view", code=code)
    _require(actor, ("sample", "change"), tube.region_path)
    if tube.status != TubeStatus.OPEN:
        raise ServiceError.field("tube", f"tube {code} is closed already", code="tube_closed")
    with transaction.atomic():
        tube.status, tube.closed_at = TubeStatus.CLOSED, clock.now()
        tube.save(update_fields=["status", "closed_at"])
        audit.record(actor, "tube.close", tube, changes={"count": tube.count})
    return tube


def tubes_close(*, actor, codes: list[str]) -> int:
    """Close many open tubes at once (a site's shift ends); one audit entry."""
    norm = sorted({rules.normalise_barcode(c) for c in codes})
    tubes = []
    for chunk in _chunks(norm):
        tubes.extend(access.scope(Tube.objects.filter(code__in=chunk, status=TubeStatus.OPEN), actor, "view").values_list("id", "region_path"))
    for path in {p for _i, p in tubes}:
        _require(actor, ("sample", "change"), path)
    now = clock.now()
    with transaction.atomic():
        for chunk in _chunks([i for i, _p in tubes]):
            Tube.objects.filter(pk__in=chunk).update(status=TubeStatus.CLOSED, closed_at=now)
        audit.record(actor, "tube.close_batch", object_type="screening.tube", changes={"closed": len(tubes)})
    return len(tubes)


def tubes_receive(*, actor, codes: list[str], lab: str = "") -> dict:
    """A lab scans tubes in on arrival (closed -> received); unknown or open tubes are refused by row."""
    if not codes:
        raise ServiceError.field("codes", "no tube codes given")
    norm = [rules.normalise_barcode(c) for c in codes]
    tubes = {}
    for chunk in _chunks(set(norm)):
        for t in access.scope(Tube.objects.filter(code__in=chunk), actor, "view"):
            tubes[t.code] = t
    errors = []
    for n, code in enumerate(norm, 1):
        t = tubes.get(code)
        if not rules.barcode_ok(code):
            errors.append({"row": n, "field": "tube", "message": f"malformed barcode {code!r}"})
        elif t is None:
            errors.append({"row": n, "field": "tube", "message": f"unknown tube {code}"})
        elif not _may(actor, ("result", "change"), t.region_path):
            raise PermissionDenied("screening.result")
    if errors:
        raise ServiceError(f"{len(errors)} tubes refused; nothing was stored", code="invalid_rows", fields=errors)
    now = clock.now()
    ids = [t.pk for t in tubes.values() if t.status in (TubeStatus.OPEN, TubeStatus.CLOSED)]
    with transaction.atomic():
        for chunk in _chunks(ids):
            Tube.objects.filter(pk__in=chunk, closed_at__isnull=True).update(closed_at=now)
            Tube.objects.filter(pk__in=chunk).update(status=TubeStatus.RECEIVED, received_at=now, lab=lab[:100])
        audit.record(actor, "tube.receive_batch", object_type="screening.tube", changes={"received": len(ids), "lab": lab})
    return {"received": len(ids), "already": len(tubes) - len(ids)}


# ---------------------------------------------------------------- lab results

RESULT_ALIASES = {
    "tube": "tube", "tube_code": "tube", "barcode": "tube", "试管编码": "tube", "管码": "tube", "条码": "tube",
    "result": "result", "结果": "result", "检测结果": "result",
    "ct_orf1ab": "ct_orf1ab", "orf1ab": "ct_orf1ab", "ct_n": "ct_n", "n": "ct_n", "n基因": "ct_n",
    "lab": "lab", "检测机构": "lab", "实验室": "lab",
    "tested_at": "tested_at", "检测时间": "tested_at", "received_at": "received_at", "接收时间": "received_at",
}


def _ct(value, *, row, field, errors):
    if value in (None, ""):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        errors.append({"row": row, "field": field, "message": f"{value!r} is not a number"})
        return None
    if not 0 <= v <= 50:
        errors.append({"row": row, "field": field, "message": f"{v} is outside 0-50"})
    return v


def results_import(*, actor, data: bytes, filename: str, lab: str = "") -> dict:
    """Import lab results from CSV/Excel (tube, result, Ct values, lab, tested_at): atomic, errors by row and field."""
    if not data:
        raise ServiceError.field("file", "the file is empty")
    items = []
    header_seen = set()
    for row, values in tabular.read_rows(data, filename, RESULT_ALIASES):
        header_seen.update(values)
        items.append({"row": row, **values})
    missing = tabular.missing_columns(header_seen, ["tube", "result"]) if items else ["tube", "result"]
    if missing:
        raise ServiceError(f"missing columns: {', '.join(missing)}", code="missing_columns",
                           fields=[{"field": c, "message": "column is missing"} for c in missing])
    return results_apply(actor=actor, items=items, lab=lab, source=filename or "upload")


def hl7_parse(message: str) -> list[dict]:
    """Result rows from HL7 v2 ORU^R01 text (one or more messages): OBR-3 tube code, OBX-5 result, Ct from OBX."""
    import hl7

    text = (message or "").replace("\r\n", "\r").replace("\n", "\r").strip("\r")
    if not text.startswith("MSH"):
        raise ServiceError.field("message", "not an HL7 v2 message (must start with MSH)")
    chunks = [part for part in re.split(r"\r(?=MSH)", text) if part.strip()]
    out = []
    for mi, chunk in enumerate(chunks, 1):
        try:
            msg = hl7.parse(chunk)
        except Exception as exc:  # the library raises several types for malformed text
            raise ServiceError.field("message", f"message {mi} could not be parsed: {exc}", row=mi)
        msh = msg.segment("MSH")
        kind = str(msh[9])
        if not kind.startswith("ORU^R01"):
            raise ServiceError.field("message", f"message {mi} is {kind}, expected ORU^R01", row=mi)
        lab = str(msh[4]).split("^")[0]
        current = None
        for seg in msg:
            name = str(seg[0])
            if name == "OBR":
                tube = str(seg[3]).split("^")[0] or str(seg[2]).split("^")[0]
                when = str(seg[22] if len(seg) > 22 else "") or str(seg[7] if len(seg) > 7 else "")
                current = {"row": len(out) + 1, "tube": tube, "result": "", "ct_orf1ab": "", "ct_n": "", "lab": lab,
                           "tested_at": _hl7_time(when)}
                out.append(current)
            elif name == "OBX" and current is not None:
                ident = str(seg[3]).lower()
                value = str(seg[5])
                vtype = str(seg[2])
                if vtype == "NM" or "ct" in ident:
                    if "orf" in ident:
                        current["ct_orf1ab"] = value
                    elif "n gene" in ident or "^n^" in ident or ident.endswith("n") or "n基因" in ident:
                        current["ct_n"] = value
                else:
                    current["result"] = value.split("^")[1] if "^" in value else value
    if not out:
        raise ServiceError.field("message", "no OBR segment (tube) found")
    return out


def _hl7_time(value: str) -> str:
    v = (value or "").split("^")[0].split("+")[0].split("-")[0]
    if len(v) >= 12 and v[:12].isdigit():
        return f"{v[0:4]}-{v[4:6]}-{v[6:8]}T{v[8:10]}:{v[10:12]}:{v[12:14] or '00'}"
    return ""


def results_import_hl7(*, actor, message: str) -> dict:
    """Import lab results sent as HL7 v2 ORU^R01 messages."""
    return results_apply(actor=actor, items=hl7_parse(message), source="hl7")


def results_apply(*, actor, items: list[dict], lab: str = "", source: str = "") -> dict:
    """Apply tube results: negatives released, positive pools held with retests, positive single tubes reported as cases."""
    now = clock.now()
    errors: list[dict] = []
    clean = []
    codes = set()
    for n, it in enumerate(items, 1):
        row = it.get("row", n)
        code = rules.normalise_barcode(it.get("tube"))
        result = rules.result_word(it.get("result"))
        if not rules.barcode_ok(code):
            errors.append({"row": row, "field": "tube", "message": f"malformed barcode {code!r}"})
        if result is None:
            errors.append({"row": row, "field": "result", "message": f"{it.get('result')!r} is not positive, negative or invalid"})
        ct1 = _ct(it.get("ct_orf1ab"), row=row, field="ct_orf1ab", errors=errors)
        ct2 = _ct(it.get("ct_n"), row=row, field="ct_n", errors=errors)
        tested_at = _aware(it.get("tested_at"), field="tested_at", row=row, errors=errors) or now
        if tested_at > now + CLOCK_SLACK:
            errors.append({"row": row, "field": "tested_at", "message": "is in the future"})
        received_at = _aware(it.get("received_at"), field="received_at", row=row, errors=errors)
        if received_at is not None and received_at > now + CLOCK_SLACK:
            errors.append({"row": row, "field": "received_at", "message": "is in the future"})
        elif received_at is not None and tested_at < received_at:
            errors.append({"row": row, "field": "tested_at", "message": "is before the lab received the tube (received_at)"})
        codes.add(code)
        clean.append((row, code, result, ct1, ct2, (it.get("lab") or lab or "")[:100], tested_at, received_at))
    tubes = {}
    for chunk in _chunks(codes):
        for t in Tube.objects.filter(code__in=chunk).values("id", "code", "status", "result", "region_path", "round_id",
                                                             "is_retest", "capacity", "count", "closed_at", "received_at"):
            tubes[t["code"]] = t
    # the latest swab in each tube: a tube is received and tested only after its samples were taken
    last_sampled: dict[int, dt.datetime] = {}
    for chunk in _chunks([t["id"] for t in tubes.values()]):
        last_sampled.update(Sample.objects.filter(tube_id__in=chunk).values("tube_id").annotate(last=Max("sampled_at"))
                            .values_list("tube_id", "last"))
    paths = {t["region_path"] for t in tubes.values()}
    for p in paths:
        if not access.can(actor, "screening.view", p):
            continue
        _require(actor, ("result", "change"), p)
    first_row: dict[str, tuple[int, str]] = {}
    todo = []
    for row, code, result, ct1, ct2, lab_name, tested_at, received_at in clean:
        t = tubes.get(code)
        if t is None or not access.can(actor, "screening.view", t["region_path"]):
            if rules.barcode_ok(code):
                errors.append({"row": row, "field": "tube", "message": f"unknown tube {code}"})
            continue
        if result is None:
            continue
        if code in first_row:
            prev_row, prev = first_row[code]
            if prev != result:
                errors.append({"row": row, "field": "result",
                               "message": f"tube {code} is reported {prev} in row {prev_row} and {result} here"})
            continue
        first_row[code] = (row, result)
        if t["status"] == TubeStatus.TESTED:
            if t["result"] != result:
                errors.append({"row": row, "field": "result",
                               "message": f"tube {code} was reported {t['result']} already; a different result needs a correction"})
            continue
        if t["count"] == 0:
            errors.append({"row": row, "field": "tube", "message": f"tube {code} holds no sample"})
            continue
        sampled = last_sampled.get(t["id"])
        received = received_at or t["received_at"]
        if sampled is not None and received is not None and received < sampled:
            errors.append({"row": row, "field": "received_at", "message":
                           f"is before the last sample of tube {code} was taken ({clock.local(sampled):%Y-%m-%d %H:%M})"})
            continue
        if sampled is not None and tested_at < sampled:
            errors.append({"row": row, "field": "tested_at", "message":
                           f"is before the last sample of tube {code} was taken ({clock.local(sampled):%Y-%m-%d %H:%M})"})
            continue
        todo.append((t, result, ct1, ct2, lab_name, tested_at, received_at))
    if errors:
        errors.sort(key=lambda e: (e.get("row", 0), e["field"]))
        raise ServiceError(f"{len(errors)} problems; nothing was imported. First: row {errors[0].get('row')}, "
                           f"{errors[0]['field']}: {errors[0]['message']}", code="invalid_rows", fields=errors)
    return _apply(actor=actor, todo=todo, now=now, source=source, skipped=len(clean) - len(todo))


def _apply(*, actor, todo, now, source, skipped) -> dict:
    adapt = connection.ops.adapt_datetimefield_value
    by_result: dict[str, list[int]] = {"negative": [], "positive": [], "invalid": []}
    updates = []
    for t, result, ct1, ct2, lab_name, tested_at, received_at in todo:
        by_result[result].append(t["id"])
        received = received_at or t["received_at"] or tested_at
        closed = t["closed_at"] or received
        updates.append((TubeStatus.TESTED, result, ct1, ct2, lab_name, adapt(closed), adapt(received), adapt(tested_at),
                        adapt(now), t["id"]))
    retest_tubes = {t["id"] for t, *_ in todo if t["is_retest"]}
    held = cases = 0
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {Tube._meta.db_table} SET status = %s, result = %s, ct_orf1ab = %s, ct_n = %s, lab = %s, "
                            "closed_at = %s, received_at = %s, tested_at = %s, reported_at = %s WHERE id = %s", updates)
        sample_result = {"negative": SampleResult.NEGATIVE, "invalid": SampleResult.INVALID}
        for result, ids in by_result.items():
            for chunk in _chunks(ids):
                if result == "positive":
                    Sample.objects.filter(tube_id__in=chunk, is_retest=False).exclude(tube_id__in=retest_tubes).update(
                        result=SampleResult.HELD)
                    Sample.objects.filter(tube_id__in=[i for i in chunk if i in retest_tubes]).update(result=SampleResult.POSITIVE)
                else:
                    Sample.objects.filter(tube_id__in=chunk).update(result=sample_result[result])
        negatives = []
        for chunk in _chunks(by_result["negative"]):
            negatives.extend([pid, at.isoformat()] for pid, at in
                             Sample.objects.filter(tube_id__in=chunk).values_list("person_id", "sampled_at"))
        for chunk in _chunks(negatives, jobs.STATUS_CHUNK):
            transaction.on_commit(lambda chunk=chunk: jobs.negatives_to_status.enqueue(chunk))
        neg_retests = [i for i in by_result["negative"] if i in retest_tubes]
        if neg_retests:
            _release_retests(tube_ids=neg_retests, now=now)
        pos_pools = [i for i in by_result["positive"] if i not in retest_tubes]
        if pos_pools:
            held = _hold_pools(tube_ids=pos_pools, now=now)
        pos_single = [i for i in by_result["positive"] if i in retest_tubes]
        if pos_single:
            cases = _report_positive_singles(tube_ids=pos_single, now=now)
        audit.record(actor, "result.import", object_type="screening.tube",
                     changes={"source": source, "tubes": len(todo), "negative": len(by_result["negative"]),
                              "positive": len(by_result["positive"]), "invalid": len(by_result["invalid"]),
                              "held": held, "cases": cases, "skipped": skipped})
    return {"tubes": len(todo), "negative": len(by_result["negative"]), "positive": len(by_result["positive"]),
            "invalid": len(by_result["invalid"]), "held": held, "cases": cases, "skipped": skipped}


def _hold_pools(*, tube_ids: list[int], now: dt.datetime) -> int:
    """Everyone in a positive pool: held at home at once, told, and a single-tube retest task filed."""
    section = policy.in_force(now).section("screening")
    deadline = now + dt.timedelta(hours=section["turnaround_hours"]["key_group"])
    members = list(Sample.objects.filter(tube_id__in=tube_ids, is_retest=False)
                   .select_related("person", "tube").order_by("tube_id", "id"))
    Retest.objects.bulk_create([Retest(round_id=s.round_id, person_id=s.person_id, pool_tube_id=s.tube_id, sample_id=s.pk,
                                       region_path=s.region_path) for s in members], ignore_conflicts=True)
    retests = {(r.pool_tube_id, r.person_id): r for r in Retest.objects.filter(pool_tube_id__in=tube_ids)}
    send = notifier().send
    for s in members:
        r = retests[(s.tube_id, s.person_id)]
        status_services.reason_set(person_id=s.person_id, reason=HELD_REASON, source=f"screening.tube:{s.tube_id}", since=now, actor=SYSTEM)
        task = command_services.task_create(
            actor=SYSTEM, title=f"混管阳性单采复核：管 {s.tube.code} 成员 #{s.person_id}", kind="screening.retest",
            region_path=s.region_path, deadline=deadline, owner_role="grid_worker", priority=1,
            detail=f"Pool tube {s.tube.code} tested positive. Keep the resident at home and take a single-tube sample.",
            source=f"screening.retest:{r.pk}")
        if r.task_id != task.pk:
            Retest.objects.filter(pk=r.pk).update(task_id=task.pk)
        if s.person.phone:
            transaction.on_commit(lambda phone=s.person.phone: send(
                phone=phone, kind="screening.held",
                message="您所在的混采管检测结果异常，请居家等候，工作人员将上门单采复核。"))
    return len(members)


def _release_retests(*, tube_ids: list[int], now: dt.datetime) -> None:
    pools = set()
    for r in Retest.objects.filter(retest_sample__tube_id__in=tube_ids).exclude(status=RetestStatus.NEGATIVE):
        Retest.objects.filter(pk=r.pk).update(status=RetestStatus.NEGATIVE, resolved_at=now)
        Sample.objects.filter(pk=r.sample_id, result=SampleResult.HELD).update(result=SampleResult.NEGATIVE)
        status_services.reason_clear(person_id=r.person_id, reason=HELD_REASON, source=f"screening.tube:{r.pool_tube_id}",
                                     actor=SYSTEM)
        command_services.task_close_by_source(actor=SYSTEM, source=f"screening.retest:{r.pk}", result="retest negative")
        pools.add(r.pool_tube_id)
    _resolve_pools(pool_ids=pools, now=now)


def _resolve_pools(*, pool_ids, now: dt.datetime) -> None:
    """A positive pool resolves when its last member's retest result arrives: negative when all retested negative."""
    open_pools = set(Retest.objects.filter(pool_tube_id__in=list(pool_ids))
                     .exclude(status__in=[RetestStatus.NEGATIVE, RetestStatus.POSITIVE]).values_list("pool_tube_id", flat=True))
    done = [p for p in pool_ids if p not in open_pools]
    if not done:
        return
    positive = set(Retest.objects.filter(pool_tube_id__in=done, status=RetestStatus.POSITIVE)
                   .values_list("pool_tube_id", flat=True))
    for resolution, ids in (("positive", [p for p in done if p in positive]), ("negative", [p for p in done if p not in positive])):
        if ids:
            Tube.objects.filter(pk__in=ids, resolved_at__isnull=True).update(resolution=resolution, resolved_at=now)


def _report_positive_singles(*, tube_ids: list[int], now: dt.datetime) -> int:
    """A positive single tube is a case for outbreak response (cases.services.case_report)."""
    try:
        from cordon.cases import services as cases_services
    except ImportError:
        cases_services = None
    report = getattr(cases_services, "case_report", None)
    n = 0
    pools = set()
    for s in Sample.objects.filter(tube_id__in=tube_ids):
        retest = Retest.objects.filter(retest_sample_id=s.pk).first()
        case_id = None
        if report is not None:
            try:
                case = report(actor=SYSTEM, person_id=s.person_id, kind="confirmed", found_by="screening", confirmed_at=now,
                              sampled_at=min(s.sampled_at, now), source=f"screening.sample:{s.pk}")
            except Conflict:
                case = None  # the person is a known case already: nothing new to report
            if case is not None:
                case_id = case.pk
                n += 1
        if retest is not None:
            Retest.objects.filter(pk=retest.pk).update(status=RetestStatus.POSITIVE, resolved_at=now, case_id=case_id)
            Sample.objects.filter(pk=retest.sample_id, result=SampleResult.HELD).update(result=SampleResult.POSITIVE)
            command_services.task_close_by_source(actor=SYSTEM, source=f"screening.retest:{retest.pk}", result="retest positive")
            pools.add(retest.pool_tube_id)
    _resolve_pools(pool_ids=pools, now=now)
    return n


def retest_register(*, actor, retest: Retest, tube: str, site_id: int | None = None,
                    sampled_at: dt.datetime | None = None) -> Sample:
    """Take the single-tube retest sample of a held pool member (tube capacity 1)."""
    _require(actor, ("sample", "change"), retest.region_path)
    code = rules.normalise_barcode(tube)
    if not rules.barcode_ok(code):
        raise ServiceError.field("tube", f"malformed barcode {code!r} (6-32 letters, digits or dashes)")
    if retest.status != RetestStatus.PENDING:
        raise ServiceError.field("retest", "this retest was sampled already", code="already_sampled")
    if Tube.objects.filter(code=code).exists():
        raise ServiceError.field("tube", f"tube {code} is in use already", code="tube_in_use")
    now = clock.now()
    sampled_at = _aware(sampled_at, field="sampled_at") or now
    if sampled_at > now + CLOCK_SLACK:
        raise ServiceError.field("sampled_at", "is in the future")
    if sampled_at < retest.sample.sampled_at:
        raise ServiceError.field("sampled_at", "is before the pooled sample it retests")
    site = retest.sample.site if site_id is None else Site.objects.filter(round_id=retest.round_id, pk=site_id).first()
    if site is None:
        raise ServiceError.field("site", "is not a site of this round (wrong site)", code="wrong_site")
    with transaction.atomic():
        t = Tube.objects.create(round_id=retest.round_id, site=site, region_path=site.region_path, code=code, capacity=1,
                                count=1, status=TubeStatus.CLOSED, is_retest=True, opened_at=sampled_at, closed_at=sampled_at)
        s = Sample.objects.create(round_id=retest.round_id, person_id=retest.person_id, tube=t, site=site,
                                  sampled_at=sampled_at, region_path=retest.region_path, is_retest=True,
                                  sampler_id=actor.pk if getattr(actor, "is_authenticated", False) else None)
        Retest.objects.filter(pk=retest.pk).update(retest_sample=s, status=RetestStatus.SAMPLED)
        audit.record(actor, "retest.sample", retest, changes={"tube": code})
    retest.refresh_from_db()
    return s


# ---------------------------------------------------------------- public result lookup

def lookup_allowed(*, address: str, id_number: str) -> bool:
    """Count a public result lookup; False once the looked-up person or the address is over its limit (core.throttle)."""
    return throttle.lookup_allowed(scope="screening.lookup", address=address, id_number=id_number)


def result_notify(*, round_id: int, limit: int = 1000) -> int:
    """Tell residents with a negative result in a round by the notifier (bounded per call)."""
    send = notifier().send
    n = 0
    qs = Sample.objects.filter(round_id=round_id, result=SampleResult.NEGATIVE).select_related("person")[:limit]
    for s in qs:
        if s.person.phone:
            send(phone=s.person.phone, kind="screening.result", message="您本轮核酸检测结果为阴性。")
            n += 1
    return n



def unsampled_rows(*, actor, rnd: Round, grid_path: str):
    """The grid worker's list of residents not yet sampled, masked (the file is screening.exports.unsampled_export)."""
    from cordon.core import pii
    from cordon.screening import metrics

    if not access.can(actor, "screening.view", grid_path):
        raise PermissionDenied("screening.view")
    qs = metrics.unsampled(rnd, grid_path=grid_path, actor=actor)
    rows = []
    for p in qs.iterator(chunk_size=2000):
        rows.append({"person_id": p.pk, "name": pii.mask_name(p.name), "id_number": pii.mask_id_number(p.id_number),
                     "phone": pii.mask_phone(p.phone), "address": pii.mask_address(p.household.address if p.household_id else "")})
    return rows
