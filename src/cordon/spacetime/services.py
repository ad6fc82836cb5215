"""Writes of cell presence: file imports, the bulk API and the synthesis for a generated city.

Every load validates all rows first (each error names its field and row), then writes inside one
transaction. Stays are split at local midnight (see models). Loading the same batch again stores
nothing: a batch is keyed by the digest of its source and normalised rows, and rows are unique on
(person, start, cell), so a row already held (from any batch) is skipped and counted as a duplicate.
"""

import datetime as dt
import hashlib
import time
from collections import defaultdict

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cordon.core import access, audit, bulk, clock, tabular
from cordon.core.errors import Conflict, ServiceError
from cordon.people.models import Person
from cordon.regions.models import Building
from cordon.spacetime import cells, rules, selectors
from cordon.spacetime.models import BatchArea, CellPresence, PresenceBatch
from cordon.venues.models import CheckIn, Venue

MAX_BATCH = 10_000  # rows per API call
MAX_FILE_ROWS = 500_000
MAX_STAY = dt.timedelta(days=31)
FUTURE_SLACK = dt.timedelta(minutes=5)
ERRORS_SHOWN = 200

ALIASES = {
    "person_id": "person_id", "person": "person_id", "人员id": "person_id",
    "id_number": "id_number", "身份证号": "id_number", "证件号码": "id_number", "idno": "id_number",
    "cell_id": "cell_id", "cell": "cell_id", "网格": "cell_id", "网格编号": "cell_id", "基站网格": "cell_id",
    "lon": "lon", "lng": "lon", "longitude": "lon", "经度": "lon",
    "lat": "lat", "latitude": "lat", "纬度": "lat",
    "start": "start", "start_time": "start", "开始时间": "start", "进入时间": "start",
    "end": "end", "end_time": "end", "结束时间": "end", "离开时间": "end",
}
# The upload's empty template (core.tabular.template_view): headers as ALIASES accepts them, one example row.
TEMPLATE = [("身份证号", "11010519491231002X"), ("经度", "121.4737"), ("纬度", "31.2304"), ("开始时间", "2022-11-20 08:00"),
            ("结束时间", "2022-11-20 09:30")]
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y%m%d%H%M%S")


# -- parsing ---------------------------------------------------------------------------------------

def _when(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        when = value
    else:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            when = parse_datetime(text.replace("/", "-"))
        except ValueError:
            return None
        if when is None:
            for fmt in DATE_FORMATS:
                try:
                    when = dt.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if when is None:
            return None
    if timezone.is_naive(when):
        when = clock.aware(when)
    return when


def _cell(item: dict) -> tuple[int | None, str, str]:
    """(cell, field, message): the cell from cell_id, else from lon/lat."""
    raw = item.get("cell_id")
    if raw not in (None, ""):
        cell = cells.parse_cell(raw)
        return cell, "cell_id", "" if cell is not None else _(
            "not a cell code: %(raw)r (an integer below 2^32 or E<ix>N<iy>)") % {"raw": raw}
    lon, lat = item.get("lon"), item.get("lat")
    if lon in (None, "") or lat in (None, ""):
        return None, "cell_id", _("missing (give cell_id, or lon and lat)")
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError):
        return None, "lon", _("not a coordinate: %(lon)r, %(lat)r") % {"lon": lon, "lat": lat}
    cell = cells.cell_of(lon_f, lat_f)
    return cell, "lon", "" if cell is not None else _(
        "(%(lon)s, %(lat)s) is outside the city's cell grid") % {"lon": lon_f, "lat": lat_f}


def _inside(path: str, areas: list[str]) -> bool:
    return any(a == "" or path == a or path.startswith(a + ".") for a in areas)


def _validate(*, actor, items: list[tuple[int, dict]], now: dt.datetime, check_scope: bool = True):  # noqa: C901 - each field of a presence row checked in turn
    """([(person_id, region_path, cell, start epoch, end epoch)], errors) for numbered raw rows."""
    areas = access.areas(actor, "spacetime.change") if check_scope else [""]
    pids, idns = set(), set()
    for _row, item in items:
        p = str(item.get("person_id") or "").strip()
        if p:
            if p.isdigit():
                pids.add(int(p))
        elif item.get("id_number"):
            idns.add(str(item["id_number"]).strip().upper())
    by_pk = {pk: path for pk, path in Person.objects.filter(pk__in=pids).values_list("pk", "region_path")} if pids else {}
    by_idn = {i: (pk, path) for i, pk, path in Person.objects.filter(id_number__in=idns).values_list("id_number", "pk", "region_path")} if idns else {}
    rows, errors = [], []
    for n, item in items:
        before = len(errors)
        p = str(item.get("person_id") or "").strip()
        person = None
        if p:
            person = (int(p), by_pk[int(p)]) if p.isdigit() and int(p) in by_pk else None
            field = "person_id"
        elif item.get("id_number"):
            person = by_idn.get(str(item["id_number"]).strip().upper())
            field = "id_number"
        else:
            field = "person_id"
            errors.append({"row": n, "field": field, "message": _("missing (give person_id or id_number)")})
        if (p or item.get("id_number")) and (person is None or not _inside(person[1], areas)):
            errors.append({"row": n, "field": field, "message": _("unknown person (or outside your area)")})
        cell, cell_field, cell_error = _cell(item)
        if cell_error:
            errors.append({"row": n, "field": cell_field, "message": cell_error})
        start, end = _when(item.get("start")), _when(item.get("end"))
        for name, raw, value in (("start", item.get("start"), start), ("end", item.get("end"), end)):
            if value is None:
                errors.append({"row": n, "field": name, "message": _("missing") if raw in (None, "") else _(
                    "not a date and time: %(raw)r") % {"raw": raw}})
            elif value > now + FUTURE_SLACK:
                errors.append({"row": n, "field": name, "message": _("is in the future")})
        if start and end:
            if end <= start:
                errors.append({"row": n, "field": "end", "message": _("is not after start")})
            elif end - start > MAX_STAY:
                errors.append({"row": n, "field": "end", "message": _("stay longer than %(days)s days") % {"days": MAX_STAY.days}})
        if len(errors) == before:
            rows.append((person[0], person[1], cell, int(start.timestamp()), int(end.timestamp())))
    return rows, errors


def _raise(errors: list[dict]) -> None:
    first = errors[0]
    raise ServiceError(_("%(len_errors)s problem(s); nothing stored. First: row %(row)s, %(field)s: %(message)s") % {"len_errors": len(errors), "row": first['row'], "field": first['field'], "message": first['message']},
                       code="batch_invalid", fields=errors[:ERRORS_SHOWN])


# -- writing ---------------------------------------------------------------------------------------

def local_midnights(lo: int, hi: int) -> np.ndarray:
    """Epoch seconds of the local midnights from the day before `lo` to the day after `hi`."""
    tz = clock.zone()
    day = dt.datetime.fromtimestamp(lo, tz).date() - dt.timedelta(days=1)
    last = dt.datetime.fromtimestamp(hi, tz).date() + dt.timedelta(days=1)
    out = []
    while day <= last:
        out.append(int(dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()))
        day += dt.timedelta(days=1)
    return np.array(out, dtype=np.int64)


def _pieces(rows):
    """Rows split at local midnight: arrays person, cell, start, end and the region path per piece."""
    person = np.array([r[0] for r in rows], dtype=np.int64)
    cell = np.array([r[2] for r in rows], dtype=np.int64)
    s = np.array([r[3] for r in rows], dtype=np.int64)
    e = np.array([r[4] for r in rows], dtype=np.int64)
    idx, ps, pe = rules.split_at(s, e, local_midnights(int(s.min()), int(e.max())))
    paths = [rows[i][1] for i in idx.tolist()]
    return person[idx], cell[idx], ps, pe, paths


def _digest(source: str, rows) -> str:
    h = hashlib.sha256(source.encode())
    for r in sorted((r[0], r[2], r[3], r[4]) for r in rows):
        h.update(repr(r).encode())
    return "sha256:" + h.hexdigest()


def _aware(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def _store(*, actor, rows, source: str, filename: str, kind: str, received: int, batch_name: str = "") -> dict:
    digest = _digest(source, rows)
    key = f"name:{source}:{batch_name}"[:80] if batch_name else digest
    existing = PresenceBatch.objects.filter(key=key).first()
    if existing is not None:
        if existing.digest and existing.digest != digest:
            raise Conflict(_("batch %(batch_name)r of %(source)r was loaded before with other rows") % {"batch_name": batch_name, "source": source}, code="batch_conflict")
        return {"batch": existing.pk, "received": received, "stored": 0, "duplicates": received, "already_loaded": True}
    person, cell, ps, pe, paths = _pieces(rows)
    try:
        return _write(actor=actor, key=key, digest=digest, source=source, filename=filename, kind=kind, received=received,
                      person=person, cell=cell, ps=ps, pe=pe, paths=paths)
    except IntegrityError:  # the same batch or the same rows committed meanwhile by a concurrent load
        raise Conflict(_("these rows are being loaded by another request; retry"), code="batch_busy")


def _write(*, actor, key, digest, source, filename, kind, received, person, cell, ps, pe, paths) -> dict:
    with transaction.atomic():
        held = set()
        lo, hi = _aware(ps.min()), _aware(pe.max())
        pid_list = sorted(set(person.tolist()))
        for i in range(0, len(pid_list), 900):
            held.update((p, int(s.timestamp()), c) for p, s, c in CellPresence.objects.filter(
                person_id__in=pid_list[i:i + 900], start__gte=lo, start__lt=hi).values_list("person_id", "start", "cell_id"))
        batch = PresenceBatch.objects.create(key=key, digest=digest, source=source, filename=filename[:200], kind=kind, received=received,
                                             created_by=actor if getattr(actor, "pk", None) else None)
        fresh, seen = [], set()
        area = defaultdict(lambda: [0, set(), None, None])
        for p, c, s, e, path in zip(person.tolist(), cell.tolist(), ps.tolist(), pe.tolist(), paths, strict=True):
            k = (p, s, c)
            if k in held or k in seen:
                continue
            seen.add(k)
            fresh.append(CellPresence(person_id=p, cell_id=c, start=_aware(s), end=_aware(e), source=source, batch=batch,
                                      region_path=path))
            a = area[path]
            a[0] += 1
            a[1].add(p)
            a[2] = s if a[2] is None else min(a[2], s)
            a[3] = e if a[3] is None else max(a[3], e)
        CellPresence.objects.bulk_create(fresh, batch_size=2000)
        _finish_batch(batch, area, stored=len(fresh))
        audit.record(actor, "spacetime.presence_load", batch, region_path="",
                     changes={"source": source, "kind": kind, "received": received, "stored": len(fresh), "pieces": len(person)})
    return {"batch": batch.pk, "received": received, "stored": len(fresh), "duplicates": len(person) - len(fresh),
            "already_loaded": False}


def _finish_batch(batch: PresenceBatch, area: dict, *, stored: int) -> None:
    BatchArea.objects.bulk_create([
        BatchArea(batch=batch, region_path=path, rows=a[0], people=len(a[1]) if isinstance(a[1], set) else a[1],
                  first_start=_aware(a[2]) if a[2] is not None else None, last_end=_aware(a[3]) if a[3] is not None else None)
        for path, a in area.items()], batch_size=2000)
    people = set()
    for a in area.values():
        if isinstance(a[1], set):
            people |= a[1]
    starts = [a[2] for a in area.values() if a[2] is not None]
    ends = [a[3] for a in area.values() if a[3] is not None]
    batch.stored = stored
    batch.people = len(people) if people else sum(a[1] for a in area.values() if not isinstance(a[1], set))
    batch.first_start = _aware(min(starts)) if starts else None
    batch.last_end = _aware(max(ends)) if ends else None
    batch.save(update_fields=["stored", "people", "first_start", "last_end"])


def presence_import(*, actor, data: bytes, filename: str, source: str = "") -> dict:
    """Load a CSV/Excel file of presence (person_id or id_number, cell_id or lon+lat, start, end), all or nothing.
    The platform itself (a carrier feed loaded from the command line) acts city-wide as a system actor."""
    access.require(actor, "spacetime.change")
    source = (source or "").strip() or (filename or "upload").rsplit(".", 1)[0]
    items = list(tabular.read_rows(data, filename, ALIASES))
    if not items:
        raise ServiceError.field("file", _("no rows"))
    if len(items) > MAX_FILE_ROWS:
        raise ServiceError.field("file", _("at most %(MAX_FILE_ROWS)s rows per file") % {"MAX_FILE_ROWS": f'{MAX_FILE_ROWS:,}'})
    columns = set().union(*(set(i) for _unused, i in items))
    if not ({"person_id", "id_number"} & columns) or not ({"cell_id"} & columns or {"lon", "lat"} <= columns) \
            or not {"start", "end"} <= columns:
        raise ServiceError.field("file", _("columns needed: person_id or id_number; cell_id or lon and lat; start; end"),
                                 code="columns_missing")
    rows, errors = _validate(actor=actor, items=items, now=clock.now(), check_scope=not access.is_system(actor))
    if errors:
        _raise(errors)
    return _store(actor=actor, rows=rows, source=source[:80], filename=filename or "", kind="upload", received=len(items))


def presence_bulk(*, actor, items: list[dict], source: str, batch: str = "") -> dict:
    """Store up to 10,000 presence rows from the API [{person_id|id_number, cell_id|lon+lat, start, end}], all or nothing."""
    access.require(actor, "spacetime.change")
    if not items:
        raise ServiceError.field("items", _("no rows in the batch"))
    if len(items) > MAX_BATCH:
        raise ServiceError.field("items", _("at most %(MAX_BATCH)s rows per batch") % {"MAX_BATCH": f'{MAX_BATCH:,}'})
    if not (source or "").strip():
        raise ServiceError.field("source", _("name the operator or batch"))
    rows, errors = _validate(actor=actor, items=list(enumerate(items, start=1)), now=clock.now())
    if errors:
        _raise(errors)
    return _store(actor=actor, rows=rows, source=source.strip()[:80], filename="", kind="api", received=len(items),
                  batch_name=(batch or "").strip())


# -- synthesis for a generated city -----------------------------------------------------------------

# long: one bulk derivation over the city's arrays (check-ins and homes) with progress lines; its steps share the arrays
def presence_synthesize(*, actor, region_path: str = "", person_limit: int | None = None, source: str = "synthetic",
                        progress=None) -> dict:
    """Derive presence from check-ins (venue cell) and home (household building cell) for the generated city, in bulk."""
    access.require(actor, "spacetime.change", region_path or None)
    t0 = time.perf_counter()
    say = progress or (lambda text: None)
    people_qs = Person.objects.filter(household__building__isnull=False).order_by("pk")
    if region_path:
        people_qs = people_qs.filter(region_path__startswith=region_path)
    if person_limit:
        people_qs = people_qs[:person_limit]
    ppl = list(people_qs.values_list("pk", "household__building_id", "region_path"))
    if not ppl:
        return {"people": 0, "rows": 0, "seconds": 0.0}
    pid = np.array([p[0] for p in ppl], dtype=np.int64)
    bld = np.array([p[1] for p in ppl], dtype=np.int64)
    paths = [p[2] for p in ppl]
    blon = dict(Building.objects.filter(pk__in=set(bld.tolist())).values_list("pk", "lon")) if len(bld) < 50_000 else \
        dict(Building.objects.values_list("pk", "lon"))
    blat = dict(Building.objects.filter(pk__in=list(blon)).values_list("pk", "lat"))
    home = cells.cells_of([blon.get(b) if blon.get(b) is not None else np.nan for b in bld.tolist()],
                          [blat.get(b) if blat.get(b) is not None else np.nan for b in bld.tolist()])
    venue_cell = {v: c for v, c in zip(*_venue_cells(), strict=True)}
    say(f"{len(pid):,} people, {len(venue_cell):,} venues")
    # Check-ins of these people, as epoch seconds (one scan of the table, no datetime objects).
    table = connection.ops.quote_name(CheckIn._meta.db_table)
    qn = connection.ops.quote_name
    sql = f"SELECT person_id, venue_id, {bulk.epoch_sql(connection, qn('time_in'))}, {bulk.epoch_sql(connection, qn('time_out'))} FROM {table}"
    params: list = []
    lo_pid, hi_pid = int(pid.min()), int(pid.max())
    sql += " WHERE person_id BETWEEN %s AND %s"
    params += [lo_pid, hi_pid]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        chunks = []
        while True:
            part = cursor.fetchmany(200_000)
            if not part:
                break
            chunks.append(np.array(part, dtype=np.int64))
    ci = np.concatenate(chunks) if chunks else np.zeros((0, 4), dtype=np.int64)
    say(f"{len(ci):,} check-ins read")
    pos = np.searchsorted(pid, ci[:, 0])
    ok = (pos < len(pid)) & (pid[np.minimum(pos, len(pid) - 1)] == ci[:, 0])
    ci, pos = ci[ok], pos[ok]
    vmap_keys = np.array(sorted(venue_cell), dtype=np.int64)
    vmap_vals = np.array([venue_cell[k] for k in vmap_keys.tolist()], dtype=np.int64)
    vpos = np.clip(np.searchsorted(vmap_keys, ci[:, 1]), 0, max(0, len(vmap_keys) - 1))
    vcell = np.where((len(vmap_keys) > 0) & (vmap_keys[vpos] == ci[:, 1]), vmap_vals[vpos], -1) if len(vmap_keys) else np.full(len(ci), -1)
    if len(ci):
        lo, hi = int(ci[:, 2].min()), int(ci[:, 3].max())
    else:
        now = int(clock.now().timestamp())
        lo, hi = now - 14 * rules.DAY_S, now
    mids = local_midnights(lo, hi)
    span_lo = int(mids[mids <= lo].max())
    span_hi = min(int(mids[mids >= hi].min()), int(clock.now().timestamp()))  # nobody is placed in the future
    person_idx, cell, s, e = timeline(person=pos, cell=vcell, t_in=ci[:, 2], t_out=ci[:, 3], home=home, lo=span_lo, hi=span_hi)
    row, ps, pe = rules.split_at(s, e, mids)
    person_idx, cell = person_idx[row], cell[row]
    say(f"{len(ps):,} presence rows")
    path_names, person_path = np.unique(np.array(paths, dtype=object), return_inverse=True)
    n = write_synthetic(person_id=pid[person_idx], path_code=person_path[person_idx], path_names=path_names.tolist(), cell=cell,
                        start=ps, end=pe, source=source, actor=actor)
    seconds = time.perf_counter() - t0
    return {"people": len(pid), "checkins": int(len(ci)), "rows": n, "seconds": round(seconds, 2)}


def _venue_cells():
    vs = list(Venue.objects.values_list("pk", "lon", "lat"))
    ids = [v[0] for v in vs]
    c = cells.cells_of([np.nan if v[1] is None else v[1] for v in vs], [np.nan if v[2] is None else v[2] for v in vs])
    return ids, c.tolist()


def timeline(*, person, cell, t_in, t_out, home, lo: int, hi: int):
    """Each person's day as a sequence of cells: the venue cell during each check-in, the home cell in between
    (and all day without check-ins), consecutive pieces in one cell merged. Pure NumPy.

    person: index into `home` (home cell per person, -1 unknown); returns (person index, cell, start, end)."""
    person = np.asarray(person, dtype=np.int64)
    order = np.lexsort((t_in, person))
    p, c, a, b = person[order], np.asarray(cell)[order], np.asarray(t_in)[order].clip(lo, hi), np.asarray(t_out)[order].clip(lo, hi)
    first = np.ones(len(p), dtype=bool)
    first[1:] = p[1:] != p[:-1]
    # a visit starts no earlier than the previous visit of that person ended (running max of the ends)
    span = hi - lo + 1
    off = p * span
    running = np.maximum.accumulate(off + (b - lo)) - off + lo if len(p) else b
    prev_end = np.empty_like(running)
    prev_end[1:] = running[:-1]
    prev_end[first] = lo
    a2 = np.maximum(a, prev_end)
    keep = (b > a2) & (c >= 0)
    # home gaps: from the previous end (or lo) to this start, and from the last end to hi
    gap_p, gap_s, gap_e = p, prev_end, a
    last = np.ones(len(p), dtype=bool)
    last[:-1] = p[1:] != p[:-1]
    tail_p, tail_s = p[last], running[last]
    everyone = np.arange(len(home))
    idle = np.setdiff1d(everyone, p)
    seg_p = np.concatenate([p[keep], gap_p, tail_p, idle])
    seg_c = np.concatenate([c[keep], home[gap_p], home[tail_p], home[idle]])
    seg_s = np.concatenate([a2[keep], gap_s, tail_s, np.full(len(idle), lo)])
    seg_e = np.concatenate([b[keep], gap_e, np.full(len(tail_p), hi), np.full(len(idle), hi)])
    good = (seg_e > seg_s) & (seg_c >= 0)
    seg_p, seg_c, seg_s, seg_e = seg_p[good], seg_c[good], seg_s[good], seg_e[good]
    o = np.lexsort((seg_s, seg_p))
    seg_p, seg_c, seg_s, seg_e = seg_p[o], seg_c[o], seg_s[o], seg_e[o]
    # merge consecutive pieces of one person in one cell that touch
    join = np.zeros(len(seg_p), dtype=bool)
    join[1:] = (seg_p[1:] == seg_p[:-1]) & (seg_c[1:] == seg_c[:-1]) & (seg_s[1:] <= seg_e[:-1])
    head = ~join
    group = np.cumsum(head) - 1
    starts = seg_s[head]
    ends = np.zeros(int(head.sum()), dtype=np.int64)
    np.maximum.at(ends, group, seg_e)
    return seg_p[head], seg_c[head], starts, ends


def _held_keys(p_lo: int, p_hi: int, lo: int, hi: int) -> set[tuple[int, int, int]]:
    """(person, start epoch, cell) of the rows already held for a range of people and times."""
    q = selectors._Sql()
    rows = q.fetch(f"SELECT person_id, {q.epoch(q.start)}, cell_id FROM {q.table} WHERE person_id BETWEEN %s AND %s "
                   f"AND {q.start} >= {q.ts} AND {q.start} < {q.ts}", [p_lo, p_hi, q.at(lo), q.at(hi)])
    return {tuple(r) for r in rows.reshape(-1, 3).tolist()}


def write_synthetic(*, person_id, path_code, path_names: list[str], cell, start, end, source: str, actor) -> int:
    """Bulk-write synthetic presence rows with core.bulk's writer (executemany / COPY), indexes rebuilt once;
    synthetic rows already held for these people and days are replaced."""
    person_id, path_code = np.asarray(person_id, dtype=np.int64), np.asarray(path_code, dtype=np.int64)
    start, end, cell = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64), np.asarray(cell, dtype=np.int64)
    with transaction.atomic():
        pids = np.unique(person_id)
        CellPresence.objects.filter(source=source, start__gte=_aware(int(start.min())), start__lt=_aware(int(end.max())),
                                    person_id__gte=int(pids.min()), person_id__lte=int(pids.max())).delete()
        held = _held_keys(int(pids.min()), int(pids.max()), int(start.min()), int(end.max()))
        if held:  # rows from other sources at the same (person, start, cell) stay; the synthetic ones are skipped
            fresh = np.array([(p, s, c) not in held for p, s, c in zip(person_id.tolist(), start.tolist(), cell.tolist(),
                                                                        strict=True)], dtype=bool)
            person_id, path_code, start, end, cell = person_id[fresh], path_code[fresh], start[fresh], end[fresh], cell[fresh]
            if not len(person_id):
                return 0
        batch = PresenceBatch.objects.create(key=f"synthetic:{source}:{clock.now().isoformat()}"[:80], source=source,
                                             kind="synthetic", received=len(person_id),
                                             created_by=actor if getattr(actor, "pk", None) else None)
        writer = bulk.BulkWriter(connection)
        base = bulk.next_id(connection, CellPresence)
        def rows(chunk: int = 500_000):
            # Python values made a chunk at a time: a city of a million has ~60 M rows, too many to hold as strings.
            for i in range(0, len(person_id), chunk):
                s_text = writer.datetimes(start[i:i + chunk])
                e_text = writer.datetimes(end[i:i + chunk])
                paths = [path_names[j] for j in path_code[i:i + chunk].tolist()]
                yield from zip(range(base + i, base + i + len(paths)), paths, person_id[i:i + chunk].tolist(),
                               cell[i:i + chunk].tolist(), s_text, e_text, [source] * len(paths), [batch.pk] * len(paths),
                               strict=True)
        with writer.loading([CellPresence]):
            writer.write(CellPresence, rows(), provided=("id", "region_path", "person_id", "cell_id", "start", "end", "source",
                                                        "batch_id"))
        writer.reset_sequences([CellPresence])
        writer.analyze(CellPresence)  # planner statistics (VACUUM, for index-only scans, runs outside: presence_vacuum)
        # per area (grid): rows, people, first start, last end
        k = len(path_names)
        n_rows = np.bincount(path_code, minlength=k)
        first_row = np.unique(person_id, return_index=True)[1]
        n_people = np.bincount(path_code[first_row], minlength=k)
        lo = np.full(k, np.iinfo(np.int64).max)
        hi = np.full(k, np.iinfo(np.int64).min)
        np.minimum.at(lo, path_code, start)
        np.maximum.at(hi, path_code, end)
        area = {path_names[i]: [int(n_rows[i]), int(n_people[i]), int(lo[i]), int(hi[i])] for i in range(k) if n_rows[i]}
        _finish_batch(batch, area, stored=len(person_id))
        audit.record(actor, "spacetime.presence_synthesize", batch, changes={"rows": len(person_id), "people": len(pids)})
    return len(person_id)


def presence_vacuum() -> None:
    """After a bulk load on PostgreSQL: VACUUM ANALYZE the presence table so identification gets index-only scans."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(CellPresence._meta.db_table)}")
