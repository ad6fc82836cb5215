"""The sim routes in the access matrix (see cordon.core.testing).

Simulation runs are city-wide analytics (synthetic people, no region): every role holding `sim.view`
reads every run, so a run's page is a Route (the same answer for both districts), not a ScopedEndpoint."""

from types import SimpleNamespace

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


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "WEB sim/runs/<>/charts/<>",  # needs a PNG under settings.VAR_DIR/sim/; the matrix has no temporary VAR_DIR
]
