"""Test and demo helpers: a site with rooms, a household to place, a queued request."""

import datetime as dt
import itertools

import factory

from cordon.core import clock
from cordon.people.factories import HouseholdFactory, PersonFactory
from cordon.quarantine.enums import READINESS_ITEMS, RoomStatus, SiteStatus
from cordon.quarantine.models import PlacementRequest, Room, Site

_n = itertools.count(1)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"隔离酒店{n}")
    address = factory.Sequence(lambda n: f"健康路{n}号")
    region = None
    region_path = factory.LazyAttribute(lambda o: o.region.path)
    status = SiteStatus.OPEN
    lon = factory.LazyAttribute(lambda o: o.region.lon)
    lat = factory.LazyAttribute(lambda o: o.region.lat)
    readiness = factory.LazyFunction(lambda: {k: True for k in READINESS_ITEMS})


def rooms_for(site: Site, *, floors: int = 1, per_floor: int = 4, status: str = RoomStatus.FREE) -> list[Room]:
    """Rooms 201.. on each floor, neighbours by position."""
    return Room.objects.bulk_create([
        Room(site=site, region_path=site.region_path, number=f"{f}{p:02d}", floor=f, position=p, status=status)
        for f in range(2, 2 + floors) for p in range(1, per_floor + 1)])


def born(years: int) -> dt.date:
    """A birth date `years` ago in the city's calendar (on the 28th at the latest: every month has it, 29 February
    too)."""
    today = clock.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def household_at_site(city, *ages: int, rooms: int = 4):
    """An open site of district A with `rooms` free rooms, and one household of A's grid with a person of each age:
    (site, [people])."""
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=rooms)
    hh = HouseholdFactory(grid=city.a_grid)
    return site, [PersonFactory(grid=city.a_grid, household=hh, birth_date=born(age)) for age in ages]


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementRequest

    person = None
    household = factory.LazyAttribute(lambda o: o.person.household)
    region_path = factory.LazyAttribute(lambda o: o.person.region_path)
    category = "close_contact"
    start = factory.LazyFunction(lambda: clock.today())
    end = factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=4))
    source = factory.Sequence(lambda n: f"test.source:{n}")
