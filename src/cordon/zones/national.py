"""The national risk-area list (全国疫情风险等级查询, the JSON the 卫健委 query served in 2021-2022), both ways.

The document: `{"code": 0, "msg": "查询成功", "data": {"end_update_time": "2022-10-29 22时", "hcount", "mcount",
"lcount", "highlist", "middlelist", "lowlist": [{"type", "province", "city", "county", "area_name",
"communitys": [...]}]}}`. Snapshots before November 2022 have no low list (and no lcount). The counts are the
numbers of community strings listed at each level; every entry of the real list carries `"type": "2"`, whatever its
level (the level is the list the entry is in), so the export writes "2" too.

Pure functions (no ORM): read a document into areas, write areas into a document, and match a place someone came
from against the areas (province/city/county and the community string, or a county-wide entry such as
"XX区除高风险区以外地区").
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cordon.core import clock
from cordon.core.errors import ServiceError

# (level, list key, count key), highest first
LEVELS = (("high", "highlist", "hcount"), ("middle", "middlelist", "mcount"), ("low", "lowlist", "lcount"))
LEVEL_RANK = {"high": 3, "middle": 2, "low": 1}
# The national list's level -> cordon's risk level and the measures category of an arrival from there (rulesets/measures.json).
CORDON_LEVEL = {"high": "high", "middle": "medium", "low": "low"}
ARRIVAL_CATEGORY = {"high": "high_risk_arrival", "middle": "medium_risk_arrival", "low": "low_risk_arrival"}
ENTRY_TYPE = "2"  # what every entry of the real list says in "type"
MAX_TEXT = 500  # a community string
MAX_NAME = 60   # a province, city or county name

# GB/T 2260 province-level codes (the first two digits of a division code) and their names.
PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省", "22": "吉林省",
    "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省",
    "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}

_TIME = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*(\d{1,2})\s*时\s*$")
# A county-wide (or town-wide) entry: "XX区除高风险区以外地区", "其它区域", "城关区其余地区", "XX镇全域", ...
_REST = re.compile(r"(除.*)?(高风险区?以外的?(其他|其它)?(区域|地区)|其[它他余](区域|地区)|外的?其[他它](区域|地区)|全域)$")
_SPACE = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class Area:
    level: str
    province: str
    city: str
    county: str
    community: str

    @property
    def key(self) -> tuple:
        return (self.level, self.province, self.city, self.county, self.community)


@dataclass
class Parsed:
    updated_at: dt.datetime
    areas: set           # {Area}, duplicates in the file counted once
    listed: dict         # community strings per level as listed (duplicates counted, like hcount)
    declared: dict       # hcount/mcount/lcount as the file states them (None when absent)


def parse_time(text: str) -> dt.datetime:
    """"2022-10-29 22时" (or "2022-04-16 9时") -> that hour, city time."""
    m = _TIME.match(str(text or ""))
    if not m:
        raise ValueError(text)
    y, mo, d, h = (int(g) for g in m.groups())
    return clock.at(dt.date(y, mo, d), dt.time(h))


def format_time(when: dt.datetime) -> str:
    """The list's own way of writing its update time: "2022-10-29 22时", city time, to the hour."""
    local = clock.local(when)
    return f"{local:%Y-%m-%d} {local.hour:02d}时"


def _text(value, field: str, errors: list, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        errors.append({"field": field, "message": _("must be text")})
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.append({"field": field, "message": _("at most %(n)d characters") % {"n": limit}})
    return value


def _entries(level: str, key: str, items, errors: list) -> tuple[list[Area], int]:
    out, listed = [], 0
    if not isinstance(items, list):
        errors.append({"field": f"data.{key}", "message": _("must be a list")})
        return out, 0
    for i, item in enumerate(items):
        where = f"data.{key}[{i}]"
        if not isinstance(item, dict):
            errors.append({"field": where, "message": _("must be an object")})
            continue
        names = [_text(item.get(f, ""), f"{where}.{f}", errors, MAX_NAME) for f in ("province", "city", "county")]
        if not names[2] and isinstance(item.get("county", ""), str):
            errors.append({"field": f"{where}.county", "message": _("is required")})
        communities = item.get("communitys")
        if not isinstance(communities, list) or not communities:
            errors.append({"field": f"{where}.communitys", "message": _("must be a non-empty list of community names")})
            continue
        for j, c in enumerate(communities):
            name = _text(c, f"{where}.communitys[{j}]", errors)
            if not name and isinstance(c, str):
                errors.append({"field": f"{where}.communitys[{j}]", "message": _("is empty")})
            listed += 1
            out.append(Area(level, *names, name))
    return out, listed


def parse_document(doc) -> Parsed:
    """Read a national-list document; every problem is reported with the path of the field, nothing is guessed."""
    errors: list[dict] = []
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict):
        raise ServiceError.field("data", _("not a national risk-area list: no data object"))
    try:
        updated_at = parse_time(data.get("end_update_time"))
    except (ValueError, TypeError):
        updated_at = None
        errors.append({"field": "data.end_update_time", "message": _("must read like 2022-10-29 22时")})
    if "highlist" not in data and "middlelist" not in data:
        errors.append({"field": "data.highlist", "message": _("no highlist or middlelist")})
    areas, listed, declared = set(), {}, {}
    for level, key, count in LEVELS:
        found, n = _entries(level, key, data.get(key) or [], errors)
        areas.update(found)
        listed[level] = n
        value = data.get(count)
        declared[level] = int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None
    if errors:
        first = errors[0]
        raise ServiceError(_("%(n)d problem(s) in the list; nothing imported. First: %(field)s: %(message)s")
                           % {"n": len(errors), **first}, fields=errors[:200])
    return Parsed(updated_at=updated_at, areas=areas, listed=listed, declared=declared)


def build_document(*, updated_at: dt.datetime, areas: Iterable[Area]) -> dict:
    """The national list's document for these areas: one entry per province/city/county and level, communities
    in the order given; hcount/mcount/lcount are the numbers of community strings listed."""
    groups: dict[str, dict[tuple, list[str]]] = {level: {} for level, _key, _count in LEVELS}
    for a in areas:
        groups[a.level].setdefault((a.province, a.city, a.county), []).append(a.community)
    data: dict = {"end_update_time": format_time(updated_at)}
    for level, _key, count in LEVELS:
        data[count] = sum(len(v) for v in groups[level].values())
    for level, key, _count in LEVELS:
        data[key] = [{"type": ENTRY_TYPE, "province": p, "city": c, "county": k, "area_name": " ".join(x for x in (p, c, k) if x),
                      "communitys": names} for (p, c, k), names in groups[level].items()]
    return {"code": 0, "msg": "查询成功", "data": data}


# --- matching a place against the list -----------------------------------------------------------------------------

def normalise(text: str) -> str:
    return _SPACE.sub("", str(text or ""))


def _aliases(name: str) -> tuple[str, ...]:
    """A region name and its short form people write ("长春市" -> "长春")."""
    name = normalise(name)
    for suffix in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return (name, name[: -len(suffix)])
    return (name,) if name else ()


def _rest_prefix(community: str) -> str | None:
    """The prefix of a county- or town-wide entry ("" for the whole county), None for an ordinary community."""
    m = _REST.search(community)
    if not m:
        return None
    return community[: m.start()]


@dataclass(frozen=True)
class Entry:
    """One area prepared for matching."""

    id: int
    level: str
    cities: tuple
    county: str
    community: str          # normalised
    rest: str | None        # county-/town-wide prefix, or None
    since: dt.datetime
    until: dt.datetime | None
    label: str              # province city county community, as listed


@dataclass(frozen=True)
class Index:
    """Areas grouped by normalised county name, and the longest county name (what `match` looks up)."""

    counties: dict
    longest: int


def prepare(rows: Iterable[tuple]) -> Index:
    """An index for `match` from (id, level, province, city, county, community, since, until) rows."""
    counties: dict[str, list[Entry]] = {}
    for pk, level, province, city, county, community, since, until in rows:
        name = normalise(community)
        county_n = normalise(county)
        label = " ".join(v for v in (province, city, county, community) if v)
        counties.setdefault(county_n, []).append(Entry(pk, level, _aliases(city), county_n, name, _rest_prefix(name), since, until, label))
    return Index(counties=counties, longest=max((len(k) for k in counties), default=0))


def _county_wide(prefix: str, county: str) -> bool:
    if not prefix or prefix.endswith(county):
        return True
    return len(prefix) >= 3 and prefix[-1] in "县区市旗" and prefix[:2] == county[:2]


def _hits(entry: Entry, text: str) -> bool:
    if entry.cities and entry.cities[0] != entry.county and not any(c in text for c in entry.cities):
        return False
    if entry.community and entry.community in text:
        return True
    if entry.rest is None:
        return False
    return _county_wide(entry.rest, entry.county) or entry.rest in text


def _counties_in(index: Index, text: str):
    """The index's counties named in the text: each substring looked up once (a few hundred look-ups, whatever the
    size of the list)."""
    seen = set()
    for i in range(len(text)):
        for j in range(i + 1, min(len(text), i + index.longest) + 1):
            part = text[i:j]
            if part in index.counties and part not in seen:
                seen.add(part)
                yield index.counties[part]


def match(index: Index, place: str, *, on: dt.datetime | None = None) -> Entry | None:
    """The highest-level area (listed at `on`, default: still listed) the place lies in: its text names the area's
    city and county and either the community string or a county-wide entry of that county."""
    text = normalise(place)
    best = None
    for entries in _counties_in(index, text) if text else ():
        for e in entries:
            current = e.until is None if on is None else (e.since <= on and (e.until is None or e.until > on))
            if current and _hits(e, text) and (best is None or LEVEL_RANK[e.level] > LEVEL_RANK[best.level]):
                best = e
    return best
