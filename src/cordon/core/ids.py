"""Identifiers: GB 11643 national ID numbers and GB/T 2260-style region codes."""

import datetime as dt
import secrets

from cordon.core import clock

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class InvalidIdNumber(ValueError):
    pass


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate_id_number(value: str) -> tuple[dt.date, str]:
    """Validate an 18-character ID number; return (birth date, sex 'M'/'F') or raise InvalidIdNumber."""
    if not isinstance(value, str) or len(value) != 18:
        raise InvalidIdNumber("must be 18 characters")
    value = value.upper()
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber("must be 17 digits followed by a digit or X")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth date is not a valid date")
    if birth > clock.today() or birth.year < 1880:
        raise InvalidIdNumber("birth date is out of range")
    if id_check_digit(value[:17]) != value[17]:
        raise InvalidIdNumber("check digit does not match")
    sex = "M" if int(value[16]) % 2 == 1 else "F"
    return birth, sex


def make_id_number(area: str, birth: dt.date, seq: int, sex: str) -> str:
    """Build a valid ID number: 6-digit area, birth date, 3-digit sequence with sex parity."""
    seq = seq % 500 * 2 + (1 if sex == "M" else 0)
    first17 = f"{area[:6]:0<6}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)
