"""Every cases and contacts operation answers with the schema it declares, on real data (a chain of two cases in
one household, a trajectory, a named contact, identification, decisions, the export): Ninja checks each answer
against the operation's response schema, and the answer is checked against the published OpenAPI document."""

import datetime as dt

import pytest
import requests
import schemathesis
from schemathesis.core.transport import Response

from cordon.cases import services
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.people.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spec():
    from cordon.api.root import api

    return schemathesis.openapi.from_dict(api.get_openapi_schema())


def _fits(spec, method: str, path: str, answer, request_path: str) -> None:
    """The answer's status is declared, and its body fits the declared schema for that status."""
    op = spec[path][method.upper()]
    prepared = requests.Request(method.upper(), f"http://testserver{request_path}").prepare()
    response = Response(status_code=answer.status_code, headers={k.lower(): [v] for k, v in answer.headers.items()},
                        content=answer.content, request=prepared, elapsed=0.0, verify=True)
    op.validate_response(response)


def test_each_operation_answers_its_declared_schema(city, cast, api_client, spec, django_capture_on_commit_callbacks):
    client = api_client(cast.officer_a)
    household = HouseholdFactory(grid=city.a_grid, size=2)
    first_person, second_person = PersonFactory(grid=city.a_grid, household=household), PersonFactory(grid=city.a_grid, household=household)
    named = PersonFactory(grid=city.a_grid)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.case_report(actor=cast.officer_a, person_id=first_person.pk, kind="confirmed", found_by="fever_clinic",
                                     onset_date=clock.today() - dt.timedelta(days=4), confirmed_at=clock.now() - dt.timedelta(days=2))
        answer = client.post("/api/v1/cases/", {"person_id": second_person.pk, "kind": "confirmed", "found_by": "fever_clinic",
                                                "onset_date": clock.today().isoformat()}, content_type="application/json")
    assert answer.status_code == 201
    _fits(spec, "post", "/api/v1/cases/", answer, "/api/v1/cases/")
    pk = answer.json()["id"]
    t = clock.now().replace(second=0, microsecond=0) - dt.timedelta(hours=5)
    calls = [
        ("post", "/api/v1/cases/{pk}/stays", f"/api/v1/cases/{pk}/stays",
         {"items": [{"place": "home", "time_in": t.isoformat(), "time_out": (t + dt.timedelta(hours=1)).isoformat()}]}, 201),
        ("post", "/api/v1/cases/{pk}/contacts", f"/api/v1/cases/{pk}/contacts",
         {"items": [{"person_id": named.pk, "setting": "meal", "last_exposure": t.isoformat()}]}, 201),
        ("patch", "/api/v1/cases/{pk}", f"/api/v1/cases/{pk}", {"notes": "follow-up"}, 200),
        ("post", "/api/v1/cases/{pk}/infector", f"/api/v1/cases/{pk}/infector", {"infector_id": first.pk}, 200),
        ("post", "/api/v1/cases/{pk}/advance", f"/api/v1/cases/{pk}/advance", {"status": "core_done"}, 200),
        ("post", "/api/v1/cases/{pk}/identify", f"/api/v1/cases/{pk}/identify", {}, 200),
        ("get", "/api/v1/cases/{pk}", f"/api/v1/cases/{pk}", None, 200),
        ("get", "/api/v1/cases/{pk}/infectors", f"/api/v1/cases/{pk}/infectors", None, 200),
        ("get", "/api/v1/cases/{pk}/cluster", f"/api/v1/cases/{pk}/cluster", None, 200),
        ("get", "/api/v1/cases/clusters", "/api/v1/cases/clusters", None, 200),
        ("get", "/api/v1/cases/", "/api/v1/cases/", None, 200),
        ("get", "/api/v1/contacts/", f"/api/v1/contacts/?case={pk}", None, 200),
    ]
    answers = {}
    for method, path, url, body, status in calls:
        with django_capture_on_commit_callbacks(execute=True):
            answer = getattr(client, method)(url, body, content_type="application/json") if body is not None else client.get(url)
        assert answer.status_code == status, (url, answer.content[:300])
        _fits(spec, method, path, answer, url)
        answers[path] = answer.json()
    detail = answers["/api/v1/cases/{pk}"]
    assert [s["step"] for s in detail["clock"]] == ["on_site", "core_tracing", "full_report"]
    assert detail["stays"][0]["place"] == "home" and detail["named_contacts"][0]["person_id"] == named.pk
    assert answers["/api/v1/cases/{pk}/infectors"] == [] or answers["/api/v1/cases/{pk}/infectors"][0]["case_id"] == first.pk
    cluster = answers["/api/v1/cases/{pk}/cluster"]
    assert cluster["size"] == 2 and cluster["edges"][0]["kind"] == "infector" and cluster["chart"]["series"][0]["type"] == "graph"
    assert answers["/api/v1/cases/{pk}/identify"]["close_contact"] >= 1
    risk = RiskPerson.objects.filter(source_case_id=pk, status="proposed").first()
    decided = client.post("/api/v1/contacts/decide", {"ids": [risk.pk], "decision": "confirm"}, content_type="application/json")
    assert decided.status_code == 200 and decided.json() == {"decided": 1, "decision": "confirm", "replayed": False}
    _fits(spec, "post", "/api/v1/contacts/decide", decided, "/api/v1/contacts/decide")
    card = client.get(f"/api/v1/contacts/{risk.pk}")
    assert card.status_code == 200 and card.json()["plan"]
    _fits(spec, "get", "/api/v1/contacts/{pk}", card, f"/api/v1/contacts/{risk.pk}")
    for fmt, kind in (("xlsx", "application/vnd.openxmlformats"), ("csv", "text/csv")):
        exported = client.get(f"/api/v1/contacts/export?case={pk}&format={fmt}")
        assert exported.status_code == 200 and exported["Content-Type"].startswith(kind)
        _fits(spec, "get", "/api/v1/contacts/export", exported, f"/api/v1/contacts/export?case={pk}&format={fmt}")
    stay_id = detail["stays"][0]["id"]
    assert client.delete(f"/api/v1/cases/{pk}/stays/{stay_id}").status_code == 204
