"""The one toolbox for writing many rows at once below the ORM, for every app.

Two paths, one way of filling the columns a caller does not give (`field_constants`: the field's own
default, or the load's instant for auto_now fields, prepared once by the field itself):

- `insert_rows(model, rows)`: a hot path that writes thousands of rows at once inside a normal request
  (contact proposals for a case under protocol-9). Rows are dicts of attribute names; values are prepared
  per column by the cheapest converter that stores them exactly as the ORM does (JSON and date-times
  through the backend), and the rows go through one prepared statement on Django's cursor with
  executemany, without building model instances or compiling SQL per batch. Primary keys are not returned.
- `BulkWriter`: loading whole tables (the synthetic city, synthetic presence): rows already in database
  form stream as multi-row INSERT statements through `executemany` on the raw sqlite3 connection, or
  through COPY on PostgreSQL; `BulkWriter.loading()` drops the tables' secondary indexes (and, on
  PostgreSQL, their foreign keys) for the load and rebuilds them once after it; `next_id` allocates the
  primary keys first, `BulkWriter.reset_sequences` moves the sequences past them.

Date-times for the raw paths: `sqlite_datetimes` turns epoch seconds into the text Django's SQLite
backend stores ('YYYY-MM-DD HH:MM:SS', UTC with USE_TZ); `BulkWriter.datetimes` adds the '+00' offset
COPY needs for a timestamptz column on PostgreSQL.
"""

from __future__ import annotations

import contextlib

import numpy as np
from django.core.management.color import no_style
from django.db import connections, models
from django.utils.translation import gettext as _

from cordon.core import clock

# Rows per INSERT statement on SQLite: multi-row VALUES halve the per-row cost of executemany;
# 50 rows stays far below any build's variable limit (wide rows get fewer, see `batched_flat`).
SQLITE_ROWS_PER_INSERT = 50


def field_constants(model, given, connection, *, now) -> tuple[list, tuple]:
    """(fields, database values) for the concrete fields of `model` not named in `given` (attnames or names),
    primary key left out: auto_now/auto_now_add fields get `now` (its date for a DateField), other fields their
    default; a NOT NULL field without one raises ValueError (text fields default to "")."""
    fields, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname in given or f.name in given or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            if now is None or not isinstance(f, models.DateField):
                value = None
            else:  # DateTimeField is a DateField
                value = now if isinstance(f, models.DateTimeField) else now.date()
        elif f.has_default() or not f.null:
            value = f.get_default()  # the field's default; "" for text fields without one
            if value is None and not f.null:
                raise ValueError(_("%(__name__)s.%(attname)s has no default; give it in every row") % {"__name__": model.__name__, "attname": f.attname})
        else:
            value = None
        fields.append(f)
        values.append(f.get_db_prep_save(value, connection))
    return fields, tuple(values)


# -- insert_rows: thousands of rows inside a request ------------------------------------------------

def _converter(field, connection):
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        return lambda v: None if v is None else adapt(v)
    if isinstance(field, models.DateField):
        adapt = connection.ops.adapt_datefield_value
        return lambda v: None if v is None else adapt(v)
    return None


def insert_rows(model, rows: list[dict], *, using: str = "default", batch: int = 2000) -> int:
    """Insert rows ({attname: value}, all with the same keys) into `model`'s table; returns the row count."""
    if not rows:
        return 0
    connection = connections[using]
    keys = list(rows[0])
    given = [f for f in model._meta.concrete_fields if f.attname in keys]
    rest, consts = field_constants(model, keys, connection, now=clock.now())
    fields = given + rest
    convert = [(f.attname, _converter(f, connection)) for f in given]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            params = []
            for row in rows[i:i + batch]:
                params.append([row[name] if fn is None else fn(row[name]) for name, fn in convert] + list(consts))
            cursor.executemany(sql, params)
    return len(rows)


def update_rows(model, rows: dict, *, using: str = "default", batch: int = 2000) -> int:
    """Set columns of rows by primary key ({pk: {attname: value}}, all with the same keys) with one prepared UPDATE
    through executemany, values prepared as `insert_rows` prepares them; returns how many were given."""
    if not rows:
        return 0
    connection = connections[using]
    keys = list(next(iter(rows.values())))
    convert = [(name, _converter(model._meta.get_field(name), connection)) for name in keys]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(model._meta.db_table)} SET {', '.join(f'{qn(model._meta.get_field(name).column)} = %s' for name in keys)} "
           f"WHERE {qn(model._meta.pk.column)} = %s")
    items = list(rows.items())
    with connection.cursor() as cursor:
        for i in range(0, len(items), batch):
            cursor.executemany(sql, [[values[name] if fn is None else fn(values[name]) for name, fn in convert] + [pk]
                                     for pk, values in items[i:i + batch]])
    return len(items)


# -- BulkWriter: loading whole tables ----------------------------------------------------------------

def next_id(connection, model) -> int:
    """The first free primary key of `model`'s table (1 when empty): where a load numbers its rows from."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(model._meta.pk.column)}) "
                       f"FROM {connection.ops.quote_name(model._meta.db_table)}")
        value = cursor.fetchone()[0]
    return (value or 0) + 1


def epoch_sql(connection, column: str) -> str:
    """SQL for a date-time column (already quoted) as whole epoch seconds (rounded down), on either backend."""
    return f"FLOOR(date_part('epoch', {column}))::bigint" if connection.vendor == "postgresql" else f"unixepoch({column})"


def sqlite_datetimes(epoch: np.ndarray) -> list[str]:
    """Epoch seconds -> 'YYYY-MM-DD HH:MM:SS' (the text Django's SQLite backend stores), vectorised."""
    text = np.asarray(epoch).astype("datetime64[s]").astype("U19")
    text.view(np.uint32).reshape(-1, 19)[:, 10] = ord(" ")
    return text.tolist()


class BulkWriter:
    """Rows into tables in bulk: multi-row INSERT with executemany on SQLite, COPY on PostgreSQL.

    Rows are tuples already in database form (ids allocated with `next_id`, date-times as `datetimes`
    text); columns not given are filled once with `field_constants` (`created_at` for auto_now fields).
    `rows` counts what was written."""

    def __init__(self, connection, *, created_at=None):
        self.connection = connection
        self.created_at = created_at
        connection.ensure_connection()
        self.raw = connection.connection
        self.pg = connection.vendor == "postgresql"
        self.rows = 0

    def columns(self, model, provided) -> tuple[list[str], tuple]:
        """Columns to write: the provided ones plus constant defaults for any other concrete field."""
        cols = [model._meta.get_field(name).column for name in provided]
        rest, consts = field_constants(model, provided, self.connection, now=self.created_at)
        return cols + [f.column for f in rest], consts

    def write(self, model, rows, provided=None) -> None:
        """Write `rows`: dicts (their keys name the fields), or tuples in the order of the field names `provided`."""
        rows = iter(rows)
        if provided is None:
            first = next(rows, None)
            if first is None:
                return
            provided = tuple(first)
            rows = (tuple(r.values()) for r in _chain_first(first, rows))
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
            self.insert_many(f"INSERT INTO {table} ({qcols}) VALUES ", len(cols), batched_flat(counter, len(cols)))
        self.rows += counter.n

    def insert_many(self, head: str, width: int, chunks) -> None:
        """SQLite: run `head` + a VALUES list per chunk of flat parameters (`width` per row) on the raw
        connection: one prepared statement for the full-size chunks (streamed), another for the shorter last one."""
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

        cursor = self.raw.cursor()
        cursor.executemany(head + ", ".join([group] * (full // width)), same_size())
        for chunk in leftover:
            cursor.execute(head + ", ".join([group] * (len(chunk) // width)), chunk)

    def datetimes(self, epoch: np.ndarray) -> list[str]:
        """Epoch seconds as this path's text for a DateTimeField: SQLite's stored text; with '+00' for COPY."""
        text = sqlite_datetimes(epoch)
        return [t + "+00" for t in text] if self.pg else text

    def loading(self, models_, *, cache_kib: int = 0, checked=()) -> Loading:
        """A context for a load into `models_`' tables (see Loading); `checked`: models whose foreign keys the
        caller checked as it wrote them, left out of SQLite's key check at the end."""
        return Loading(self, models_, cache_kib=cache_kib, checked=checked)

    def reset_sequences(self, models_) -> None:
        """Move the tables' id sequences past the rows written with explicit ids (PostgreSQL; nothing on SQLite)."""
        sql = self.connection.ops.sequence_reset_sql(no_style(), models_)
        if sql:
            with self.connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)

    def analyze(self, *models_) -> None:
        """PostgreSQL: planner statistics for freshly loaded tables (inside the transaction; VACUUM runs outside)."""
        if self.pg:
            with self.connection.cursor() as cursor:
                for model in models_:
                    cursor.execute(f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}")


def batched_flat(rows, width: int):
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


@contextlib.contextmanager
def sqlite_page_cache(connection, kib: int):
    """SQLite: raise the connection's page cache to `kib` KiB for the block (never lowers it), restored after;
    nothing on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        saved = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_size")
        current_kib = -saved if saved < 0 else saved * int(cursor.fetchone()[0]) // 1024
        raised = kib > current_kib
        if raised:
            cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        if raised:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {saved}")


class Loading:
    """Bulk-load mode for a set of tables, restored before the transaction commits.

    Secondary indexes are dropped and rebuilt afterwards (one sort per index instead of a B-tree
    insert per row). On PostgreSQL the tables' foreign keys are dropped and re-added, which
    validates them in one pass. On SQLite, when foreign keys were switched off for the
    transaction, the loaded tables (but the `checked` ones) are checked with `PRAGMA foreign_key_check`
    at the end; `cache_kib` raises SQLite's page cache for the load. All of it is transactional DDL, so
    a failure rolls the indexes and keys back with the rows."""

    def __init__(self, writer: BulkWriter, models_, *, cache_kib=0, checked=()):
        self.writer = writer
        self.tables = [m._meta.db_table for m in models_]
        self.checked = {m._meta.db_table for m in checked}
        self.fks = []
        self.indexes = []
        self.cache_kib = cache_kib
        self.cache = None

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
            self.cache = sqlite_page_cache(connection, self.cache_kib)
            self.cache.__enter__()
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
            if self.cache is not None:
                self.cache.__exit__(None, None, None)
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
                    connection.check_constraints(table_names=[t for t in self.tables if t not in self.checked])


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
