"""Deterministic synthetic city: region tree with map polygons, buildings, households, residents,
venues and 14 days of venue check-ins, written with the database's own bulk paths.

Same seed + people + end_date -> identical rows (ids included, on an empty database). Each stage
draws from its own numpy stream (`CityPlan.rng(stage, ...)`), check-ins from one stream per day.

How it stays fast:
- everything but the check-ins is planned in memory first with numpy (one vectorised pass per
  attribute, no model instances), then written in one transaction; check-ins are generated and
  written a day at a time, so memory stays bounded at a million residents (~1 GB);
- SQLite: multi-row INSERT statements (50 rows each) through `executemany` on the raw sqlite3
  connection; foreign keys are switched off for the transaction when it is not nested in
  another one, and `PRAGMA foreign_key_check` runs over the loaded tables before commit;
- PostgreSQL: COPY (text for the small tables, binary built straight from a numpy structured
  array for check-ins); the loaded tables' foreign keys are dropped for the load and re-added,
  which validates them in one join instead of queueing a deferred trigger event per row;
- both: the loaded tables' secondary indexes are dropped before the load and rebuilt after it
  (one sort per index instead of a B-tree insert per row). All of it is transactional DDL, so a
  failure rolls the indexes and keys back with the rows.

Timestamps are written exactly as Django stores them: on SQLite the naive text of the datetime in
the connection's time zone (UTC with USE_TZ), 'YYYY-MM-DD HH:MM:SS'; on PostgreSQL timestamptz.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import time
import zoneinfo
from dataclasses import dataclass

import numpy as np
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, models, transaction

from cordon.core import clock
from cordon.core.bench import vacuum_analyze
from cordon.people.models import Household, Person
from cordon.regions.models import Building, Level, Region, Unit
from cordon.sim import names as N
from cordon.venues.models import DEFAULT_DWELL_MINUTES, MAX_DWELL_MINUTES, CheckIn, Venue, VenueUnit

DAYS = 14
CITY_RECT = (121.0, 31.0, 121.9, 31.5)  # lon0, lat0, lon1, lat1

# China 2020 census household sizes 1..7 (5+ split 6/3/2).
HOUSEHOLD_SIZE_P = (0.25, 0.30, 0.21, 0.13, 0.06, 0.03, 0.02)
STREET_HOUSEHOLDS = {False: 4000, True: 3000}   # target households per street / township
COMMUNITY_HOUSEHOLDS = {False: 1000, True: 400}  # per community / village
GRID_HOUSEHOLDS = 300

RATES = {
    "elderly_alone": 0.16,    # of people 65+ living alone: registered as needing care (~3% of 65+)
    "pregnant": 0.01,         # of women 20-40
    "dialysis": 0.0005,       # of everyone, adults only
    "chronic_60": 0.15,       # of people over 60
    "chronic_adult": 0.03,    # of people 18-60
    "disability_young": 0.035,
    "disability_old": 0.15,   # 60+; about 6% overall
    "separate_room": 0.6,
}

KINDS = ("market", "supermarket", "restaurant", "office", "school", "factory", "gym", "ktv", "cinema",
         "hospital", "station", "bus", "mall", "hotel")
K = {k: i for i, k in enumerate(KINDS)}
# Venues per resident, and the urban/rural placement factor.
VENUE_RATE = {
    "market": 1 / 10_000, "supermarket": 1 / 3_000, "restaurant": 1 / 330, "office": 1 / 420, "school": 1 / 2_500,
    "factory": 1 / 2_000, "gym": 1 / 5_000, "ktv": 1 / 10_000, "cinema": 1 / 20_000, "hospital": 1 / 12_000,
    "station": 1 / 12_000, "bus": 1 / 1_000, "mall": 1 / 25_000, "hotel": 1 / 5_000,
}
VENUE_RURAL_FACTOR = {"office": 0.25, "factory": 3.0, "mall": 0.3, "cinema": 0.4, "ktv": 0.6, "gym": 0.4,
                      "hotel": 0.6, "market": 1.3, "station": 0.8}
CAPACITY = {
    "market": (300, 800), "supermarket": (150, 600), "restaurant": (30, 150), "office": (200, 2000),
    "school": (500, 2500), "factory": (200, 1500), "gym": (50, 200), "ktv": (50, 300), "cinema": (200, 1000),
    "hospital": (300, 3000), "station": (500, 5000), "bus": (40, 80), "mall": (1000, 8000), "hotel": (100, 500),
}
# Where workers work (share of the employed).
WORK_KIND_P = {"office": 0.40, "factory": 0.22, "restaurant": 0.08, "supermarket": 0.04, "market": 0.03,
               "mall": 0.04, "school": 0.04, "hospital": 0.04, "hotel": 0.03, "station": 0.02, "bus": 0.03,
               "gym": 0.01, "ktv": 0.01, "cinema": 0.01}
# Mean local start hour of a shift, and the share who also work on a weekend day.
WORK_START = {"office": 8.7, "factory": 7.8, "restaurant": 10.0, "supermarket": 8.0, "market": 5.5, "mall": 9.5,
              "school": 7.4, "hospital": 7.8, "hotel": 8.5, "station": 6.5, "bus": 6.0, "gym": 9.0, "ktv": 16.0,
              "cinema": 11.0}
WEEKEND_WORK = {"office": 0.08, "school": 0.03, "factory": 0.35}
SHIFT_MINUTES = 480
# Spaces inside workplaces (sub-venue units): who shares a class, floor, workshop or department.
# kind -> (unit kind, people per unit, name pattern); school pupils are grouped by grade first.
UNIT_PLAN = {
    "school": ("class", 45, "{grade}{n}班"),
    "office": ("room", 15, "{floor}层{floor}{room:02d}室"),
    "factory": ("workshop", 30, "{n}号车间{team}班组"),
    "hospital": ("department", 20, "{dept}"),
}
# Visitors' spaces: a restaurant's dining areas and private rooms, a cinema's halls, a KTV's rooms, a gym's
# zones. kind -> (people per unit at capacity, name pattern); a visit is seated in one of them at random.
VISIT_UNITS = {
    "restaurant": (20, "{hall}"),
    "cinema": (150, "{n}号厅"),
    "ktv": (8, "{n}号包厢"),
    "gym": (40, "{zone}"),
}
DINING = ["大厅A区", "大厅B区", "大厅C区", "大厅D区"]
GYM_ZONES = ["器械区", "有氧区", "操课房", "动感单车房", "瑜伽室", "泳池"]
SCHOOL_STAFF_UNIT = 25  # teachers per staff room
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三", "高一", "高二", "高三"]
DEPARTMENTS = ["内科", "外科", "儿科", "急诊科", "妇产科", "检验科", "放射科", "发热门诊", "骨科", "眼科", "口腔科",
               "皮肤科", "康复科", "药剂科", "行政后勤", "感染科", "五官科", "中医科", "心内科", "神经内科"]
ESTIMATED_SHARE = 0.3


@dataclass
class CityStats:
    people: int
    households: int
    regions: int
    buildings: int
    venues: int
    checkins: int
    seconds: float
    rows: int


def generate_city(*, people: int, seed: int, progress: bool = True, using: str = "default",
                  end_date: dt.date | None = None, replace: bool = False, days: int = DAYS,
                  city_code: str = "3101", city_name: str | None = None) -> CityStats:
    """Generate and write a synthetic city of `people` residents; refuse if one exists unless `replace`."""
    if people < 100:
        raise ValueError("a city needs at least 100 people")
    if not (len(city_code) == 4 and city_code.isdigit()):
        raise ValueError("city_code must be 4 digits (GB/T 2260 prefecture code)")
    start = time.perf_counter()
    end_date = end_date or clock.today()
    connection = connections[using]
    existing = existing_city(using=using)
    if existing and not replace:
        raise ValueError(f"a city already exists in database {using!r} ({existing}); "
                         "pass replace=True to delete it and generate a new one")
    bar = _Progress(progress, total=7 + days)
    bar.step("planning the region tree")
    plan = CityPlan(people=people, seed=seed, end_date=end_date, days=days, city_code=city_code,
                    city_name=city_name or getattr(settings, "CORDON_CITY_NAME", "示范市"), using=using)
    plan.build(bar)
    # SQLite outside a transaction: foreign keys off for the load (checked once at the end), which
    # also lets DELETE of the old city truncate tables instead of visiting every row.
    with connection.constraint_checks_disabled(), transaction.atomic(using=using):
        if existing_city(using=using):
            if not replace:
                raise ValueError(f"a city appeared in database {using!r} meanwhile; pass replace=True")
            bar.stage("deleting the old city")
            delete_city(using=using)
        plan.assign_ids()
        writer = _Writer(connection, created_at=plan.window()[0])
        loaded = [Region, Building, Unit, Venue, VenueUnit, Household, Person, CheckIn]
        # SQLite page cache for the load: ~1 KiB per resident, capped at 1 GiB (the index rebuilds
        # and the key check scan everything just written); the connection's own setting comes back after.
        with writer.loading(loaded, cache_kib=min(people, 1 << 20)):
            bar.step("writing regions, buildings, venues")
            writer.write(Region, plan.region_rows())
            writer.write(Building, plan.building_rows())
            writer.write(Unit, plan.unit_rows())
            writer.write(Venue, plan.venue_rows())
            writer.write(VenueUnit, plan.venue_unit_rows())
            bar.step("writing households and residents", rows=writer.rows)
            writer.write(Household, plan.household_rows(), CityPlan.HOUSEHOLD_COLUMNS)
            writer.write(Person, plan.person_rows(), CityPlan.PERSON_COLUMNS)
            checkins = 0
            for day in range(days):
                bar.step(f"check-ins {plan.day_date(day):%m-%d}", rows=writer.rows)
                arrays = plan.day_checkins(day)
                writer.write_checkins(plan, *arrays)
                checkins += len(arrays[0])
            bar.step("checking keys, indexing", rows=writer.rows)
        writer.reset_sequences(loaded[:-1])
    if connection.vendor == "postgresql":
        # statistics and visibility maps for the fresh tables, as autovacuum would make on a running server
        bar.stage("vacuum analyze")
        vacuum_analyze(*loaded, using=using)
    bar.close(rows=writer.rows)
    return CityStats(people=people, households=plan.n_households, regions=len(plan.regions),
                     buildings=len(plan.buildings), venues=plan.n_venues, checkins=checkins,
                     seconds=time.perf_counter() - start, rows=writer.rows)


def existing_city(*, using: str = "default") -> str:
    """A short description of the city in the database, or '' when there is none."""
    root = Region.objects.using(using).filter(parent__isnull=True).order_by("id").first()
    if root is not None:
        return f"{root.code} {root.name}, {root.population:,} people"
    for model in (Region, Person, Venue, Household):
        if model.objects.using(using).exists():
            return f"leftover {model._meta.verbose_name_plural}"
    return ""


def delete_city(*, using: str = "default") -> list[str]:
    """Delete every region, resident, venue and check-in, and every row of any table that refers to them.

    A referring column declared SET_NULL is nulled instead. Returns the tables emptied. On SQLite
    outside a transaction, foreign keys are off for the deletion so DELETE truncates tables."""
    connection = connections[using]
    existing_tables = set(connection.introspection.table_names())
    all_models = [m for m in apps.get_models(include_auto_created=True)
                  if not m._meta.proxy and m._meta.db_table in existing_tables]
    doomed = {Region, Building, Unit, Household, Person, Venue, VenueUnit, CheckIn}
    set_null: dict[type, set] = {}
    changed = True
    while changed:
        changed = False
        for model in all_models:
            if model in doomed:
                continue
            for field in model._meta.concrete_fields:
                if field.remote_field is None or field.remote_field.model not in doomed:
                    continue
                if field.remote_field.on_delete is models.SET_NULL and field.null:
                    set_null.setdefault(model, set()).add(field)
                else:
                    doomed.add(model)
                    set_null.pop(model, None)
                    changed = True
                    break
    qn = connection.ops.quote_name
    order = _children_first([m for m in all_models if m in doomed])
    fk_off = not connection.in_atomic_block and connection.disable_constraint_checking()
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            _delete(connection, cursor, qn, order, doomed, set_null)
            if fk_off and set_null:
                connection.check_constraints(table_names=[m._meta.db_table for m in set_null])
    finally:
        if fk_off:
            connection.enable_constraint_checking()
    return [m._meta.db_table for m in order]


def _delete(connection, cursor, qn, order, doomed, set_null):
    for model, fields in set_null.items():
        sets = ", ".join(f"{qn(f.column)} = NULL" for f in fields)
        where = " OR ".join(f"{qn(f.column)} IS NOT NULL" for f in fields)
        cursor.execute(f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {where}")
    if connection.vendor == "postgresql":
        # TRUNCATE is instant but refuses a table still referred to by one it does not empty;
        # those (and what they refer to) are deleted row by row instead.
        keep_referred = set(set_null)
        slow = set()
        frontier = [f.remote_field.model for m in keep_referred for f in set_null[m]]
        while frontier:
            model = frontier.pop()
            if model in slow:
                continue
            slow.add(model)
            frontier.extend(f.remote_field.model for f in model._meta.concrete_fields
                            if f.remote_field is not None and f.remote_field.model in doomed)
        fast = [m for m in order if m not in slow]
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this transaction.
        connection.check_constraints()
        if fast:
            cursor.execute("TRUNCATE " + ", ".join(qn(m._meta.db_table) for m in fast))
        for model in order:
            if model in slow:
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
    else:
        for model in order:
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")


def _children_first(models_: list) -> list:
    """Order models so every model comes before the models it refers to."""
    refs = {m: {f.remote_field.model for f in m._meta.concrete_fields if f.remote_field is not None} for m in models_}
    out, seen = [], set()

    def visit(m, stack=()):
        if m in seen or m in stack:
            return
        for other in models_:
            if m in refs[other] and other is not m:
                visit(other, (*stack, m))
        if m not in seen:
            seen.add(m)
            out.append(m)

    for m in models_:
        visit(m)
    return out


# --------------------------------------------------------------------------------------------
# geometry: convex polygons in a local planar frame (x = lon scaled by cos(lat), y = lat)


def _clip(poly, a, b, c):
    """Keep the part of convex `poly` where a*x + b*y <= c."""
    out = []
    n = len(poly)
    for i in range(n):
        px, py = poly[i]
        qx, qy = poly[(i + 1) % n]
        fp = a * px + b * py - c
        fq = a * qx + b * qy - c
        if fp <= 0:
            out.append((px, py))
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((px + t * (qx - px), py + t * (qy - py)))
    return out


def _voronoi(poly, sites, weights=None):
    """Cells of a power diagram (a Voronoi diagram when all weights are equal) clipped to `poly`."""
    weights = weights if weights is not None else [0.0] * len(sites)
    cells = []
    for i, (sx, sy) in enumerate(sites):
        cell = poly
        for j, (ox, oy) in enumerate(sites):
            if i != j and len(cell) >= 3:
                c = (ox * ox + oy * oy - sx * sx - sy * sy - weights[j] + weights[i]) / 2
                cell = _clip(cell, ox - sx, oy - sy, c)
        cells.append(cell)
    return cells


def _area_weighted(poly, sites, shares, iterations=80):
    """Cells of `poly` whose areas approach `shares` of its area (a power diagram, weights fitted).

    Returns the best layout seen in which every cell is non-empty (plain Voronoi at worst)."""
    total = abs(_area_centroid(poly)[0])
    target = [total * s / sum(shares) for s in shares]
    weights = [0.0] * len(sites)
    sites = list(sites)
    best, best_error = None, math.inf
    for it in range(iterations):
        cells = _voronoi(poly, sites, weights)
        geo = [(_area_centroid(c) if len(c) >= 3 else (0.0, s)) for c, s in zip(cells, sites, strict=True)]
        areas = [abs(a) for a, _ in geo]
        if all(a > 1e-6 * total for a in areas):
            error = max(abs(a - t) / t for a, t in zip(areas, target, strict=True))
            if error < best_error:
                best, best_error = cells, error
        weights = [w + 0.5 * (t - a) for w, t, a in zip(weights, target, areas, strict=True)]
        if it % 10 == 9:  # a little centring keeps cells compact without letting the layout drift
            sites = [(0.8 * x + 0.2 * cx, 0.8 * y + 0.2 * cy) if a else (x, y)
                     for (x, y), (a, (cx, cy)) in zip(sites, geo, strict=True)]
    return best if best is not None else _voronoi(poly, list(sites))


def _area_centroid(poly):
    a = cx = cy = 0.0
    n = len(poly)
    for i in range(n):
        x0, y0 = poly[i]
        x1, y1 = poly[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-15:
        xs, ys = zip(*poly, strict=True)
        return 0.0, (sum(xs) / n, sum(ys) / n)
    return a / 2, (cx / (3 * a), cy / (3 * a))


def _sample_in(poly, n, rng):
    """n uniform points inside convex `poly` (triangle fan)."""
    pts = np.asarray(poly, dtype=float)
    if n == 0:
        return np.zeros((0, 2))
    a, b, c = pts[0], pts[1:-1], pts[2:]
    areas = np.abs((b[:, 0] - a[0]) * (c[:, 1] - a[1]) - (c[:, 0] - a[0]) * (b[:, 1] - a[1]))
    if areas.sum() <= 0:
        return np.repeat(pts.mean(axis=0)[None, :], n, axis=0)
    tri = rng.choice(len(areas), size=n, p=areas / areas.sum())
    r1 = np.sqrt(rng.random(n))[:, None]
    r2 = rng.random(n)[:, None]
    return (1 - r1) * a + r1 * (1 - r2) * b[tri] + r1 * r2 * c[tri]


def _partition(poly, n, rng, lloyd=2):
    """Split convex `poly` into n convex cells (relaxed Voronoi)."""
    if n == 1:
        return [poly]
    total, (cx, cy) = _area_centroid(poly)
    for _attempt in range(5):
        sites = [tuple(p) for p in _sample_in(poly, n, rng)]
        for _ in range(lloyd):
            cells = _voronoi(poly, sites)
            sites = [(_area_centroid(c)[1] if len(c) >= 3 else s) for c, s in zip(cells, sites, strict=True)]
        # Number cells clockwise around the parent's centre, so consecutive codes are neighbours on the map.
        sites.sort(key=lambda p: -math.atan2(p[1] - cy, p[0] - cx))
        cells = _voronoi(poly, sites)
        if all(len(c) >= 3 and abs(_area_centroid(c)[0]) > 1e-9 * abs(total) for c in cells):
            return cells
    xs = [x for x, _ in poly]  # pragma: no cover - degenerate sites five times over: vertical strips
    lo, hi = min(xs), max(xs)
    cuts = [lo + (hi - lo) * i / n for i in range(n + 1)]
    return [_clip(_clip(poly, -1.0, 0.0, -cuts[i]), 1.0, 0.0, cuts[i + 1]) for i in range(n)]


# --------------------------------------------------------------------------------------------
# the plan


def _split(total: int, weights) -> np.ndarray:
    """Integer split of `total` proportional to `weights` (largest remainder), at least 1 each when possible."""
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    base = np.floor(w * total).astype(np.int64)
    if total >= len(w):
        base = np.maximum(base, 1)
    rest = total - base.sum()
    if rest > 0:
        order = np.argsort(-(w * total - base), kind="stable")
        base[order[:rest]] += 1
    elif rest < 0:
        order = np.argsort(-base, kind="stable")
        i = 0
        while rest < 0:
            j = order[i % len(order)]
            if base[j] > 1:
                base[j] -= 1
                rest += 1
            i += 1
    return base


@dataclass
class _Region:
    code: str
    name: str
    level: int
    parent: int  # index, -1 for the city
    path: str
    rural: bool
    poly: list
    households: int = 0
    population: int = 0
    lon: float = 0.0
    lat: float = 0.0


class CityPlan:
    """Everything about the city, in memory: arrays indexed by resident, household, venue."""

    def __init__(self, *, people, seed, end_date, days=DAYS, city_code="3101", city_name="示范市", using="default"):
        self.people = people
        self.seed = seed
        self.end_date = end_date
        self.days = days
        self.city_code = city_code
        self.city_name = city_name
        self.connection = connections[using]
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        lon0, lat0, lon1, lat1 = CITY_RECT
        self._cos = math.cos(math.radians((lat0 + lat1) / 2))
        self.ids = {}

    def assign_ids(self):
        """Primary keys continue after the tables' current maximum (1 on an empty database)."""
        self.ids = {m: _next_id(self.connection, m) for m in (Region, Building, Unit, Venue, VenueUnit, Household, Person)}

    def rng(self, *stream) -> np.random.Generator:
        return np.random.default_rng([self.seed, *stream])

    def day_date(self, day: int) -> dt.date:
        return self.end_date - dt.timedelta(days=self.days - 1 - day)

    def _lonlat(self, x, y):
        return CITY_RECT[0] + x / self._cos, y

    # -- build ---------------------------------------------------------------------------------

    def build(self, bar):
        self._tree()
        bar.step("planning buildings and households")
        self._housing()
        bar.step("planning residents")
        self._residents()
        bar.step("planning venues and workplaces")
        self._venues()
        self._workplaces()
        self._aggregate()

    def _tree(self):
        rng = self.rng(1)
        n = self.people
        sizes = rng.choice(np.arange(1, 8), size=int(n / 2.62 * 1.1) + 20, p=HOUSEHOLD_SIZE_P)
        while sizes.sum() < n:  # pragma: no cover - 10% headroom is 30+ standard deviations
            sizes = np.concatenate([sizes, rng.choice(np.arange(1, 8), size=n // 10 + 20, p=HOUSEHOLD_SIZE_P)])
        cum = np.cumsum(sizes)
        h = int(np.searchsorted(cum, n)) + 1
        sizes = sizes[:h].copy()
        sizes[-1] -= int(cum[h - 1] - n)
        if sizes[-1] <= 0:  # pragma: no cover - searchsorted guarantees a positive remainder
            raise AssertionError("household split")
        self.hh_size = sizes.astype(np.int64)
        self.n_households = h

        n_districts = int(np.clip(round(6 + 6 * math.log10(max(n, 100_000) / 100_000)), 6, 12))
        n_rural = max(1, n_districts // 3)
        rural = np.array([False] * (n_districts - n_rural) + [True] * n_rural)
        weights = rng.lognormal(0, 0.25, n_districts) * np.where(rural, 0.55, 1.0)
        district_hh = _split(h, weights)

        lon0, lat0, lon1, lat1 = CITY_RECT
        x1 = (lon1 - lon0) * self._cos
        rect = [(0.0, lat0), (x1, lat0), (x1, lat1), (0.0, lat1)]
        cx, cy, rx, ry = x1 / 2, (lat0 + lat1) / 2, x1 / 2, (lat1 - lat0) / 2
        urban = n_districts - n_rural
        sites = []
        ring = urban - 1 if urban >= 5 else urban
        if urban >= 5:
            sites.append((cx + rng.normal(0, 0.02) * rx, cy + rng.normal(0, 0.02) * ry))
        phase = rng.uniform(0, 2 * math.pi)
        for i in range(ring):
            ang = phase + 2 * math.pi * i / ring
            sites.append((cx + 0.28 * rx * math.cos(ang), cy + 0.3 * ry * math.sin(ang)))
        phase = rng.uniform(0, 2 * math.pi)
        for i in range(n_rural):
            ang = phase + 2 * math.pi * i / n_rural + rng.normal(0, 0.15)
            sites.append((cx + 0.8 * rx * math.cos(ang), cy + 0.8 * ry * math.sin(ang)))
        # Area per district: its households, five times as spread out in the counties.
        district_polys = _area_weighted(rect, sites, (district_hh * np.where(rural, 5.0, 1.0)).tolist())

        regions: list[_Region] = [_Region(self.city_code, self.city_name, Level.CITY, -1, self.city_code, False, rect)]
        grid_of_region = []
        place_words = [str(w) for w in rng.permutation(N.PLACE_WORDS)]
        town_names = [a + b for a in N.TOWN_FIRST for b in N.TOWN_SECOND]
        town_names = [town_names[i] for i in rng.permutation(len(town_names))]
        urban_names = [str(w) for w in rng.permutation(N.URBAN_DISTRICTS)]
        county_names = [str(w) for w in rng.permutation(N.COUNTIES)]
        street_seq = town_seq = 0
        surnames = [s for s, _ in N.SURNAMES[:60]]
        comm_words = list(N.PLACE_WORDS + N.COMPOUND_WORDS)
        self.compounds = {}  # community index -> list of compound names
        for d in range(n_districts):
            is_rural = bool(rural[d])
            if is_rural:
                code = f"{self.city_code}{21 + (d - urban):02d}"
                name = county_names[(d - urban) % len(county_names)]
            else:
                code = f"{self.city_code}{2 + d:02d}"
                name = urban_names[d % len(urban_names)]
            di = len(regions)
            regions.append(_Region(code, name, Level.DISTRICT, 0, f"{self.city_code}.{code}", is_rural, district_polys[d]))
            n_streets = max(2, round(district_hh[d] / STREET_HOUSEHOLDS[is_rural]))
            street_hh = _split(int(district_hh[d]), rng.uniform(0.6, 1.4, n_streets))
            street_polys = _partition(district_polys[d], n_streets, rng)
            for s in range(n_streets):
                if is_rural:
                    scode = f"{code}{100 + s:03d}"
                    sname = "城关镇" if s == 0 else f"{town_names[town_seq % len(town_names)]}镇"
                    town_seq += s > 0
                    villages = s > 0
                else:
                    scode = f"{code}{s + 1:03d}"
                    word = place_words[street_seq % len(place_words)]
                    sname = f"{word}街道" if street_seq < len(place_words) else f"{word}{street_seq // len(place_words) + 1}街道"
                    street_seq += 1
                    villages = False
                si = len(regions)
                regions.append(_Region(scode, sname, Level.STREET, di, f"{regions[di].path}.{scode}", is_rural,
                                       street_polys[s]))
                n_comm = max(1, round(street_hh[s] / COMMUNITY_HOUSEHOLDS[villages]))
                comm_hh = _split(int(street_hh[s]), rng.uniform(0.6, 1.4, n_comm))
                comm_polys = _partition(street_polys[s], n_comm, rng)
                cwords = [comm_words[i] for i in rng.permutation(len(comm_words))]
                used = set()
                for c in range(n_comm):
                    if villages:
                        ccode = f"{scode}{200 + c:03d}"
                        for _ in range(50):
                            pick = int(rng.integers(0, 4))
                            if pick <= 1:
                                cname = surnames[int(rng.integers(0, len(surnames)))] + ("家村" if pick == 0 else "庄村")
                            else:
                                cname = N.TOWN_FIRST[int(rng.integers(0, len(N.TOWN_FIRST)))] + \
                                    N.TOWN_SECOND[int(rng.integers(0, len(N.TOWN_SECOND)))] + "村"
                            if cname not in used:
                                break
                    else:
                        ccode = f"{scode}{c + 1:03d}"
                        word = cwords[c % len(cwords)]
                        cname = f"{word}社区" if c < len(cwords) else f"{word}{c // len(cwords) + 1}社区"
                    used.add(cname)
                    ci = len(regions)
                    regions.append(_Region(ccode, cname, Level.COMMUNITY, si, f"{regions[si].path}.{ccode}", villages,
                                           comm_polys[c]))
                    n_grid = max(1, round(comm_hh[c] / GRID_HOUSEHOLDS))
                    grid_hh = _split(int(comm_hh[c]), rng.uniform(0.8, 1.2, n_grid))
                    grid_polys = _partition(comm_polys[c], n_grid, rng, lloyd=1)
                    if villages:
                        self.compounds[ci] = [cname]
                    else:
                        n_comp = (n_grid + 1) // 2
                        words = rng.choice(len(N.COMPOUND_WORDS), size=n_comp, replace=n_comp > len(N.COMPOUND_WORDS))
                        sufs = rng.choice(len(N.COMPOUND_SUFFIXES), size=n_comp)
                        self.compounds[ci] = [N.COMPOUND_WORDS[w] + N.COMPOUND_SUFFIXES[x] for w, x in zip(words, sufs, strict=True)]
                    for g in range(n_grid):
                        gcode = f"{ccode}{g + 1:03d}"
                        gi = len(regions)
                        regions.append(_Region(gcode, f"第{g + 1}网格", Level.GRID, ci, f"{regions[ci].path}.{gcode}",
                                               villages, grid_polys[g], households=int(grid_hh[g])))
                        grid_of_region.append(gi)
        for r in regions:
            _, (x, y) = _area_centroid(r.poly)
            r.lon, r.lat = self._lonlat(x, y)
        self.regions = regions
        self.grids = np.array(grid_of_region, dtype=np.int64)              # grid number -> region index
        grid_hh = np.array([regions[g].households for g in grid_of_region], dtype=np.int64)
        self.hh_grid = np.repeat(np.arange(len(grid_of_region)), grid_hh)  # household -> grid number
        parent = np.array([r.parent for r in regions], dtype=np.int64)
        self.region_parent = parent
        comm = parent[self.grids]
        street = parent[comm]
        district = parent[street]
        # dense numbering of streets and districts
        self.street_regions = np.array([i for i, r in enumerate(regions) if r.level == Level.STREET])
        self.district_regions = np.array([i for i, r in enumerate(regions) if r.level == Level.DISTRICT])
        self.community_regions = np.array([i for i, r in enumerate(regions) if r.level == Level.COMMUNITY])
        s_num = np.full(len(regions), -1)
        s_num[self.street_regions] = np.arange(len(self.street_regions))
        d_num = np.full(len(regions), -1)
        d_num[self.district_regions] = np.arange(len(self.district_regions))
        self.region_street_num = s_num
        self.region_district_num = d_num
        self.grid_comm = comm
        self.grid_street = s_num[street]
        self.grid_district = d_num[district]
        self.street_district = d_num[parent[self.street_regions]]
        self.district_code = [regions[i].code for i in self.district_regions]

    def _housing(self):
        rng = self.rng(2)
        regions = self.regions
        b_rows = []   # compound, name, floors, grid_num, community_region
        u_rows = []   # building index, number
        hh_building = np.empty(self.n_households, dtype=np.int64)
        hh_unit = np.full(self.n_households, -1, dtype=np.int64)
        hh_room = [""] * self.n_households
        hh_address = [""] * self.n_households
        next_no: dict[tuple, int] = {}
        start = 0
        grid_counts = np.bincount(self.hh_grid, minlength=len(self.grids))
        grid_nth = {}
        for gnum, gi in enumerate(self.grids):
            h = int(grid_counts[gnum])
            ci = regions[gi].parent
            nth = grid_nth.get(ci, 0)
            grid_nth[ci] = nth + 1
            comps = self.compounds[ci]
            compound = comps[min(nth // 2, len(comps) - 1)]
            key = (ci, compound)
            if regions[gi].rural:
                no = next_no.get(key, 1)
                floors = rng.integers(1, 4, size=h)
                for k in range(h):
                    b = len(b_rows)
                    b_rows.append((compound, f"{no + k}号", int(floors[k]), gnum, ci))
                    hh_building[start + k] = b
                    hh_address[start + k] = f"{compound} {no + k}号"
                next_no[key] = no + h
            else:
                rooms = []  # (building, unit index, room)
                high = rng.random() < 0.45
                while len(rooms) < h / 0.88 or not rooms:
                    no = next_no.get(key, 1)
                    next_no[key] = no + 1
                    if high:
                        floors, n_units, doors = int(rng.choice([11, 18, 26, 33])), int(rng.integers(1, 3)), int(rng.integers(2, 5))
                    else:
                        floors, n_units, doors = int(rng.choice([5, 6, 6, 7])), int(rng.integers(2, 5)), 2
                    b = len(b_rows)
                    b_rows.append((compound, f"{no}号楼", floors, gnum, ci))
                    for u in range(1, n_units + 1):
                        ui = len(u_rows)
                        u_rows.append((b, u))
                        for f in range(1, floors + 1):
                            for door in range(1, doors + 1):
                                rooms.append((b, ui, f * 100 + door))
                chosen = np.sort(rng.choice(len(rooms), size=h, replace=False))
                for k, r in enumerate(chosen.tolist()):
                    b, ui, room = rooms[r]
                    hh_building[start + k] = b
                    hh_unit[start + k] = ui
                    hh_room[start + k] = str(room)
                    hh_address[start + k] = f"{compound} {b_rows[b][1]} {u_rows[ui][1]}单元 {room}"
            start += h
        self.buildings = b_rows
        self.units = u_rows
        self.hh_building = hh_building
        self.hh_unit = hh_unit
        self.hh_room = hh_room
        self.hh_address = hh_address
        rural_hh = np.array([regions[g].rural for g in self.grids])[self.hh_grid]
        self.hh_separate = rng.random(self.n_households) < np.where(rural_hh, 0.75, RATES["separate_room"])
        # building positions inside their grid
        b_grid = np.array([b[3] for b in b_rows], dtype=np.int64)
        self.b_lonlat = np.zeros((len(b_rows), 2))
        order = np.argsort(b_grid, kind="stable")
        bounds = np.searchsorted(b_grid[order], np.arange(len(self.grids) + 1))
        for gnum, gi in enumerate(self.grids):
            idx = order[bounds[gnum]:bounds[gnum + 1]]
            pts = _sample_in(regions[gi].poly, len(idx), rng)
            self.b_lonlat[idx, 0] = CITY_RECT[0] + pts[:, 0] / self._cos
            self.b_lonlat[idx, 1] = pts[:, 1]

    def _residents(self):
        rng = self.rng(3)
        sizes = self.hh_size
        n = self.people
        hh = np.repeat(np.arange(self.n_households), sizes)
        slot = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        size = sizes[hh]
        # roles: 0 head, 1 spouse, 2 child, 3 grandparent
        u = rng.random(n)
        role = np.full(n, 2, dtype=np.int8)
        role[slot == 0] = 0
        role[(slot == 1) & (((size == 2) & (u < 0.75)) | ((size == 3) & (u < 0.9)) | (size >= 4))] = 1
        role[(slot == 3) & (((size == 4) & (u < 0.45)) | ((size >= 5) & (u < 0.6)))] = 3
        role[(slot == 4) & (size >= 5)] = 3
        hu = rng.random(self.n_households)
        hs = sizes
        head_age = np.select(
            [hs == 1, hs == 2, hs >= 5],
            [np.where(hu < 0.45, rng.uniform(20, 35, hs.size), np.where(hu < 0.70, rng.uniform(35, 60, hs.size),
                                                                        rng.uniform(60, 92, hs.size))),
             np.where(hu < 0.40, rng.uniform(22, 35, hs.size), np.where(hu < 0.65, rng.uniform(35, 55, hs.size),
                                                                        rng.uniform(55, 86, hs.size))),
             np.clip(rng.normal(38, 7, hs.size), 24, 60)],
            np.clip(rng.normal(39, 7, hs.size), 23, 66))
        h_age = head_age[hh]
        age = h_age.copy()
        spouse = role == 1
        age[spouse] = np.clip(h_age[spouse] + rng.normal(0, 3, spouse.sum()), 20, 99)
        child = role == 2
        hc = h_age[child]
        c_age = hc - np.clip(rng.normal(31, 4.5, hc.size), 21, 45)
        young = c_age < 0  # parents younger than the drawn gap: a small child
        c_age[young] = rng.random(young.sum()) * np.maximum(0.5, hc[young] - 21)
        age[child] = c_age
        gp = role == 3
        age[gp] = np.clip(h_age[gp] + rng.uniform(24, 32, gp.sum()), 0, 99)
        age = np.minimum(age, 100.5)
        head_sex_f = rng.random(self.n_households) < np.where((hs == 1) & (head_age >= 65), 0.6, 0.45)
        female = rng.random(n) < 0.49
        female[role == 0] = head_sex_f[hh[role == 0]]
        female[spouse] = ~head_sex_f[hh[spouse]]
        self.age = age
        self.female = female
        self.hh = hh
        age_days = np.floor(age * 365.2425).astype(np.int64)
        end_ord = self.end_date.toordinal()
        birth_ord = end_ord - age_days
        # ID numbers: district code, birth date, sequence with sex parity, check digit; unique by construction.
        district = self.grid_district[self.hh_grid[hh]]
        while True:
            key = (district.astype(np.int64) * 1_000_000 + birth_ord) * 2 + female
            order = np.argsort(key, kind="stable")
            ks = key[order]
            first = np.r_[True, ks[1:] != ks[:-1]]
            gstart = np.maximum.accumulate(np.where(first, np.arange(n), 0))
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n) - gstart
            over = rank >= 500
            if not over.any():
                break
            birth_ord[over] -= 1  # a 500-births-per-day-and-sex overflow moves to the previous day
        offset = rng.integers(0, 500, n)
        goffset = np.empty(n, dtype=np.int64)
        goffset[order] = offset[order][gstart]
        seq = (rank + goffset) % 500 * 2 + (~female)
        births = [dt.date.fromordinal(o) for o in range(int(birth_ord.min()), int(birth_ord.max()) + 1)]
        bint = np.array([b.year * 10000 + b.month * 100 + b.day for b in births], dtype=np.int64)
        birth_num = bint[birth_ord - birth_ord.min()]
        area = np.array([int(c) for c in self.district_code], dtype=np.int64)[district]
        digits = np.zeros((n, 17), dtype=np.int64)
        for val, width, at in ((area, 6, 0), (birth_num, 8, 6), (seq, 3, 14)):
            for j in range(width):
                digits[:, at + width - 1 - j] = (val // 10 ** j) % 10
        weights = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2))
        check = np.array(list("10X98765432"))[(digits @ weights) % 11]
        id17 = area * 10 ** 11 + birth_num * 1000 + seq
        self.id_number = np.char.add(id17.astype("U17"), check).tolist()
        self.birth_str = np.array([b.isoformat() for b in births])[birth_ord - birth_ord.min()].tolist()
        self.birth_ord = birth_ord

        # names: the household's surname for heads and children, own surnames for spouses and grandparents
        sur, sp = zip(*N.SURNAMES, strict=True)
        sur = np.array(sur)
        sp = np.array(sp) / sum(sp)
        hh_sur = rng.choice(len(sur), size=self.n_households, p=sp)
        own = rng.choice(len(sur), size=n, p=sp)
        surname_i = np.where((role == 0) | (role == 2), hh_sur[hh], own)
        year = (end_ord - age_days) / 365.2425 + 1
        era = np.where(year < 1965, 0, np.where(year < 1995, 1, 2))
        given = np.empty(n, dtype="U2")
        two = rng.random(n) < np.where(era == 0, 0.55, np.where(era == 1, 0.6, 0.8))
        for sex in ("M", "F"):
            for e in range(3):
                pool = np.array(list(N.GIVEN[(sex, e)]))
                mask = (female == (sex == "F")) & (era == e)
                m = int(mask.sum())
                first = pool[rng.integers(0, len(pool), m)]
                second = pool[rng.integers(0, len(pool), m)]
                given[mask] = np.where(two[mask], np.char.add(first, second), first)
        self.name = np.char.add(sur[surname_i], given).tolist()
        self.sex = np.where(female, "F", "M").tolist()

        prefixes = np.array([130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158,
                             159, 166, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 193, 195, 198, 199])
        phone = prefixes[rng.integers(0, len(prefixes), n)] * 10 ** 8 + rng.integers(0, 10 ** 8, n)
        for _ in range(20):
            _, first_at = np.unique(phone, return_index=True)
            dup = np.ones(n, dtype=bool)
            dup[first_at] = False
            if not dup.any():
                break
            phone[dup] = prefixes[rng.integers(0, len(prefixes), int(dup.sum()))] * 10 ** 8 + rng.integers(0, 10 ** 8, int(dup.sum()))
        has_phone = (age >= 12) & ~((age >= 80) & (rng.random(n) < 0.3))
        self.phone = np.where(has_phone, phone.astype("U11"), "").tolist()

        raw = rng.integers(0, 256, size=(n, 18), dtype=np.uint8).tobytes()
        enc = base64.urlsafe_b64encode(raw).decode("ascii")
        self.token = [enc[i:i + 24] for i in range(0, 24 * n, 24)]
        if len(set(self.token)) != n:  # pragma: no cover - 144 random bits
            raise AssertionError("token collision")

        r = rng.random((6, n))
        alone = size == 1
        self.elderly_alone = alone & (age >= 65) & (r[0] < RATES["elderly_alone"])
        self.pregnant = female & (age >= 20) & (age < 40) & (r[1] < RATES["pregnant"])
        adults = age >= 18
        self.dialysis = adults & (r[2] < RATES["dialysis"] * n / max(1, adults.sum()))
        self.chronic = np.where(age > 60, r[3] < RATES["chronic_60"], adults & (r[3] < RATES["chronic_adult"]))
        self.disability = r[4] < np.where(age >= 60, RATES["disability_old"], RATES["disability_young"])
        self.infant = age < 1
        self.home_street = self.grid_street[self.hh_grid[hh]]
        self.home_district = district

    def _venues(self):
        rng = self.rng(4)
        regions = self.regions
        comm_pop = np.zeros(len(regions))
        np.add.at(comm_pop, self.grid_comm[self.hh_grid], self.hh_size)
        comms = self.community_regions
        comm_rural = np.array([regions[c].rural for c in comms])
        kinds, places = [], []
        for kind in KINDS:
            count = max(1, round(self.people * VENUE_RATE[kind]))
            w = comm_pop[comms] * np.where(comm_rural, VENUE_RURAL_FACTOR.get(kind, 1.0), 1.0) + 1e-9
            kinds.extend([K[kind]] * count)
            places.extend(comms[rng.choice(len(comms), size=count, p=w / w.sum())].tolist())
        kind = np.array(kinds, dtype=np.int64)
        place = np.array(places, dtype=np.int64)
        self.n_venues = len(kind)
        self.v_kind = kind
        self.v_region = place
        self.v_street = self.region_street_num[self.region_parent[place]]
        self.v_district = self.street_district[self.v_street]
        codes = rng.integers(10 ** 9, 10 ** 10, self.n_venues)
        while len(np.unique(codes)) < len(codes):
            _, first_at = np.unique(codes, return_index=True)
            dup = np.ones(len(codes), dtype=bool)
            dup[first_at] = False
            codes[dup] = rng.integers(10 ** 9, 10 ** 10, int(dup.sum()))
        self.v_code = [f"V{c}" for c in codes.tolist()]
        self.v_lonlat = np.zeros((self.n_venues, 2))
        order = np.argsort(place, kind="stable")
        ps = place[order]
        for c in np.unique(place):
            idx = order[np.searchsorted(ps, c):np.searchsorted(ps, c, side="right")]
            pts = _sample_in(regions[c].poly, len(idx), rng)
            self.v_lonlat[idx, 0] = CITY_RECT[0] + pts[:, 0] / self._cos
            self.v_lonlat[idx, 1] = pts[:, 1]
        self.v_capacity = np.array([int(rng.integers(*CAPACITY[KINDS[k]])) for k in kind.tolist()])
        self.v_name, self.v_address = [], []
        counters: dict = {}
        for i, (k, c) in enumerate(zip(kind.tolist(), place.tolist(), strict=True)):
            self.v_name.append(self._venue_name(KINDS[k], c, rng, counters, i))
            street = regions[regions[c].parent]
            stem = _stem(street.name)
            self.v_address.append(f"{stem}路{int(rng.integers(1, 900))}号")
        self.v_enclosed = ~((kind == K["market"]) & (rng.random(self.n_venues) < 0.5))
        self.index = _VenueIndex(kind, self.v_street, len(KINDS), len(self.street_regions), self.street_district,
                                 len(self.district_regions))

    def _venue_name(self, kind, comm, rng, counters, i):
        regions = self.regions
        place = _stem(regions[comm].name)
        street = regions[regions[comm].parent]
        district = regions[street.parent]

        def pick(seq):
            return seq[int(rng.integers(0, len(seq)))]

        if kind == "market":
            return f"{place}农贸市场"
        if kind == "supermarket":
            return f"{pick(N.SUPERMARKETS)}超市({place}店)"
        if kind == "restaurant":
            return f"{pick(N.RESTAURANT_PREFIX)}{pick(N.RESTAURANT_KIND)}"
        if kind == "office":
            return f"{pick(N.OFFICE_WORDS)}{pick(N.OFFICE_SUFFIXES)}"
        if kind == "school":
            n = counters[kind] = counters.get(kind, 0) + 1
            return pick((f"{place}小学", f"{place}中学", f"{self.city_name[:-1] if self.city_name.endswith('市') else self.city_name}第{n}中学",
                         f"{_stem(district.name)}实验小学", f"{place}幼儿园"))
        if kind == "factory":
            return f"{place}{pick(N.FACTORY_PRODUCTS)}厂"
        if kind == "gym":
            return f"{pick(N.GYMS)}({place}店)"
        if kind == "ktv":
            return f"{pick(N.KTVS)}({place}店)"
        if kind == "cinema":
            return f"{pick(N.CINEMAS)}({place}店)"
        if kind == "hospital":
            n = counters[kind] = counters.get(kind, 0) + 1
            if n <= 3:
                return f"市第{'一二三'[n - 1]}人民医院"
            return pick((f"{district.name}人民医院", f"{street.name}社区卫生服务中心", f"{district.name}中医医院",
                         f"{_stem(street.name)}卫生院"))
        if kind == "station":
            return pick((f"{_stem(street.name)}地铁站", f"{_stem(district.name)}客运站", f"{place}公交枢纽站"))
        if kind == "bus":
            n = counters[kind] = counters.get(kind, 0) + 1
            return f"公交{(n - 1) % 180 + 1}路 {10000 + i}号车"
        if kind == "mall":
            return f"{pick(N.MALLS)}({_stem(street.name)}店)"
        return f"{pick(N.HOTELS)}({place}店)"

    def _workplaces(self):
        rng = self.rng(5)
        n = self.people
        age, female = self.age, self.female
        working_age = (age >= 19) & np.where(female, age < 55, age < 60)
        p_emp = np.where(age < 23, 0.45, np.where(female, 0.70, 0.80))
        worker = (working_age & (rng.random(n) < p_emp)) | ((age >= 60) & (age < 65) & (rng.random(n) < 0.15))
        worker &= ~self.dialysis
        student = (age >= 6) & (age < 18.5)
        kinds = np.array([K[k] for k in WORK_KIND_P])
        p = np.array(list(WORK_KIND_P.values()))
        rural = np.array([self.regions[g].rural for g in self.grids])[self.hh_grid[self.hh]]
        wk = np.where(rural & (rng.random(n) < 0.25), K["factory"], kinds[rng.choice(len(kinds), size=n, p=p / p.sum())])
        wk = np.where(rural & (wk == K["office"]) & (rng.random(n) < 0.5), K["factory"], wk)
        workplace = np.full(n, -1, dtype=np.int64)
        w_idx = np.flatnonzero(worker)
        workplace[w_idx] = self.index.pick(wk[w_idx], self.home_street[w_idx], self.home_district[w_idx], rng,
                                           p_street=0.25, p_district=0.45)
        s_idx = np.flatnonzero(student)
        workplace[s_idx] = self.index.pick(K["school"], self.home_street[s_idx], self.home_district[s_idx], rng,
                                           p_street=0.7, p_district=0.28)
        self.worker = worker
        self.student = student
        self.workplace = workplace
        self.work_kind = np.where(workplace >= 0, self.v_kind[np.maximum(workplace, 0)], -1)
        self._work_units(rng)
        # fixed habits: who commutes by public transport, how often one goes out
        self.transit = rng.random(n) < 0.45
        self.outgoing = rng.lognormal(0, 0.35, n)

    def _work_units(self, rng):
        """Each worker and pupil of a school, office, factory or hospital gets their class, floor, workshop or
        department: pupils by grade in classes of 45, teachers in staff rooms, others in groups per venue."""
        n = self.people
        unit_of = np.full(n, -1, dtype=np.int64)
        kinds = np.array([K[k] for k in UNIT_PLAN])
        who = np.flatnonzero(np.isin(self.work_kind, kinds))
        venue = self.workplace[who]
        kind = self.work_kind[who]
        pupil = self.student[who]
        # group: a grade for pupils (0..11), 12 for a school's teachers, 0 for everyone else
        grade = np.clip(np.floor(self.age[who]).astype(np.int64) - 6, 0, 11)
        group = np.where(pupil, grade, np.where(kind == K["school"], 12, 0))
        size = np.select([pupil, kind == K["school"]] + [kind == K[k] for k in UNIT_PLAN],
                         [UNIT_PLAN["school"][1], SCHOOL_STAFF_UNIT] + [UNIT_PLAN[k][1] for k in UNIT_PLAN], 50)
        order = np.lexsort((rng.random(len(who)), group, venue))
        v_s, g_s = venue[order], group[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (v_s[1:] != v_s[:-1]) | (g_s[1:] != g_s[:-1])
        starts = np.flatnonzero(first)
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
        number = rank // size[order]
        key = np.stack([v_s, g_s, number], axis=1)
        uniq, inverse = np.unique(key, axis=0, return_inverse=True)
        unit_of[who[order]] = inverse.ravel()
        self.work_unit = unit_of
        rows = []
        for v, g, k in uniq.tolist():
            vk = KINDS[int(self.v_kind[v])]
            if vk == "school":
                name, ukind = (f"教师办公室{k + 1}", "room") if g == 12 else (f"{GRADES[g]}{k + 1}班", "class")
            elif vk == "hospital":
                name, ukind = DEPARTMENTS[k % len(DEPARTMENTS)] + (f"{k // len(DEPARTMENTS) + 1}" if k >= len(DEPARTMENTS) else ""), "department"
            elif vk == "office":
                name, ukind = f"{k // 6 + 1}层{k // 6 + 1}{k % 6 + 1:02d}室", "room"
            else:
                name, ukind = f"{k // 4 + 1}号车间{k % 4 + 1}班组", "workshop"
            rows.append((v, name, ukind))
        # visitors' spaces, after the work units
        self.v_unit_base = np.full(self.n_venues, -1, dtype=np.int64)
        self.v_unit_n = np.zeros(self.n_venues, dtype=np.int64)
        for v in np.flatnonzero(np.isin(self.v_kind, [K[k] for k in VISIT_UNITS])).tolist():
            vk = KINDS[int(self.v_kind[v])]
            n_units = max(2, int(self.v_capacity[v]) // VISIT_UNITS[vk][0])
            self.v_unit_base[v], self.v_unit_n[v] = len(rows), n_units
            for k in range(n_units):
                if vk == "restaurant":
                    name = DINING[k] if k < len(DINING) and k < n_units - 1 else f"包间{k + 1}"
                elif vk == "gym":
                    name = GYM_ZONES[k % len(GYM_ZONES)] + (str(k // len(GYM_ZONES) + 1) if k >= len(GYM_ZONES) else "")
                else:
                    name = VISIT_UNITS[vk][1].format(n=k + 1)
                rows.append((v, name, "room"))
        self.venue_units = rows

    def _aggregate(self):
        regions = self.regions
        pop = np.zeros(len(regions), dtype=np.int64)
        hhs = np.zeros(len(regions), dtype=np.int64)
        np.add.at(pop, self.grids[self.hh_grid], self.hh_size)
        np.add.at(hhs, self.grids[self.hh_grid], 1)
        for i in range(len(regions) - 1, 0, -1):  # children always come after their parent
            p = regions[i].parent
            pop[p] += pop[i]
            hhs[p] += hhs[i]
        for r, a, b in zip(regions, pop.tolist(), hhs.tolist(), strict=True):
            r.population, r.households = a, b
        if regions[0].population != self.people:  # pragma: no cover
            raise AssertionError("population roll-up")

    # -- rows ----------------------------------------------------------------------------------

    def region_rows(self):
        base = self.ids[Region]
        for i, r in enumerate(self.regions):
            ring = [[round(CITY_RECT[0] + x / self._cos, 6), round(y, 6)] for x, y in r.poly]
            ring.append(ring[0])
            yield {"id": base + i, "code": r.code, "name": r.name, "level": int(r.level),
                   "parent_id": None if r.parent < 0 else base + r.parent, "path": r.path, "is_rural": r.rural,
                   "population": r.population, "households": r.households, "lon": round(r.lon, 6),
                   "lat": round(r.lat, 6), "boundary": json.dumps({"type": "Polygon", "coordinates": [ring]})}

    def building_rows(self):
        base, rbase = self.ids[Building], self.ids[Region]
        paths = [self.regions[g].path for g in self.grids]
        lonlat = np.round(self.b_lonlat, 6).tolist()
        for i, (compound, name, floors, gnum, ci) in enumerate(self.buildings):
            yield {"id": base + i, "region_path": paths[gnum], "community_id": rbase + ci,
                   "grid_id": rbase + int(self.grids[gnum]), "compound": compound, "name": name, "floors": floors,
                   "lon": lonlat[i][0], "lat": lonlat[i][1]}

    def unit_rows(self):
        base, bbase = self.ids[Unit], self.ids[Building]
        paths = [self.regions[g].path for g in self.grids]
        for i, (b, number) in enumerate(self.units):
            yield {"id": base + i, "region_path": paths[self.buildings[b][3]], "building_id": bbase + b, "number": number}

    def venue_rows(self):
        base, rbase = self.ids[Venue], self.ids[Region]
        lonlat = np.round(self.v_lonlat, 6).tolist()
        for i in range(self.n_venues):
            c = int(self.v_region[i])
            yield {"id": base + i, "region_path": self.regions[c].path, "name": self.v_name[i],
                   "kind": KINDS[int(self.v_kind[i])], "region_id": rbase + c, "address": self.v_address[i],
                   "capacity": int(self.v_capacity[i]), "code": self.v_code[i], "lon": lonlat[i][0],
                   "lat": lonlat[i][1], "enclosed": bool(self.v_enclosed[i]), "is_open": True}

    def venue_unit_rows(self):
        base, vbase = self.ids[VenueUnit], self.ids[Venue]
        for i, (v, name, kind) in enumerate(self.venue_units):
            yield {"id": base + i, "venue_id": vbase + v, "name": name, "kind": kind}

    def household_rows(self):
        base, rbase, bbase, ubase = self.ids[Household], self.ids[Region], self.ids[Building], self.ids[Unit]
        paths = [self.regions[g].path for g in self.grids]
        grid_ids = (rbase + self.grids).tolist()
        units = self.hh_unit.tolist()
        buildings = self.hh_building.tolist()
        for i, (g, size, sep) in enumerate(zip(self.hh_grid.tolist(), self.hh_size.tolist(), self.hh_separate.tolist(),
                                               strict=True)):
            yield (base + i, paths[g], grid_ids[g], bbase + buildings[i], None if units[i] < 0 else ubase + units[i],
                   self.hh_room[i], self.hh_address[i], size, sep)

    HOUSEHOLD_COLUMNS = ("id", "region_path", "grid_id", "building_id", "unit_id", "room", "address", "size",
                         "has_separate_room_with_bathroom")
    PERSON_COLUMNS = ("id", "region_path", "name", "id_number", "phone", "birth_date", "sex", "household_id",
                      "grid_id", "workplace_id", "token", "elderly_alone", "pregnant", "dialysis", "chronic",
                      "disability", "infant")

    def person_rows(self):
        base, hbase, rbase, vbase = self.ids[Person], self.ids[Household], self.ids[Region], self.ids[Venue]
        paths = [self.regions[g].path for g in self.grids]
        grid_num = self.hh_grid[self.hh]
        path_col = [paths[g] for g in grid_num.tolist()]
        wp = np.where(self.workplace >= 0, vbase + self.workplace, -1).tolist()
        cols = (
            range(base, base + self.people), path_col, self.name, self.id_number, self.phone, self.birth_str, self.sex,
            (hbase + self.hh).tolist(), (rbase + self.grids[grid_num]).tolist(), [None if w < 0 else w for w in wp],
            self.token, self.elderly_alone.tolist(), self.pregnant.tolist(), self.dialysis.tolist(),
            self.chronic.tolist(), self.disability.tolist(), self.infant.tolist())
        return zip(*cols, strict=True)

    # -- check-ins -----------------------------------------------------------------------------

    def day_start_epoch(self, day: int) -> int:
        d = self.day_date(day)
        return int(dt.datetime(d.year, d.month, d.day, tzinfo=self.tz).timestamp())

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the check-in window as aware datetimes."""
        a, b = self.day_date(0), self.end_date + dt.timedelta(days=1)
        return (dt.datetime(a.year, a.month, a.day, tzinfo=self.tz), dt.datetime(b.year, b.month, b.day, tzinfo=self.tz))

    def day_checkins(self, day: int):
        """(person index, venue index, time_in epoch s, time_out epoch s, estimated, unit index or -1) for one day,
        by person and time."""
        rng = self.rng(100, day)
        date = self.day_date(day)
        weekend = date.weekday() >= 5
        n = self.people
        age = self.age
        out_p, out_v, out_u, out_t, out_d = [], [], [], [], []
        idx_all = np.arange(n)

        def emit(who, venues, hours, minutes, units=None):
            out_p.append(who)
            out_v.append(venues)
            out_u.append(np.full(len(who), -1, dtype=np.int64) if units is None else units)
            out_t.append(np.clip(hours * 3600, 300, 86_100).astype(np.int64))
            out_d.append(minutes)

        def visit_minutes(venues):
            default = DWELL[self.v_kind[venues]]
            return np.clip(default * rng.lognormal(0, 0.35, len(venues)), 5, MAX_DWELL_MINUTES)

        def near(who, kind, p_street=0.55, p_district=0.3, streets=None, districts=None):
            return self.index.pick(kind, self.home_street[who] if streets is None else streets,
                                   self.home_district[who] if districts is None else districts, rng,
                                   p_street=p_street, p_district=p_district)

        # work and school
        wk = self.work_kind
        if weekend:
            p_work = np.select([wk == K["office"], wk == K["school"], wk == K["factory"]],
                               [WEEKEND_WORK["office"], WEEKEND_WORK["school"], WEEKEND_WORK["factory"]], 0.55)
        else:
            p_work = np.full(n, 0.92)
        going = self.worker & (rng.random(n) < p_work)
        w = idx_all[going]
        start_h = WORK_START_ARR[wk[w]] + rng.normal(0, 0.45, len(w))
        shift = SHIFT_MINUTES * rng.uniform(0.9, 1.15, len(w))
        emit(w, self.workplace[w], start_h, shift, np.where(self.work_unit[w] >= 0, self.work_unit[w], -2))
        s = idx_all[self.student & (rng.random(n) < (0.0 if weekend else 0.97))]
        s_start = 7.45 + rng.normal(0, 0.2, len(s))
        s_dwell = DEFAULT_DWELL_MINUTES["school"] * rng.uniform(0.92, 1.08, len(s))
        emit(s, self.workplace[s], s_start, s_dwell, np.where(self.work_unit[s] >= 0, self.work_unit[s], -2))
        # commuting by bus or metro, both ways
        commuters = np.concatenate([w, s])
        c_start = np.concatenate([start_h, s_start])
        c_end = c_start + np.concatenate([shift, s_dwell]) / 60
        take = self.transit[commuters] & (age[commuters] >= 10)
        commuters, c_start, c_end = commuters[take], c_start[take], c_end[take]
        metro = rng.random(len(commuters)) < 0.3
        kind = np.where(metro, K["station"], K["bus"])
        wv = self.workplace[commuters]
        emit(commuters, near(commuters, kind, 0.5, 0.4), c_start - rng.uniform(0.25, 0.9, len(commuters)),
             visit_minutes_for(kind, rng))
        emit(commuters, near(commuters, kind, 0.5, 0.4, self.v_street[wv], self.v_district[wv]),
             c_end + rng.uniform(0, 0.4, len(commuters)), visit_minutes_for(kind, rng))
        busy = np.zeros(n, dtype=bool)
        busy[commuters] = True
        outgoing = self.outgoing
        # groceries: older people at the morning market, others after work or on weekend mornings
        older = age >= 60
        g_p = np.where(older, 0.45, 0.30 if not weekend else 0.42) * outgoing
        g = idx_all[(age >= 18) & (rng.random(n) < g_p)]
        g_old = older[g]
        kind = np.where(rng.random(len(g)) < np.where(g_old, 0.7, 0.35), K["market"], K["supermarket"])
        hours = np.where(g_old, rng.normal(8.2, 1.0, len(g)), rng.normal(10.5 if weekend else 18.6, 1.5, len(g)))
        v = near(g, kind, 0.7, 0.25)
        emit(g, v, hours, visit_minutes(v))
        # lunch near work on workdays, with family near home on weekends
        if not weekend:
            lw = w[rng.random(len(w)) < 0.35 * outgoing[w]]
            v = self.index.pick(K["restaurant"], self.v_street[self.workplace[lw]], self.v_district[self.workplace[lw]],
                                rng, p_street=0.8, p_district=0.2)
            emit(lw, v, rng.normal(12.1, 0.35, len(lw)), visit_minutes(v))
        else:
            lw = idx_all[(age >= 3) & (rng.random(n) < 0.25 * outgoing)]
            v = near(lw, K["restaurant"], 0.5, 0.35)
            emit(lw, v, rng.normal(12.0, 0.6, len(lw)), visit_minutes(v))
        dn = idx_all[(age >= 3) & (rng.random(n) < (0.3 if weekend else 0.15) * outgoing)]
        v = near(dn, K["restaurant"], 0.5, 0.35)
        emit(dn, v, rng.normal(18.6, 0.7, len(dn)), visit_minutes(v))
        # leisure
        for kind, ages, p_wd, p_we, mean_h, sd_h in LEISURE:
            p = (p_we if weekend else p_wd) * outgoing
            who = idx_all[(age >= ages[0]) & (age < ages[1]) & (rng.random(n) < p)]
            v = near(who, K[kind], 0.35, 0.4)
            hours = rng.normal(mean_h if not weekend or kind in ("ktv", "gym") else 15.0, sd_h, len(who))
            emit(who, v, hours, visit_minutes(v))
        # hospital: the elderly and chronically ill more often; dialysis three mornings a week
        p_h = 0.004 + 0.01 * older + 0.01 * self.chronic + 0.01 * self.infant
        who = idx_all[rng.random(n) < p_h]
        v = near(who, K["hospital"], 0.3, 0.5)
        emit(who, v, rng.normal(9.5, 1.5, len(who)), visit_minutes(v))
        if date.weekday() in (0, 2, 4):
            who = idx_all[self.dialysis]
            v = near(who, K["hospital"], 0.2, 0.6)
            emit(who, v, rng.normal(8.0, 0.3, len(who)), np.full(len(who), 240.0))
        # errands by bus or metro for those not commuting: there and back
        who = idx_all[~busy & (age >= 10) & (rng.random(n) < 0.3 * outgoing)]
        kind = np.where(rng.random(len(who)) < 0.3, K["station"], K["bus"])
        there = rng.normal(10.0 if not weekend else 13.0, 2.0, len(who))
        back = there + rng.uniform(1.0, 4.0, len(who))
        emit(who, near(who, kind, 0.4, 0.4), there, visit_minutes_for(kind, rng))
        emit(who, near(who, kind, 0.3, 0.4), back, visit_minutes_for(kind, rng))

        person = np.concatenate(out_p)
        venue = np.concatenate(out_v)
        unit = np.concatenate(out_u)
        # visitors (unit -1) at venues with visitors' spaces take one at random; staff without a unit (-2) keep none
        seat = (unit == -1) & (self.v_unit_n[venue] > 0)
        unit[seat] = self.v_unit_base[venue[seat]] + (rng.random(int(seat.sum())) * self.v_unit_n[venue[seat]]).astype(np.int64)
        unit[unit < 0] = -1
        t_in = np.concatenate(out_t) + self.day_start_epoch(day) + rng.integers(0, 60, len(person))
        minutes = np.concatenate(out_d)
        estimated = rng.random(len(person)) < ESTIMATED_SHARE
        minutes = np.where(estimated, DWELL[self.v_kind[venue]], minutes)
        t_out = t_in + np.round(minutes * 60).astype(np.int64)
        order = np.lexsort((t_in, person))
        return person[order], venue[order], t_in[order], t_out[order], estimated[order], unit[order]


DWELL = np.array([DEFAULT_DWELL_MINUTES[k] for k in KINDS], dtype=float)
WORK_START_ARR = np.array([WORK_START[k] for k in KINDS] + [8.0])
LEISURE = (
    # kind, [age from, to), p weekday, p weekend, mean hour, sd hours
    ("mall", (6, 76), 0.035, 0.16, 15.0, 2.5),
    ("gym", (16, 56), 0.05, 0.07, 19.5, 1.2),
    ("ktv", (18, 46), 0.006, 0.035, 20.5, 1.0),
    ("cinema", (6, 66), 0.008, 0.04, 19.0, 2.5),
    ("hotel", (18, 80), 0.001, 0.002, 15.0, 3.0),
)


def visit_minutes_for(kind, rng):
    return np.clip(DWELL[kind] * rng.lognormal(0, 0.35, len(kind)), 5, MAX_DWELL_MINUTES)


def _stem(name: str) -> str:
    for suffix in ("街道", "社区", "镇", "区", "县"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class _VenueIndex:
    """Pick a venue of a kind near a place: same street, else same district, else anywhere in the city."""

    def __init__(self, kind, street, n_kinds, n_streets, street_district, n_districts):
        key = kind * n_streets + street
        self.order = np.argsort(key, kind="stable")
        ks = key[self.order]
        grid = np.arange(n_kinds * n_streets + 1)
        edges = np.searchsorted(ks, grid)
        self.s_start = edges[:-1].reshape(n_kinds, n_streets)
        self.s_count = (edges[1:] - edges[:-1]).reshape(n_kinds, n_streets)
        # streets of a district are consecutive numbers
        d_first = np.searchsorted(street_district, np.arange(n_districts))
        d_last = np.searchsorted(street_district, np.arange(n_districts), side="right")
        kk = np.arange(n_kinds)[:, None]
        self.d_start = np.searchsorted(ks, kk * n_streets + d_first[None, :])
        self.d_count = np.searchsorted(ks, kk * n_streets + d_last[None, :]) - self.d_start
        self.k_start = np.searchsorted(ks, np.arange(n_kinds) * n_streets)
        self.k_count = np.searchsorted(ks, (np.arange(n_kinds) + 1) * n_streets) - self.k_start

    def pick(self, kind, street, district, rng, *, p_street, p_district):
        m = len(street)
        kind = np.broadcast_to(np.asarray(kind), (m,))
        u = rng.random(m)
        start = self.k_start[kind].copy()
        count = self.k_count[kind].copy()
        ds, dc = self.d_start[kind, district], self.d_count[kind, district]
        use_d = (u < p_street + p_district) & (dc > 0)
        start[use_d], count[use_d] = ds[use_d], dc[use_d]
        ss, sc = self.s_start[kind, street], self.s_count[kind, street]
        use_s = (u < p_street) & (sc > 0)
        start[use_s], count[use_s] = ss[use_s], sc[use_s]
        if (count <= 0).any():  # pragma: no cover - every kind has at least one venue
            raise AssertionError("no venue of a kind")
        return self.order[start + (rng.random(m) * count).astype(np.int64)]


# --------------------------------------------------------------------------------------------
# writing


def _next_id(connection, model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(model._meta.pk.column)}) "
                       f"FROM {connection.ops.quote_name(model._meta.db_table)}")
        value = cursor.fetchone()[0]
    return (value or 0) + 1


class _Writer:
    """Bulk rows into tables: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, connection, *, created_at=None):
        self.connection = connection
        self.created_at = created_at
        connection.ensure_connection()
        self.raw = connection.connection
        self.pg = connection.vendor == "postgresql"
        self.rows = 0

    def columns(self, model, provided):
        """Columns to write: the provided ones plus constant defaults for any other concrete field."""
        cols, consts = [], []
        for name in provided:
            cols.append(model._meta.get_field(name).column)
        for field in model._meta.concrete_fields:
            if field.attname in provided or field.name in provided:
                continue
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                value = self.created_at
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            else:
                raise ValueError(f"{model.__name__}.{field.name} has no default; the city generator must fill it")
            cols.append(field.column)
            consts.append(field.get_db_prep_save(value, self.connection))
        return cols, tuple(consts)

    def write(self, model, rows, provided=None):
        rows = iter(rows)
        if provided is None:
            first = next(rows, None)
            if first is None:
                return
            provided = tuple(first)
            rows = _chain_first(first, rows)
            rows = (tuple(r.values()) for r in rows)
        cols, consts = self.columns(model, provided)
        if consts:
            rows = (r + consts for r in rows)
        counter = _Counter(rows)
        table = self.connection.ops.quote_name(model._meta.db_table)
        qcols = ", ".join(self.connection.ops.quote_name(c) for c in cols)
        if self.pg:
            with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({qcols}) FROM STDIN") as copy:
                for row in counter:
                    copy.write_row(row)
        else:
            _insert_many(self.raw, f"INSERT INTO {table} ({qcols}) VALUES ", len(cols), _batched_flat(counter, len(cols)))
        self.rows += counter.n

    def write_checkins(self, plan, person, venue, t_in, t_out, estimated, unit):
        # Keys checked here, in bulk, so the SQLite key check after the load can skip this table.
        if len(person) and not (0 <= person.min() and person.max() < plan.people
                                and 0 <= venue.min() and venue.max() < plan.n_venues):
            raise AssertionError("check-in refers to a resident or venue outside the city")
        if len(unit) and unit.max() >= len(plan.venue_units):
            raise AssertionError("check-in refers to a unit outside the city")
        if (t_out < t_in).any():
            raise AssertionError("check-in leaves before it arrives")
        pbase, vbase, ubase = plan.ids[Person], plan.ids[Venue], plan.ids[VenueUnit]
        units = np.where(unit >= 0, ubase + unit, -1)
        if self.pg:
            _copy_checkins_binary(self.raw, pbase + person, vbase + venue, t_in, t_out, estimated, units)
        else:
            tz = self.connection.timezone
            shift = int(dt.datetime.fromtimestamp(int(t_in[0]), tz).utcoffset().total_seconds()) if len(t_in) else 0
            flat = np.empty((len(person), 6), dtype=object)
            flat[:, 0] = (pbase + person).tolist()
            flat[:, 1] = (vbase + venue).tolist()
            flat[:, 2] = sqlite_datetimes(t_in + shift)
            flat[:, 3] = sqlite_datetimes(t_out + shift)
            flat[:, 4] = estimated.tolist()
            flat[:, 5] = [None if u < 0 else u for u in units.tolist()]
            flat = flat.ravel().tolist()
            k = SQLITE_ROWS_PER_INSERT * 6
            chunks = (flat[i:i + k] for i in range(0, len(flat), k))
            _insert_many(self.raw, checkin_insert_sql(self.connection, values=False), 6, chunks)
        self.rows += len(person)

    def loading(self, models_, *, cache_kib: int = 0):
        return _Loading(self, models_, cache_kib=cache_kib)

    def reset_sequences(self, models_):
        sql = self.connection.ops.sequence_reset_sql(no_style(), models_)
        if sql:
            with self.connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


CHECKIN_COLUMNS = ("person_id", "venue_id", "time_in", "time_out", "estimated", "unit_id")
# Rows per INSERT statement on SQLite: multi-row VALUES halve the per-row cost of executemany;
# 50 x 5 parameters stays far below any build's variable limit.
SQLITE_ROWS_PER_INSERT = 50


def checkin_insert_sql(connection, table=None, *, values=True) -> str:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(CheckIn._meta.get_field(c).column) for c in CHECKIN_COLUMNS)
    return f"INSERT INTO {qn(table or CheckIn._meta.db_table)} ({cols}) VALUES " + ("(?, ?, ?, ?, ?, ?)" if values else "")


def _batched_flat(rows, width):
    """Flat parameter lists of up to SQLITE_ROWS_PER_INSERT rows (fewer for wide rows)."""
    k = max(1, min(SQLITE_ROWS_PER_INSERT, 900 // width))
    batch = []
    for row in rows:
        batch.extend(row)
        if len(batch) >= k * width:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_many(raw, head, width, chunks):
    """Run `head` + a VALUES list per chunk of flat parameters: one prepared statement for the
    full-size chunks (streamed), another for the shorter last one."""
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    full = len(first)
    group = "(" + ", ".join("?" * width) + ")"
    leftover = []

    def same_size():
        yield first
        for chunk in chunks:
            if len(chunk) == full:
                yield chunk
            else:
                leftover.append(chunk)

    cursor = raw.cursor()
    cursor.executemany(head + ", ".join([group] * (full // width)), same_size())
    for chunk in leftover:
        cursor.execute(head + ", ".join([group] * (len(chunk) // width)), chunk)


class _Loading:
    """Bulk-load mode for a set of tables, restored before the transaction commits.

    Secondary indexes are dropped and rebuilt afterwards (one sort per index instead of a B-tree
    insert per row). On PostgreSQL the tables' foreign keys are dropped and re-added, which
    validates them in one pass. On SQLite, when foreign keys were switched off for the
    transaction, the loaded tables are checked with `PRAGMA foreign_key_check` at the end."""

    def __init__(self, writer, models_, *, cache_kib=0):
        self.writer = writer
        self.tables = [m._meta.db_table for m in models_]
        self.fks = []
        self.indexes = []
        self.cache_kib = cache_kib
        self.saved_cache = None

    def _fetch(self, sql, params):
        with self.writer.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def __enter__(self):
        connection = self.writer.connection
        qn = connection.ops.quote_name
        if self.writer.pg:
            self.fks = self._fetch(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])", [self.tables])
            self.indexes = self._fetch(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [self.tables])
            connection.check_constraints()  # ALTER TABLE refuses tables with pending deferred checks
            statements = ["SET LOCAL maintenance_work_mem = '256MB'"]  # index rebuilds sort in memory
            statements += [f"ALTER TABLE {t} DROP CONSTRAINT {qn(name)}" for t, name, _ in self.fks]
        else:
            placeholders = ", ".join(["%s"] * len(self.tables))
            self.indexes = self._fetch(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({placeholders})", self.tables)
            statements = []
            (current,), = self._fetch("PRAGMA cache_size", [])
            current_kib = -current if current < 0 else current * 4
            if self.cache_kib > current_kib:
                self.saved_cache = current
                statements.append(f"PRAGMA cache_size = -{int(self.cache_kib)}")
        statements += [f"DROP INDEX {qn(name) if not self.writer.pg else name}" for name, _ in self.indexes]
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        return self

    def __exit__(self, exc_type, *exc):
        try:
            if exc_type is None:  # otherwise the transaction rolls back, indexes and keys included
                self._restore()
        finally:
            if self.saved_cache is not None:
                with self.writer.connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(self.saved_cache)}")
        return False

    def _restore(self):
        connection = self.writer.connection
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for _, definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.fks:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
            if not self.writer.pg:
                cursor.execute("PRAGMA foreign_keys")
                if not cursor.fetchone()[0]:
                    checked = {CheckIn._meta.db_table}  # bounds-checked as written (`write_checkins`)
                    connection.check_constraints(table_names=[t for t in self.tables if t not in checked])


class _Counter:
    def __init__(self, rows):
        self.rows = rows
        self.n = 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def _chain_first(first, rest):
    yield first
    yield from rest


def sqlite_datetimes(epoch: np.ndarray) -> list[str]:
    """Epoch seconds -> 'YYYY-MM-DD HH:MM:SS' (the text Django's SQLite backend stores), vectorised."""
    text = epoch.astype("datetime64[s]").astype("U19")
    text.view(np.uint32).reshape(-1, 19)[:, 10] = ord(" ")
    return text.tolist()


_PG_EPOCH = 946_684_800  # 2000-01-01 in Unix seconds
_BINARY_FIELDS = [("n", ">i2"), ("l1", ">i4"), ("person", ">i8"), ("l2", ">i4"), ("venue", ">i8"), ("l3", ">i4"),
                  ("t_in", ">i8"), ("l4", ">i4"), ("t_out", ">i8"), ("l5", ">i4"), ("estimated", "u1"), ("l6", ">i4")]
# A binary COPY record is fixed-size only when every field is: the unit column is NULL (length -1, no
# bytes) or a bigint, so rows with and without a unit are two record layouts, written as one payload.
CHECKIN_BINARY = {False: np.dtype(_BINARY_FIELDS), True: np.dtype(_BINARY_FIELDS + [("unit", ">i8")])}


def checkin_binary(person, venue, t_in, t_out, estimated, unit=None) -> bytes:
    """A PostgreSQL binary COPY payload for check-in rows (bigint, bigint, timestamptz, timestamptz, boolean,
    bigint or NULL), in CHECKIN_COLUMNS order; unit < 0 (or no unit array) is NULL."""
    if unit is None:
        unit = np.full(len(person), -1, dtype=np.int64)
    parts = []
    for has in (True, False):
        sel = (unit >= 0) if has else (unit < 0)
        m = int(sel.sum())
        if not m:
            continue
        rec = np.empty(m, dtype=CHECKIN_BINARY[has])
        rec["n"] = 6
        rec["l1"] = rec["l2"] = rec["l3"] = rec["l4"] = 8
        rec["l5"] = 1
        rec["person"] = person[sel]
        rec["venue"] = venue[sel]
        rec["t_in"] = (t_in[sel] - _PG_EPOCH) * 1_000_000
        rec["t_out"] = (t_out[sel] - _PG_EPOCH) * 1_000_000
        rec["estimated"] = estimated[sel]
        if has:
            rec["l6"] = 8
            rec["unit"] = unit[sel]
        else:
            rec["l6"] = -1
        parts.append(rec.tobytes())
    return b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + b"".join(parts) + b"\xff\xff"


def _copy_checkins_binary(raw, person, venue, t_in, t_out, estimated, unit=None, table=None):
    payload = checkin_binary(person, venue, t_in, t_out, estimated, unit)
    cols = ", ".join(f'"{CheckIn._meta.get_field(c).column}"' for c in CHECKIN_COLUMNS)
    with raw.cursor() as cur, cur.copy(f'COPY "{table or CheckIn._meta.db_table}" ({cols}) FROM STDIN (FORMAT BINARY)') as copy:
        copy.write(payload)


class _Progress:
    def __init__(self, enabled: bool, total: int):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="city", unit="step", dynamic_ncols=True)
        self.first = True

    def stage(self, text):
        if self.bar is not None:
            self.bar.set_description_str(text)

    def step(self, text, rows=None):
        if self.bar is None:
            return
        if not self.first:
            self.bar.update(1)
        self.first = False
        self.bar.set_description_str(text)
        if rows is not None:
            self.bar.set_postfix_str(f"{rows:,} rows")

    def close(self, rows=None):
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_description_str("city ready")
            if rows is not None:
                self.bar.set_postfix_str(f"{rows:,} rows")
            self.bar.close()
