"""Writes for residents: create, update, atomic import, export (audited)."""

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, exports, pii, tabular
from cordon.core.errors import ServiceError
from cordon.core.ids import (
    InvalidIdNumber,
    id_number_error,
    id_number_problem,
    new_token,
    normalise_id_number,
    validate_id_number,
)
from cordon.people import events, selectors
from cordon.people.models import VULNERABLE_FLAGS, Household, Move, MoveStatus, Person
from cordon.regions.models import Level, Region

IMPORT_ALIASES = {
    "name": "name", "姓名": "name",
    "id_number": "id_number", "身份证号": "id_number", "身份证号码": "id_number",
    "phone": "phone", "电话": "phone", "手机": "phone", "手机号": "phone",
    "grid_code": "grid_code", "网格编码": "grid_code", "网格": "grid_code",
    "address": "address", "住址": "address", "地址": "address",
    "household": "household", "户号": "household",
    "separate_room": "separate_room", "独立房间卫浴": "separate_room",
    **{f: f for f in VULNERABLE_FLAGS},
    "独居老人": "elderly_alone", "孕妇": "pregnant", "透析": "dialysis", "慢性病": "chronic", "残疾": "disability",
}
REQUIRED = ["name", "id_number", "grid_code", "address"]
# The import's empty template (core.tabular.template_view): headers as IMPORT_ALIASES accepts them, one example row.
IMPORT_TEMPLATE = [("姓名", "张三"), ("身份证号", "11010519491231002X"), ("手机号", "13800000000"), ("网格编码", "310104001001001"),
                   ("住址", "幸福小区 1号楼 1单元 101"), ("户号", "1-1-101"), ("独立房间卫浴", "是"), ("独居老人", "否"),
                   ("孕妇", "否"), ("透析", "否"), ("慢性病", "否"), ("残疾", "否")]
_YES = {"1", "y", "yes", "true", "是", "x"}
_NO = {"", "0", "n", "no", "false", "否"}


def _flag(value: str, *, row: int, field: str, errors: list) -> bool:
    v = (value or "").strip().lower()
    if v in _YES:
        return True
    if v not in _NO:
        errors.append({"row": row, "field": field, "message": _("%(value)r is not yes/no") % {"value": value}})
    return False


def _clean_phone(value: str, *, row: int, errors: list) -> str:
    v = (value or "").replace(" ", "").replace("-", "")
    if v and not (v.isdigit() and 7 <= len(v) <= 15):
        errors.append({"row": row, "field": "phone", "message": _("%(value)r is not a phone number") % {"value": value}})
    return v


def person_create(*, actor, name: str, id_number: str, grid: Region, phone: str = "", household: Household | None = None,
                  address: str = "", **flags) -> Person:
    """Register one resident (e.g. on the spot at a sampling site)."""
    access.require(actor, "people.change", grid.path)
    if grid.level != Level.GRID:
        raise ServiceError.field("grid", _("must be a grid"))
    if not name or not name.strip():
        raise ServiceError.field("name", _("is required"))
    id_number = normalise_id_number(id_number)
    try:
        birth, sex = validate_id_number(id_number)
    except InvalidIdNumber as exc:
        raise id_number_error(exc) from None
    if Person.objects.filter(id_number=id_number).exists():
        raise ServiceError.field("id_number", _("a resident with this ID number exists already"), code="duplicate")
    with transaction.atomic():
        if household is None:
            household = Household.objects.create(grid=grid, region_path=grid.path, address=address or grid.name, size=1)
        person = Person.objects.create(
            name=name.strip(), id_number=id_number, phone=phone, birth_date=birth, sex=sex, household=household,
            grid=grid, region_path=grid.path, token=new_token(12),
            **{f: bool(flags.get(f)) for f in VULNERABLE_FLAGS})
        audit.record(actor, "person.create", person)
    return person


def person_update(*, actor, person: Person, **changes) -> Person:
    """Change contact details or vulnerable flags."""
    access.require(actor, "people.change", person.region_path)
    allowed = {"phone", "name", *VULNERABLE_FLAGS}
    unknown = set(changes) - allowed
    if unknown:
        raise ServiceError.field(sorted(unknown)[0], _("cannot be changed here"))
    with transaction.atomic():
        for k, v in changes.items():
            setattr(person, k, v)
        person.save(update_fields=list(changes))
        audit.record(actor, "person.update", person, changes={k: ("***" if k in ("phone", "name") else v) for k, v in changes.items()})
    return person


def people_import(*, actor, data: bytes, filename: str) -> dict:
    """Import residents from CSV/XLSX. All rows or none: any bad row aborts with every error listed.

    Re-importing the same file is harmless: residents are matched by ID number and updated, but only
    residents the actor may change. A row whose ID number belongs to a resident outside the actor's area
    is a row error that names neither the resident nor where they live: moving a resident between
    districts is never an import side effect.
    """
    access.require(actor, "people.change")
    rows = list(tabular.read_rows(data, filename, IMPORT_ALIASES))
    ids = [normalise_id_number(r.get("id_number")) for _unused, r in rows]
    existing = {p.id_number: p for p in Person.objects.filter(id_number__in=[i for i in ids if i])}
    elsewhere = {i for i, p in existing.items() if not access.can(actor, "people.change", p.region_path)}
    errors: list[dict] = []
    if rows:
        missing = [c for c in REQUIRED if not any(c in r for _unused, r in rows[:1])]
        if missing:
            raise ServiceError(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)},
                               fields=[{"field": c, "message": _("column missing")} for c in missing])
    grid_codes = {r.get("grid_code", "") for _unused, r in rows}
    grids = {g.code: g for g in Region.objects.filter(code__in=grid_codes, level=Level.GRID)}
    seen: dict[str, int] = {}
    clean = []
    for number, r in rows:
        row = _import_row(number, r, actor=actor, grids=grids, seen=seen, elsewhere=elsewhere, errors=errors)
        if row is not None:
            clean.append(row)
    if errors:
        if elsewhere:  # probing ID numbers of other areas leaves a trace
            audit.record(actor, "people.import.refused", object_type="people.person",
                         changes={"file": filename, "rows": len(rows), "outside_area_rows": len(elsewhere)})
        raise ServiceError(_("%(len_errors)s problem(s) in the file; nothing was imported. First: row %(row)s, %(field)s: %(message)s") % {"len_errors": len(errors), "row": errors[0]['row'], "field": errors[0]['field'], "message": errors[0]['message']}, code="import_invalid", fields=errors)
    return _import_write(actor, clean, existing=existing, filename=filename)


def _import_row(number: int, r: dict, *, actor, grids: dict, seen: dict, elsewhere: set, errors: list) -> dict | None:
    """One file row checked: the clean values, or None with its problems appended to `errors`."""
    before = len(errors)
    name = r.get("name", "").strip()
    if not name:
        errors.append({"row": number, "field": "name", "message": _("is required")})
    idn = normalise_id_number(r.get("id_number"))
    birth = sex = None
    try:
        birth, sex = validate_id_number(idn)
    except InvalidIdNumber as exc:
        errors.append(id_number_problem(exc, row=number))
    if idn in seen:
        errors.append({"row": number, "field": "id_number", "message": _("same ID number as row %(row)s") % {"row": seen[idn]}})
    seen.setdefault(idn, number)
    if idn in elsewhere:
        errors.append({"row": number, "field": "id_number",
                       "message": _("cannot be imported in your area (a resident who moves here is requested as a move-in)")})
    grid = grids.get(r.get("grid_code", ""))
    if grid is None:
        errors.append({"row": number, "field": "grid_code", "message": _("unknown grid %(grid)r") % {"grid": r.get("grid_code", "")}})
    elif not access.can(actor, "people.change", grid.path):
        errors.append({"row": number, "field": "grid_code", "message": _("outside your area")})
    if not r.get("address", "").strip():
        errors.append({"row": number, "field": "address", "message": _("is required")})
    phone = _clean_phone(r.get("phone", ""), row=number, errors=errors)
    flags = {f: _flag(r.get(f, ""), row=number, field=f, errors=errors) for f in VULNERABLE_FLAGS if f != "infant"}
    separate = _flag(r.get("separate_room", "yes") or "yes", row=number, field="separate_room", errors=errors)
    if len(errors) > before:
        return None
    return dict(name=name, id_number=idn, birth=birth, sex=sex, grid=grid, phone=phone, address=r["address"].strip(),
                household=r.get("household", "").strip() or f"row{number}", separate=separate, flags=flags)


def _import_write(actor, clean: list[dict], *, existing: dict, filename: str) -> dict:
    """Write checked rows in one transaction: households by (grid, household key), residents created or updated."""
    created = updated = 0
    today = clock.today()
    with transaction.atomic():
        households: dict[tuple[str, str], Household] = {}
        for c in clean:
            key = (c["grid"].code, c["household"])
            hh = households.get(key)
            if hh is None:
                hh = Household.objects.create(grid=c["grid"], region_path=c["grid"].path, address=c["address"], size=0,
                                              has_separate_room_with_bathroom=c["separate"])
                households[key] = hh
            hh.size += 1
            infant = (today - c["birth"]).days < 365
            p = existing.get(c["id_number"])
            if p is None:
                Person.objects.create(name=c["name"], id_number=c["id_number"], phone=c["phone"], birth_date=c["birth"],
                                      sex=c["sex"], household=hh, grid=c["grid"], region_path=c["grid"].path,
                                      token=new_token(12), infant=infant, **c["flags"])
                created += 1
            else:
                for k, v in dict(name=c["name"], phone=c["phone"], household=hh, grid=c["grid"], region_path=c["grid"].path,
                                 infant=infant, **c["flags"]).items():
                    setattr(p, k, v)
                p.save()
                updated += 1
        for hh in households.values():
            hh.save(update_fields=["size"])
        audit.record(actor, "people.import", object_type="people.person", changes={"file": filename, "rows": len(clean),
                                                                                  "created": created, "updated": updated})
    return {"rows": len(clean), "created": created, "updated": updated}


PEOPLE_COLUMNS = [
    exports.Column("id", lambda p: p.pk),
    exports.Column("name", lambda p: p.name, pii=exports.NAME),
    exports.Column("id_number", lambda p: p.id_number, pii=exports.ID_NUMBER),
    exports.Column("phone", lambda p: p.phone, pii=exports.PHONE),
    exports.Column("sex", lambda p: p.sex),
    exports.Column("birth_date", lambda p: p.birth_date, pii=exports.BIRTH_DATE),
    exports.Column("age_group", lambda p: exports.age_band(p.birth_date)),
    exports.Column("address", lambda p: p.household.address if p.household_id else "", pii=exports.ADDRESS),
    exports.Column("grid_path", lambda p: p.region_path),
    exports.Column("vulnerable", lambda p: p.vulnerable),
]


def people_export(*, actor, unmask: bool = False, fmt: str = "xlsx", filters: Mapping | None = None,
                  grid_path: str | None = None) -> exports.ExportFile:
    """Residents the actor may export, filtered like the register (PersonFilter), masked unless unmasking is asked
    for and granted (core.exports)."""
    access.require(actor, "people.export")
    filters = dict((filters or {}).items()) | ({"grid": grid_path} if grid_path else {})
    qs = selectors.person_list(actor=actor, filters=filters).select_related("household")
    return exports.export(actor=actor, domain="people", name="people", columns=PEOPLE_COLUMNS, rows=qs, filters=filters,
                          fmt=fmt, unmask=unmask)


# --- moves between areas (迁入) ----------------------------------------------------------------------

MOVE_EXPIRY_DAYS = 7


def move_request(*, actor, id_number: str, name: str, grid_id: int, address: str, note: str = "") -> Move:
    """File a move-in for a resident who lives elsewhere; the officers of their current area decide.

    The answer is the same whether or not anyone has that ID number: the requester never learns where,
    or whether, the person lives. An open request for the same ID number and grid is returned, not repeated.
    """
    grid = Region.objects.filter(pk=grid_id, level=Level.GRID).first() if str(grid_id or "").isdigit() else None
    if grid is None or not access.can(actor, "people.view", grid.path):
        raise ServiceError.field("grid_id", _("unknown grid"))
    access.require(actor, "people.change", grid.path)
    idn = normalise_id_number(id_number)
    try:
        validate_id_number(idn)
    except InvalidIdNumber as exc:
        raise id_number_error(exc) from None
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    if not (address or "").strip():
        raise ServiceError.field("address", _("is required"))
    person = Person.objects.filter(id_number=idn).first()
    if person is not None and person.region_path == grid.path:  # only ever true for a grid the actor sees
        raise ServiceError.field("id_number", _("lives in this grid already"))
    open_ = Move.objects.filter(to_grid=grid, status=MoveStatus.REQUESTED, id_masked=pii.mask_id_number(idn),
                                person=person).first()
    if open_ is not None:
        return open_
    with transaction.atomic():
        move = Move.objects.create(to_grid=grid, region_path=grid.path, person=person,
                                   from_path=person.region_path if person else "", name=name.strip()[:50],
                                   id_masked=pii.mask_id_number(idn), address=address.strip()[:200], note=note[:200],
                                   requested_by=access.user_or_none(actor))
        audit.record(actor, "person.move.request", move, changes={"to": grid.path})
    return move


def move_decide(*, actor, move_id: int, accept: bool, note: str = "") -> Move:
    """The resident's current area accepts (the person moves to the requested grid) or refuses a move-in."""
    move = _move_for_origin(actor, move_id)
    if move.status != MoveStatus.REQUESTED:
        raise ServiceError.field("status", _("the request is %(status)s already") % {"status": move.status}, code="decided")
    now = clock.now()
    with transaction.atomic():
        move.status = MoveStatus.ACCEPTED if accept else MoveStatus.REJECTED
        move.decided_by, move.decided_at, move.decision_note = access.user_or_none(actor), now, note[:200]
        move.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        from_path = move.person.region_path
        if accept:
            _person_move(move.person, grid=move.to_grid, address=move.address)
        audit.record(actor, f"person.move.{'accept' if accept else 'reject'}", move,
                     changes={"person": move.person_id, "from": from_path, "to": move.to_grid.path})
        if accept:
            transaction.on_commit(lambda: events.PERSON_MOVED.emit(person=move.person, from_path=from_path, actor=actor))
    return move


def _move_for_origin(actor, move_id) -> Move:
    """A move-in request for a resident of the actor's area (404 otherwise); deciding needs people.change there."""
    q = access.scope_q(actor, "people.view", "from_path")
    move = None if q is None else Move.objects.filter(q, pk=move_id).exclude(from_path="").select_related(
        "person", "to_grid").first()
    if move is None:
        raise Http404("not found")
    access.require(actor, "people.change", move.from_path)
    return move


def _person_move(person: Person, *, grid: Region, address: str) -> None:
    old = person.household
    household = Household.objects.create(grid=grid, region_path=grid.path, address=address, size=1)
    person.household, person.grid, person.region_path = household, grid, grid.path
    person.save(update_fields=["household", "grid", "region_path"])
    if old is not None:
        Household.objects.filter(pk=old.pk, size__gt=0).update(size=old.size - 1)


def moves_expire(*, actor, today=None) -> int:
    """Requests nobody decided within MOVE_EXPIRY_DAYS expire (unmatched ones too, so both look the same)."""
    access.require(actor, "people.change")
    cut = clock.day_start((today or clock.today()) - dt.timedelta(days=MOVE_EXPIRY_DAYS))
    qs = access.scope(Move.objects.filter(status=MoveStatus.REQUESTED, created_at__lt=cut), actor, "people.change")
    with transaction.atomic():
        n = qs.update(status=MoveStatus.EXPIRED)
        if n:
            audit.record(actor, "person.move.expire", object_type="people.move", changes={"expired": n})
    return n
