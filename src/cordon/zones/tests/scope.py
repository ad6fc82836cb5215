from cordon.core.testing import SYSTEM, Route, ScopedEndpoint


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
    Route("zones.api.list.index", "/api/v1/zones/"),
    Route("zones.api.list.map", "/api/v1/zones/map"),
    Route("zones.web.list.index", "/zones/", api=False),
    Route("zones.web.list.candidates", "/zones/candidates/", api=False),
    Route("zones.api.public", "/api/v1/zones/public", kind="public"),
    Route("zones.web.public", "/zones/public/", kind="public", api=False),
    Route("zones.web.form.new", "/zones/new/", api=False, expect={"viewer_a": 403, "field_a": 403}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "POST api/v1/zones/<>/lift",
    "WEB zones/<>/act/<>/",
    "WEB zones/<>/workers/",
]


# Exports (core.exports): the export permission, so the viewer and the grid worker are refused; district B
# exports its own (empty) area.
ROUTES += [
    Route("zones.export", "/api/v1/zones/export", expect={"viewer_a": 403, "field_a": 403})]
