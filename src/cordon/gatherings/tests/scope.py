import datetime as dt

from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint
from cordon.gatherings.factories import GatheringFactory

ENDPOINTS = [
    ScopedEndpoint("api gathering detail", make=lambda c: GatheringFactory(region=c.a_community), url=lambda o: f"/api/v1/gatherings/{o.pk}"),
    ScopedEndpoint("api gathering suspend", make=lambda c: GatheringFactory(region=c.a_community),
                   url=lambda o: f"/api/v1/gatherings/{o.pk}/suspend", method="post", write=True, payload=lambda o: {"reason": "风险"}),
    ScopedEndpoint("web gathering detail", make=lambda c: GatheringFactory(region=c.a_community), url=lambda o: f"/gatherings/{o.pk}/", api=False),
]


def _gathering_in(c) -> dict:
    start = clock.now() + dt.timedelta(days=3)
    return {"title": "社区义诊", "organizer": "某协会", "organizer_phone": "13800000000", "expected_attendance": 20,
            "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=2)).isoformat(), "region_path": c.a_community.path}


ROUTES = [
    Route("gatherings.list", "/api/v1/gatherings/"),
    # officer B names a region of district A: the answer an unknown region gets
    Route("gatherings.register", "/api/v1/gatherings/", method="post", kind="create", payload=_gathering_in, expect={"officer_b": 400}),
    Route("gatherings.recheck", "/api/v1/gatherings/recheck", method="post", kind="create"),
    Route("gatherings.page", "/gatherings/", api=False),
]
