"""Property-based tests of every API operation (schemathesis over the live OpenAPI schema), as each member of
the test cast (commander, district A officer and viewer, district B officer, grid worker, anonymous): no answer
is a 5xx, every 4xx is the one error shape, and every answer conforms to the operation's schema (a declared
status, a JSON content type, a body that fits).

Fast by design (it runs in the normal suite): a fixed seed, a few examples per operation, no shrinking, no
example database. Each request runs in a savepoint that is rolled back, so a generated write neither leaks into
the next example nor poisons the test transaction. CORDON_FUZZ_EXAMPLES raises the budget for a full run.
"""

import json
import logging
import os
import time
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cordon.core.testing import CAST

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CORDON_FUZZ_EXAMPLES", "4"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck), print_blob=False)


def load_schema():
    from cordon.api.root import api

    return schemathesis.openapi.from_dict(api.get_openapi_schema())


def send(client: Client, case, token: str):
    """The generated case as a Django test-client request (requests prepares the URL, headers and body)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver/")
    kwargs.pop("cookies", None)
    kwargs.pop("auth", None)
    kwargs.pop("timeout", None)
    headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() not in ("authorization", "content-length", "user-agent")}
    kwargs["headers"] = headers
    prepared = requests.Request(**kwargs).prepare()
    url = urlsplit(prepared.url)
    path = url.path + (f"?{url.query}" if url.query else "")
    body = prepared.body or b""
    content_type = prepared.headers.get("Content-Type", "application/octet-stream")
    extra = {k: v for k, v in prepared.headers.items() if k.lower() not in ("content-type", "content-length")}
    if token:
        extra["Authorization"] = f"Bearer {token}"
    return prepared, client.generic(case.method.upper(), path, data=body, content_type=content_type, headers=extra)


CONFORMANCE = (status_code_conformance, content_type_conformance, response_schema_conformance)


def conformance_problem(case, prepared, r) -> str | None:
    """The answer checked against the operation's own schema: a declared status, JSON, and a body that fits."""
    headers = {k.lower(): [v] for k, v in r.headers.items()}
    response = Response(status_code=r.status_code, headers=headers, content=r.content, request=prepared, elapsed=0.0, verify=True)
    try:
        case.validate_response(response, checks=CONFORMANCE)
    except FailureGroup as group:  # one failure per check that did not hold
        return " | ".join(f"{getattr(f, 'title', type(f).__name__)}: {' '.join(str(getattr(f, 'message', f)).split())}"
                          for f in group.exceptions)[:300]
    return None


def shape_problem(response) -> str | None:
    try:
        body = json.loads(response.content)
    except ValueError:
        return "not JSON"
    err = body.get("error") if isinstance(body, dict) else None
    if not (isinstance(err, dict) and isinstance(err.get("code"), str) and isinstance(err.get("message"), str)
            and isinstance(err.get("fields"), list)):
        return f"not the error shape: {response.content[:120]!r}"
    return None


class LastError(logging.Handler):
    """Keeps the last exception the API logged, so a 500 is reported with its cause."""

    last = ""

    def emit(self, record):
        if record.exc_info:
            self.last = f"{record.exc_info[0].__name__}: {record.exc_info[1]}"[:200]


def fuzz(user, operations=None):
    """Runs every operation (or those whose path contains one of `operations`); returns (ops, requests, failures)."""
    from cordon.accounts.services import token_issue

    token = token_issue(actor=user, user=user) if user.is_authenticated else None
    client = Client(raise_request_exception=False)
    schema = load_schema()
    counts = {"ops": 0, "requests": 0}
    failures: dict[str, set[str]] = {}
    last = LastError()
    logging.getLogger("cordon.api").addHandler(last)

    for result in schema.get_all_operations():
        op = result.ok()
        if operations and not any(o in op.path for o in operations):
            continue
        counts["ops"] += 1

        @FUZZ
        @given(case=op.as_strategy())
        def run(case):
            label = f"{case.method.upper()} {case.operation.path}"
            with transaction.atomic():
                prepared, r = send(client, case, token)
                transaction.set_rollback(True)
            counts["requests"] += 1
            if r.status_code >= 500:
                failures.setdefault(label, set()).add(f"{r.status_code} {last.last} <- {case.path_parameters} {case.query} {str(case.body)[:150]}")
                return
            problem = shape_problem(r) if r.status_code >= 400 else None
            problem = problem or conformance_problem(case, prepared, r)
            if problem:
                failures.setdefault(label, set()).add(f"{r.status_code} {problem}")

        run()
    logging.getLogger("cordon.api").removeHandler(last)
    return counts["ops"], counts["requests"], failures


@pytest.mark.parametrize("role", CAST)
def test_every_operation_holds_under_generated_input(city, cast, role, capsys):
    started = time.monotonic()
    ops, sent, failures = fuzz(getattr(cast, role), operations=[s for s in os.environ.get("CORDON_FUZZ_ONLY", "").split(",") if s])
    with capsys.disabled():
        print(f"\nfuzz as {role}: {ops} operations, {sent} requests, {len(failures)} failing, {time.monotonic() - started:.1f}s")
    assert ops and sent >= ops
    assert not failures, "\n".join(f"{k}: {sorted(v)[:2]}" for k, v in sorted(failures.items()))
