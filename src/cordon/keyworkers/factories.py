import datetime as dt
import itertools

import factory

from cordon.core import clock
from cordon.core.ids import make_id_number
from cordon.keyworkers.models import KeyPass, KeyPerson

_n = itertools.count(500)


class KeyPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPerson

    category = "driver"
    name = factory.Sequence(lambda n: f"王师傅{n}")
    id_number = factory.LazyFunction(lambda: make_id_number("320505", dt.date(1985, 3, 7), next(_n), "M"))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    employer = "保供物流公司"
    region = None
    region_path = factory.LazyAttribute(lambda o: o.region.path)
    plate = factory.Sequence(lambda n: f"苏E{n % 100000:05d}")
    origin_division = "320500"
    origin_name = "苏州市"
    destination_path = factory.LazyAttribute(lambda o: o.region.path)
    destination_name = factory.LazyAttribute(lambda o: o.region.name)
    cargo = "essential"
    closed_loop = True
    last_negative_at = factory.LazyFunction(lambda: clock.now() - dt.timedelta(hours=6))
    next_test_due_at = factory.LazyAttribute(lambda o: o.last_negative_at + dt.timedelta(hours=48) if o.last_negative_at else clock.now())
    created_at = factory.LazyFunction(clock.now)


class KeyPassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPass

    number = factory.Sequence(lambda n: f"KWT{n:08d}")
    keyperson = None
    region_path = factory.LazyAttribute(lambda o: o.keyperson.region_path)
    valid_from = factory.LazyFunction(lambda: clock.now() - dt.timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=13))
    issued_at = factory.LazyFunction(clock.now)
