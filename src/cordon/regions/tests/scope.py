"""The regions routes in the access matrix (see cordon.core.testing)."""

from cordon.core.testing import Route

ROUTES = [
    Route("regions.api.list", "/api/v1/regions/"),
    Route("regions.api.map", "/api/v1/regions/map", kind="public"),  # public geography, nothing personal
    Route("regions.web.list", "/regions/", api=False),
    Route("regions.web.import.template", "/regions/import/template/", api=False),  # an empty template, no data
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
