"""What selfreport answers for lower apps: the region of a self-report a questionnaire response is about."""

from cordon.questionnaires import events as questionnaire_events
from cordon.selfreport import selectors


@questionnaire_events.SUBJECT_REGION.subscribe
def report_region(*, actor, subject_type: str, subject_id, action: str = "view"):
    """A self-report's region (the person's grid) for its questionnaire response, through the scoped selector."""
    if subject_type != "selfreport.report":
        return None
    return selectors.report_get(actor=actor, pk=subject_id, action=action).region_path
