"""`cordon bench city --people N [--seed S]`: generate a fresh city, then measure, in the same run,
the database's raw bulk insert of the same check-in rows (same columns, same indexes and
constraints, one transaction: `executemany` on SQLite, binary COPY on PostgreSQL) as the baseline
the generator's overall write rate is compared with."""

import time

import numpy as np
from django.db import connection, transaction
from django.db.models import Min

from cordon.bench.base import Bench
from cordon.core import clock
from cordon.core.figures import print_json, print_table
from cordon.sim import citygen

SCRATCH = "cordon_bench_checkin_scratch"


class CityBench(Bench):
    name = "city"
    help = "generate a synthetic city; compare its write rate with the database's raw bulk insert"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument("--no-baseline", action="store_true", help="skip the raw insert baseline")

    def run(self, options: dict, stdout) -> dict:
        people, seed = options["people"], options["seed"]
        start = time.perf_counter()
        citygen.delete_city()
        delete_seconds = time.perf_counter() - start
        end_date = clock.today()
        cpu = time.process_time()
        stats = citygen.generate_city(people=people, seed=seed, end_date=end_date,
                                      progress=not options.get("no_progress"))
        cpu = time.process_time() - cpu
        rows_per_s = stats.rows / stats.seconds
        print_table(stdout, [
            ("database", f"{connection.vendor} {connection.settings_dict['NAME']}"),
            ("old city deleted (s)", delete_seconds),
            ("residents", stats.people),
            ("households", stats.households),
            ("regions", stats.regions),
            ("buildings", stats.buildings),
            ("venues", stats.venues),
            ("check-ins", stats.checkins),
            ("rows written", stats.rows),
            ("generation (s)", stats.seconds),
            ("generation CPU in this process (s)", cpu),
            ("residents/s", stats.people / stats.seconds),
            ("rows/s", rows_per_s),
        ], title=f"city bench: {people:,} people, seed {seed}")
        stdout.flush()
        raw_rate = None
        if not options.get("no_baseline"):
            raw_rows, raw_seconds = raw_checkin_baseline(people=people, seed=seed, end_date=end_date)
            raw_rate = raw_rows / raw_seconds if raw_seconds else 0.0
            print_table(stdout, [
                ("raw check-in insert rows", raw_rows),
                ("raw check-in insert (s)", raw_seconds),
                ("raw rows/s", raw_rate),
                ("generator / raw", rows_per_s / raw_rate if raw_rate else 0.0),
            ], title="raw baseline: the same check-in rows into a scratch copy of the table (same indexes)")
        result = {
            "people": stats.people,
            "checkins": stats.checkins,
            "seconds": round(stats.seconds, 2),
            "residents_per_s": round(stats.people / stats.seconds, 1),
            "rows_per_s": round(rows_per_s, 1),
            "raw_rows_per_s": None if raw_rate is None else round(raw_rate, 1),
        }
        print_json(stdout, result)
        return result


def raw_checkin_baseline(*, people: int, seed: int, end_date) -> tuple[int, float]:
    """(rows, seconds): the generated city's check-in rows bulk-inserted into a scratch copy of the table.

    Rows are built before each timed insert; only the inserts and the commit are timed."""
    plan = citygen.CityPlan(people=people, seed=seed, end_date=end_date)
    plan.build(_Quiet())
    plan.ids = {model: _min_id(model) for model in (citygen.Person, citygen.Venue, citygen.VenueUnit)}
    pg = connection.vendor == "postgresql"
    _drop_scratch()
    rows = 0
    seconds = 0.0
    try:
        with transaction.atomic():
            _create_scratch(pg)
            for day in range(plan.days):
                person, venue, t_in, t_out, estimated, unit = plan.day_checkins(day)
                person = person + plan.ids[citygen.Person]
                venue = venue + plan.ids[citygen.Venue]
                unit = np.where(unit >= 0, unit + plan.ids[citygen.VenueUnit], -1)
                raw = connection.connection
                if pg:
                    payload = citygen.checkin_binary(person, venue, t_in, t_out, estimated, unit)
                    cols = ", ".join(f'"{citygen.CheckIn._meta.get_field(c).column}"' for c in citygen.CHECKIN_COLUMNS)
                    sql = f'COPY "{SCRATCH}" ({cols}) FROM STDIN (FORMAT BINARY)'
                    t0 = time.perf_counter()
                    with raw.cursor() as cur, cur.copy(sql) as copy:
                        copy.write(payload)
                else:
                    batch = list(zip(person.tolist(), venue.tolist(), citygen.sqlite_datetimes(t_in),
                                     citygen.sqlite_datetimes(t_out), estimated.tolist(),
                                     [None if u < 0 else u for u in unit.tolist()], strict=True))
                    sql = citygen.checkin_insert_sql(connection, SCRATCH)
                    t0 = time.perf_counter()
                    raw.cursor().executemany(sql, batch)
                seconds += time.perf_counter() - t0
                rows += len(person)
            t0 = time.perf_counter()
        seconds += time.perf_counter() - t0  # the commit (deferred constraint checks included)
    finally:
        _drop_scratch()
    return rows, seconds


def _min_id(model) -> int:
    return model.objects.aggregate(first=Min("pk"))["first"] or 1


def _create_scratch(pg: bool) -> None:
    table = citygen.CheckIn._meta.db_table
    with connection.cursor() as cursor:
        if pg:
            cursor.execute(f'CREATE TABLE "{SCRATCH}" (LIKE "{table}" INCLUDING ALL)')
            return
        cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                       "ORDER BY type = 'index'", [table])
        for kind, name, sql in cursor.fetchall():
            sql = sql.replace(f'"{table}"', f'"{SCRATCH}"')
            if kind == "index":
                sql = sql.replace(f'"{name}"', f'"{SCRATCH}_{name}"')
            cursor.execute(sql)


def _drop_scratch() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{SCRATCH}"')


class _Quiet:
    def step(self, *args, **kwargs):
        pass


bench_city = CityBench()
BENCHES = {"city": bench_city}
