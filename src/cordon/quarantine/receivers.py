"""Quarantine listens to contacts: a measure plan with a centralized phase files a placement request; a plan
without one, or a release, withdraws the open request. Receivers decide nothing: they call a service."""

from cordon.contacts import events as contact_events
from cordon.quarantine import selectors, services
from cordon.surveillance import events as surveillance_events


@contact_events.CENTRALIZED_NEEDED.subscribe
def request_placement(*, actor, person_id, category, start, end, source, household_id):
    services.placement_enqueue(actor=actor, person_id=person_id, category=category, start=start, end=end, source=source,
                               household_id=household_id)


@contact_events.CENTRALIZED_NEEDED_MANY.subscribe
def request_placements(*, actor, items):
    services.placement_enqueue_many(actor=actor, items=items)


@contact_events.CENTRALIZED_NOT_NEEDED.subscribe
@contact_events.RISK_RELEASED.subscribe
def withdraw_placement(*, actor, source):
    services.placement_cancel(actor=actor, source=source)


@contact_events.RISKS_RELEASED_MANY.subscribe
def withdraw_placements(*, actor, sources):
    services.placement_cancel_many(actor=actor, sources=sources)


@surveillance_events.PEOPLE_IN_SITES.answer
def people_in_sites():
    return selectors.people_in_sites()
