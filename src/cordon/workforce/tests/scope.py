import datetime as dt

from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint
from cordon.workforce.models import Deployment, Mission, Worker


def _mission(c):
    start = clock.now() + dt.timedelta(hours=1)
    return Mission.objects.create(kind="site", name="采样点", region=c.a_street, region_path=c.a_street.path, starts_at=start,
                                  ends_at=start + dt.timedelta(hours=8), needs={"sampler": 2})


def _worker(c):
    return Worker.objects.create(name="王伟", home_district=c.a, region_path=c.a.path, skills=["sampler"])


def _both(c):
    return _mission(c), _worker(c)


def _fillable(c):
    """A mission short of samplers, and a free sampler of district A to fill it with."""
    _worker(c)
    return _mission(c)


def _deployment(c):
    m, w = _both(c)
    return Deployment.objects.create(worker=w, mission=m, skill="sampler", starts_at=m.starts_at, ends_at=m.ends_at,
                                     region_path=m.region_path)


def _mission_in(c) -> dict:
    start = clock.now() + dt.timedelta(days=1)
    return {"kind": "site", "name": "采样点", "region_id": c.a_grid.pk, "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=8)).isoformat(), "needs": {"sampler": 1}}


# officer B names a region of district A: 404, as for a region that does not exist
_WRITE_A = {"officer_b": 404}

ENDPOINTS = [
    ScopedEndpoint("api workforce mission detail", make=_mission, url=lambda m: f"/api/v1/workforce/missions/{m.pk}"),
    ScopedEndpoint("web workforce mission page", make=_mission, url=lambda m: f"/workforce/missions/{m.pk}/", api=False),
    ScopedEndpoint("api workforce deploy", make=_both, url=lambda mw: f"/api/v1/workforce/missions/{mw[0].pk}/deployments",
                   method="post", write=True, payload=lambda mw: {"worker_id": mw[1].pk, "skill": "sampler"}),
    ScopedEndpoint("api workforce availability", make=_worker, url=lambda w: f"/api/v1/workforce/workers/{w.pk}/availability",
                   method="post", write=True, payload=lambda w: {"available": False}),
    ScopedEndpoint("workforce.fill", make=_fillable, url=lambda m: f"/api/v1/workforce/missions/{m.pk}/fill", method="post", write=True),
    ScopedEndpoint("workforce.deployment.cancel", make=_deployment, url=lambda d: f"/api/v1/workforce/deployments/{d.pk}/cancel",
                   method="post", write=True),
]

ROUTES = [
    Route("workforce.missions", "/api/v1/workforce/missions"),
    Route("workforce.reserve", "/api/v1/workforce/reserve"),
    Route("workforce.workers", "/api/v1/workforce/workers"),
    Route("workforce.missions.create", "/api/v1/workforce/missions", method="post", kind="create", payload=_mission_in, expect=_WRITE_A),
    Route("workforce.workers.create", "/api/v1/workforce/workers", method="post", kind="create", expect=_WRITE_A,
          payload=lambda c: {"name": "李娜", "home_district_id": c.a.pk, "skills": ["sampler"]}),
    Route("workforce.page", "/workforce/", api=False),
    Route("workforce.page.workers", "/workforce/workers/", api=False),
]
