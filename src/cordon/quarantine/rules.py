"""Pure quarantine rules (no ORM): measure plans, release checks, fever, reserves, capacity forecast."""

import datetime as dt
import math
from decimal import Decimal


def district_of(path: str) -> str:
    """The district's path of a region path (its first two codes)."""
    return ".".join(path.split(".")[:2])


def plan_phases(measures: dict, category: str) -> list[dict]:
    """The phases of the measure plan for a category ([] when the category has none)."""
    cat = (measures.get("categories") or {}).get(category) or {}
    return list(cat.get("phases") or [])


def phase_of(measures: dict, category: str, kind: str) -> tuple[dict | None, dict | None]:
    """(the first phase of `kind`, the phase after it) in the category's plan."""
    phases = plan_phases(measures, category)
    for i, ph in enumerate(phases):
        if ph.get("kind") == kind:
            return ph, (phases[i + 1] if i + 1 < len(phases) else None)
    return None, None


def test_days(phase: dict | None, days: int) -> list[int]:
    """Test days within a stay of `days` days: the plan's, else the first and the last day."""
    listed = [d for d in (phase or {}).get("test_days") or [] if 1 <= d <= days]
    return sorted(set(listed)) if listed else sorted({1, max(1, days)})


def test_dates(start: dt.date, days_list: list[int]) -> list[tuple[int, dt.date]]:
    """(day, date) for each test day; day 1 is the stay's first day."""
    return [(d, start + dt.timedelta(days=d - 1)) for d in days_list]


def is_fever(temperature: Decimal | float, threshold: float) -> bool:
    """A reading at or above the threshold counts as fever."""
    return Decimal(str(temperature)) >= Decimal(str(threshold))


def release_problems(*, today: dt.date, planned_end: dt.date, last_test: str | None, require_negative: bool) -> list[str]:
    """Why a stay may not be released yet ([] when it may): days not complete, last test not negative."""
    problems = []
    if today < planned_end:
        problems.append(f"the stay runs until {planned_end.isoformat()}")
    if require_negative and last_test != "negative":
        problems.append("the last scheduled test is not negative" if last_test else "no test result yet")
    return problems


def reserve_target(population: int, per_10k: int) -> int:
    """Rooms a district must keep: per_10k rooms per 10,000 residents, rounded up."""
    return math.ceil(population * per_10k / 10000)


def trend(counts: list[int]) -> tuple[float, float]:
    """Least-squares line through daily counts: (level at the last day, slope per day)."""
    n = len(counts)
    if n == 0:
        return 0.0, 0.0
    if n == 1:
        return float(counts[0]), 0.0
    xs = range(n)
    mx, my = (n - 1) / 2, sum(counts) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, counts, strict=True)) / sxx
    return my + slope * (n - 1 - mx), slope


def forecast_arrivals(counts: list[int], days: int) -> list[float]:
    """Expected new placements per day for the next `days` days from the recent daily counts (never negative)."""
    level, slope = trend(counts)
    return [max(0.0, level + slope * (k + 1)) for k in range(days)]


def cap_arrivals(arrivals: list[float], *, eligible: float | None) -> list[float]:
    """Arrivals whose running total never exceeds the people still eligible (None: no cap)."""
    if eligible is None:
        return list(arrivals)
    out, total = [], 0.0
    for a in arrivals:
        take = max(0.0, min(a, eligible - total))
        out.append(take)
        total += take
    return out


def rooms_needed(*, occupied_until: list[dt.date], arrivals: list[float], stay_days: int, today: dt.date) -> list[int]:
    """Rooms in use on each of the next days: current stays still running plus forecast arrivals still inside."""
    out = []
    for k in range(len(arrivals)):
        day = today + dt.timedelta(days=k + 1)
        current = sum(1 for end in occupied_until if end >= day)
        incoming = sum(arrivals[j] for j in range(max(0, k - stay_days + 1), k + 1))
        out.append(current + math.ceil(incoming))
    return out


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years of age on a day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def needs_carer(person, *, on: dt.date, section: dict) -> bool:
    """Does the quarantine rule section say this person may not be alone in a room (a child under the age limit,
    a pregnant woman, a dependent person by the section's dependent_flags), as the placement optimiser counts it."""
    allowed = section.get("carer_allowed_for", [])
    if "child_under_14" in allowed and age_on(person.birth_date, on) < int(section.get("child_age_limit", 14)):
        return True
    if "pregnant" in allowed and person.pregnant:
        return True
    return "dependent" in allowed and any(getattr(person, f, False) for f in section.get("dependent_flags", []))
