"""A case moves only forward on its tracing timeline (CASE_LIFECYCLE): a backward step is a conflict (409, code
transition) naming the statuses by their labels, an unknown status stays a bad input (400); the API lists the allowed
next statuses and the page offers only them."""

import pytest
from django.utils import translation

from cordon.cases import services
from cordon.cases.enums import CASE_LIFECYCLE, CaseStatus
from cordon.core.testing import assert_step_refused, messages_of
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _case(city, cast):
    p = PersonFactory(grid=city.a_grid)
    return services.case_report(actor=cast.officer_a, person_id=p.pk, kind="confirmed", found_by="manual")


def test_a_backward_step_is_a_conflict_naming_the_statuses_by_their_labels(city, cast):
    case = _case(city, cast)
    services.case_advance(actor=cast.officer_a, case=case, status="core_done")
    assert_step_refused(lambda status: services.case_advance(actor=cast.officer_a, case=case, status=status),
                        record=case, to="investigating",
                        labels=[CaseStatus.CORE_DONE.label, CaseStatus.REPORT_DONE.label], codes=["core_done"])
    assert case.status == "core_done"


def test_the_api_lists_the_next_statuses_and_refuses_a_backward_step_with_409(city, cast, api_client):
    case = _case(city, cast)
    c = api_client(cast.officer_a)
    body = c.get(f"/api/v1/cases/{case.pk}").json()
    assert body["next_statuses"] == list(CASE_LIFECYCLE.allowed(body["status"])) and body["next_statuses"]
    listed = c.get("/api/v1/cases/").json()["items"][0]
    assert listed["next_statuses"] == body["next_statuses"]
    answer = c.post(f"/api/v1/cases/{case.pk}/advance", {"status": "core_done"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["next_statuses"] == ["report_done"]
    answer = c.post(f"/api/v1/cases/{case.pk}/advance", {"status": "reported"}, content_type="application/json")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "transition"
    assert answer.json()["error"]["fields"][0]["field"] == "status"
    c.post(f"/api/v1/cases/{case.pk}/advance", {"status": "report_done"}, content_type="application/json")
    assert c.get(f"/api/v1/cases/{case.pk}").json()["next_statuses"] == []


def test_the_page_offers_only_later_steps_and_shows_the_refusal_of_a_backward_one(city, cast, client):
    case = _case(city, cast)
    services.case_advance(actor=cast.officer_a, case=case, status="investigating")
    client.force_login(cast.officer_a)
    form = client.get(f"/cases/{case.pk}/").content.decode().split('name="status"')[1].split("</select>")[0]
    offered = {part.split('"')[0] for part in form.split('value="')[1:]}
    assert offered == {"core_done", "report_done"}
    answer = client.post(f"/cases/{case.pk}/advance/", {"status": "reported"})
    case.refresh_from_db()
    assert case.status == "investigating"
    with translation.override(answer.wsgi_request.LANGUAGE_CODE):
        assert str(CaseStatus.INVESTIGATING.label) in messages_of(answer)  # "a case that is Investigating can move to…"
    services.case_advance(actor=cast.officer_a, case=case, status="report_done")
    assert f'action="/cases/{case.pk}/advance/"' not in client.get(f"/cases/{case.pk}/").content.decode()
