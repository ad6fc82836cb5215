import datetime as dt

import factory

from cordon.assist.models import Partner, Request
from cordon.core import clock


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("region_code",)

    name = "杭州市疫情防控指挥部"
    region_code = "330100"
    secret = "shared-secret-for-tests-0123456789"


class RequestFactory(factory.django.DjangoModelFactory):
    """An incoming request routed to `region` (a district), received now."""

    class Meta:
        model = Request

    direction = "in"
    partner = factory.SubFactory(PartnerFactory)
    our_ref = factory.Sequence(lambda n: f"XC-TEST-{n:06d}")
    their_ref = factory.Sequence(lambda n: f"HZ-{n:06d}")
    region = None
    region_path = factory.LazyAttribute(lambda o: o.region.path)
    name = "李四"
    id_number = "11010519491231002X"
    phone = "13900000000"
    contact_kind = "close_contact"
    last_exposure = factory.LazyFunction(lambda: clock.now() - dt.timedelta(hours=6))
    deadline = factory.LazyFunction(lambda: clock.now() + dt.timedelta(hours=24))
    status = "received"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.pop("region", None)
        return super()._create(model_class, *args, **kwargs)
