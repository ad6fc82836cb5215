"""What every part of screening's writes shares: the system actor, batch limits, permission checks and
the one reading of a date and time from a form, a file or a lab message."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cordon.core import access, clock
from cordon.core.errors import ServiceError

SYSTEM = access.system("screening")  # this module's work that no user clicked

MAX_BATCH = 10_000
CLOCK_SLACK = dt.timedelta(minutes=10)  # a lab's clock a little ahead of ours is not a future result
CHUNK = 900
HELD_REASON = "held_positive_pool"


def chunks(seq, n=CHUNK):
    seq = list(seq)
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def may(actor, verbs: tuple[str, ...], path: str) -> bool:
    return any(access.can(actor, f"screening.{v}", path) for v in verbs)


def require(actor, verbs: tuple[str, ...], path: str) -> None:
    if not may(actor, verbs, path):
        raise PermissionDenied(f"screening.{verbs[0]}")


def user_id(actor) -> int | None:
    """The signed-in user's id, None for the system actor or an anonymous one."""
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def aware(value, *, field: str, row: int | None = None, errors: list | None = None):
    """An aware datetime from a datetime, an ISO text or a date (noon); None when empty. A bad value raises,
    or is added to `errors` (row by row checking) and gives None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        parsed = parse_datetime(str(value).strip().replace("/", "-"))
        if parsed is None:
            try:
                parsed = dt.datetime.combine(dt.date.fromisoformat(str(value).strip()), dt.time(12))
            except ValueError:
                if errors is None:
                    raise ServiceError.field(field, _("%(value)r is not a date and time") % {"value": value}, row=row)
                errors.append({"row": row, "field": field, "message": _("%(value)r is not a date and time") % {"value": value}})
                return None
    if timezone.is_naive(parsed):
        parsed = clock.aware(parsed)
    return parsed
