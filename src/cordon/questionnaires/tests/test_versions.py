"""Versioning: drafts are edited, publishing checks and freezes, one published version per questionnaire, editing a
published questionnaire starts a new draft, answers stay with the version they were given on, and the diff."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cordon.core.errors import Conflict, ServiceError
from cordon.core.testing import SYSTEM
from cordon.questionnaires import rules, selectors, services
from cordon.questionnaires.enums import Kind, VersionStatus
from cordon.questionnaires.models import Version

pytestmark = pytest.mark.django_db

TEMP = {"code": "temperature", "type": "decimal", "label": "体温", "required": True, "min": 35, "max": 42}


def _new(code="fever-check"):
    v = services.questionnaire_create(actor=SYSTEM, code=code, title="发热排查", kind=Kind.SELF_REPORT)
    v = services.draft_edit(actor=SYSTEM, version=v, change=rules.section_add, code="main", title="主要")
    return services.draft_edit(actor=SYSTEM, version=v, change=rules.question_put, section="main", question=TEMP)


def test_a_draft_is_edited_then_published_and_frozen():
    v = _new()
    assert v.status == VersionStatus.DRAFT and [q["code"] for q in rules.questions(v.definition)] == ["temperature"]
    v = services.version_publish(actor=SYSTEM, version=v)
    assert v.status == VersionStatus.PUBLISHED and v.published_at
    with pytest.raises(Conflict):
        services.draft_update(actor=SYSTEM, version=v, definition={"sections": []})
    with pytest.raises(Conflict):
        services.version_publish(actor=SYSTEM, version=v)


def test_editing_a_published_questionnaire_makes_a_new_draft_and_publishing_it_retires_the_old():
    v1 = services.version_publish(actor=SYSTEM, version=_new())
    draft = services.draft_of(actor=SYSTEM, questionnaire=v1.questionnaire)
    assert draft.number == 2 and draft.definition == v1.definition
    assert services.draft_of(actor=SYSTEM, questionnaire=v1.questionnaire) == draft  # one draft at a time
    draft = services.draft_edit(actor=SYSTEM, version=draft, change=rules.question_put, section="main",
                                question={"code": "cough", "type": "yes_no", "label": "咳嗽", "required": True})
    v2 = services.version_publish(actor=SYSTEM, version=draft)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED and v2.status == VersionStatus.PUBLISHED
    assert Version.objects.filter(questionnaire=v1.questionnaire, status=VersionStatus.PUBLISHED).count() == 1
    assert services.current(Kind.SELF_REPORT) == v2  # published last, so the kind's current version
    assert rules.diff(v1.definition, v2.definition) == [{"code": "cough", "change": "added", "label": "咳嗽", "fields": []}]


def test_answers_keep_the_version_they_were_given_on_after_a_new_one_is_published(city):
    v1 = services.version_publish(actor=SYSTEM, version=_new())
    r = services.answer_save(actor=SYSTEM, version=v1, subject_type="selfreport.report", subject_id=1, region_path=city.a_grid.path,
                             data={"temperature": "36.8"})
    draft = services.draft_of(actor=SYSTEM, questionnaire=v1.questionnaire)
    draft = services.draft_edit(actor=SYSTEM, version=draft, change=rules.question_put, section="main", question={**TEMP, "max": 41})
    services.version_publish(actor=SYSTEM, version=draft)
    r.refresh_from_db()
    assert r.version == v1 and r.answers == {"temperature": 36.8}
    with pytest.raises(Conflict):  # a retired version takes no more answers
        services.answer_save(actor=SYSTEM, version=v1, subject_type="selfreport.report", subject_id=2, region_path=city.a_grid.path,
                             data={"temperature": "36.8"})
    assert selectors.summary(actor=SYSTEM, version=v1)["responses"] == 1


def test_publishing_refuses_a_broken_definition_naming_the_question():
    v = services.questionnaire_create(actor=SYSTEM, code="broken", title="坏", kind=Kind.SELF_REPORT)
    v = services.draft_update(actor=SYSTEM, version=v, definition={"sections": [{"code": "s", "title": "S", "questions": [
        {"code": "later", "type": "text", "label": "后", "condition": {"question": "nowhere", "op": "equals", "value": "x"}},
        {"code": "pick", "type": "single", "label": "选", "choices": []},
        {"code": "t", "type": "decimal", "label": "温", "min": 42, "max": 35}]}]})
    with translation.override("zh-hans"), pytest.raises(ServiceError) as exc:
        services.version_publish(actor=SYSTEM, version=v)
    assert {f["field"] for f in exc.value.fields} == {"later", "pick", "t"}
    assert "最小值大于最大值" in exc.value.message


def test_a_draft_edit_refuses_a_duplicate_section_and_a_condition_on_an_unknown_question():
    v = _new()
    with pytest.raises(ServiceError):
        services.draft_edit(actor=SYSTEM, version=v, change=rules.section_add, code="main", title="again")
    with pytest.raises(ServiceError):
        services.draft_edit(actor=SYSTEM, version=v, change=rules.question_put, section="main",
                            question={"code": "x", "type": "text", "label": "X", "condition": {"question": "ghost", "op": "answered"}})


def test_questions_are_reordered_and_removed_in_a_draft():
    v = _new()
    v = services.draft_edit(actor=SYSTEM, version=v, change=rules.question_put, section="main",
                            question={"code": "cough", "type": "yes_no", "label": "咳嗽"})
    v = services.draft_edit(actor=SYSTEM, version=v, change=rules.question_move, code="cough", by=-1)
    assert [q["code"] for q in rules.questions(v.definition)] == ["cough", "temperature"]
    v = services.draft_edit(actor=SYSTEM, version=v, change=rules.question_remove, code="temperature")
    assert [q["code"] for q in rules.questions(v.definition)] == ["cough"]


def test_only_the_questionnaire_admin_edits(cast):
    v = _new()
    with pytest.raises(PermissionDenied):
        services.version_publish(actor=cast.officer_a, version=v)
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(actor=cast.officer_a, code="x", title="x", kind=Kind.SELF_REPORT)
    assert services.version_publish(actor=cast.commander, version=v).status == VersionStatus.PUBLISHED
