import datetime as dt
from types import SimpleNamespace

import pytest

from cordon.core import clock


def adopt(code: str, days_ago: int = 30):
    from cordon.core import policy
    from cordon.core.models import RuleSet, RuleSetAdoption

    policy.sync_fixtures()
    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code=code), effective_from=clock.today() - dt.timedelta(days=days_ago))
    policy.clear_cache()


def estate(grid, *, compound="幸福小区", buildings=2, units=2, per_unit=2, lon=121.30, lat=31.20):
    """Buildings of a compound in a grid, households in each unit, one or two people per household."""
    from cordon.people.factories import HouseholdFactory, PersonFactory
    from cordon.regions.factories import BuildingFactory, UnitFactory

    out = SimpleNamespace(buildings=[], units=[], households=[], people=[])
    for b in range(buildings):
        building = BuildingFactory(grid=grid, compound=compound, lon=lon + b * 0.001, lat=lat)
        out.buildings.append(building)
        for u in range(1, units + 1):
            unit = UnitFactory(building=building, number=u)
            out.units.append(unit)
            for r in range(per_unit):
                hh = HouseholdFactory(grid=grid, building=building, unit=unit, address=f"{compound} {building.name} {u}单元 {101 + r}")
                out.households.append(hh)
                out.people.append(PersonFactory(grid=grid, household=hh, chronic=(r == 0 and u == 1)))
    return out


@pytest.fixture
def p8(city):
    adopt("protocol-8")


@pytest.fixture
def homes(city):
    return estate(city.a_grid)
