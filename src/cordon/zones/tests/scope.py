from django.test.client import MULTIPART_CONTENT

from cordon.core.testing import SYSTEM, Route, ScopedEndpoint, list_routes


def _zone(c, status="designated"):
    from cordon.zones import services
    from cordon.zones.tests.conftest import adopt, estate

    adopt("protocol-8")
    homes = estate(c.a_grid, compound=f"小区{id(object())}", buildings=1, units=1, per_unit=1)
    zone = services.zone_designate(actor=SYSTEM, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    if status == "in_force":
        services.zone_confirm(actor=SYSTEM, zone=zone)
    zone.homes = homes
    return zone


def _building(c):
    from cordon.zones.tests.conftest import adopt, estate

    adopt("protocol-8")
    return estate(c.a_grid, compound=f"小区{id(object())}", buildings=1, units=1, per_unit=1).buildings[0]


ENDPOINTS = [
    ScopedEndpoint("zones.get", make=_zone, url=lambda z: f"/api/v1/zones/{z.pk}"),
    ScopedEndpoint("zones.households", make=_zone, url=lambda z: f"/api/v1/zones/{z.pk}/households"),
    ScopedEndpoint("zones.designate", make=_building, url=lambda b: "/api/v1/zones/", method="post", write=True,
                   payload=lambda b: {"kind": "sealed", "picks": [{"type": "building", "id": b.pk}]}),
    ScopedEndpoint("zones.confirm", make=_zone, url=lambda z: f"/api/v1/zones/{z.pk}/confirm", method="post", write=True,
                   payload=lambda z: {"note": "ok"}),
    ScopedEndpoint("zones.cancel", make=_zone, url=lambda z: f"/api/v1/zones/{z.pk}/cancel", method="post", write=True,
                   payload=lambda z: {}),
    ScopedEndpoint("zones.evaluate", make=lambda c: _zone(c, "in_force"), url=lambda z: f"/api/v1/zones/{z.pk}/evaluate",
                   method="post", write=True, payload=lambda z: {}),
    ScopedEndpoint("zones.workers", make=_zone, url=lambda z: f"/api/v1/zones/{z.pk}/workers", method="post", write=True,
                   payload=lambda z: {"household_ids": [z.homes.households[0].pk], "worker_name": "王", "worker_phone": "13900000000"}),
    ScopedEndpoint("zones.page", make=_zone, url=lambda z: f"/zones/{z.pk}/", api=False),
    ScopedEndpoint("zones.page.households", make=_zone, url=lambda z: f"/zones/{z.pk}/households/", api=False),
]


ROUTES = [
    *list_routes("zones", api=("", "map"), web=("", "candidates/")),
    Route("zones.api.public", "/api/v1/zones/public", kind="public"),
    Route("zones.web.public", "/zones/public/", kind="public", api=False),
    Route("zones.web.form.new", "/zones/new/", api=False, expect={"viewer_a": 403, "field_a": 403}),
]


def _eligible(c):
    """A zone in force for 15 days whose residents all tested negative today: every lifting criterion holds."""
    import datetime as dt

    from cordon.core import clock
    from cordon.status import services as status_services
    from cordon.zones import services
    from cordon.zones.models import Zone

    zone = _zone(c, "in_force")
    then = clock.now() - dt.timedelta(days=15)
    Zone.objects.filter(pk=zone.pk).update(in_force_at=then, clock_start=then, status="countdown")
    for p in zone.homes.people:
        status_services.sample_recorded(actor=SYSTEM, person_id=p.pk, sampled_at=clock.now() - dt.timedelta(hours=5), negative=True)
    zone.refresh_from_db()
    services.zone_evaluate(actor=SYSTEM, zone=zone)
    return zone


_FORM = "application/x-www-form-urlencoded"

ENDPOINTS += [
    ScopedEndpoint("zones.api.lift", make=_eligible, url=lambda z: f"/api/v1/zones/{z.pk}/lift", method="post", write=True,
                   payload=lambda z: {"note": "ok"}),
    ScopedEndpoint("zones.web.act", make=_zone, url=lambda z: f"/zones/{z.pk}/act/confirm/", method="post", write=True, api=False,
                   payload=lambda z: "note=ok", ok_status=(302,), content_type=_FORM),
    ScopedEndpoint("zones.web.workers", make=_zone, url=lambda z: f"/zones/{z.pk}/workers/", method="post", write=True, api=False,
                   payload=lambda z: f"household={z.homes.households[0].pk}&worker_name=%E7%8E%8B&worker_phone=13900000000",
                   ok_status=(302,), content_type=_FORM),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []


# Exports (core.exports): the export permission, so the viewer and the grid worker are refused; district B
# exports its own (empty) area.
ROUTES += [
    Route("zones.export", "/api/v1/zones/export", expect={"viewer_a": 403, "field_a": 403})]


# The national risk-area list: everyone signed in with zones.view reads it; only the city command imports a snapshot.
_COMMAND_ONLY = {"officer_a": 403, "viewer_a": 403, "officer_b": 403, "field_a": 403}


def _snapshot(c):
    import pathlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    path = pathlib.Path(__file__).parents[1] / "data" / "national" / "2022120308-b30036df-trimmed.json"
    return {"file": SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/json")}


ROUTES += [
    Route("zones.api.national", "/api/v1/zones/national"),
    Route("zones.api.national.areas", "/api/v1/zones/national/areas"),
    Route("zones.api.national.import", "/api/v1/zones/national", method="post", kind="create", content_type=MULTIPART_CONTENT,
          payload=_snapshot, expect={"commander": 200, **_COMMAND_ONLY}),
    Route("zones.web.national", "/zones/national/", api=False),
    Route("zones.web.national.import", "/zones/national/", method="post", kind="create", api=False, content_type=MULTIPART_CONTENT,
          payload=_snapshot, expect={"commander": 302, **_COMMAND_ONLY}),
]
