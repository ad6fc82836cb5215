"""Questionnaires API: questionnaires and their versions (list, current, detail, diff, summary), the admin's writes
(create, replace the draft's definition, publish, retire) and answers about a case or a risk person."""

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.core.apikit import actor
from cordon.core.pagination import MappedRows, Pagination
from cordon.questionnaires import rules, selectors, services
from cordon.questionnaires.models import Version

router = Router(tags=["questionnaires"])


class QuestionnairesItemOut(Schema):
    code: str
    title: str
    kind: str
    n_versions: int
    n_published: int


class QuestionnairesVersionOut(Schema):
    code: str = Field(description="The questionnaire's code")
    title: str
    kind: str
    number: int
    status: str = Field(description="draft, published or retired")
    note: str
    published_at: dt.datetime | None
    retired_at: dt.datetime | None
    definition: dict[str, Any] = Field(description="{sections: [{code, title, questions: [{code, type, label, required, min, max, choices, condition}]}]}")


class QuestionnairesCreateIn(Schema):
    code: str
    title: str
    kind: str = Field(description="case_investigation, contact_followup or self_report")
    definition: dict[str, Any] | None = None


class QuestionnairesDraftIn(Schema):
    definition: dict[str, Any]
    note: str | None = None


class QuestionnairesChangeOut(Schema):
    code: str
    change: str = Field(description="added, removed, changed or moved")
    label: str
    fields: list[dict[str, Any]]


class QuestionnairesChoiceCountOut(Schema):
    value: str
    label: str
    count: int


class QuestionnairesQuestionCountOut(Schema):
    code: str
    label: str
    type: str
    answered: int
    choices: list[QuestionnairesChoiceCountOut]


class QuestionnairesSummaryOut(Schema):
    responses: int
    questions: list[QuestionnairesQuestionCountOut]


class QuestionnairesAnswerIn(Schema):
    subject_type: str = Field(description="cases.case or contacts.riskperson")
    subject_id: int
    answers: dict[str, Any] = Field(description="question code -> answer")


class QuestionnairesResponseOut(Schema):
    id: int
    code: str
    version: int
    subject_type: str
    subject_id: int
    answers: dict[str, Any]
    answered_by: str
    at: dt.datetime


def _version_out(v: Version) -> dict:
    return {"code": v.questionnaire.code, "title": v.questionnaire.title, "kind": v.questionnaire.kind, "number": v.number,
            "status": v.status, "note": v.note, "published_at": v.published_at, "retired_at": v.retired_at, "definition": v.definition}


def _response_out(r) -> dict:
    return {"id": r.pk, "code": r.version.questionnaire.code, "version": r.version.number, "subject_type": r.subject_type,
            "subject_id": r.subject_id, "answers": r.answers, "answered_by": r.answered_by_label, "at": r.at}


def _version(request, code: str, number: int) -> Version:
    services.ensure_defaults()
    who = actor(request)
    return selectors.version_get(actor=who, questionnaire=selectors.questionnaire_get(actor=who, code=code), number=number)


@router.get("/", response=list[QuestionnairesItemOut])
@paginate(Pagination)
def list_questionnaires(request):
    """Every questionnaire with its number of versions and whether one is published."""
    services.ensure_defaults()
    return selectors.questionnaire_list(actor=actor(request))


@router.post("/", response={201: QuestionnairesVersionOut})
def create(request, payload: QuestionnairesCreateIn):
    """A new questionnaire with its first draft (questionnaires.admin)."""
    return Status(201, _version_out(services.questionnaire_create(actor=actor(request), **payload.model_dump())))


@router.get("/current/{kind}", response=QuestionnairesVersionOut)
def current(request, kind: str):
    """The published version used for a kind (404 when none is published)."""
    selectors.questionnaire_list(actor=actor(request))
    return _version_out(services.current(kind))


@router.post("/responses", response={201: QuestionnairesResponseOut})
def answer(request, payload: QuestionnairesAnswerIn):
    """Answer the current questionnaire about a case or a risk person in your area (one field error per bad question)."""
    r = services.answer_subject(actor=actor(request), subject_type=payload.subject_type, subject_id=payload.subject_id, data=payload.answers)
    return Status(201, _response_out(r))


@router.get("/responses", response=list[QuestionnairesResponseOut])
@paginate(Pagination)
def responses(request, subject_type: str, subject_id: int):
    """The responses about one subject in your area, newest first."""
    who = actor(request)
    services.subject_region(actor=who, subject_type=subject_type, subject_id=subject_id)
    return MappedRows(selectors.responses(actor=who, subject_type=subject_type, subject_id=subject_id), _response_out)


@router.get("/{code}/versions/{int:number}", response=QuestionnairesVersionOut)
def version_detail(request, code: str, number: int):
    """One version with its frozen definition."""
    return _version_out(_version(request, code, number))


@router.put("/{code}/draft", response=QuestionnairesVersionOut)
def draft_put(request, code: str, payload: QuestionnairesDraftIn):
    """Replace the draft's definition; a questionnaire without a draft gets a new draft version first (questionnaires.admin)."""
    services.ensure_defaults()
    who = actor(request)
    draft = services.draft_of(actor=who, questionnaire=selectors.questionnaire_get(actor=who, code=code))
    return _version_out(services.draft_update(actor=who, version=draft, definition=payload.definition, note=payload.note))


@router.post("/{code}/versions/{int:number}/publish", response=QuestionnairesVersionOut)
def publish(request, code: str, number: int):
    """Publish a draft: frozen from now on, it replaces the published version (questionnaires.admin)."""
    return _version_out(services.version_publish(actor=actor(request), version=_version(request, code, number)))


@router.post("/{code}/versions/{int:number}/retire", response=QuestionnairesVersionOut)
def retire(request, code: str, number: int):
    """Retire the published version (questionnaires.admin)."""
    return _version_out(services.version_retire(actor=actor(request), version=_version(request, code, number)))


@router.get("/{code}/versions/{int:number}/diff", response=list[QuestionnairesChangeOut])
def diff(request, code: str, number: int, against: int | None = None):
    """What changed from version `against` (default: the one before) to this version, question by question."""
    v = _version(request, code, number)
    old = _version(request, code, against) if against else selectors.version_before(actor=actor(request), version=v)
    return rules.diff(old.definition if old else {}, v.definition)


@router.get("/{code}/versions/{int:number}/summary", response=QuestionnairesSummaryOut)
def summary(request, code: str, number: int):
    """Answer counts per choice of the version's responses in your area."""
    return selectors.summary(actor=actor(request), version=_version(request, code, number))
