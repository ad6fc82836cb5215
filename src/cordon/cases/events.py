"""What cases tells the apps above it (core.events): contacts identify, zones propose areas."""

from cordon.core.events import Event

# on commit after a case is confirmed: case=Case, actor=user or system actor
CASE_CONFIRMED = Event("cases.case_confirmed", "A case was confirmed: tracing starts and zones are proposed.")

# on commit when a case's trajectory, named contacts or exposure window changed: case=Case, actor=
TRAJECTORY_CHANGED = Event("cases.trajectory_changed", "A case's trajectory changed: contacts are identified again.")
