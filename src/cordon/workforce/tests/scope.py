import datetime as dt

from cordon.core import clock
from cordon.core.testing import ScopedEndpoint
from cordon.workforce import services


def _mission(c):
    start = clock.now() + dt.timedelta(hours=1)
    return services.mission_create(actor=None, kind="site", name="采样点", region_id=c.a_street.pk, starts_at=start,
                                   ends_at=start + dt.timedelta(hours=8), needs={"sampler": 2})


def _worker(c):
    return services.worker_create(actor=None, name="王伟", home_district_id=c.a.pk, skills=["sampler"])


def _both(c):
    return _mission(c), _worker(c)


ENDPOINTS = [
    ScopedEndpoint("api workforce mission detail", make=_mission, url=lambda m: f"/api/v1/workforce/missions/{m.pk}"),
    ScopedEndpoint("web workforce mission page", make=_mission, url=lambda m: f"/workforce/missions/{m.pk}/", api=False),
    ScopedEndpoint("api workforce deploy", make=_both, url=lambda mw: f"/api/v1/workforce/missions/{mw[0].pk}/deployments",
                   method="post", write=True, payload=lambda mw: {"worker_id": mw[1].pk, "skill": "sampler"}),
    ScopedEndpoint("api workforce availability", make=_worker, url=lambda w: f"/api/v1/workforce/workers/{w.pk}/availability",
                   method="post", write=True, payload=lambda w: {"available": False}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/workforce/missions",
    "GET api/v1/workforce/reserve",
    "GET api/v1/workforce/workers",
    "POST api/v1/workforce/deployments/<>/cancel",
    "POST api/v1/workforce/missions",
    "POST api/v1/workforce/missions/<>/fill",
    "POST api/v1/workforce/workers",
    "WEB workforce/",
    "WEB workforce/workers/",
]
