import datetime as dt

import factory

from cordon.checkpoints.models import Checkpoint, Pass
from cordon.core import clock


class CheckpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkpoint

    name = factory.Sequence(lambda n: f"卡口{n}")
    code = factory.Sequence(lambda n: f"CPT{n:05d}")
    kind = "road"
    region = None
    region_path = factory.LazyAttribute(lambda o: o.region.path)


class PassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pass

    number = factory.Sequence(lambda n: f"GLT{n:08d}")
    plate = factory.Sequence(lambda n: f"沪A{n:05d}")
    enterprise = "保供企业"
    valid_from = factory.LazyFunction(lambda: clock.now() - dt.timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=6))
    region_path = ""
