"""The web routes in the access matrix (see cordon.core.testing)."""

from cordon.core.testing import CAST, Route

ROUTES = [
    Route("web.home", "/", api=False),
    # the login page is open to everyone; signing out is a POST that answers with a redirect to everyone
    Route("web.login", "/login/", kind="public", api=False),
    Route("web.logout", "/logout/", method="post", kind="public", api=False, expect=dict.fromkeys(CAST, 302)),
    # the search widget's suggestions: each signed-in user gets matches inside their own area (maybe none)
    Route("web.suggest", "/suggest/region/?q=a&format=json", api=False),
    # the same suggestions as an API operation (cordon.api.suggest), scoped the same way
    Route("api.suggest", "/api/v1/suggest/region?q=a"),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
