from cordon.core.testing import ScopedEndpoint
from cordon.people.factories import PersonFactory

ENDPOINTS = [
    ScopedEndpoint("api person detail", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: f"/api/v1/people/{p.pk}"),
    ScopedEndpoint("web person page", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: f"/people/{p.pk}/", api=False),
    ScopedEndpoint("admin person change", make=lambda c: PersonFactory(grid=c.a_grid),
                   url=lambda p: f"/admin/people/person/{p.pk}/change/", api=False, extra={"admin": True}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/people/",
    "GET api/v1/people/export",
    "POST api/v1/people/import",
    "WEB people/",
    "WEB people/import/",
]
