"""Records of district A to issue documents from: a risk person, a quarantine stay, a zone."""

import datetime as dt

from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.quarantine.factories import SiteFactory, rooms_for
from cordon.quarantine.models import Stay
from cordon.zones import services as zones_services
from cordon.zones.models import Zone
from cordon.zones.tests.conftest import adopt, estate


def risk(city, status="under_measures", **person):
    p = PersonFactory(grid=city.a_grid, **person)
    start, end = clock.today() - dt.timedelta(days=3), clock.today() + dt.timedelta(days=4)
    r = RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", status=status,
                                  last_exposure=clock.now() - dt.timedelta(days=4), evidence=[{"rule": "named"}],
                                  plan=[{"kind": "home_isolation", "start": start.isoformat(), "end": end.isoformat(), "test_days": []}],
                                  measures_end=end)
    if status == "released":
        RiskPerson.objects.filter(pk=r.pk).update(released_at=clock.now())
        r.refresh_from_db()
    return r


def stay(city, status="in", **person):
    site = SiteFactory(region=city.a_community, name="城东隔离酒店")
    rooms_for(site, per_floor=2)
    p = PersonFactory(grid=city.a_grid, **person)
    today = clock.today()
    return Stay.objects.create(person=p, site=site, room=site.rooms.first(), region_path=site.region_path, start=today,
                               planned_end=today + dt.timedelta(days=7), status=status, category="close_contact",
                               monitor_token=f"tok-doc-{p.pk}", released_at=clock.now() if status == "released" else None)


def zone(city, lifted=False):
    adopt("protocol-8")
    homes = estate(city.a_grid, compound=f"幸福小区{id(object()) % 10000}", buildings=1, units=1, per_unit=1)
    z = zones_services.zone_designate(actor=SYSTEM, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    if lifted:
        Zone.objects.filter(pk=z.pk).update(status="lifted", lifted_at=clock.now())
        z.refresh_from_db()
    return z
