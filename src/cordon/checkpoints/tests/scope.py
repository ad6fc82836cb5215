import datetime as dt

from cordon.checkpoints.factories import CheckpointFactory, PassFactory
from cordon.core import clock
from cordon.core.testing import ScopedEndpoint


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
    ScopedEndpoint("web checkpoint detail", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/checkpoints/{o.pk}/", api=False),
    ScopedEndpoint("web checkpoint scan page", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/checkpoints/{o.pk}/scan/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/checkpoints/",
    "GET api/v1/checkpoints/<>/shifts",
    "GET api/v1/checkpoints/credential/<>",
    "GET api/v1/checkpoints/inspections",
    "GET api/v1/checkpoints/keys",
    "GET api/v1/checkpoints/passes",
    "POST api/v1/checkpoints/",
    "POST api/v1/checkpoints/<>/inspections/bulk",
    "POST api/v1/checkpoints/<>/verify",
    "POST api/v1/checkpoints/passes",
    "WEB checkpoints/",
    "WEB checkpoints/code/",
    "WEB checkpoints/code/<>/",
    "WEB checkpoints/inspections/",
    "WEB checkpoints/passes/",
    "WEB checkpoints/sw.js",
]
