"""Each server error the fuzzing found, now refused at the schema with a 422 in the one error shape (and the
bound is declared in the OpenAPI document, so clients and generators know it)."""

import pytest

from tests.api.test_error_shape import assert_shape

pytestmark = pytest.mark.django_db

HUGE = 6448673851708749643776  # beyond 64 bits: SQLite's OverflowError, PostgreSQL's bigint out of range


@pytest.mark.parametrize("method, path, body", [
    # page numbers that overflowed the offset ("datatype mismatch")
    ("get", "/api/v1/screening/rounds?page=18854959906981552128", None),
    ("get", "/api/v1/cases/?page=0", None),
    # ids beyond 64 bits in the path, the query and the body
    ("get", f"/api/v1/quarantine/sites/{HUGE}", None),
    ("get", f"/api/v1/livelihood/needs?team=-{HUGE}", None),
    ("post", "/api/v1/quarantine/proposals/confirm", {"line_ids": [127644, HUGE]}),
    # an empty bulk body (IndexError in the import)
    ("post", "/api/v1/quarantine/tests/results", []),
    # dates whose arithmetic overflows, day counts beyond any look-back
    ("get", "/api/v1/command/accountability?start=0001-01-01&end=0001-01-01", None),
    ("get", "/api/v1/cases/clusters?days=100000000000", None),
    ("get", "/api/v1/quarantine/flows?days=0", None),
])
def test_out_of_range_input_is_a_422_not_a_500(city, cast, api_client, method, path, body):
    client = api_client(cast.commander)
    if body is None:
        r = getattr(client, method)(path)
    else:
        r = getattr(client, method)(path, data=body, content_type="application/json")
    err = assert_shape(r, 422, "validation_error")
    assert err["fields"]


def test_the_bounds_are_declared_in_the_schema():
    from cordon.api.root import api

    doc = api.get_openapi_schema()
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/screening/rounds"]["get"]["parameters"]}
    assert params["page"]["minimum"] == 1 and params["page"]["maximum"] == 1_000_000
    assert params["page_size"]["maximum"] == 500
    site = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/quarantine/sites/{pk}"]["get"]["parameters"]}
    assert site["pk"]["minimum"] == 1 and site["pk"]["maximum"] == 2**63 - 1
