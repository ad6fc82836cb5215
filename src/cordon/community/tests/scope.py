from cordon.core.testing import Route, ScopedEndpoint


def _homes(c):
    from cordon.zones.tests.conftest import estate

    return estate(c.a_grid, compound=f"小区{id(object())}", buildings=1, units=1, per_unit=1)


ENDPOINTS = [
    ScopedEndpoint("community.doorchecks", make=_homes, url=lambda h: "/api/v1/community/doorchecks", method="post", write=True,
                   payload=lambda h: {"items": [{"household_id": h.households[0].pk, "symptoms": False}]}),
    ScopedEndpoint("community.grid", make=lambda c: c.a_grid, url=lambda g: f"/api/v1/community/grids/{g.pk}"),
    ScopedEndpoint("community.grid.page", make=lambda c: c.a_grid, url=lambda g: f"/community/grids/{g.pk}/", api=False),
    ScopedEndpoint("community.pass", make=_homes, url=lambda h: "/api/v1/community/passes", method="post", write=True,
                   payload=lambda h: {"community_id": h.buildings[0].community_id, "compound": h.buildings[0].compound,
                                      "holder_name": "王快递", "holder_phone": "13900000000", "role": "delivery"}),
]


ROUTES = [
    Route("community.api.list.doorchecks", "/api/v1/community/doorchecks"),
    Route("community.api.list.passes", "/api/v1/community/passes"),
    Route("community.api.list.progress", "/api/v1/community/progress"),
    Route("community.web.list.index", "/community/", api=False),
    Route("community.web.list.checks", "/community/checks/", api=False),
    Route("community.web.list.entrance", "/community/entrance/", api=False),
    Route("community.web.list.villages", "/community/villages/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "POST api/v1/community/passages",
    "POST api/v1/community/returnees",
    "WEB community/grids/<>/check/",
]
