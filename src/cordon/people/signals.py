"""Signals other modules listen to about residents."""

from django.dispatch import Signal

# sent on commit after a resident moved to another grid: sender=Person, person=Person, from_path=str, actor=
person_moved = Signal()
