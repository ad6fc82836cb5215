import datetime as dt

import factory

from cordon.core import clock
from cordon.selfreport import services
from cordon.selfreport.models import Enrolment


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An active enrolment of a person (pass person=) over the days around today, with its link's secret."""

    class Meta:
        model = Enrolment

    person = None
    region_path = factory.LazyAttribute(lambda o: o.person.region_path)
    kind = "home_isolation"
    source = factory.Sequence(lambda n: f"quarantine.stay:{900000 + n}")
    start = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=2))
    end = factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=4))
    salt = factory.Sequence(lambda n: f"salt-{n:08d}")
    token_hash = factory.LazyAttribute(lambda o: services.rules.token_hash(services.link_token(o)))
