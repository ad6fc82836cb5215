"""Demo data for questionnaires: the shipped protocol's questionnaires (published), and a draft version 2 of the
self-report form that the commander is preparing (one question added), so history, preview and diff have something
to show. Cases (cases.demo) fill the investigation questionnaire for their interviewed cases."""

from cordon.core import access
from cordon.questionnaires import rules, selectors, services


def seed(ctx) -> None:
    added = services.ensure_defaults()
    actor = ctx.accounts.get("commander") or access.system("demo")
    q = selectors.questionnaire_get(actor=actor, code="self-report")
    draft = services.draft_of(actor=actor, questionnaire=q)
    if "sampled_today" not in {x["code"] for x in rules.questions(draft.definition)}:
        services.draft_edit(actor=actor, version=draft, change=rules.question_put, section="today",
                            question={"code": "sampled_today", "type": "yes_no", "label": "今日是否已做核酸", "label_en": "Tested today",
                                      "required": True})
    ctx.say(f"questionnaires: {added} shipped questionnaires published, a draft v{draft.number} of the self-report form")
