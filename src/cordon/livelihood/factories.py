"""Test data for livelihood, built through the services so the rules apply."""

import datetime as dt

from cordon.core import access, clock
from cordon.livelihood import services
from cordon.people.factories import PersonFactory

SYSTEM = access.system("tests")  # this module's work that no user clicked


def need(grid, kind: str = "food", **kw):
    person = PersonFactory(grid=grid)
    return services.need_create(actor=SYSTEM, household_id=person.household_id, person_id=person.pk, kind=kind, **kw)


def team(region, name: str = "配送一队"):
    return services.team_create(actor=SYSTEM, name=name, region_id=region.pk)


def emergency(grid, kind: str = "dialysis", minutes_ago: int = 0):
    person = PersonFactory(grid=grid)
    return services.emergency_create(actor=SYSTEM, kind=kind, person_id=person.pk,
                                     now=clock.now() - dt.timedelta(minutes=minutes_ago))


_codes = iter(range(10**6))


def enterprise(region, whitelisted: bool = True, sector: str = "food"):
    ent = services.enterprise_create(actor=SYSTEM, name="保供食品有限公司", credit_code=f"91310000MA1{next(_codes):07d}",
                                     sector=sector, region_id=region.pk)
    if whitelisted:
        services.enterprise_whitelist(actor=SYSTEM, enterprise=ent, on=True)
    return ent


def plan(region):
    ent = enterprise(region)
    today = clock.today()
    return services.plan_create(actor=SYSTEM, enterprise=ent, start=today, end=today + dt.timedelta(days=20), dormitory="厂区宿舍 A 栋")
