"""`cordon bench city --people N [--seed S]`: generate a fresh city, then measure, in the same run, the
baseline its write rate is compared with: the same rows of every generated table (same plan, same values)
loaded into empty copies of the tables, with the same schema and indexes at the end, by the database's
fastest raw path (see `raw_city_baseline`); only the database's work is timed. `of_raw` is the generator's
rows/s over the baseline's (generation, planning and key checks included on the generator's side)."""

import time

import numpy as np
from django.db import connection, transaction

from cordon.bench.base import Bench
from cordon.core import bulk, clock
from cordon.core.figures import print_json, print_table
from cordon.sim import citygen

SCRATCH = "zzraw_"  # the raw baseline's scratch tables: zzraw_ + the table's name


class CityBench(Bench):
    name = "city"
    help = "generate a synthetic city; compare its write rate with the database's raw bulk insert"

    arguments = {
        "people": 100_000,
        "seed": 1,
        "no-progress": (False, "no progress bar"),
        "no-baseline": (False, "skip the raw insert baseline"),
    }

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
        result = {
            "people": stats.people,
            "checkins": stats.checkins,
            "rows": stats.rows,
            "seconds": round(stats.seconds, 2),
            "residents_per_s": round(stats.people / stats.seconds, 1),
            "rows_per_s": round(rows_per_s, 1),
            "raw_rows": None, "raw_seconds": None, "raw_rows_per_s": None, "of_raw": None,
        }
        if not options.get("no_baseline"):
            raw_rows, raw_seconds = raw_city_baseline(people=people, seed=seed, end_date=end_date)
            raw_rate = raw_rows / raw_seconds if raw_seconds else 0.0
            result.update(raw_rows=raw_rows, raw_seconds=round(raw_seconds, 2), raw_rows_per_s=round(raw_rate, 1),
                          of_raw=round(rows_per_s / raw_rate, 3) if raw_rate else None)
            print_table(stdout, [
                ("raw rows", raw_rows),
                ("raw load (s)", raw_seconds),
                ("raw rows/s", raw_rate),
                ("generator / raw (rows/s)", result["of_raw"]),
            ], title="raw baseline: the same rows of every table into empty copies (same schema and indexes), "
                     "by the database's fastest raw path")
        print_json(stdout, result)
        return result


def raw_city_baseline(*, people: int, seed: int, end_date) -> tuple[int, float]:
    """(rows, seconds): every row the generator writes (same plan, same values) loaded into empty scratch
    copies of the city's tables by the database's fastest raw path, with the same schema and indexes at the end.

    SQLite: foreign keys off, the generator's page cache, multi-row INSERT through `executemany` on the raw
    connection, indexes created after the rows. PostgreSQL: binary COPY (text COPY for the small tables) into
    tables without indexes or keys, then primary keys, indexes and foreign keys added (validated in one pass
    each). Parameters and COPY payloads are built before each timed statement: only the database's work counts."""
    plan = citygen.CityPlan(people=people, seed=seed, end_date=end_date)
    plan.build(_Quiet())
    plan.ids = {model: 1 for model in citygen.LOADED[:-1]}
    scratch = _Scratch(connection.vendor == "postgresql")
    scratch.drop()
    rows, seconds = 0, 0.0
    try:
        with connection.constraint_checks_disabled(), transaction.atomic():
            writer = citygen.CityWriter(connection, created_at=plan.window()[0])
            scratch.create(cache_kib=min(people, 1 << 20))
            for model, table_rows, provided in plan.table_rows():
                n, t = scratch.load(writer, model, table_rows, provided)
                rows, seconds = rows + n, seconds + t
            for day in range(plan.days):
                n, t = scratch.load_checkins(plan, *plan.day_checkins(day))
                rows, seconds = rows + n, seconds + t
            t0 = time.perf_counter()
            scratch.index()
        seconds += time.perf_counter() - t0  # indexes, keys and the commit
    finally:
        scratch.drop()
    return rows, seconds


class _Scratch:
    """Scratch copies of the generated tables (SCRATCH + table name) for the raw baseline."""

    def __init__(self, pg: bool):
        self.pg = pg
        self.tables = [m._meta.db_table for m in citygen.LOADED]
        self.later: list[str] = []  # indexes and keys, created after the rows

    def name(self, table: str) -> str:
        return SCRATCH + table

    def _renamed(self, sql: str) -> str:
        for table in self.tables:
            sql = sql.replace(f'"{table}"', f'"{self.name(table)}"')
        return sql

    def _fetch(self, sql: str, params=()) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _run(self, statements) -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def create(self, *, cache_kib: int) -> None:
        if self.pg:
            self._create_pg()
            return
        self._run([f"PRAGMA cache_size = -{int(cache_kib)}"])
        for table in self.tables:
            for kind, name, sql in self._fetch("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s "
                                               "AND sql IS NOT NULL", [table]):
                sql = self._renamed(sql)
                if kind == "index":
                    self.later.append(sql.replace(f'"{name}"', f'"{SCRATCH}{name}"'))
                else:
                    self._run([sql])

    def _create_pg(self) -> None:
        statements = ["SET LOCAL maintenance_work_mem = '256MB'"]  # as the generator's index rebuilds
        for table in self.tables:
            statements.append(f'CREATE TABLE "{self.name(table)}" (LIKE "{table}" INCLUDING DEFAULTS '
                              "INCLUDING CONSTRAINTS INCLUDING IDENTITY)")
            for name, definition, constraint in self._fetch(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), pg_get_constraintdef(c.oid) "
                    "FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('p', 'u') "
                    "WHERE i.indrelid = %s::regclass ORDER BY NOT i.indisprimary", [table]):
                if constraint:
                    self.later.append(f'ALTER TABLE "{self.name(table)}" ADD CONSTRAINT "{SCRATCH}{name}" {constraint}')
                else:
                    definition = definition.replace(f"INDEX {name} ON", f'INDEX "{SCRATCH}{name}" ON')
                    self.later.append(definition.replace(f" ON public.{table} ", f' ON public."{self.name(table)}" '))
        for table in self.tables:
            for name, definition in self._fetch("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                                                "WHERE contype = 'f' AND conrelid = %s::regclass", [table]):
                for target in self.tables:
                    definition = definition.replace(f"REFERENCES {target}(", f'REFERENCES "{self.name(target)}"(')
                self.later.append(f'ALTER TABLE "{self.name(table)}" ADD CONSTRAINT "{SCRATCH}{name}" {definition}')
        self._run(statements)

    def load(self, writer, model, rows, provided) -> tuple[int, float]:
        """One table's rows (dicts, or tuples in `provided` order) with the generator's constants; (rows, seconds)."""
        rows = list(rows)
        if provided is None:
            provided = tuple(rows[0])
            rows = [tuple(r.values()) for r in rows]
        cols, consts = writer.columns(model, provided)
        rows = [r + consts for r in rows]
        table = self.name(model._meta.db_table)
        qcols = ", ".join(connection.ops.quote_name(c) for c in cols)
        if self.pg:
            payload = "".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows).encode()
            return len(rows), self._copy(f'COPY "{table}" ({qcols}) FROM STDIN', payload)
        chunks = list(bulk.batched_flat(rows, len(cols)))
        return len(rows), self._insert(f'INSERT INTO "{table}" ({qcols}) VALUES ', len(cols), chunks)

    def load_checkins(self, plan, person, venue, t_in, t_out, estimated, unit) -> tuple[int, float]:
        person = person + plan.ids[citygen.Person]
        venue = venue + plan.ids[citygen.Venue]
        unit = np.where(unit >= 0, unit + plan.ids[citygen.VenueUnit], -1)
        table = self.name(citygen.CheckIn._meta.db_table)
        if self.pg:
            payload = citygen.checkin_binary(person, venue, t_in, t_out, estimated, unit)
            cols = ", ".join(f'"{citygen.CheckIn._meta.get_field(c).column}"' for c in citygen.CHECKIN_COLUMNS)
            return len(person), self._copy(f'COPY "{table}" ({cols}) FROM STDIN (FORMAT BINARY)', payload)
        flat = citygen.sqlite_checkin_params(connection, person, venue, t_in, t_out, estimated, unit)
        k = bulk.SQLITE_ROWS_PER_INSERT * 6
        chunks = [flat[i:i + k] for i in range(0, len(flat), k)]
        return len(person), self._insert(citygen.checkin_insert_sql(connection, table, values=False), 6, chunks)

    def _copy(self, sql: str, payload: bytes) -> float:
        t0 = time.perf_counter()
        with connection.connection.cursor() as cur, cur.copy(sql) as copy:
            copy.write(payload)
        return time.perf_counter() - t0

    def _insert(self, head: str, width: int, chunks: list) -> float:
        """SQLite: the full-size chunks through one prepared multi-row statement, the last shorter one alone."""
        group = "(" + ", ".join("?" * width) + ")"
        full = [c for c in chunks if len(c) == len(chunks[0])]
        rest = chunks[len(full):]
        cursor = connection.connection.cursor()
        t0 = time.perf_counter()
        cursor.executemany(head + ", ".join([group] * (len(chunks[0]) // width)), full)
        for chunk in rest:
            cursor.execute(head + ", ".join([group] * (len(chunk) // width)), chunk)
        return time.perf_counter() - t0

    def index(self) -> None:
        self._run(self.later)
        self.later = []

    def drop(self) -> None:
        self._run([f'DROP TABLE IF EXISTS "{self.name(t)}"' + (" CASCADE" if self.pg else "")
                   for t in reversed(self.tables)])


def _copy_text(value) -> str:
    """A value in PostgreSQL's text COPY format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


class _Quiet:
    def step(self, *args, **kwargs):
        pass


bench_city = CityBench()
BENCHES = {"city": bench_city}
