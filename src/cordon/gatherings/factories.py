import datetime as dt

import factory

from cordon.core import clock
from cordon.gatherings.models import Gathering


class GatheringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gathering

    title = factory.Sequence(lambda n: f"社区活动{n}")
    organizer = "某协会"
    organizer_phone = "13800000000"
    region = None
    region_path = factory.LazyAttribute(lambda o: o.region.path)
    expected_attendance = 40
    starts_at = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=5))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    status = "approved"
