"""Test data: a small region tree built by hand (the generator is for scale)."""

import itertools
from types import SimpleNamespace

import factory

from cordon.regions.models import Building, Level, Region, Unit

_seq = itertools.count(1)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"区域{n}")
    level = Level.GRID
    parent = None
    code = factory.LazyAttribute(lambda o: f"{(o.parent.code if o.parent else '')}{next(_seq):03d}")
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}.{o.code}" if o.parent else o.code)
    lon = 121.4
    lat = 31.2


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    grid = factory.SubFactory(RegionFactory)
    community = factory.LazyAttribute(lambda o: o.grid.parent)
    region_path = factory.LazyAttribute(lambda o: o.grid.path)
    compound = "幸福小区"
    name = factory.Sequence(lambda n: f"{n}号楼")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    region_path = factory.LazyAttribute(lambda o: o.building.region_path)
    number = factory.Sequence(lambda n: n % 6 + 1)


def _chain(parent, name: str, code: str):
    """street > community > grid under `parent`, returning the three."""
    street = Region.objects.create(code=f"{parent.code}{code}", name=f"{name}街道", level=Level.STREET, parent=parent,
                                   path=f"{parent.path}.{parent.code}{code}", lon=parent.lon, lat=parent.lat)
    comm = Region.objects.create(code=f"{street.code}001", name=f"{name}社区", level=Level.COMMUNITY, parent=street,
                                 path=f"{street.path}.{street.code}001", lon=parent.lon, lat=parent.lat)
    grid = Region.objects.create(code=f"{comm.code}001", name=f"{name}第1网格", level=Level.GRID, parent=comm,
                                 path=f"{comm.path}.{comm.code}001", lon=parent.lon, lat=parent.lat)
    return street, comm, grid


def small_city() -> SimpleNamespace:
    """A city with districts A and B, one street/community/grid in each (plus a second grid in A)."""
    city = Region.objects.create(code="9901", name="测试市", level=Level.CITY, path="9901", lon=121.4, lat=31.2)
    a = Region.objects.create(code="990101", name="甲区", level=Level.DISTRICT, parent=city, path="9901.990101",
                              lon=121.3, lat=31.2, boundary={"type": "Polygon", "coordinates": [[[121.2, 31.1], [121.4, 31.1], [121.4, 31.3], [121.2, 31.3], [121.2, 31.1]]]})
    b = Region.objects.create(code="990102", name="乙区", level=Level.DISTRICT, parent=city, path="9901.990102",
                              lon=121.5, lat=31.2, boundary={"type": "Polygon", "coordinates": [[[121.4, 31.1], [121.6, 31.1], [121.6, 31.3], [121.4, 31.3], [121.4, 31.1]]]})
    a_street, a_comm, a_grid = _chain(a, "甲一", "001")
    a_grid2 = Region.objects.create(code=f"{a_comm.code}002", name="甲一第2网格", level=Level.GRID, parent=a_comm,
                                    path=f"{a_comm.path}.{a_comm.code}002", lon=121.3, lat=31.2)
    b_street, b_comm, b_grid = _chain(b, "乙一", "001")
    return SimpleNamespace(city=city, a=a, b=b, a_street=a_street, a_community=a_comm, a_grid=a_grid, a_grid2=a_grid2,
                           b_street=b_street, b_community=b_comm, b_grid=b_grid)
