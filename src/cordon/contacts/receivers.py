"""Contacts listen to cases (a confirmed case or a changed trajectory starts identification) and to the rule set
(open measure schedules are recomputed), and answer cases' questions about what tracing found. Receivers decide
nothing: they call a service or a selector."""

from cordon.cases import events as case_events
from cordon.cases.models import Case
from cordon.contacts import selectors, services
from cordon.core import policy
from cordon.questionnaires import events as questionnaire_events


@case_events.CASE_CONFIRMED.subscribe
@case_events.TRAJECTORY_CHANGED.subscribe
def identify(*, case, actor):
    """Identification runs right after the commit, on the case as stored."""
    fresh = Case.objects.select_related("person").filter(pk=case.pk).first()
    if fresh is not None:
        services.contacts_identify(actor=actor, case=fresh)


@policy.RULESET_CHANGED.subscribe
def recompute(*, ruleset, previous, actor, effective_from):
    services.measures_recompute_all(actor=actor, why="rule set changed")


@case_events.CONTACT_LINKS.answer
def contact_links(*, person_ids, case_ids):
    return selectors.found_as_contacts(person_ids=person_ids, case_ids=case_ids)


@case_events.CONTACT_COUNTS.answer
def contact_counts(*, actor, case_id):
    return selectors.counts(actor=actor, case_id=case_id)


@questionnaire_events.SUBJECT_REGION.subscribe
def risk_region(*, actor, subject_type: str, subject_id, action: str = "view"):
    """A risk person's region for a follow-up response, through the scoped selector (404 outside the actor's area)."""
    if subject_type != "contacts.riskperson":
        return None
    return selectors.risk_get(actor=actor, pk=subject_id, action=action).region_path
