"""Identifiers: GB 11643-1999 citizen ID numbers (公民身份号码) and GB/T 2260 place codes.

An ID number is valid as the national standard says: 18 characters (17 digits and a digit or X, a lower-case x
is read as X), an ISO 7064 MOD 11-2 check character, a real birth date not after the city's today, and a
six-digit place code (地址码) that is a GB/T 2260 administrative division code which was in force in the birth
year (not created after it, not abolished before it). The historical code table with its validity years is
python-stdnum's `cn/loc` database (the one `stdnum.cn.ric` checks against).
"""

import datetime as dt
import functools
import secrets

from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric

from cordon.core import clock
from cordon.core.errors import ServiceError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# Reason codes of `check_id_number`, in the order they are tested.
REASONS = ("format", "checksum", "birth_date", "future_birth_date", "place_code", "place_code_not_in_birth_year")


class InvalidIdNumber(ValueError):
    """An ID number that fails the national rules; `reason` is one of REASONS, str() the translated message."""

    def __init__(self, reason: str, message):
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self):
        return str(self.message)


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalise_id_number(value) -> str:
    """The ID number as stored: surrounding and inner spaces removed, a lower-case x as X."""
    return "".join(str(value or "").split()).upper()


@functools.cache
def _place_table() -> dict[str, tuple[str, tuple[tuple[int | None, int | None, str], ...]]]:
    """{six-digit code: (province name, ((first year, last year, name), ...))} from python-stdnum's cn/loc table."""
    table = {}
    for _len, low, _high, props, children in numdb.get("cn/loc").prefixes:
        for _clen, clow, _chigh, cprops, _cc in children:
            spans = []
            for entry in cprops.get("county", "").split(","):
                if not entry:
                    continue
                if entry.startswith("["):
                    years, name = entry[1:].split("]", 1)
                    start, end = years.split("-")
                    spans.append((int(start) if start else None, int(end) if end else None, name))
                else:
                    spans.append((None, None, entry))
            if spans:
                table[low + clow] = (props.get("province", ""), tuple(spans))
    return table


def place_code_name(code: str, year: int | None = None) -> str | None:
    """The division's name for a six-digit place code (in force in `year` if given), or None."""
    entry = _place_table().get(code)
    if entry is None:
        return None
    for start, end, name in entry[1]:
        if year is None or ((start is None or year >= start) and (end is None or year <= end)):
            return name
    return None


def place_label(code: str, year: int | None = None) -> str | None:
    """"Province division" for a six-digit place code (e.g. "北京市 朝阳区"), or None."""
    name = place_code_name(code, year)
    if name is None:
        return None
    province = _place_table()[code][0]
    return name if name == province else f"{province} {name}"


def place_code_in_force(code: str, year: int) -> bool:
    """True if `code` is a GB/T 2260 code that was in force in `year`."""
    return place_code_name(code, year) is not None


@functools.cache
def _county_codes_in_force(year: int) -> tuple[str, ...]:
    """The county-level codes (not ending in 00) in force in `year`, sorted: computed once a year, not once per area."""
    return tuple(sorted(c for c in _place_table() if not c.endswith("00") and place_code_in_force(c, year)))


@functools.cache
def place_code_for(area: str, year: int) -> str:
    """A place code in force in `year` for generated ID numbers: `area` itself if it was in force, else one of the
    same city (first four digits), else of the same province, else of the whole table (chosen by `area`, so the
    choice is stable)."""
    area = f"{str(area)[:6]:0<6}"
    if place_code_in_force(area, year):
        return area
    codes = _county_codes_in_force(year)
    for prefix in (area[:4], area[:2], ""):
        candidates = [c for c in codes if c.startswith(prefix)]
        if candidates:
            return candidates[int(area) % len(candidates)]
    raise ValueError(_("no place code was in force in %(year)s") % {"year": year})


def check_id_number(value) -> tuple[str, dt.date, str]:
    """Validate an ID number by GB 11643-1999 and the GB/T 2260 table; return (normalised number, birth date,
    sex 'M'/'F') or raise InvalidIdNumber with its reason."""
    number = normalise_id_number(value)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(reason="format", message=_("must be 18 characters: 17 digits and a check digit (0-9 or X)"))
    if ric.calc_check_digit(number) != number[17]:
        raise InvalidIdNumber(reason="checksum", message=_("the check digit does not match (GB 11643)"))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1880:
        raise InvalidIdNumber(reason="birth_date", message=_("the birth date %(date)s is not a real date") % {"date": number[6:14]})
    if birth > clock.today():
        raise InvalidIdNumber(reason="future_birth_date", message=_("the birth date %(date)s is in the future") % {"date": birth.isoformat()})
    code = number[:6]
    if code not in _place_table():
        raise InvalidIdNumber(reason="place_code", message=_("the place code %(code)s is not an administrative division code (GB/T 2260)")
                              % {"code": code})
    if not place_code_in_force(code, birth.year):
        raise InvalidIdNumber(reason="place_code_not_in_birth_year", message=
                              _("the place code %(code)s (%(name)s) was not in force in the birth year %(year)s")
                              % {"code": code, "name": place_code_name(code), "year": birth.year})
    return number, birth, ("M" if int(number[16]) % 2 == 1 else "F")


def validate_id_number(value) -> tuple[dt.date, str]:
    """Validate an ID number (see check_id_number); return (birth date, sex 'M'/'F') or raise InvalidIdNumber."""
    _number, birth, sex = check_id_number(value)
    return birth, sex


def id_number_problem(exc: InvalidIdNumber, *, field: str = "id_number", row: int | None = None) -> dict:
    """The ServiceError `fields` entry for an invalid ID number: the field, the row if any, the translated reason."""
    problem = {"field": field, "message": str(_("is not a valid ID number: %(reason)s") % {"reason": exc.message})}
    if row is not None:
        problem["row"] = row
    return problem


def id_number_error(exc: InvalidIdNumber, *, field: str = "id_number", row: int | None = None) -> ServiceError:
    """The ServiceError for one invalid ID number, naming the field (and row)."""
    return ServiceError.field(field, id_number_problem(exc, field=field)["message"], row=row, code="invalid_id_number")


def make_id_number(area: str, birth: dt.date, seq: int, sex: str) -> str:
    """Build a valid ID number: a place code in force in the birth year (`area` if it was, see place_code_for),
    the birth date, a 3-digit sequence with sex parity, the check digit."""
    seq = seq % 500 * 2 + (1 if sex == "M" else 0)
    first17 = f"{place_code_for(area, birth.year)}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)
