"""What contacts tells the apps above it (core.events): quarantine places and releases.

Handlers run synchronously in the caller's transaction, so a placement request is filed, or withdrawn, together
with the measure plan or release that asked for it."""

from cordon.core.events import Event

# a risk person's plan has a centralized-quarantine phase still to come: actor=, person_id=, category=,
# start= and end= (dates of the centralized phases), source= (the risk person's source string), household_id=
CENTRALIZED_NEEDED = Event("contacts.centralized_needed",
                           "A measure plan has a centralized phase: a placement in a quarantine site is requested.")

# many risk persons' plans have a centralized phase (measures_apply_many: a tracer confirming a case's contacts): actor=,
# items= [{person_id, category, start, end, source, household_id}] as CENTRALIZED_NEEDED's, in order; one batch of
# placement requests
CENTRALIZED_NEEDED_MANY = Event("contacts.centralized_needed_many",
                                "Many measure plans have a centralized phase: placements are requested as one batch.")

# a risk person's plan (re-planned) has no centralized phase to come: actor=, source=
CENTRALIZED_NOT_NEEDED = Event("contacts.centralized_not_needed",
                               "A measure plan no longer has a centralized phase: an open placement request is withdrawn.")

# a risk person was released from measures: actor=, source=
RISK_RELEASED = Event("contacts.risk_released",
                      "A risk person was released from measures: an open placement request is withdrawn.")

# many risk persons were released from measures at once (measures_advance: the day's ended plans): actor=,
# sources= [the risk persons' source strings] in order; their open placement requests are withdrawn as one batch
RISKS_RELEASED_MANY = Event("contacts.risks_released_many",
                            "Many risk persons were released from measures: their open placement requests are withdrawn.")
