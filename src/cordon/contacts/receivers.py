"""Contacts listen to cases (a confirmed case or a changed trajectory starts identification) and to the rule set
(open measure schedules are recomputed). Receivers decide nothing: they call a service."""

from cordon.cases import events as case_events
from cordon.cases.models import Case
from cordon.contacts import services
from cordon.core import policy


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
