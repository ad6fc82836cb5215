import datetime as dt
import itertools

import factory

from cordon.core.ids import make_id_number
from cordon.people.models import Household, Person

_n = itertools.count(1)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    grid = None
    region_path = factory.LazyAttribute(lambda o: o.grid.path)
    address = factory.Sequence(lambda n: f"幸福小区 {n % 30 + 1}号楼 1单元 {n % 20 + 101}")
    size = 1


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{'伟芳娜敏静丽强磊军洋'[n % 10]}{n}")
    birth_date = factory.Sequence(lambda n: dt.date(1960 + n % 50, 1 + n % 12, 1 + n % 28))
    sex = factory.Sequence(lambda n: "M" if n % 2 else "F")
    id_number = factory.LazyAttribute(lambda o: make_id_number("310104", o.birth_date, next(_n), o.sex))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    household = factory.LazyAttribute(lambda o: HouseholdFactory(grid=o.grid))
    grid = None
    region_path = factory.LazyAttribute(lambda o: o.grid.path)
    token = factory.Sequence(lambda n: f"tok{n:012d}")
