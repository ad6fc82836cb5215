"""Scoped endpoints of the quarantine app for the shared permission suite."""

import datetime as dt
from types import SimpleNamespace

from cordon.core import clock
from cordon.core.testing import CAST, Route, ScopedEndpoint


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


def _monitor_url(city):
    if not isinstance(city, SimpleNamespace):  # only the URL's shape is asked for
        return "/quarantine/m/token/"
    return f"/quarantine/m/{_stay(city).monitor_token}/"


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


ROUTES = [
    *[Route(f"quarantine.api.list.{p.replace('/', '.')}", f"/api/v1/quarantine/{p}")
      for p in ("flows", "forecast", "monitoring/overdue", "occupancy", "proposals", "proposals/lines", "requests",
                "reserves", "sites", "stays", "tests/due", "transfers")],
    *[Route(f"quarantine.web.list.{p.strip('/').replace('/', '.') or 'index'}", f"/quarantine/{p}", api=False)
      for p in ("", "forecast/", "home/", "proposals/", "queue/", "reserves/", "sites/", "stays/", "tests/", "transfers/")],
    Route("quarantine.web.sweep", "/quarantine/sweep/", method="post", kind="create", api=False),
    # the person's own tokenised report page: public, the token is the credential
    Route("quarantine.web.monitor", _monitor_url, kind="public", api=False),
    Route("quarantine.web.monitor.unknown", "/quarantine/m/no-such-token/", kind="public", api=False,
          expect=dict.fromkeys(CAST, 404)),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/quarantine/tests/due/export",
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
]
