"""What people tells the apps above it (core.events)."""

from cordon.core.events import Event

# on commit after a resident moved to another grid: person=Person, from_path=str, actor=
PERSON_MOVED = Event("people.person_moved", "A resident moved to another grid: their status follows them.")
