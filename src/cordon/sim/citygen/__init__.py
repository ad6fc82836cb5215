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

The stages live in one module per generated layer: params (the numbers), geometry (polygons), regions,
housing, residents, venues (and workplaces), checkins, rows (table rows), plan (CityPlan putting them
together), writing (check-in fast paths on core.bulk), deletion (existing_city, delete_city).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from cordon.core import clock
from cordon.core.bulk import sqlite_datetimes
from cordon.core.vacuum import vacuum_analyze
from cordon.people.models import Household, Person
from cordon.regions.models import Building, Region, Unit
from cordon.sim.citygen.deletion import delete_city, existing_city
from cordon.sim.citygen.params import DAYS, KINDS, VISIT_UNITS
from cordon.sim.citygen.plan import CityPlan
from cordon.sim.citygen.writing import (
    CHECKIN_COLUMNS,
    CityWriter,
    checkin_binary,
    checkin_insert_sql,
    sqlite_checkin_params,
)
from cordon.venues.models import CheckIn, Venue, VenueUnit

__all__ = ["CHECKIN_COLUMNS", "DAYS", "KINDS", "LOADED", "VISIT_UNITS", "CheckIn", "CityPlan", "CityStats", "CityWriter",
           "Person", "Venue", "VenueUnit", "checkin_binary", "checkin_insert_sql", "delete_city", "existing_city",
           "generate_city", "sqlite_checkin_params", "sqlite_datetimes"]


# Every table the generator writes, parents first.
LOADED = (Region, Building, Unit, Venue, VenueUnit, Household, Person, CheckIn)


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
        raise ValueError(_("a city needs at least 100 people"))
    if not (len(city_code) == 4 and city_code.isdigit()):
        raise ValueError(_("city_code must be 4 digits (GB/T 2260 prefecture code)"))
    start = time.perf_counter()
    end_date = end_date or clock.today()
    connection = connections[using]
    existing = existing_city(using=using)
    if existing and not replace:
        raise ValueError(_("a city already exists in database %(using)r (%(existing)s); pass replace=True to delete it and generate a new one") % {"using": using, "existing": existing})
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
                raise ValueError(_("a city appeared in database %(using)r meanwhile; pass replace=True") % {"using": using})
            bar.stage("deleting the old city")
            delete_city(using=using)
        plan.assign_ids()
        writer = CityWriter(connection, created_at=plan.window()[0])
        loaded = list(LOADED)
        # SQLite page cache for the load: ~1 KiB per resident, capped at 1 GiB (the index rebuilds
        # and the key check scan everything just written); the connection's own setting comes back after.
        with writer.loading(loaded, cache_kib=min(people, 1 << 20), checked=[CheckIn]):  # CityWriter.write_checkins
            bar.step("writing regions, buildings, venues")
            for model, rows, provided in plan.table_rows():
                if model is Household:
                    bar.step("writing households and residents", rows=writer.rows)
                writer.write(model, rows, provided)
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


class _Progress:
    def __init__(self, enabled: bool, total: int):
        self.bar = None
        if enabled:
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
