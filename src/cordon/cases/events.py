"""What cases tells, and asks, the apps above it (core.events): contacts identify, zones propose areas; contacts
answer what tracing found for the case pages and the cluster links."""

from cordon.core.events import Event, Question

# on commit after a case is confirmed: case=Case, actor=user or system actor
CASE_CONFIRMED = Event("cases.case_confirmed", "A case was confirmed: tracing starts and zones are proposed.")

# on commit when a case's trajectory, named contacts or exposure window changed: case=Case, actor=
TRAJECTORY_CHANGED = Event("cases.trajectory_changed", "A case's trajectory changed: contacts are identified again.")

# person_ids=, case_ids= -> [(person id, source case id)]: which of these people tracing found as contacts of which
# of these cases (a cluster link between two cases)
CONTACT_LINKS = Question("cases.contact_links", "Which of these people were found as contacts of which of these cases?")

# actor=, case_id= -> {"status": {status: n}, "category": {category: n}}: the contacts of one case the actor sees
CONTACT_COUNTS = Question("cases.contact_counts", "How many contacts of a case, per status and per category?")
