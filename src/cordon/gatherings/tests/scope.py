from cordon.core.testing import ScopedEndpoint
from cordon.gatherings.factories import GatheringFactory

ENDPOINTS = [
    ScopedEndpoint("api gathering detail", make=lambda c: GatheringFactory(region=c.a_community), url=lambda o: f"/api/v1/gatherings/{o.pk}"),
    ScopedEndpoint("api gathering suspend", make=lambda c: GatheringFactory(region=c.a_community),
                   url=lambda o: f"/api/v1/gatherings/{o.pk}/suspend", method="post", write=True, payload=lambda o: {"reason": "风险"}),
    ScopedEndpoint("web gathering detail", make=lambda c: GatheringFactory(region=c.a_community), url=lambda o: f"/gatherings/{o.pk}/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/gatherings/",
    "POST api/v1/gatherings/",
    "POST api/v1/gatherings/recheck",
    "WEB gatherings/",
]
