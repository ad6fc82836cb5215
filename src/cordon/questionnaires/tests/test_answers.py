"""Questionnaires: the shipped defaults, checking answers (required, types, ranges, choices, conditions) with
messages in Chinese naming the question, saving answers against the version used, and the dynamic form."""

import pytest
from django.utils import translation

from cordon.core.errors import NotFound, ServiceError
from cordon.core.testing import SYSTEM
from cordon.questionnaires import services
from cordon.questionnaires.enums import Kind, VersionStatus
from cordon.questionnaires.forms import form_for
from cordon.questionnaires.models import Questionnaire, Response

pytestmark = pytest.mark.django_db


def _errors(version, data) -> dict:
    with pytest.raises(ServiceError) as exc:
        services.clean_answers(version, data)
    return {f["field"]: f["message"] for f in exc.value.fields}


def test_a_fresh_database_has_the_shipped_questionnaires_published_once():
    for kind in Kind.values:
        assert services.current(kind).status == VersionStatus.PUBLISHED
    assert services.ensure_defaults() == 0
    assert Questionnaire.objects.count() == 3


def test_the_self_report_asks_for_other_symptoms_only_when_a_symptom_is_chosen():
    v = services.current(Kind.SELF_REPORT)
    assert services.clean_answers(v, {"temperature": "36.6", "symptoms": ["none"], "other_symptoms": "头痛"}) == {
        "temperature": 36.6, "symptoms": ["none"]}
    clean = services.clean_answers(v, {"temperature": 38.2, "symptoms": ["fever", "cough"], "other_symptoms": "头痛"})
    assert clean == {"temperature": 38.2, "symptoms": ["fever", "cough"], "other_symptoms": "头痛"}


def test_bad_answers_are_refused_one_chinese_message_per_question_naming_it():
    v = services.current(Kind.SELF_REPORT)
    with translation.override("zh-hans"):
        errors = _errors(v, {"temperature": "45", "symptoms": ["none", "fever"]})
    assert set(errors) == {"temperature", "symptoms"}
    assert errors["temperature"].startswith("体温（℃）") and "35" in errors["temperature"] and "42" in errors["temperature"]
    assert errors["symptoms"].startswith("今日症状") and "无" in errors["symptoms"]
    with translation.override("zh-hans"):
        assert "必须回答" in _errors(v, {"symptoms": ["fever"]})["temperature"]
        assert "体温" in _errors(v, {"temperature": "abc", "symptoms": ["fever"]})["temperature"]


def test_a_required_question_is_required_only_when_its_condition_holds():
    v = services.current(Kind.CASE_INVESTIGATION)
    base = {"occupation": "student", "has_symptoms": "no", "vaccinated": "no", "travelled": "no", "risk_area": "no",
            "contact_case": "no", "first_positive_at": "2026-12-01T08:30", "found_how": "screening"}
    clean = services.clean_answers(v, base)
    assert clean["has_symptoms"] is False and "onset_date" not in clean
    assert clean["first_positive_at"].startswith("2026-12-01T08:30")
    errors = _errors(v, {**base, "has_symptoms": "yes", "occupation": "other"})
    assert set(errors) == {"symptoms", "onset_date", "occupation_other"}


def test_current_is_not_found_loudly_when_nothing_of_the_kind_is_published():
    v = services.current(Kind.SELF_REPORT)
    services.version_retire(actor=SYSTEM, version=v)
    with pytest.raises(NotFound):
        services.current(Kind.SELF_REPORT)


def test_answers_are_saved_against_the_version_used_and_audited(city):
    v = services.current(Kind.SELF_REPORT)
    r = services.answer_save(actor=SYSTEM, version=v, subject_type="selfreport.report", subject_id=7,
                             region_path=city.a_grid.path, data={"temperature": "37.0", "symptoms": ["cough"]})
    r.refresh_from_db()
    assert r.version == v and r.answers == {"temperature": 37.0, "symptoms": ["cough"]} and r.region_path == city.a_grid.path
    assert Response.objects.count() == 1


def test_the_dynamic_form_names_the_bad_question_on_its_field():
    v = services.current(Kind.SELF_REPORT)
    form = form_for(v, {"temperature": "34", "symptoms": ["fever"]})
    assert not form.is_valid()
    assert "temperature" in form.errors and "symptoms" not in form.errors
    form = form_for(v, {"temperature": "38.5", "symptoms": ["fever"], "other_symptoms": "头痛"})
    assert form.is_valid(), form.errors
    assert form.answers == {"temperature": 38.5, "symptoms": ["fever"], "other_symptoms": "头痛"}
    assert [title for title, _rows in form.sections] == ["今日健康状况"]
