"""Pure staffing rules. No ORM."""

import math


def samplers_needed(*, population: int, people_per_sampler: int) -> int:
    """Samplers for one round: population / people per sampler, rounded up."""
    return math.ceil(max(0, population) / max(1, people_per_sampler)) if population else 0


def tracers_needed(*, open_cases: int, per_case: int) -> int:
    """Tracers for the open cases."""
    return max(0, open_cases) * max(0, per_case)


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Two shifts overlap when each starts before the other ends."""
    return a_start < b_end and b_start < a_end


def fill(*, needs: dict[str, int], have: dict[str, int]) -> list[dict]:
    """Per skill: needed, deployed, short."""
    return [{"skill": s, "need": n, "have": have.get(s, 0), "short": max(0, n - have.get(s, 0))} for s, n in needs.items()]
