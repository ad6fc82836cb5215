"""The web routes in the access matrix (see cordon.core.testing)."""


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "WEB ",
    "WEB login/",
    "WEB logout/",
]
