"""Pure rules for mass testing: sizing a round, grouping grids into sites, pool sizes, barcodes,
result words. No ORM; rule-set values are passed in."""

import math
import re
from collections.abc import Callable

BARCODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,63}$")

RESULT_WORDS = {
    "negative": "negative", "neg": "negative", "n": "negative", "阴性": "negative", "not detected": "negative",
    "positive": "positive", "pos": "positive", "p": "positive", "阳性": "positive", "detected": "positive",
    "invalid": "invalid", "inv": "invalid", "无效": "invalid",
}


def barcode_ok(code: str) -> bool:
    """A tube barcode or specimen id (a UUID fits): 6-64 upper-case letters, digits or dashes, starting with a letter or digit."""
    return bool(BARCODE.match(code or ""))


def normalise_barcode(code) -> str:
    return str(code or "").strip().upper()


def fresh_tube_codes(*, site_id: int, count: int, token: Callable[[int], str]) -> list[str]:
    """Barcodes for blank tube labels of a site: T + site number + a random part (token(n) gives n random bytes as hex),
    unique city-wide for any practical print run; a tube is opened when its first swab is registered."""
    return [f"T{site_id:05d}{token(5).upper()}" for _ in range(count)]


def result_word(value) -> str | None:
    """'positive' | 'negative' | 'invalid' for the spellings labs use, else None."""
    return RESULT_WORDS.get(str(value or "").strip().lower())


def sizing(*, population: int, pool_size: int, rules: dict) -> dict:
    """Staffing and consumables for a round: sites, tables, samplers, tubes and swabs."""
    s = rules
    per_site = (s["people_per_site_min"] + s["people_per_site_max"]) / 2
    per_table = (s["people_per_table_min"] + s["people_per_table_max"]) / 2
    return {
        "population": population,
        "sites": max(1, math.ceil(population / per_site)) if population else 0,
        "tables": max(1, math.ceil(population / per_table)) if population else 0,
        "samplers": math.ceil(population / s["people_per_sampler"]),
        "sampling_groups": math.ceil(population / s["people_per_group_per_day"]),
        "tubes": math.ceil(population / max(1, pool_size)),
        "swabs": population,
    }


def group_grids(grids: list[tuple[str, str, int]], *, target_max: int) -> list[list[tuple[str, str, int]]]:
    """Group (community path, grid path, population) into sites of at most ~target_max people,
    never mixing communities, keeping grids in path order. A grid bigger than the target is its own site."""
    groups: list[list[tuple[str, str, int]]] = []
    current: list[tuple[str, str, int]] = []
    total = 0
    for item in sorted(grids, key=lambda g: g[1]):
        if current and (item[0] != current[0][0] or total + item[2] > target_max):
            groups.append(current)
            current, total = [], 0
        current.append(item)
        total += item[2]
    if current:
        groups.append(current)
    return groups


def pool_size_for(level: str | None, *, pool_sizes: dict, default: int) -> int:
    """Tube size for a site in a zone of `level` (sealed/controlled/high/...), else the round default."""
    if level and level in pool_sizes:
        return int(pool_sizes[level])
    return int(default)


def allowed_pool_sizes(pool_sizes: dict) -> set[int]:
    """Pool sizes the rule set knows (a tube bigger than the largest is refused)."""
    return {int(v) for v in pool_sizes.values()}


def tables_and_samplers(population: int, rules: dict) -> tuple[int, int]:
    per_table = (rules["people_per_table_min"] + rules["people_per_table_max"]) / 2
    return max(1, math.ceil(population / per_table)), max(1, math.ceil(population / rules["people_per_sampler"]))


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None
