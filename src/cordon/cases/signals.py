"""Signals other modules listen to (zones propose areas, screening links retests, command files tasks)."""

from django.dispatch import Signal

# sent on commit after a case is confirmed: sender=Case class, case=Case, actor=user or None
case_confirmed = Signal()
