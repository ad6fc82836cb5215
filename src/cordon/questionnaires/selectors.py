"""Reads of questionnaires: the questionnaires and their versions (city-wide definitions, `questionnaires.view`),
responses (scoped by their subject's region), a subject's responses and the answer counts of a version."""

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from cordon.core import access
from cordon.questionnaires import rules
from cordon.questionnaires.enums import VersionStatus
from cordon.questionnaires.models import Questionnaire, Response, Version


def questionnaire_list(*, actor) -> QuerySet[Questionnaire]:
    """Every questionnaire, with its published and draft version numbers (`questionnaires.view`)."""
    access.require(actor, "questionnaires.view")
    published = Q(versions__status=VersionStatus.PUBLISHED)
    return Questionnaire.objects.annotate(n_versions=Count("versions", distinct=True),
                                          n_published=Count("versions", filter=published, distinct=True)).order_by("kind", "code")


def questionnaire_get(*, actor, code: str) -> Questionnaire:
    """One questionnaire by code (404 when there is none)."""
    access.require(actor, "questionnaires.view")
    q = Questionnaire.objects.filter(code=code).first()
    if q is None:
        raise Http404(code)
    return q


def versions_of(*, actor, questionnaire: Questionnaire) -> QuerySet[Version]:
    """The questionnaire's versions, newest first."""
    access.require(actor, "questionnaires.view")
    return questionnaire.versions.select_related("published_by", "created_by").annotate(n_responses=Count("responses")).order_by("-number")


def version_get(*, actor, questionnaire: Questionnaire, number: int) -> Version:
    """One version of a questionnaire (404 when there is none)."""
    access.require(actor, "questionnaires.view")
    v = questionnaire.versions.select_related("questionnaire").filter(number=number).first()
    if v is None:
        raise Http404(number)
    return v


def version_before(*, actor, version: Version) -> Version | None:
    """The version numbered just before this one."""
    access.require(actor, "questionnaires.view")
    return version.questionnaire.versions.filter(number__lt=version.number).order_by("-number").first()


def responses(*, actor, version: Version | None = None, subject_type: str = "", subject_id=None, action: str = "view") -> QuerySet[Response]:
    """Responses in the actor's area, newest first, of a version and/or about one subject."""
    qs = Response.objects.visible_to(actor, action).select_related("version__questionnaire", "answered_by")
    if version is not None:
        qs = qs.filter(version=version)
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    return qs.order_by("-at", "-id")


def latest_response(*, actor, subject_type: str, subject_id) -> Response | None:
    """The newest response about a subject (in the actor's area), any version."""
    return responses(actor=actor, subject_type=subject_type, subject_id=subject_id).first()


def summary(*, actor, version: Version) -> dict:
    """Answer counts of a version's responses in the actor's area: {"responses": n, "questions": [{"code", "label",
    "type", "answered", "choices": [{"value", "label", "count"}]}]} (choices for choice and yes/no questions)."""
    counts: dict[str, Counter] = {}
    answered: Counter = Counter()
    total = 0
    for answers in responses(actor=actor, version=version).values_list("answers", flat=True).iterator():
        total += 1
        for code, value in answers.items():
            answered[code] += 1
            for v in value if isinstance(value, list) else [value]:
                counts.setdefault(code, Counter())["yes" if v is True else "no" if v is False else str(v)] += 1
    out = []
    for q in rules.questions(version.definition):
        item = {"code": q["code"], "label": rules.text(q), "type": q["type"], "answered": answered[q["code"]], "choices": []}
        if q["type"] in rules.CHOICE_TYPES:
            item["choices"] = [{"value": str(c["value"]), "label": rules.text(c), "count": counts.get(q["code"], Counter())[str(c["value"])]}
                               for c in q.get("choices") or []]
        elif q["type"] == "yes_no":
            item["choices"] = [{"value": v, "label": label, "count": counts.get(q["code"], Counter())[v]} for v, label in (("yes", gettext("Yes")), ("no", gettext("No")))]
        out.append(item)
    return {"responses": total, "questions": out}


def answer_rows(response: Response) -> list[tuple[str, str]]:
    """(question, answer as text) of a response, in its version's order (choices by their text)."""
    out = []
    for q in rules.questions(response.version.definition):
        if q["code"] not in response.answers:
            continue
        value = response.answers[q["code"]]
        labels = {str(c["value"]): rules.text(c) for c in q.get("choices") or []}
        if isinstance(value, bool):
            value = gettext("Yes") if value else gettext("No")
        elif isinstance(value, list):
            value = "、".join(labels.get(x, x) for x in value)
        else:
            value = labels.get(str(value), value)
        out.append((rules.text(q), value))
    return out
