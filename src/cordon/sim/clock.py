"""The simulated clock and the transaction plumbing of a twin run.

Every service reads the time through `django.utils.timezone.now()` (and `localdate()`/`localtime()`,
which call it). `simulated_time(start)` swaps that one function for the simulation's clock for the
duration of a run and puts the real one back after, so services, model `auto_now` fields and audit
entries all see simulated time without any service taking a `now=` argument.

A run executes inside one transaction (`cordon sim run` rolls it back at the end; the demo seeder keeps
it). Services defer work to `transaction.on_commit` (contact identification after a case report, task
queueing); inside an open transaction those callbacks would wait for a commit that never comes, so
`settle()` runs the pending ones right away, the way Django's own `captureOnCommitCallbacks(execute=True)`
does in tests.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone


class Clock:
    def __init__(self, start: dt.datetime):
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def set(self, when: dt.datetime) -> None:
        if when > self.current:  # time never runs backwards
            self.current = when


@contextmanager
def simulated_time(start: dt.datetime):
    """Patch django.utils.timezone.now with a settable clock; restore it on exit."""
    clock = Clock(start)
    real = timezone.now
    timezone.now = clock.now
    try:
        yield clock
    finally:
        timezone.now = real


def settle(using=None) -> int:
    """Run the on_commit callbacks queued so far (and those they queue); returns how many ran."""
    conn = connection
    ran = 0
    while conn.run_on_commit:
        pending, conn.run_on_commit = conn.run_on_commit, []
        for _sids, func, robust in pending:
            try:
                func()
            except Exception:
                if not robust:
                    raise
            ran += 1
    return ran
