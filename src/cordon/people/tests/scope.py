from cordon.core.testing import ScopedEndpoint
from cordon.people.factories import PersonFactory

ENDPOINTS = [
    ScopedEndpoint("api person detail", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: f"/api/v1/people/{p.pk}"),
    ScopedEndpoint("web person page", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: f"/people/{p.pk}/", api=False),
    ScopedEndpoint("admin person change", make=lambda c: PersonFactory(grid=c.a_grid),
                   url=lambda p: f"/admin/people/person/{p.pk}/change/", api=False, extra={"admin": True}),
]
