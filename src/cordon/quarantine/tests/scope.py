"""Scoped endpoints of the quarantine app for the shared permission suite."""

import datetime as dt

from cordon.core import clock
from cordon.core.testing import ScopedEndpoint


def _site(city):
    from cordon.quarantine.factories import SiteFactory, rooms_for

    site = SiteFactory(region=city.a_community)
    rooms_for(site, per_floor=2)
    return site


def _stay(city):
    from cordon.people.factories import PersonFactory
    from cordon.quarantine.models import ScheduledTest, Stay, Transfer

    site = _site(city)
    room = site.rooms.first()
    p = PersonFactory(grid=city.a_grid)
    today = clock.today()
    stay = Stay.objects.create(person=p, site=site, room=room, region_path=site.region_path, start=today,
                               planned_end=today + dt.timedelta(days=4), status="in", category="close_contact",
                               monitor_token=f"tok-scope-{p.pk}")
    ScheduledTest.objects.create(stay=stay, region_path=stay.region_path, day=1, due=today)
    now = stay.created_at
    Transfer.objects.create(stay=stay, region_path=stay.region_path, direction="in", pickup_address="幸福小区1号",
                            destination=site.address, window_start=now, window_end=now + dt.timedelta(hours=3))
    return stay


def _proposal(city):
    from cordon.quarantine.models import Proposal

    return Proposal.objects.create(region_path=city.a.path)


ENDPOINTS = [
    ScopedEndpoint("quarantine api site", make=_site, url=lambda s: f"/api/v1/quarantine/sites/{s.pk}"),
    ScopedEndpoint("quarantine api site status", make=_site, url=lambda s: f"/api/v1/quarantine/sites/{s.pk}/status",
                   method="post", write=True, payload=lambda s: {"status": "readying"}),
    ScopedEndpoint("quarantine api rooms", make=_site, url=lambda s: f"/api/v1/quarantine/sites/{s.pk}/rooms"),
    ScopedEndpoint("quarantine api room status", make=lambda c: _site(c).rooms.first(),
                   url=lambda r: f"/api/v1/quarantine/rooms/{r.pk}/status", method="post", write=True,
                   payload=lambda r: {"status": "disinfection"}),
    ScopedEndpoint("quarantine api stay", make=_stay, url=lambda s: f"/api/v1/quarantine/stays/{s.pk}"),
    ScopedEndpoint("quarantine api reading", make=_stay, url=lambda s: f"/api/v1/quarantine/stays/{s.pk}/readings",
                   method="post", write=True, payload=lambda s: {"temperature": 36.6, "symptoms": []}),
    ScopedEndpoint("quarantine api test result", make=lambda c: _stay(c).tests.first(),
                   url=lambda t: f"/api/v1/quarantine/tests/{t.pk}/result", method="post", write=True,
                   payload=lambda t: {"result": "negative"}),
    ScopedEndpoint("quarantine api transfer", make=lambda c: _stay(c).transfers.first(),
                   url=lambda t: f"/api/v1/quarantine/transfers/{t.pk}", method="post", write=True,
                   payload=lambda t: {"vehicle": "沪A00001"}),
    ScopedEndpoint("quarantine api proposal discard", make=_proposal,
                   url=lambda p: f"/api/v1/quarantine/proposals/{p.pk}/discard", method="post", write=True),
    ScopedEndpoint("quarantine web site", make=_site, url=lambda s: f"/quarantine/sites/{s.pk}/", api=False),
    ScopedEndpoint("quarantine web stay", make=_stay, url=lambda s: f"/quarantine/stays/{s.pk}/", api=False),
    ScopedEndpoint("quarantine web proposal", make=_proposal, url=lambda p: f"/quarantine/proposals/{p.pk}/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/quarantine/flows",
    "GET api/v1/quarantine/forecast",
    "GET api/v1/quarantine/monitoring/overdue",
    "GET api/v1/quarantine/occupancy",
    "GET api/v1/quarantine/proposals",
    "GET api/v1/quarantine/proposals/lines",
    "GET api/v1/quarantine/requests",
    "GET api/v1/quarantine/reserves",
    "GET api/v1/quarantine/sites",
    "GET api/v1/quarantine/stays",
    "GET api/v1/quarantine/tests/due",
    "GET api/v1/quarantine/tests/due/export",
    "GET api/v1/quarantine/transfers",
    "POST api/v1/quarantine/home-stays",
    "POST api/v1/quarantine/proposals",
    "POST api/v1/quarantine/proposals/confirm",
    "POST api/v1/quarantine/requests",
    "POST api/v1/quarantine/requests/cancel",
    "POST api/v1/quarantine/sites",
    "POST api/v1/quarantine/sites/<>",
    "POST api/v1/quarantine/sites/<>/readiness",
    "POST api/v1/quarantine/sites/<>/rooms",
    "POST api/v1/quarantine/sites/<>/rooms/import",
    "POST api/v1/quarantine/stays/<>/check-in",
    "POST api/v1/quarantine/stays/<>/hospital",
    "POST api/v1/quarantine/stays/<>/release",
    "POST api/v1/quarantine/tests/results",
    "POST api/v1/quarantine/transfers/<>/advance",
    "WEB quarantine/",
    "WEB quarantine/forecast/",
    "WEB quarantine/home/",
    "WEB quarantine/m/<>/",
    "WEB quarantine/proposals/",
    "WEB quarantine/queue/",
    "WEB quarantine/reserves/",
    "WEB quarantine/sites/",
    "WEB quarantine/stays/",
    "WEB quarantine/sweep/",
    "WEB quarantine/tests/",
    "WEB quarantine/transfers/",
]
