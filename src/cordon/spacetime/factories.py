import datetime as dt

import factory

from cordon.core import clock
from cordon.spacetime import cells
from cordon.spacetime.models import CellPresence

CELL = cells.cell_of(121.30, 31.20)


class CellPresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CellPresence

    person = None
    cell_id = CELL
    start = factory.LazyFunction(lambda: clock.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=3))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=1))
    source = "test"
    region_path = factory.LazyAttribute(lambda o: o.person.region_path)
