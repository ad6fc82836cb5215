"""Signals other modules listen to (zones propose areas, screening links retests, command files tasks)."""

from django.dispatch import Signal

# sent on commit after a case is confirmed: sender=Case class, case=Case, actor=user or None
case_confirmed = Signal()

# sent on commit when a case's trajectory, named contacts or exposure window changed: sender=Case, case=, actor=
trajectory_changed = Signal()
