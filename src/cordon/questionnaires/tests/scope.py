"""The questionnaires routes in the permission matrix. Definitions are city-wide: everyone who may view reads them,
only the city commander (questionnaires.admin) writes them. Answers are about a case or a risk person of district A,
checked through the app that owns the subject (B's officer gets 404)."""

from urllib.parse import urlencode

from cordon.core import clock
from cordon.core.testing import SYSTEM, Route, ScopedEndpoint

FORM = "application/x-www-form-urlencoded"
SELF = "self-report"
ADMIN_ONLY = {"officer_a": 403, "viewer_a": 403, "officer_b": 403, "field_a": 403}


def _case(city):
    from cordon.cases import services
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return services.case_report(actor=SYSTEM, person_id=p.pk, kind="confirmed", found_by="manual", source=f"test:q{p.pk}")


def _risk(city):
    from cordon.contacts.models import RiskPerson
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", status="under_measures",
                                     last_exposure=clock.now(), evidence=[{"rule": "named", "setting": "meal"}])


CASE_ANSWERS = {"occupation": "student", "has_symptoms": "no", "vaccinated": "no", "travelled": "no", "risk_area": "no",
                "contact_case": "no", "first_positive_at": "2026-12-01T08:30", "found_how": "screening"}
FOLLOWUP_ANSWERS = {"temperature_am": "36.5", "symptoms": ["none"], "sampled_today": "yes", "left_home": "no"}


V1 = f"/api/v1/questionnaires/{SELF}/versions/1"  # the shipped self-report form, published as version 1
WEB_V1 = f"/questionnaires/{SELF}/v1/"


ENDPOINTS = [
    ScopedEndpoint("questionnaires.api.responses.case", make=_case, url=lambda o: f"/api/v1/questionnaires/responses?subject_type=cases.case&subject_id={o.pk}"),
    ScopedEndpoint("questionnaires.api.answer.case", make=_case, url=lambda o: "/api/v1/questionnaires/responses", method="post", write=True,
                   payload=lambda o: {"subject_type": "cases.case", "subject_id": o.pk, "answers": CASE_ANSWERS}),
    ScopedEndpoint("questionnaires.api.answer.risk", make=_risk, url=lambda o: "/api/v1/questionnaires/responses", method="post", write=True,
                   payload=lambda o: {"subject_type": "contacts.riskperson", "subject_id": o.pk, "answers": FOLLOWUP_ANSWERS}),
    ScopedEndpoint("questionnaires.web.answer.case", make=_case, url=lambda o: f"/questionnaires/answer/cases.case/{o.pk}/", api=False),
    ScopedEndpoint("questionnaires.web.answer.case.post", make=_case, url=lambda o: f"/questionnaires/answer/cases.case/{o.pk}/", api=False,
                   method="post", write=True, ok_status=(302,), content_type=FORM, payload=lambda o: urlencode(CASE_ANSWERS, doseq=True)),
    ScopedEndpoint("questionnaires.web.answer.risk", make=_risk, url=lambda o: f"/questionnaires/answer/contacts.riskperson/{o.pk}/", api=False),
    ScopedEndpoint("questionnaires.web.answer.risk.post", make=_risk, url=lambda o: f"/questionnaires/answer/contacts.riskperson/{o.pk}/", api=False,
                   method="post", write=True, ok_status=(302,), content_type=FORM, payload=lambda o: urlencode(FOLLOWUP_ANSWERS, doseq=True)),
]

ROUTES = [
    Route("questionnaires.api.list", "/api/v1/questionnaires/"),
    Route("questionnaires.api.create", "/api/v1/questionnaires/", method="post", kind="create", expect=ADMIN_ONLY,
          payload=lambda c: {"code": "matrix-form", "title": "矩阵测试", "kind": "self_report"}),
    Route("questionnaires.api.current", "/api/v1/questionnaires/current/self_report"),
    Route("questionnaires.api.version", V1),
    Route("questionnaires.api.diff", V1 + "/diff"),
    Route("questionnaires.api.summary", V1 + "/summary"),
    Route("questionnaires.api.draft", f"/api/v1/questionnaires/{SELF}/draft", method="put", kind="create", expect=ADMIN_ONLY,
          payload=lambda c: {"definition": {"sections": []}}),
    # version 1 is published already: the commander is refused (409), the others may not publish at all
    Route("questionnaires.api.publish", V1 + "/publish", method="post", kind="create", expect={**ADMIN_ONLY, "commander": 409}),
    Route("questionnaires.api.retire", V1 + "/retire", method="post", kind="create", expect=ADMIN_ONLY),
    Route("questionnaires.web.index", "/questionnaires/", api=False),
    Route("questionnaires.web.create", "/questionnaires/", api=False, method="post", kind="create", content_type=FORM, expect=ADMIN_ONLY,
          payload=lambda c: urlencode({"code": "matrix-web", "title": "矩阵", "kind": "self_report"})),
    Route("questionnaires.web.detail", f"/questionnaires/{SELF}/", api=False),
    Route("questionnaires.web.detail.edit", f"/questionnaires/{SELF}/", api=False, method="post", kind="create",
          content_type=FORM, expect=ADMIN_ONLY),
    Route("questionnaires.web.version", WEB_V1, api=False),
    # an edit of the published version is refused with a message on the page (302 back to it)
    Route("questionnaires.web.version.edit", WEB_V1, api=False, method="post", kind="create", content_type=FORM,
          expect=ADMIN_ONLY, payload=lambda c: urlencode({"action": "section_add", "code": "extra", "title": "补充"})),
    Route("questionnaires.web.diff", WEB_V1 + "diff/", api=False),
    Route("questionnaires.web.export", WEB_V1 + "export/", api=False,
          expect={"viewer_a": 403, "field_a": 403}),
]
