"""Pure stock rules: consumption rate, testing-round demand and days of supply. No ORM."""

import math


def daily_rate(*, issued: float, window_days: int) -> float:
    """Average daily use over the window (issues only; transfers are not consumption)."""
    return max(0.0, float(issued)) / max(1, int(window_days))


def round_need(*, people: int, pool_size: int, per_tube: float, per_person: float) -> float:
    """Units a testing round uses: tubes = ceil(people / pool size), plus per-person items (swabs)."""
    tubes = math.ceil(people / max(1, pool_size)) if people else 0
    return tubes * per_tube + people * per_person


def days_of_supply(*, balance: float, rate: float, planned: list[tuple[int, float]], horizon: int = 60) -> float | None:
    """Days until stock runs out at `rate` per day plus planned demand on given day offsets; None when it lasts the horizon."""
    by_day: dict[int, float] = {}
    for day, qty in planned:
        by_day[max(0, int(day))] = by_day.get(max(0, int(day)), 0.0) + qty
    left = float(balance)
    for day in range(horizon):
        use = rate + by_day.get(day, 0.0)
        if use > left:
            return round(day + (left / use if use else 0), 1)
        left -= use
    return None


def is_low(*, days: float | None, low_days: int) -> bool:
    """A warning when the supply lasts fewer days than the item's threshold."""
    return days is not None and days < low_days
