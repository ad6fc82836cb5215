import datetime as dt
from types import SimpleNamespace

from cordon.checkpoints.factories import CheckpointFactory, PassFactory
from cordon.core import clock
from cordon.core.testing import CAST, Route, ScopedEndpoint, list_routes


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
    *list_routes("checkpoints", api=("", "inspections", "passes"),
                 web=("", "inspections/", "passes/", "passes/print/")),
    Route("checkpoints.api.public.keys", "/api/v1/checkpoints/keys", kind="public"),
    Route("checkpoints.web.public.code", "/checkpoints/code/", kind="public", api=False),
    Route("checkpoints.web.public.sw", "/checkpoints/sw.js", kind="public", api=False),
]


def _token(c):
    """A real resident's person token (the link is the secret: anyone holding it, signed in or not, gets the code)."""
    if not isinstance(c, SimpleNamespace):  # the matrix also asks for the URL's shape only (no database)
        return "token"
    from cordon.people.factories import PersonFactory

    return PersonFactory(grid=c.a_grid).token


ENDPOINTS += [
    ScopedEndpoint("checkpoints.api.inspections.bulk", make=lambda c: CheckpointFactory(region=c.a_street),
                   url=lambda o: f"/api/v1/checkpoints/{o.pk}/inspections/bulk", method="post", write=True,
                   payload=lambda o: {"items": [{"subject": "vehicle", "plate": "沪A1", "result": "redirect",
                                                 "client_ref": f"q-{o.pk}-1", "offline": True}]}),
]

# Registering a checkpoint or issuing a green-lane pass names a region of district A: district B gets what an unknown
# region gets (404), and so does the grid worker (the street and the district are outside their grid); a viewer may not
# write (403).
ROUTES += [
    Route("checkpoints.api.create", "/api/v1/checkpoints/", method="post", kind="create",
          payload=lambda c: {"name": "甲一路口", "kind": "road", "region_path": c.a_street.path},
          expect={"commander": 201, "officer_a": 201, "officer_b": 404, "field_a": 404}),
    Route("checkpoints.api.pass.issue", "/api/v1/checkpoints/passes", method="post", kind="create",
          payload=lambda c: {"plate": "沪A 12345", "enterprise": "保供企业", "region_path": c.a.path,
                             "valid_from": clock.now().isoformat(), "valid_until": (clock.now() + dt.timedelta(days=2)).isoformat()},
          expect={"commander": 201, "officer_a": 201, "officer_b": 404, "field_a": 404}),
    Route("checkpoints.api.credential", lambda c: f"/api/v1/checkpoints/credential/{_token(c)}", kind="public"),
    Route("checkpoints.web.code", lambda c: f"/checkpoints/code/{_token(c)}/", kind="public", api=False),
    Route("checkpoints.api.credential.unknown", "/api/v1/checkpoints/credential/no-such-token", kind="public",
          expect=dict.fromkeys(CAST, 404)),
    Route("checkpoints.web.code.unknown", "/checkpoints/code/no-such-token/", kind="public", api=False,
          expect=dict.fromkeys(CAST, 404)),
]



def _refused_exit(c):
    """A refused outward passage at a checkpoint of district A (an officer's hold), to be overridden."""
    from cordon.checkpoints.models import Inspection

    cp = CheckpointFactory(region=c.a_street)
    return Inspection.objects.create(checkpoint=cp, region_path=cp.region_path, at=clock.now(), direction="out",
                                     result="hold", reason="no_exit")


# Overriding a refusal is the street/district officers' and the commander's (checkpoints.override); a viewer gets 403.
ENDPOINTS += [
    ScopedEndpoint("checkpoints.api.inspection.override", make=_refused_exit,
                   url=lambda o: f"/api/v1/checkpoints/inspections/{o.pk}/override", method="post", write=True,
                   payload=lambda o: {"reason": "分娩 / childbirth, ambulance 120"}),
]
ROUTES += list_routes("checkpoints", api=("overrides",))

# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
