"""A version's responses as a file (one column per question), through core.exports: scoped, audited, capped."""

from django.utils.translation import gettext

from cordon.core import clock, exports
from cordon.core.exports import Column
from cordon.questionnaires import rules, selectors
from cordon.questionnaires.enums import QuestionType


def _value(q: dict, labels: dict):
    def get(r):
        value = r.answers.get(q["code"])
        if value is None:
            return ""
        if q["type"] == QuestionType.YES_NO:
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, list):
            return "、".join(labels.get(v, v) for v in value)
        return labels.get(value, value) if q["type"] == QuestionType.SINGLE else value
    return get


def columns(version) -> list[Column]:
    """The fixed columns of a response, then one column per question of the version (choices by their text)."""
    out = [Column("response", lambda r: r.pk), Column("subject", lambda r: f"{r.subject_type}:{r.subject_id}"),
           Column("region_path", lambda r: r.region_path), Column("answered_at", lambda r: clock.local(r.at).strftime("%Y-%m-%d %H:%M")),
           Column("answered_by", lambda r: r.answered_by_label), Column("version", lambda r: r.version.number)]
    for q in rules.questions(version.definition):
        labels = {str(c["value"]): rules.text(c) for c in q.get("choices") or []}
        out.append(Column(f"{q['code']} {rules.text(q)}", _value(q, labels)))
    return out


def responses_export(*, actor, version, fmt: str = "xlsx") -> exports.ExportFile:
    """The responses to one version in the actor's export area."""
    return exports.export(actor=actor, domain="questionnaires", name=f"{version.questionnaire.code}-v{version.number}",
                          columns=columns(version), rows=selectors.responses(actor=actor, version=version),
                          filters={"questionnaire": version.questionnaire.code, "version": version.number}, fmt=fmt)
