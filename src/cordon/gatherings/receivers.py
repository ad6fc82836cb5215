"""Gatherings answer venues' question: which risk zone keeps a venue closed (the neighbour rule of gatherings)."""

from cordon.gatherings import selectors
from cordon.venues import events as venue_events


@venue_events.REOPEN_BLOCKER.answer
def reopen_blocker(*, venue, on=None):
    return selectors.venue_blocker(venue=venue, on=on)
