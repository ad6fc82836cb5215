"""The case investigation questionnaire end to end (case page and API), a follow-up for a risk person, scope (404 for
another district's case), the admin's pages, the export and the summary."""

import io

import openpyxl
import pytest

from cordon.core.testing import SYSTEM
from cordon.questionnaires import services
from cordon.questionnaires.enums import Kind
from cordon.questionnaires.models import Response
from cordon.questionnaires.tests.scope import CASE_ANSWERS, FOLLOWUP_ANSWERS, _case, _risk

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_current_questionnaire_and_saves_answers_against_its_version(city, cast, api_client):
    case = _case(city)
    client = api_client(cast.officer_a)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and "第九版" in page.content.decode()
    answer = client.post(f"/cases/{case.pk}/questionnaire/", {**CASE_ANSWERS, "has_symptoms": "yes", "symptoms": ["fever", "cough"],
                                                               "onset_date": "2026-11-30", "max_temperature": "38.6"})
    assert answer.status_code == 302
    r = Response.objects.get(subject_type="cases.case", subject_id=case.pk)
    assert r.version == services.current(Kind.CASE_INVESTIGATION) and r.answers["symptoms"] == ["fever", "cough"]
    assert r.answers["max_temperature"] == 38.6 and r.region_path == case.region_path
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "38.6" in page and "发热、咳嗽" in page and f"v{r.version.number}" in page


def test_a_refused_answer_names_the_question_in_chinese_on_the_case_page(city, cast, api_client):
    case = _case(city)
    client = api_client(cast.officer_a)
    answer = client.post(f"/cases/{case.pk}/questionnaire/", {**CASE_ANSWERS, "has_symptoms": "yes"}, follow=True)
    text = answer.content.decode()
    assert "首发症状：此题必须回答" in text and "发病日期：此题必须回答" in text
    assert not Response.objects.exists()


def test_the_api_answers_about_a_case_and_refuses_bad_answers_field_by_field(city, cast, api_client):
    case = _case(city)
    client = api_client(cast.officer_a)
    ok = client.post("/api/v1/questionnaires/responses", {"subject_type": "cases.case", "subject_id": case.pk, "answers": CASE_ANSWERS},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["code"] == "case-investigation-p9" and ok.json()["answers"]["vaccinated"] is False
    bad = client.post("/api/v1/questionnaires/responses", {"subject_type": "cases.case", "subject_id": case.pk,
                                                          "answers": {**CASE_ANSWERS, "vaccinated": "yes", "doses": "9"}},
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400
    assert [(f["field"], f["message"]) for f in bad.json()["error"]["fields"]] == [("doses", "接种剂次：应在 1 至 5 之间")]
    listed = client.get(f"/api/v1/questionnaires/responses?subject_type=cases.case&subject_id={case.pk}").json()
    assert [r["id"] for r in listed["items"]] == [ok.json()["id"]]


def test_another_districts_case_is_not_found(city, cast, api_client):
    case = _case(city)
    client = api_client(cast.officer_b)
    assert client.post("/api/v1/questionnaires/responses", {"subject_type": "cases.case", "subject_id": case.pk, "answers": CASE_ANSWERS},
                       content_type="application/json").status_code == 404
    assert client.get(f"/questionnaires/answer/cases.case/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/questionnaire/", CASE_ANSWERS).status_code == 404
    assert not Response.objects.exists()


def test_a_risk_person_gets_the_daily_follow_up(city, cast, api_client):
    risk = _risk(city)
    client = api_client(cast.officer_a)
    url = f"/questionnaires/answer/contacts.riskperson/{risk.pk}/"
    assert url in client.get(f"/contacts/{risk.pk}/").content.decode()  # linked from the risk person's page
    assert "上午体温" in client.get(url).content.decode()
    assert client.post(url, {**FOLLOWUP_ANSWERS, "left_home": "yes"}, follow=True).content.decode().count("外出原因：此题必须回答") >= 1
    assert client.post(url, FOLLOWUP_ANSWERS).status_code == 302
    r = Response.objects.get(subject_type="contacts.riskperson")
    assert r.answers == {"temperature_am": 36.5, "symptoms": ["none"], "sampled_today": True, "left_home": False}
    assert "36.5" in client.get(url).content.decode()


def test_the_export_has_one_column_per_question_and_the_summary_counts_choices(city, cast, api_client):
    v = services.current(Kind.SELF_REPORT)
    for symptoms in (["fever", "cough"], ["cough"], ["none"]):
        services.answer_save(actor=SYSTEM, version=v, subject_type="selfreport.report", subject_id=1, region_path=city.a_grid.path,
                             data={"temperature": "37.2", "symptoms": symptoms})
    services.answer_save(actor=SYSTEM, version=v, subject_type="selfreport.report", subject_id=2, region_path=city.b_grid.path,
                         data={"temperature": "36.2", "symptoms": ["none"]})
    client = api_client(cast.officer_a)
    answer = client.get(f"/questionnaires/{v.questionnaire.code}/v{v.number}/export/?export=xlsx")
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-3:] == ("temperature 体温（℃）", "symptoms 今日症状", "other_symptoms 其他症状或说明")
    assert len(rows) == 4  # district A's three responses, not B's
    assert ("发热、咳嗽" in [r[-2] for r in rows])
    summary = client.get(f"/api/v1/questionnaires/{v.questionnaire.code}/versions/{v.number}/summary").json()
    symptoms = next(q for q in summary["questions"] if q["code"] == "symptoms")
    assert summary["responses"] == 3 and {c["value"]: c["count"] for c in symptoms["choices"]}["cough"] == 2
    page = client.get(f"/questionnaires/{v.questionnaire.code}/").content.decode()
    assert "咳嗽 2" in page


def test_the_admin_builds_previews_publishes_and_compares_a_questionnaire_on_the_web(cast, api_client):
    client = api_client(cast.commander)
    assert client.post("/questionnaires/", {"code": "school-check", "title": "返校健康排查", "kind": "self_report"}).status_code == 302
    url = "/questionnaires/school-check/v1/"
    client.post(url, {"action": "section_add", "code": "main", "title": "主要"})
    client.post(url, {"action": "question_put", "section": "main", "code": "fever", "type": "yes_no", "label": "是否发热", "required": "on"})
    client.post(url, {"action": "question_put", "section": "main", "code": "temp", "type": "decimal", "label": "体温", "min": "35",
                      "max": "42", "required": "on", "condition_question": "fever", "condition_op": "equals", "condition_value": "yes"})
    page = client.get(url).content.decode()
    assert "phone-preview" in page and 'data-show-question="fever"' in page
    client.post(url, {"action": "publish"})
    assert client.get("/api/v1/questionnaires/school-check/versions/1").json()["status"] == "published"
    client.post("/questionnaires/school-check/")  # edit: a new draft
    client.post("/questionnaires/school-check/v2/", {"action": "question_remove", "target": "temp"})
    diff = client.get("/questionnaires/school-check/v2/diff/").content.decode()
    assert "temp" in diff and "badge red" in diff
    assert api_client(cast.officer_a).post(url, {"action": "publish"}).status_code == 403
