"""The regions routes in the access matrix (see cordon.core.testing)."""


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/regions/",
    "GET api/v1/regions/map",
    "WEB regions/",
]
