"""Cases answer the questionnaires app: which region a case that a response is about belongs to, checked through the
case's scoped selector (404 outside the actor's area, 403 without the action)."""

from cordon.cases import selectors
from cordon.questionnaires import events as questionnaire_events


@questionnaire_events.SUBJECT_REGION.subscribe
def case_region(*, actor, subject_type: str, subject_id, action: str = "view"):
    if subject_type != "cases.case":
        return None
    return selectors.case_get(actor=actor, pk=subject_id, action=action).region_path
