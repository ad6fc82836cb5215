"""Scoped endpoints of the quarantine app for the shared permission suite."""

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT

from cordon.core import clock
from cordon.core.testing import CAST, Route, ScopedEndpoint, list_routes


def _site(city):
    from cordon.quarantine.factories import SiteFactory, rooms_for

    site = SiteFactory(region=city.a_community)
    rooms_for(site, per_floor=2)
    return site


def _stay(city, status="in"):
    from cordon.people.factories import PersonFactory
    from cordon.quarantine.models import ScheduledTest, Stay, Transfer

    site = _site(city)
    room = site.rooms.first()
    p = PersonFactory(grid=city.a_grid)
    today = clock.today()
    stay = Stay.objects.create(person=p, site=site, room=room, region_path=site.region_path, start=today,
                               planned_end=today + dt.timedelta(days=4), status=status, category="close_contact",
                               monitor_token=f"tok-scope-{p.pk}")
    ScheduledTest.objects.create(stay=stay, region_path=stay.region_path, day=1, due=today)
    now = stay.created_at
    Transfer.objects.create(stay=stay, region_path=stay.region_path, direction="in", pickup_address="幸福小区1号",
                            destination=site.address, window_start=now, window_end=now + dt.timedelta(hours=3))
    return stay


def _releasable(city):
    """A stay whose days are complete and whose last test was negative."""
    stay = _stay(city)
    today = clock.today()
    type(stay).objects.filter(pk=stay.pk).update(start=today - dt.timedelta(days=14), planned_end=today - dt.timedelta(days=1))
    stay.tests.update(result="negative", due=today - dt.timedelta(days=2))
    stay.refresh_from_db()
    return stay


def _person(city):
    from cordon.people.factories import PersonFactory

    return PersonFactory(grid=city.a_grid)


def _home_person(city):
    from django.contrib.auth import get_user_model

    p = _person(city)
    p.worker = get_user_model().objects.create_user(username=f"cw{p.pk}", password="pw-for-tests-1")
    return p


def _window():
    today = clock.today()
    return {"start": today.isoformat(), "end": (today + dt.timedelta(days=7)).isoformat()}


def _request_source(city):
    from cordon.quarantine.models import PlacementRequest

    p = _person(city)
    today = clock.today()
    PlacementRequest.objects.create(person=p, household_id=p.household_id, category="close_contact", start=today,
                                    end=today + dt.timedelta(days=7), source=f"scope:{p.pk}", region_path=p.region_path)
    return f"scope:{p.pk}"


def _queued_district(city):
    """District A with someone queued and an open site with free rooms."""
    from cordon.quarantine.models import Site

    _request_source(city)
    Site.objects.filter(pk=_site(city).pk).update(status="open")
    return city.a


def _vehicle_transfer(city):
    t = _stay(city).transfers.first()
    t.vehicle = "沪A00001"
    t.save(update_fields=["vehicle"])
    return t


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
    ScopedEndpoint("quarantine api site update", make=_site, url=lambda s: f"/api/v1/quarantine/sites/{s.pk}",
                   method="post", write=True, payload=lambda s: {"doctors_on_duty": 2}),
    ScopedEndpoint("quarantine api site readiness", make=_site, url=lambda s: f"/api/v1/quarantine/sites/{s.pk}/readiness",
                   method="post", write=True, payload=lambda s: {"three_zones": True}),
    ScopedEndpoint("quarantine api site rooms add", make=_site, url=lambda s: f"/api/v1/quarantine/sites/{s.pk}/rooms",
                   method="post", write=True, payload=lambda s: [{"number": f"9{s.pk}{s.rooms.count()}", "floor": 9}]),
    ScopedEndpoint("quarantine api site rooms import", make=_site, url=lambda s: f"/api/v1/quarantine/sites/{s.pk}/rooms/import",
                   method="post", write=True, content_type=MULTIPART_CONTENT,
                   payload=lambda s: {"file": SimpleUploadedFile("rooms.csv", f"number,floor\n8{s.pk}{s.rooms.count()},8\n".encode())}),
    ScopedEndpoint("quarantine api stay check-in", make=lambda c: _stay(c, "expected"),
                   url=lambda s: f"/api/v1/quarantine/stays/{s.pk}/check-in", method="post", write=True),
    ScopedEndpoint("quarantine api stay release", make=_releasable, url=lambda s: f"/api/v1/quarantine/stays/{s.pk}/release",
                   method="post", write=True, payload=lambda s: {}),
    ScopedEndpoint("quarantine api stay hospital", make=_stay, url=lambda s: f"/api/v1/quarantine/stays/{s.pk}/hospital",
                   method="post", write=True),
    ScopedEndpoint("quarantine api transfer advance", make=_vehicle_transfer,
                   url=lambda t: f"/api/v1/quarantine/transfers/{t.pk}/advance", method="post", write=True),
    ScopedEndpoint("quarantine api transfer cancel", make=lambda c: _stay(c).transfers.first(),
                   url=lambda t: f"/api/v1/quarantine/transfers/{t.pk}/cancel", method="post", write=True,
                   payload=lambda t: {"reason": "resident went by ambulance"}),
    ScopedEndpoint("quarantine api site create", make=lambda c: c.a_community, url=lambda r: "/api/v1/quarantine/sites",
                   method="post", write=True, payload=lambda r: {"name": "甲区酒店", "address": "甲路1号", "region_id": r.pk}),
    ScopedEndpoint("quarantine api request enqueue", make=_person, url=lambda p: "/api/v1/quarantine/requests",
                   method="post", write=True,
                   payload=lambda p: {"person_id": p.pk, "category": "close_contact", "source": f"scope:{p.pk}", **_window()}),
    ScopedEndpoint("quarantine api proposal build", make=_queued_district, url=lambda d: "/api/v1/quarantine/proposals",
                   method="post", write=True, payload=lambda d: {"district_path": d.path}),
    ScopedEndpoint("quarantine api home stay", make=_home_person, url=lambda p: "/api/v1/quarantine/home-stays",
                   method="post", write=True,
                   payload=lambda p: {"person_id": p.pk, "kind": "home_monitoring", "community_worker_id": p.worker.pk, **_window()}),
    ScopedEndpoint("quarantine web site", make=_site, url=lambda s: f"/quarantine/sites/{s.pk}/", api=False),
    ScopedEndpoint("quarantine web stay", make=_stay, url=lambda s: f"/quarantine/stays/{s.pk}/", api=False),
    ScopedEndpoint("quarantine web proposal", make=_proposal, url=lambda p: f"/quarantine/proposals/{p.pk}/", api=False),
]


ROUTES = [
    Route("quarantine.page.rooms.template", "/quarantine/sites/rooms-template/", api=False),  # an empty template
    Route("quarantine.page.tests.template", "/quarantine/tests/template/", api=False),  # an empty template
    *list_routes("quarantine", api=("flows", "forecast", "monitoring/overdue", "occupancy", "proposals", "proposals/lines",
                                    "requests", "reserves", "sites", "stays", "tests/due", "transfers"),
                 web=("", "forecast/", "home/", "proposals/", "queue/", "reserves/", "sites/", "stays/", "tests/", "transfers/")),
    # by source: another district's source cancels nothing, exactly like a source that does not exist
    Route("quarantine.api.requests.cancel", "/api/v1/quarantine/requests/cancel", method="post", kind="create",
          payload=lambda c: {"source": _request_source(c)}, expect={"officer_b": 200}),
    Route("quarantine.web.sweep", "/quarantine/sweep/", method="post", kind="create", api=False),
    # the person's own tokenised report page: public, the token is the credential
    Route("quarantine.web.monitor", _monitor_url, kind="public", api=False),
    Route("quarantine.web.monitor.unknown", "/quarantine/m/no-such-token/", kind="public", api=False,
          expect=dict.fromkeys(CAST, 404)),
]



def _proposal_lines(city):
    """The lines of a fresh proposal for district A (someone queued, an open site with free rooms)."""
    from cordon.core.testing import SYSTEM
    from cordon.quarantine import services

    proposal = services.proposal_build(actor=SYSTEM, district_path=_queued_district(city).path)
    return {"line_ids": list(proposal.lines.values_list("pk", flat=True))}


# Bulk writes naming district A's lines or tests, fresh for each member: district B gets the 400 row error a missing
# line or test gets ("does not exist", "no such scheduled test"); so does the grid worker for lines (a site's line is
# outside its one grid); a read-only viewer may not write (403), nor may the grid worker record results (403).
ROUTES += [
    Route("quarantine.api.proposals.confirm", "/api/v1/quarantine/proposals/confirm", method="post", kind="create",
          payload=_proposal_lines,
          expect={"commander": 201, "officer_a": 201, "viewer_a": 403, "officer_b": 400, "field_a": 400}),
    Route("quarantine.api.tests.results", "/api/v1/quarantine/tests/results", method="post", kind="create",
          payload=lambda c: [{"test_id": _stay(c).tests.first().pk, "result": "negative"}],
          expect={"commander": 201, "officer_a": 201, "viewer_a": 403, "officer_b": 400, "field_a": 403}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []


# Exports (core.exports): the export permission, so the viewer and the grid worker are refused; district B
# exports its own (empty) area.
ROUTES += [
    Route("quarantine.tests.due.export", "/api/v1/quarantine/tests/due/export", expect={"viewer_a": 403, "field_a": 403})]

# Room door codes of a site, printed with their QR codes (scanned on the site page).
ENDPOINTS += [
    ScopedEndpoint("quarantine.web.site.rooms_print", make=_site, url=lambda s: f"/quarantine/sites/{s.pk}/rooms/print/", api=False),
]
