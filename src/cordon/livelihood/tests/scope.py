from cordon.core.testing import ScopedEndpoint
from cordon.livelihood import factories
from cordon.people.factories import PersonFactory

ENDPOINTS = [
    ScopedEndpoint("api livelihood need detail", make=lambda c: factories.need(c.a_grid), url=lambda n: f"/api/v1/livelihood/needs/{n.pk}"),
    ScopedEndpoint("web livelihood need page", make=lambda c: factories.need(c.a_grid), url=lambda n: f"/livelihood/needs/{n.pk}/", api=False),
    ScopedEndpoint("api livelihood need create", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: "/api/v1/livelihood/needs",
                   method="post", write=True, payload=lambda p: {"household_id": p.household_id, "kind": "food"}),
    ScopedEndpoint("api livelihood need cancel", make=lambda c: factories.need(c.a_grid), url=lambda n: f"/api/v1/livelihood/needs/{n.pk}/cancel",
                   method="post", write=True, payload=lambda n: {"reason": "duplicate"}),
    ScopedEndpoint("api livelihood emergency detail", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/api/v1/livelihood/emergencies/{e.pk}"),
    ScopedEndpoint("web livelihood emergency page", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/livelihood/emergencies/{e.pk}/", api=False),
    ScopedEndpoint("api livelihood emergency acknowledge", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/api/v1/livelihood/emergencies/{e.pk}/acknowledge", method="post", write=True),
    ScopedEndpoint("api livelihood emergency create", make=lambda c: PersonFactory(grid=c.a_grid),
                   url=lambda p: "/api/v1/livelihood/emergencies", method="post", write=True,
                   payload=lambda p: {"kind": "chest_pain", "person_id": p.pk}),
    ScopedEndpoint("api livelihood enterprise whitelist", make=lambda c: factories.enterprise(c.a_street, whitelisted=False),
                   url=lambda e: f"/api/v1/livelihood/enterprises/{e.pk}/whitelist", method="post", write=True,
                   payload=lambda e: {"on": True}),
    ScopedEndpoint("web livelihood plan page", make=lambda c: factories.plan(c.a_street), url=lambda p: f"/livelihood/plans/{p.pk}/", api=False),
    ScopedEndpoint("api livelihood plan detail", make=lambda c: factories.plan(c.a_street), url=lambda p: f"/api/v1/livelihood/plans/{p.pk}"),
]
