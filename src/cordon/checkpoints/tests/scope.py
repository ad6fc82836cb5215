import datetime as dt

from cordon.checkpoints.factories import CheckpointFactory, PassFactory
from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint


def _shift(cp):
    start = clock.now().replace(microsecond=0)
    return {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=8)).isoformat(), "leader": "王", "staff": ["李"]}


ENDPOINTS = [
    ScopedEndpoint("api checkpoint detail", make=lambda c: CheckpointFactory(region=c.a_street), url=lambda o: f"/api/v1/checkpoints/{o.pk}"),
    ScopedEndpoint("api checkpoint verifier", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/api/v1/checkpoints/{o.pk}/verifier"),
    ScopedEndpoint("api checkpoint shift add", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/api/v1/checkpoints/{o.pk}/shifts", method="post", write=True, payload=_shift),
    ScopedEndpoint("api checkpoint inspection", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/api/v1/checkpoints/{o.pk}/inspections", method="post", write=True,
                   payload=lambda o: {"subject": "vehicle", "plate": "沪A1", "result": "redirect"}),
    ScopedEndpoint("api pass revoke", make=lambda c: PassFactory(region_path=c.a.path),
                   url=lambda o: f"/api/v1/checkpoints/passes/{o.pk}/revoke", method="post", write=True),
    ScopedEndpoint("checkpoints.api.shifts", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/api/v1/checkpoints/{o.pk}/shifts"),
    # an online check writes nothing: a read
    ScopedEndpoint("checkpoints.api.verify", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/api/v1/checkpoints/{o.pk}/verify", method="post", payload=lambda o: {"code": "not-a-code"}),
    ScopedEndpoint("web checkpoint detail", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/checkpoints/{o.pk}/", api=False),
    ScopedEndpoint("web checkpoint scan page", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/checkpoints/{o.pk}/scan/", api=False),
]


ROUTES = [
    Route("checkpoints.api.list.index", "/api/v1/checkpoints/"),
    Route("checkpoints.api.list.inspections", "/api/v1/checkpoints/inspections"),
    Route("checkpoints.api.public.keys", "/api/v1/checkpoints/keys", kind="public"),
    Route("checkpoints.api.list.passes", "/api/v1/checkpoints/passes"),
    Route("checkpoints.web.list.index", "/checkpoints/", api=False),
    Route("checkpoints.web.list.inspections", "/checkpoints/inspections/", api=False),
    Route("checkpoints.web.list.passes", "/checkpoints/passes/", api=False),
    Route("checkpoints.web.public.code", "/checkpoints/code/", kind="public", api=False),
    Route("checkpoints.web.public.sw", "/checkpoints/sw.js", kind="public", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/checkpoints/credential/<>",
    "POST api/v1/checkpoints/",
    "POST api/v1/checkpoints/<>/inspections/bulk",
    "POST api/v1/checkpoints/passes",
    "WEB checkpoints/code/<>/",
]
