"""Writes on the region tree: loading a city's official division codes, adding grids under communities.

The official codes (GB/T 2260 for province, city and county; the National Bureau of Statistics' 12-digit
statistical codes for streets/townships and communities/villages) are read from the open datasets' CSV/Excel
files (e.g. modood/Administrative-divisions-of-China: provinces.csv, cities.csv, areas.csv, streets.csv,
villages.csv with code, name and parent-code columns; or one file of 12-digit codes with code, name, level and
parent code). Every code says its level by its length once trailing zero groups are dropped: 2 province, 4 city,
6 district/county, 9 street/township, 12 community/village; its parent is its prefix. cordon's root is one city:
`city` picks it from a province-wide file. Grids (level 5) are cordon's own and never come from these files.
"""

import dataclasses
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, tabular
from cordon.core.errors import ServiceError
from cordon.regions.models import Level, Region, RegionChange, RegionHistory

CODE_ALIASES = {
    "code": "code", "编码": "code", "代码": "code", "区划代码": "code", "统计用区划代码": "code", "行政区划代码": "code",
    "name": "name", "名称": "name", "区划名称": "name",
    "parent_code": "parent", "pcode": "parent", "parent": "parent", "parentcode": "parent", "上级代码": "parent",
    "上级区划代码": "parent",
    "provincecode": "provinceCode", "province_code": "provinceCode", "省级代码": "provinceCode",
    "citycode": "cityCode", "city_code": "cityCode", "地级代码": "cityCode",
    "areacode": "areaCode", "area_code": "areaCode", "县级代码": "areaCode",
    "streetcode": "streetCode", "street_code": "streetCode", "乡级代码": "streetCode",
    "level": "level", "级别": "level",
}
# The template's columns (Chinese headers the importer accepts) and an example row (a real code of 赤峰市).
TEMPLATE = [("区划代码", "150422100201"), ("名称", "福山地村"), ("上级代码", "150422100")]

# Level of a normalised code by its length; cordon's level for each (a province is not a region of cordon).
_LENGTH_LEVEL = {4: Level.CITY, 6: Level.DISTRICT, 9: Level.STREET, 12: Level.COMMUNITY}
_PARENT_LENGTH = {4: 2, 6: 4, 9: 6, 12: 9}
# Names the datasets give a city-level group of a municipality or of counties under the province.
_GROUP_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_RURAL_SUFFIXES = ("村", "嘎查", "镇", "乡", "苏木", "村委会", "村民委员会")


def normalise_code(raw: str) -> str:
    """A division code in its short form: 2, 4, 6, 9 or 12 digits (12-digit and 6-digit codes lose their zero tails)."""
    code = "".join(str(raw or "").split())
    if code.endswith(".0"):  # a number cell of a spreadsheet
        code = code[:-2]
    if len(code) == 12 and code.isdigit():
        for keep, tail in ((2, 10), (4, 8), (6, 6), (9, 3)):
            if code[keep:] == "0" * tail:
                return code[:keep]
    if len(code) == 6 and code.isdigit():
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


@dataclasses.dataclass
class _Row:
    code: str
    name: str
    file: str
    row: int


def _read(files: Iterable[tuple[str, bytes]], errors: list) -> dict[str, _Row]:
    """Every row of every file, keyed by normalised code; bad rows are appended to `errors`."""
    rows: dict[str, _Row] = {}
    for filename, data in files:
        for number, values in tabular.read_rows(data, filename, CODE_ALIASES):
            code = normalise_code(values.get("code", ""))
            name = values.get("name", "").strip()
            where = {"row": number, "field": "code"}
            if not code.isdigit() or len(code) not in (2, *_LENGTH_LEVEL):
                errors.append(where | {"message": _("%(file)s: %(code)r is not a division code of 2, 4, 6, 9 or 12 "
                                                    "digits") % {"file": filename, "code": values.get("code", "")}})
                continue
            if not name:
                errors.append(where | {"field": "name", "message": _("%(file)s: the name is missing") % {"file": filename}})
                continue
            parent = normalise_code(values.get("parent", ""))
            if parent and parent not in ("0", code[:len(parent)]):
                errors.append(where | {"field": "parent", "message": _("%(file)s: the parent code %(parent)s is not a "
                                                                       "prefix of %(code)s") % {"file": filename, "parent": parent, "code": code}})
                continue
            seen = rows.get(code)
            if seen is not None and seen.name != name:
                errors.append(where | {"field": "name", "message": _("%(file)s: code %(code)s is named %(name)s in %(other)s "
                                                                     "row %(row)s") % {"file": filename, "code": code, "name": seen.name,
                                                                                       "other": seen.file, "row": seen.row}})
                continue
            rows.setdefault(code, _Row(code, name, filename, number))
    return rows


def _choose_city(rows: dict[str, _Row], city: str | None) -> str:
    """The city's 4-digit code: the one asked for, the database's, or the only one the files hold."""
    root = Region.objects.filter(parent__isnull=True).first()
    wanted = normalise_code(city) if city else (root.code if root else None)
    if root is not None and wanted != root.code:
        raise ServiceError.field("city", _("this database's city is %(code)s %(name)s; a database holds one city")
                                 % {"code": root.code, "name": root.name}, code="other_city")
    if wanted is None:
        cities = sorted({code[:4] for code in rows if len(code) >= 4})
        if len(cities) != 1:
            raise ServiceError.field("city", _("the files hold %(n)s cities (%(codes)s); choose one with --city")
                                     % {"n": len(cities), "codes": ", ".join(cities[:20])}, code="choose_city")
        wanted = cities[0]
    if len(wanted) != 4 or not wanted.isdigit():
        raise ServiceError.field("city", _("a city code has 4 digits (e.g. 1504), not %(code)r") % {"code": city})
    return wanted


def _city_name(rows: dict[str, _Row], code: str) -> str | None:
    row = rows.get(code)
    if row is None:
        return None
    if row.name in _GROUP_NAMES and code[:2] in rows:  # 北京市 市辖区 -> 北京市
        return rows[code[:2]].name
    return row.name


def _check_parents(mine: dict[str, _Row], existing: dict[str, Region], errors: list) -> None:
    """Every street needs its district, every community its street: in the files or in the database."""
    for code, row in mine.items():
        if len(code) == 4:
            continue
        parent = code[:_PARENT_LENGTH[len(code)]]
        if parent not in mine and parent not in existing:
            errors.append({"row": row.row, "field": "code", "message": _("%(file)s: %(code)s %(name)s has no parent %(parent)s "
                                                                         "in the files or the database")
                           % {"file": row.file, "code": code, "name": row.name, "parent": parent}})


def _problems(errors: list[dict]) -> ServiceError:
    first = errors[0]
    return ServiceError(_("%(n)s problem(s) in the files; nothing was imported. First: row %(row)s, %(field)s: %(message)s")
                        % {"n": len(errors), "row": first.get("row", "-"), "field": first["field"], "message": first["message"]},
                        code="import_invalid", fields=errors[:500])


def _city_rows(rows: dict[str, _Row], city_code: str, existing: dict[str, Region], errors: list) -> dict[str, _Row]:
    """The rows of the chosen city, its own row named as the city (a municipality's 市辖区 takes the province's name)."""
    mine = {code: row for code, row in rows.items() if len(code) >= 4 and code.startswith(city_code)}
    name = _city_name(rows, city_code)
    if name is not None:
        mine[city_code].name = name
    elif city_code not in existing:
        errors.append({"field": "file", "message": _("the city %(code)s is not in the files (cities.csv) and not in "
                                                     "the database") % {"code": city_code}})
    return mine


def regions_import(*, actor, files: list[tuple[str, bytes]], city: str | None = None) -> dict:
    """Load a city's official division codes (all rows or none; running it again changes nothing): new codes are
    created, renamed ones renamed, codes no longer listed under a parent whose children the files list are dated
    abolished (kept, with history), codes listed again restored."""
    root_path = Region.objects.filter(parent__isnull=True).values_list("path", flat=True).first()
    access.require(actor, "regions.change", root_path)
    if not files:
        raise ServiceError.field("file", _("give at least one file"))
    errors: list[dict] = []
    rows = _read(files, errors)
    if errors:
        raise _problems(errors)
    city_code = _choose_city(rows, city)
    existing = {r.code: r for r in Region.objects.filter(path__startswith=city_code).exclude(level=Level.GRID)}
    mine = _city_rows(rows, city_code, existing, errors)
    _check_parents(mine, existing, errors)
    if errors:
        raise _problems(errors)
    source = ", ".join(name for name, _data in files)[:300]
    with transaction.atomic():
        counts = _write(mine, existing, source=source)
        audit.record(actor, "regions.import", object_type="regions.region", region_path=city_code,
                     changes={"files": source, "city": city_code, **counts})
    return {"city": city_code, "rows": len(mine), **counts}


def _write(mine: dict[str, _Row], existing: dict[str, Region], *, source: str) -> dict:
    """Create, rename, restore and abolish, level by level from the city down; one history row per change."""
    today = clock.today()
    counts = {"created": 0, "renamed": 0, "restored": 0, "abolished": 0, "unchanged": 0}
    history = []
    for length in (4, 6, 9, 12):
        new = []
        for code in sorted(c for c in mine if len(c) == length):
            row, region = mine[code], existing.get(code)
            if region is None:
                parent = existing.get(code[:_PARENT_LENGTH[length]]) if length > 4 else None
                new.append(Region(code=code, name=row.name[:100], level=_LENGTH_LEVEL[length], parent=parent,
                                  path=f"{parent.path}.{code}" if parent else code, is_rural=row.name.endswith(_RURAL_SUFFIXES)))
                continue
            changed = _update(region, row.name[:100], today, history, source)
            counts[changed] += 1
        for region in Region.objects.bulk_create(new):
            existing[region.code] = region
            history.append(RegionHistory(region=region, code=region.code, change=RegionChange.CREATED,
                                         new_name=region.name, on=today, source=source))
        counts["created"] += len(new)
    counts["abolished"] = _abolish(mine, existing, today, history, source)
    RegionHistory.objects.bulk_create(history)
    return counts


def _update(region: Region, name: str, today, history: list, source: str) -> str:
    """Rename or restore one existing region; the kind of change made."""
    change = "unchanged"
    if region.abolished_on is not None:
        region.abolished_on = None
        history.append(RegionHistory(region=region, code=region.code, change=RegionChange.RESTORED, new_name=name,
                                     on=today, source=source))
        change = "restored"
    if region.name != name:
        history.append(RegionHistory(region=region, code=region.code, change=RegionChange.RENAMED, old_name=region.name,
                                     new_name=name, on=today, source=source))
        region.name = name
        change = "renamed" if change == "unchanged" else change
    if change != "unchanged":
        region.save(update_fields=["name", "abolished_on"])
    return change


def _abolish(mine: dict[str, _Row], existing: dict[str, Region], today, history: list, source: str) -> int:
    """Date as abolished the official codes no longer listed under a parent whose children the files list."""
    listed_parents = {code[:_PARENT_LENGTH[len(code)]] for code in mine if len(code) > 4}
    gone = [r for code, r in existing.items()
            if len(code) in _PARENT_LENGTH and len(code) > 4 and code not in mine and r.abolished_on is None
            and code[:_PARENT_LENGTH[len(code)]] in listed_parents]
    for region in gone:
        region.abolished_on = today
        history.append(RegionHistory(region=region, code=region.code, change=RegionChange.ABOLISHED,
                                     old_name=region.name, on=today, source=source))
    Region.objects.bulk_update(gone, ["abolished_on"])
    return len(gone)


def grids_add(*, actor, per_community: int = 1, under: str | None = None) -> dict:
    """Give every community/village (inside `under`, a path) at least `per_community` grids (第N网格, code = the
    community's code and 3 digits); communities that have them already are left alone."""
    root_path = under or Region.objects.filter(parent__isnull=True).values_list("path", flat=True).first()
    access.require(actor, "regions.change", root_path)
    if not 1 <= per_community <= 50:
        raise ServiceError.field("per_community", _("must be between 1 and 50"))
    communities = Region.objects.filter(level=Level.COMMUNITY, abolished_on__isnull=True)
    if under:
        communities = communities.filter(path__startswith=under)
    have: dict[int, set[str]] = {}
    for parent_id, code in Region.objects.filter(level=Level.GRID, parent__in=communities).values_list("parent_id", "code"):
        have.setdefault(parent_id, set()).add(code)
    new = []
    for community in communities:
        codes = have.get(community.pk, set())
        n = 1
        while len(codes) < per_community:
            code = f"{community.code}{n:03d}"
            if code not in codes:
                codes.add(code)
                new.append(Region(code=code, name=_("Grid %(n)s") % {"n": n}, level=Level.GRID, parent=community,
                                  path=f"{community.path}.{code}", is_rural=community.is_rural, lon=community.lon,
                                  lat=community.lat))
            n += 1
    with transaction.atomic():
        Region.objects.bulk_create(new)
        audit.record(actor, "regions.grids_add", object_type="regions.region", region_path=root_path or "",
                     changes={"per_community": per_community, "created": len(new)})
    return {"communities": len(communities), "grids_created": len(new)}
