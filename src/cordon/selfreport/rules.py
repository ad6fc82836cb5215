"""Pure self-report rules: fever, the day's cut-off, the missed-report priority, the enrolment window.
Rule values come in as arguments (the services read them from the rule set in force)."""

import datetime as dt
import hashlib
from decimal import Decimal


def is_fever(temperature: Decimal, *, threshold: float) -> bool:
    """At or above the rule set's fever threshold (37.3 °C in the shipped rule sets)."""
    return Decimal(str(temperature)) >= Decimal(str(threshold))


def alarming(*, temperature: Decimal, symptoms: list[str], threshold: float) -> bool:
    """A report that becomes a task: a fever or any symptom."""
    return is_fever(temperature, threshold=threshold) or bool(symptoms)


def past_cutoff(local_time: dt.time, *, cutoff_hour: int) -> bool:
    """Is the day's report overdue at this city wall-clock time?"""
    return local_time.hour >= int(cutoff_hour)


def miss_priority(streak: int, *, priority_after_misses: int) -> int:
    """Task priority of a missed report: 2 for a single miss, 1 once the misses in a row reach the rule's count."""
    return 1 if streak >= int(priority_after_misses) else 2


def window(*, since: dt.date, until: dt.date | None, default_days: int) -> tuple[dt.date, dt.date]:
    """The city days an enrolment covers: from the measure's first day to its last (or default_days when open)."""
    end = until if until is not None else since + dt.timedelta(days=int(default_days) - 1)
    return since, max(end, since)


def covers(day: dt.date, *, start: dt.date, end: dt.date) -> bool:
    return start <= day <= end


def token_hash(token: str) -> str:
    """What an enrolment stores of its link's token: the SHA-256, to find it again."""
    return hashlib.sha256((token or "").encode()).hexdigest()
