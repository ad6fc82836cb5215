"""The regions routes in the access matrix (see cordon.core.testing)."""

import io

from django.test.client import MULTIPART_CONTENT

from cordon.core.testing import Route


def _codes(c) -> dict:
    """One new street under district A (only the city's commander may load codes; again it changes nothing)."""
    f = io.BytesIO(f"code,name,areaCode\n{c.a.code}777,新建街道,{c.a.code}\n".encode())
    f.name = "streets.csv"
    return {"files": f}


ROUTES = [
    Route("regions.api.list", "/api/v1/regions/"),
    Route("regions.api.map", "/api/v1/regions/map", kind="public"),  # public geography, nothing personal
    Route("regions.web.list", "/regions/", api=False),
    Route("regions.web.import.template", "/regions/import/template/", api=False),  # an empty template, no data
    # the page of the city's commander (regions.change on the whole city)
    Route("regions.web.import", "/regions/import/", kind="create", api=False, expect={"officer_a": 403, "officer_b": 403}),
    Route("regions.api.import", "/api/v1/regions/import", method="post", kind="create", payload=_codes,
          content_type=MULTIPART_CONTENT, expect={"officer_a": 403, "officer_b": 403}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
