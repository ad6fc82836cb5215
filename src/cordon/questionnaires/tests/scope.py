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


def _version_url(suffix: str = "", *, draft: bool = False, api: bool = True):
    def url(city):
        from cordon.questionnaires import selectors, services

        services.ensure_defaults()
        q = selectors.questionnaire_get(actor=SYSTEM, code=SELF)
        number = services.draft_of(actor=SYSTEM, questionnaire=q).number if draft else services.current("self_report").number
        return f"/api/v1/questionnaires/{SELF}/versions/{number}{suffix}" if api else f"/questionnaires/{SELF}/v{number}/{suffix}"
    return url


def _defaults(path):
    def url(city):
        from cordon.questionnaires import services

        services.ensure_defaults()
        return path
    return url


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
    Route("questionnaires.api.version", _version_url()),
    Route("questionnaires.api.diff", _version_url("/diff")),
    Route("questionnaires.api.summary", _version_url("/summary")),
    Route("questionnaires.api.draft", _defaults(f"/api/v1/questionnaires/{SELF}/draft"), method="put", kind="create", expect=ADMIN_ONLY,
          payload=lambda c: {"definition": {"sections": []}}),
    Route("questionnaires.api.publish", _version_url("/publish", draft=True), method="post", kind="create", expect=ADMIN_ONLY),
    Route("questionnaires.api.retire", _version_url("/retire"), method="post", kind="create", expect=ADMIN_ONLY),
    Route("questionnaires.web.index", "/questionnaires/", api=False),
    Route("questionnaires.web.create", "/questionnaires/", api=False, method="post", kind="create", content_type=FORM, expect=ADMIN_ONLY,
          payload=lambda c: urlencode({"code": "matrix-web", "title": "矩阵", "kind": "self_report"})),
    Route("questionnaires.web.detail", _defaults(f"/questionnaires/{SELF}/"), api=False),
    Route("questionnaires.web.detail.edit", _defaults(f"/questionnaires/{SELF}/"), api=False, method="post", kind="create",
          content_type=FORM, expect=ADMIN_ONLY),
    Route("questionnaires.web.version", _version_url(api=False), api=False),
    Route("questionnaires.web.version.edit", _version_url(api=False, draft=True), api=False, method="post", kind="create", content_type=FORM,
          expect=ADMIN_ONLY, payload=lambda c: urlencode({"action": "section_add", "code": "extra", "title": "补充"})),
    Route("questionnaires.web.diff", _version_url("diff/", api=False), api=False),
    Route("questionnaires.web.export", _version_url("export/", api=False), api=False,
          expect={"viewer_a": 403, "field_a": 403}),
]
