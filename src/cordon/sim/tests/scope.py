"""The sim routes in the access matrix (see cordon.core.testing).

Simulation runs are city-wide analytics (synthetic people, no region): every role holding `sim.view`
reads every run, so a run's page is a Route (the same answer for both districts), not a ScopedEndpoint."""

from types import SimpleNamespace

from django.test.client import MULTIPART_CONTENT

from cordon.core.testing import Route


def _run(c):
    from cordon.core import clock
    from cordon.sim.models import SimRun

    return SimRun.objects.create(run_id=f"run-matrix-{c.city.pk}", kind="run", label="matrix", created_at=clock.now(),
                                 people=10, days=1, kpis={"people": 10, "days": 1},
                                 series={"date": ["2026-01-01"], "infections": [1], "confirmed": [0], "occupancy": [0]})


def _run_url(c):
    # the matrix also asks for the URL's shape only (no database): then `c` is a stand-in, not the test city
    run_id = _run(c).run_id if isinstance(c, SimpleNamespace) else "run-shape"
    return f"/sim/runs/{run_id}/"


ROUTES = [
    Route("sim.web.index", "/sim/", api=False),
    Route("sim.web.run", _run_url, api=False),
]



class _Folder:
    def __init__(self, path):
        self.path = path


def _chart_url(c):
    """A run's chart, its PNG written under a temporary VAR_DIR that lives as long as the test city.

    The view reads settings.VAR_DIR/sim/<run_id>/<name>: VAR_DIR is overridden for this test only and the override
    ends, and the folder goes, when the test city (which holds it) is released at the end of the test."""
    if not isinstance(c, SimpleNamespace):  # only the URL's shape is asked for
        return "/sim/runs/run-shape/charts/epidemic.png"
    import shutil
    import tempfile
    import weakref
    from pathlib import Path

    from django.test import override_settings

    from cordon.sim.models import SimRun

    var = Path(tempfile.mkdtemp(prefix="cordon-sim-matrix-"))
    override = override_settings(VAR_DIR=var)
    override.enable()
    c.sim_chart_folder = _Folder(var)  # the test city holds it; released with the city at the end of the test
    weakref.finalize(c.sim_chart_folder, lambda: (override.disable(), shutil.rmtree(var, ignore_errors=True)))
    run = _run(c)
    SimRun.objects.filter(pk=run.pk).update(charts=["epidemic.png"])
    folder = var / "sim" / run.run_id
    folder.mkdir(parents=True)
    (folder / "epidemic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return f"/sim/runs/{run.run_id}/charts/epidemic.png"


# city-wide analytics like the run page: every role holding sim.view sees the chart
ROUTES += [Route("sim.web.run.chart", _chart_url, api=False)]


# Drills: only the HQ (sim.drill: the city commander) starts, follows and cancels them; everyone else is refused.
_HQ_ONLY = {"officer_a": 403, "viewer_a": 403, "officer_b": 403, "field_a": 403}


def _hq(ok, *, api: bool):
    return {**_HQ_ONLY, "commander": ok, "anonymous": 401 if api else 302}


def _drill(c) -> str:
    if not isinstance(c, SimpleNamespace):
        return "drill-shape"
    from cordon.core import clock
    from cordon.sim.models import Drill

    return Drill.objects.create(run_id=f"drill-matrix-{c.city.pk}", scenario="imported", people=300, days=2,
                                created_at=clock.now()).run_id


def _drill_in(c) -> dict:
    return {"scenario": "imported", "people": 300, "days": 2, "seed": 1, "response": True}


ROUTES += [
    Route("sim.web.drills", "/sim/drills/", api=False, expect=_hq(200, api=False)),
    Route("sim.web.drills.start", "/sim/drills/", method="post", api=False, payload=_drill_in,
          content_type=MULTIPART_CONTENT, expect=_hq(302, api=False)),
    Route("sim.web.drill", lambda c: f"/sim/drills/{_drill(c)}/", api=False, expect=_hq(200, api=False)),
    Route("sim.web.drill.progress", lambda c: f"/sim/drills/{_drill(c)}/progress/", api=False, expect=_hq(200, api=False)),
    Route("sim.web.drill.cancel", lambda c: f"/sim/drills/{_drill(c)}/cancel/", method="post", api=False,
          expect=_hq(302, api=False)),
    Route("sim.api.scenarios", "/api/v1/sim/scenarios", expect=_hq(200, api=True)),
    Route("sim.api.drills", "/api/v1/sim/runs", expect=_hq(200, api=True)),
    Route("sim.api.measured", "/api/v1/sim/measured", expect=_hq(200, api=True)),
    Route("sim.api.drills.start", "/api/v1/sim/runs", method="post", payload=_drill_in, expect=_hq(201, api=True)),
    Route("sim.api.drill", lambda c: f"/api/v1/sim/runs/{_drill(c)}", expect=_hq(200, api=True)),
    Route("sim.api.drill.cancel", lambda c: f"/api/v1/sim/runs/{_drill(c)}/cancel", method="post", expect=_hq(200, api=True)),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
