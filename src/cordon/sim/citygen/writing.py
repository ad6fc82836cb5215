"""Writing the city: core.bulk's writer plus the check-in fast paths (multi-row INSERT on SQLite, binary COPY
built straight from a numpy structured array on PostgreSQL)."""

import datetime as dt

import numpy as np
from django.utils.translation import gettext as _

from cordon.core import bulk
from cordon.core.bulk import SQLITE_ROWS_PER_INSERT, sqlite_datetimes
from cordon.people.models import Person
from cordon.venues.models import CheckIn, Venue, VenueUnit

CHECKIN_COLUMNS = ("person_id", "venue_id", "time_in", "time_out", "estimated", "unit_id")


class CityWriter(bulk.BulkWriter):
    """BulkWriter with the check-ins' own path (the biggest table by far)."""

    def write_checkins(self, plan, person, venue, t_in, t_out, estimated, unit):
        # Keys checked here, in bulk, so the SQLite key check after the load can skip this table.
        if len(person) and not (0 <= person.min() and person.max() < plan.people
                                and 0 <= venue.min() and venue.max() < plan.n_venues):
            raise AssertionError(_("check-in refers to a resident or venue outside the city"))
        if len(unit) and unit.max() >= len(plan.venue_units):
            raise AssertionError(_("check-in refers to a unit outside the city"))
        if (t_out < t_in).any():
            raise AssertionError(_("check-in leaves before it arrives"))
        pbase, vbase, ubase = plan.ids[Person], plan.ids[Venue], plan.ids[VenueUnit]
        units = np.where(unit >= 0, ubase + unit, -1)
        if self.pg:
            _copy_checkins_binary(self.raw, pbase + person, vbase + venue, t_in, t_out, estimated, units)
        else:
            flat = sqlite_checkin_params(self.connection, pbase + person, vbase + venue, t_in, t_out, estimated, units)
            k = SQLITE_ROWS_PER_INSERT * 6
            chunks = (flat[i:i + k] for i in range(0, len(flat), k))
            self.insert_many(checkin_insert_sql(self.connection, values=False), 6, chunks)
        self.rows += len(person)


def sqlite_checkin_params(connection, person, venue, t_in, t_out, estimated, unit) -> list:
    """SQLite: check-in rows (ids already offset; unit < 0 is NULL) as one flat parameter list, CHECKIN_COLUMNS
    order, date-times as the text Django stores in the connection's time zone."""
    shift = int(dt.datetime.fromtimestamp(int(t_in[0]), connection.timezone).utcoffset().total_seconds()) if len(t_in) else 0
    flat = np.empty((len(person), 6), dtype=object)
    flat[:, 0] = person.tolist()
    flat[:, 1] = venue.tolist()
    flat[:, 2] = sqlite_datetimes(t_in + shift)
    flat[:, 3] = sqlite_datetimes(t_out + shift)
    flat[:, 4] = estimated.tolist()
    flat[:, 5] = [None if u < 0 else u for u in unit.tolist()]
    return flat.ravel().tolist()


def checkin_insert_sql(connection, table=None, *, values=True) -> str:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(CheckIn._meta.get_field(c).column) for c in CHECKIN_COLUMNS)
    return f"INSERT INTO {qn(table or CheckIn._meta.db_table)} ({cols}) VALUES " + ("(?, ?, ?, ?, ?, ?)" if values else "")


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
