"""The one clock of the product: the instant, the city's date and the city's day boundaries.

Instants are stored and hashed in UTC; days are the city's days (``settings.TIME_ZONE``, Asia/Shanghai by
default), whatever the machine's or the request's timezone. Everything that asks "what day is it?" or
"is this valid today?" asks here, so the answer is the same in a service, a demo seeder and a test at
any hour of the night. ``date.today()``, a naive ``datetime.now()``, ``utcnow()`` and Django's
``timezone.localdate()``/``localtime()`` are banned outside this module by the ruff configuration.

``now()`` reads ``django.utils.timezone.now`` at every call (not a reference taken at import), so the
simulator's clock (``sim.clock.simulated_time``) and time-machine in tests move this clock too.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The city's timezone."""
    return _zone(settings.TIME_ZONE)


def now() -> dt.datetime:
    """The current instant (aware, UTC)."""
    return timezone.now()


def real_now() -> dt.datetime:
    """The machine's real instant (aware, UTC), unaffected by the simulator's clock: run metadata only."""
    return dt.datetime.now(dt.UTC)


def local(when: dt.datetime | None = None) -> dt.datetime:
    """An instant (default: now) as the city's wall-clock time."""
    return (when or now()).astimezone(zone())


def today() -> dt.date:
    """The city's local date now."""
    return local().date()


def day_of(when: dt.datetime) -> dt.date:
    """The city's date of an instant (a naive value is taken as city time)."""
    if timezone.is_naive(when):
        return when.date()
    return when.astimezone(zone()).date()


def aware(value: dt.datetime) -> dt.datetime:
    """A naive wall-clock value read as city time; an aware value is returned unchanged."""
    if timezone.is_naive(value):
        return value.replace(tzinfo=zone())
    return value


def at(day: dt.date, time: dt.time = dt.time()) -> dt.datetime:
    """The instant of a wall-clock time on a city day."""
    return dt.datetime.combine(day, time, tzinfo=zone())


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of a city day (00:00 city time)."""
    return at(day)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The half-open interval [start, next start) of a city day."""
    return day_start(day), day_start(day + dt.timedelta(days=1))


def day_end(day: dt.date) -> dt.datetime:
    """The last second of a city day (23:59:59 city time), for deadlines 'by the end of day D'."""
    return at(day, dt.time(23, 59, 59))


def valid_on(day: dt.date, *, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether a validity window of city days [start, end] (either open) covers day D."""
    return (start is None or start <= day) and (end is None or day <= end)


def earlier_today(hours: float, *, ref: dt.datetime | None = None) -> dt.datetime:
    """``hours`` before ``ref`` (default now) but never before the start of ref's city day.

    Demo seeders and tests place "a few hours ago" events with it, so an event meant for today stays
    on today at 00:30 as well as at noon.
    """
    ref = ref or now()
    return max(ref - dt.timedelta(hours=hours), day_start(day_of(ref)))


def utc_iso(when: dt.datetime) -> str:
    """The canonical text of an instant for hashing and signing: UTC, microseconds, 'Z'."""
    if timezone.is_naive(when):
        raise ValueError(_("a naive datetime has no canonical instant"))
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
