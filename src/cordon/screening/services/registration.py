"""Sample registration and tubes: one path for the sampler page, the bulk API and the benchmark.

The whole batch is validated with a handful of set-based reads, then written with executemany inside
one transaction (one audit entry per batch). The partial unique index on (round, person) makes a
retried sample impossible to store twice even if two uploads race. Tubes close when full or by hand,
and a lab scans them in on arrival.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.people.models import Person
from cordon.screening import rules, selectors
from cordon.screening.enums import TUBE_LIFECYCLE, RoundStatus, SampleResult, TubeStatus, reaching
from cordon.screening.models import Round, Sample, Site, Tube
from cordon.screening.services.common import MAX_BATCH, aware, chunks, may, require, user_id

TUBE_COLUMNS = ("id", "code", "round_id", "site_id", "capacity", "count", "status", "is_retest")


def _select(sql: str, keys, params_before: tuple = ()) -> list[tuple]:
    """Rows of `sql` (with one IN list marked {in}) for all keys, chunked; plain tuples, no ORM."""
    out: list[tuple] = []
    with connection.cursor() as cur:
        for chunk in chunks(keys):
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


def _db_datetime():
    """A fast adapter of aware datetimes to what the database stores (memoised: a batch shares few timestamps)."""
    if connection.vendor == "sqlite":
        utc = dt.UTC

        def adapt_one(value):
            return value.astimezone(utc).replace(tzinfo=None).isoformat(" ")
    else:
        def adapt_one(value):
            return value
    memo: dict = {}

    def adapt(value):
        out = memo.get(value)
        if out is None and value is not None:
            out = memo[value] = adapt_one(value)
        return out
    return adapt


def _batch_sites(*, actor, rnd: Round, items: list[dict]):
    """The batch's sites: checked for permission, then (site id, pool size, path) by raw value for the usable
    ones and (field, message, code) for the rest. The round must be open for sampling."""
    raw_sites = {it.get("site") for it in items}
    site_ids = set()
    for v in raw_sites:
        try:
            site_ids.add(int(v))
        except (TypeError, ValueError):
            pass
    sites = {s.pk: s for s in Site.objects.filter(round=rnd, pk__in=site_ids)}
    for s in sites.values():
        require(actor, ("sample", "change"), s.region_path)
    if not sites:
        require(actor, ("sample", "change"), rnd.region_path)
    if rnd.status != RoundStatus.PUBLISHED:
        raise ServiceError.field("round", _("round %(name)s is not open for sampling (%(get_status_display)s)") % {"name": rnd.name, "get_status_display": rnd.get_status_display()},
                                 code="round_not_open")
    site_of, site_error = {}, {}
    for v in raw_sites:
        try:
            site = sites.get(int(v))
        except (TypeError, ValueError):
            site = None
        if site is None:
            site_error[v] = ("site", _("site %(site)r is not a site of this round (wrong site)") % {"site": v}, "wrong_site")
        elif not site.active:
            site_error[v] = ("site", _("site %(site)s is closed") % {"site": site.name}, "site_closed")
        else:
            site_of[v] = (site.pk, site.pool_size, site.region_path)
    return sites, site_of, site_error


def _read_keys(items: list[dict]):
    """Each row's person key (ID number upper-cased, or a person code) and tube code, and the sets to look up."""
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
    return persons, tube_codes, id_numbers, tokens, codes


class _Batch:
    """One batch while its rows are checked: what is known of sites, people and tubes, the running state of each
    tube (count, capacity, site, new), the rows to store and the errors by row."""

    def __init__(self, *, rnd: Round, now: dt.datetime, sites: dict, site_of: dict, site_error: dict, people: dict,
                 done: set, tubes: dict, codes: set):
        self.rnd, self.site_of, self.site_error, self.people, self.done, self.tubes = rnd, site_of, site_error, people, done, tubes
        self.site_names = {pk: s.name for pk, s in sites.items()}
        self.good_codes = {c for c in codes if rules.barcode_ok(c)}
        self.area, self.area_dot = rnd.region_path, rnd.region_path + "."
        self.now, self.slack = now, now + dt.timedelta(minutes=10)
        self.earliest = rnd.starts_at - dt.timedelta(hours=12)
        self.errors: list[dict] = []
        self.seen_people: dict[int, int] = {}
        self.state: dict[str, dict] = {}
        self.rows: list[tuple] = []

    def bad(self, row, field, message, code="invalid"):
        self.errors.append({"row": row, "field": field, "message": message, "code": code})

    def person(self, n: int, person: str):
        """(person id, path) of a row's person when they may be sampled now, else None (and the error)."""
        hit = self.people.get(person) if person else None
        if hit is None:
            if person:
                self.bad(n, "person", _("unknown person: register them on the spot"), "unknown_person")
            else:
                self.bad(n, "person", _("is required (scan the ID card or the person's code)"), "required")
            return None
        pid, path = hit
        if pid in self.done:
            self.bad(n, "person", _("already sampled in this round"), "already_sampled")
        elif pid in self.seen_people:
            self.bad(n, "person", _("appears twice in this batch (row %(row)s)") % {"row": self.seen_people[pid]}, "duplicate")
        elif path != self.area and not path.startswith(self.area_dot):
            self.bad(n, "person", _("lives outside this round's area"), "outside_round")
        else:
            self.seen_people[pid] = n
            return hit
        return None

    def _tube_state(self, n: int, code: str, site: tuple) -> dict | None:
        st = self.state.get(code)
        if st is not None:
            return st
        t = self.tubes.get(code)
        if t is None:
            st = {"id": None, "capacity": site[1], "count": 0, "site": site[0], "status": TubeStatus.OPEN,
                  "opened_at": None, "new": True}
        elif t["round_id"] != self.rnd.pk:
            self.bad(n, "tube", _("tube %(code)s belongs to another round") % {"code": code}, "tube_other_round")
        elif t["is_retest"]:
            self.bad(n, "tube", _("tube %(code)s is a single-tube retest tube") % {"code": code}, "tube_retest")
        else:
            st = {"id": t["id"], "capacity": t["capacity"], "count": t["count"], "site": t["site_id"],
                  "status": t["status"], "opened_at": None, "new": False}
        if st is not None:
            self.state[code] = st
        return st

    def tube(self, n: int, code: str, site: tuple | None) -> tuple[bool, dict | None]:
        """(ok, running state) of a row's tube; the state is None when the site is unusable or the tube refused."""
        if code not in self.good_codes:
            self.bad(n, "tube", _("malformed barcode %(code)r (6-64 letters, digits or dashes)") % {"code": code}, "malformed_barcode")
            return False, None
        if site is None:
            return True, None
        st = self._tube_state(n, code, site)
        if st is None:
            return False, None
        if st["site"] != site[0]:
            self.bad(n, "tube", _("tube %(code)s is in use at %(site)s (wrong site)") % {"code": code, "site": self.site_names.get(st['site'], _("another site"))},
                     "wrong_site")
        elif st["count"] >= st["capacity"]:
            self.bad(n, "tube", _("tube %(code)s is full (%(count)s of %(capacity)s)") % {"code": code, "count": st['capacity'], "capacity": st['capacity']}, "tube_full")
        elif st["status"] != TubeStatus.OPEN:
            self.bad(n, "tube", _("tube %(code)s is closed") % {"code": code}, "tube_closed")
        else:
            return True, st
        return False, st

    def sampled_at(self, n: int, when) -> dt.datetime | None:
        """When a row's swab was taken (now when not given); None when refused."""
        if not when:
            return self.now
        sampled_at = aware(when, field="sampled_at", row=n, errors=self.errors)
        if sampled_at is None:
            return None
        if sampled_at > self.slack:
            self.bad(n, "sampled_at", _("is in the future"))
            return None
        if sampled_at < self.earliest:
            self.bad(n, "sampled_at", _("is before the round started"))
            return None
        return sampled_at

    def check(self, n: int, it: dict, person: str, code: str) -> None:
        """Check one row; a good one is counted into its tube and kept to store."""
        raw_site = it.get("site")
        site = self.site_of.get(raw_site)
        if site is None:
            self.bad(n, *self.site_error[raw_site])
        hit = self.person(n, person)
        tube_ok, st = self.tube(n, code, site)
        sampled_at = self.sampled_at(n, it.get("sampled_at"))
        if site is None or hit is None or not tube_ok or sampled_at is None:
            return
        st["count"] += 1
        if st["opened_at"] is None:
            st["opened_at"] = sampled_at
        if st["count"] >= st["capacity"]:
            st["status"] = TubeStatus.CLOSED
            st["closed_at"] = sampled_at
        self.rows.append((hit[1], hit[0], code, site[0], sampled_at))


def _check_batch(*, rnd: Round, now: dt.datetime, items: list[dict], sites, site_of, site_error) -> _Batch:
    """Every row checked against a few set-based reads; all refused rows raise at once."""
    persons, tube_codes, id_numbers, tokens, codes = _read_keys(items)
    people = _lookup_people(id_numbers, tokens)
    done = {r[0] for r in _select(f"SELECT person_id FROM {Sample._meta.db_table} WHERE round_id = %s AND is_retest = %s "
                                  "AND person_id IN ({marks})", {v[0] for v in people.values()}, (rnd.pk, False))}
    tubes = {r[1]: dict(zip(TUBE_COLUMNS, r, strict=True)) for r in
             _select(f"SELECT {', '.join(TUBE_COLUMNS)} FROM {Tube._meta.db_table} WHERE code IN ({{marks}})", [c for c in codes if c])}
    batch = _Batch(rnd=rnd, now=now, sites=sites, site_of=site_of, site_error=site_error, people=people, done=done,
                   tubes=tubes, codes=codes)
    for n, (it, person, code) in enumerate(zip(items, persons, tube_codes, strict=True), 1):
        batch.check(n, it, person, code)
    errors = batch.errors
    if errors:
        raise ServiceError(_("%(len_errors)s of %(len_items)s rows refused; nothing was stored. First: row %(row)s, %(field)s: %(message)s") % {"len_errors": len(errors), "len_items": len(items), "row": errors[0]['row'], "field": errors[0]['field'], "message": errors[0]['message']}, code="invalid_rows", fields=errors)
    return batch


def _write_batch(*, actor, rnd: Round, batch: _Batch, sites: dict) -> tuple[dict, list[str]]:
    """New tubes inserted, samples inserted, counted tubes updated, one audit entry: (touched tubes, new codes)."""
    sampler_id = user_id(actor)
    adapt = _db_datetime()
    state = batch.state
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
                 for path, pid, code, site_id, at in batch.rows])
            if updates:
                cur.executemany(f"UPDATE {tube_table} SET count = %s, status = %s, "
                                "closed_at = COALESCE(%s, closed_at) WHERE id = %s", updates)
            audit.record(actor, "sample.register_batch", rnd,
                         changes={"samples": len(batch.rows), "tubes_opened": len(new_codes),
                                  "tubes_closed": sum(1 for st in touched.values() if st["status"] == TubeStatus.CLOSED)})
    except IntegrityError:
        raise Conflict(_("some of these people were sampled in this round by another upload at the same time; "
                       "nothing was stored, retry the batch"), code="already_sampled")
    return touched, new_codes


def samples_register(*, actor, round_id: int, items: list[dict], now: dt.datetime | None = None) -> dict:
    """Register a batch of samples (person code + tube barcode + site): all rows valid or none written."""
    now = now or clock.now()
    rnd = selectors.round_get(actor=actor, pk=round_id)
    if not items:
        raise ServiceError.field("items", _("the batch is empty"))
    if len(items) > MAX_BATCH:
        raise ServiceError.field("items", _("at most %(MAX_BATCH)s samples per batch (%(len_items)s sent)") % {"MAX_BATCH": MAX_BATCH, "len_items": len(items)})
    sites, site_of, site_error = _batch_sites(actor=actor, rnd=rnd, items=items)
    batch = _check_batch(rnd=rnd, now=now, items=items, sites=sites, site_of=site_of, site_error=site_error)
    touched, new_codes = _write_batch(actor=actor, rnd=rnd, batch=batch, sites=sites)
    return {
        "round": rnd.pk,
        "accepted": len(batch.rows),
        "tubes_opened": len(new_codes),
        "tubes": {c: {"count": st["count"], "capacity": st["capacity"], "status": str(st["status"])} for c, st in touched.items()},
    }


def tube_close(*, actor, code: str) -> Tube:
    """Close a tube by hand (fewer swabs than its capacity)."""
    code = rules.normalise_barcode(code)
    tube = access.get_for(actor, Tube.objects.all(), "view", code=code)
    require(actor, ("sample", "change"), tube.region_path)
    TUBE_LIFECYCLE.step(tube.status, TubeStatus.CLOSED, field="tube")
    with transaction.atomic():
        tube.status, tube.closed_at = TubeStatus.CLOSED, clock.now()
        tube.save(update_fields=["status", "closed_at"])
        audit.record(actor, "tube.close", tube, changes={"count": tube.count})
    return tube


def tubes_close(*, actor, codes: list[str]) -> int:
    """Close many open tubes at once (a site's shift ends); one audit entry."""
    norm = sorted({rules.normalise_barcode(c) for c in codes})
    tubes = []
    for chunk in chunks(norm):
        closable = Tube.objects.filter(code__in=chunk, status__in=reaching(TUBE_LIFECYCLE, TubeStatus.CLOSED))
        tubes.extend(access.scope(closable, actor, "view").values_list("id", "region_path"))
    for path in {p for _i, p in tubes}:
        require(actor, ("sample", "change"), path)
    now = clock.now()
    with transaction.atomic():
        for chunk in chunks([i for i, _p in tubes]):
            Tube.objects.filter(pk__in=chunk).update(status=TubeStatus.CLOSED, closed_at=now)
        audit.record(actor, "tube.close_batch", object_type="screening.tube", changes={"closed": len(tubes)})
    return len(tubes)


def tubes_receive(*, actor, codes: list[str], lab: str = "") -> dict:
    """A lab scans tubes in on arrival (closed -> received); unknown or open tubes are refused by row."""
    if not codes:
        raise ServiceError.field("codes", _("no tube codes given"))
    norm = [rules.normalise_barcode(c) for c in codes]
    tubes = {}
    for chunk in chunks(set(norm)):
        for t in access.scope(Tube.objects.filter(code__in=chunk), actor, "view"):
            tubes[t.code] = t
    errors = []
    for n, code in enumerate(norm, 1):
        t = tubes.get(code)
        if not rules.barcode_ok(code):
            errors.append({"row": n, "field": "tube", "message": _("malformed barcode %(code)r") % {"code": code}})
        elif t is None:
            errors.append({"row": n, "field": "tube", "message": _("unknown tube %(code)s") % {"code": code}})
        elif not may(actor, ("result", "change"), t.region_path):
            raise PermissionDenied("screening.result")
    if errors:
        raise ServiceError(_("%(len_errors)s tubes refused; nothing was stored") % {"len_errors": len(errors)}, code="invalid_rows", fields=errors)
    now = clock.now()
    ids = [t.pk for t in tubes.values() if t.status in reaching(TUBE_LIFECYCLE, TubeStatus.RECEIVED)]
    with transaction.atomic():
        for chunk in chunks(ids):
            Tube.objects.filter(pk__in=chunk, closed_at__isnull=True).update(closed_at=now)
            Tube.objects.filter(pk__in=chunk).update(status=TubeStatus.RECEIVED, received_at=now, lab=lab[:100])
        audit.record(actor, "tube.receive_batch", object_type="screening.tube", changes={"received": len(ids), "lab": lab})
    return {"received": len(ids), "already": len(tubes) - len(ids)}
