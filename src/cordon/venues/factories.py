import datetime as dt

import factory

from cordon.core import clock
from cordon.venues.models import CheckIn, Venue


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"场所{n}")
    kind = "restaurant"
    region = None
    region_path = factory.LazyAttribute(lambda o: o.region.path)
    code = factory.Sequence(lambda n: f"V{n:010d}")
    capacity = 100


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    person = None
    venue = None
    time_in = factory.LazyFunction(lambda: clock.now() - dt.timedelta(hours=3))
    time_out = factory.LazyAttribute(lambda o: o.time_in + dt.timedelta(hours=1))
