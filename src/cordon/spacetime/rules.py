"""Time-space companion (时空伴随者) rule, pure: no ORM; rule values are passed in.

A person is a companion of a case when, inside the case's infectious window, they were in the same
cell as the case for more than `min_minutes` (all their overlaps in that cell added up; exactly
`min_minutes` is not enough), and either of the two spent more than `either_party_min_hours_14d`
hours in that cell during the `lookback_days` days before the end of the window (again strictly more).
Rule values: tracing.json "spacetime" = {cell_m, min_minutes, either_party_min_hours_14d,
lookback_days}; null (measures-2022-11) means companions are not identified.

Times are integer epoch seconds throughout; intervals are half-open [start, end).
"""

from dataclasses import dataclass

import numpy as np

DAY_S = 86_400


@dataclass(frozen=True)
class SpacetimeRule:
    cell_m: int
    min_minutes: float
    hours: float  # either party, over the lookback
    lookback_days: int

    @property
    def min_seconds(self) -> float:
        return self.min_minutes * 60

    @property
    def hours_seconds(self) -> float:
        return self.hours * 3600


def rule_from(tracing: dict | None) -> SpacetimeRule | None:
    """The rule of a tracing section, or None when the rule set does not identify companions."""
    spec = (tracing or {}).get("spacetime")
    if not spec:
        return None
    return SpacetimeRule(cell_m=int(spec["cell_m"]), min_minutes=float(spec["min_minutes"]),
                         hours=float(spec["either_party_min_hours_14d"]), lookback_days=int(spec["lookback_days"]))


def is_companion(*, together_seconds: float, case_seconds: float, other_seconds: float, rule: SpacetimeRule) -> bool:
    """The rule itself: together > min_minutes and (case or other) > the hours threshold in that cell."""
    return together_seconds > rule.min_seconds and max(case_seconds, other_seconds) > rule.hours_seconds


def union_seconds(keys: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """Length of the union of intervals per key: (unique keys, seconds, first start, last end).

    Overlapping rows of one key (two operators reporting the same stay) count once."""
    keys = np.asarray(keys, dtype=np.int64)
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    if not len(keys):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    order = np.lexsort((starts, keys))
    k, s, e = keys[order], starts[order], ends[order]
    first = np.ones(len(k), dtype=bool)
    first[1:] = k[1:] != k[:-1]
    group = np.cumsum(first) - 1
    # running maximum of the ends seen so far inside each group (groups offset so they never mix)
    base = int(s.min()) - 1
    offset = group.astype(np.int64) * (int(e.max()) - base + 1)
    running = np.maximum.accumulate(offset + (e - base)) - offset + base
    prev = np.empty_like(running)
    prev[1:] = running[:-1]
    prev[first] = np.iinfo(np.int64).min
    covered = np.maximum(0, e - np.maximum(s, prev))
    uniq = k[first]
    seconds = np.add.reduceat(covered, np.flatnonzero(first))
    first_start = s[first]
    last_end = np.maximum.reduceat(e, np.flatnonzero(first))
    return uniq, seconds, first_start, last_end


def intersections(span_s: np.ndarray, span_e: np.ndarray, row_person: np.ndarray, row_s: np.ndarray, row_e: np.ndarray):
    """Pieces of other people's rows (one cell) inside the case's spans (same cell): (person, start, end)."""
    span_s, span_e = np.asarray(span_s, dtype=np.int64), np.asarray(span_e, dtype=np.int64)
    row_s, row_e = np.asarray(row_s, dtype=np.int64), np.asarray(row_e, dtype=np.int64)
    s = np.maximum(row_s[:, None], span_s[None, :])
    e = np.minimum(row_e[:, None], span_e[None, :])
    hit = e > s
    r, _ = np.nonzero(hit)
    return np.asarray(row_person, dtype=np.int64)[r], s[hit], e[hit]


def clip(starts, ends, lo: int, hi: int):
    """Intervals clipped to [lo, hi); empty ones dropped: (mask, starts, ends)."""
    s = np.maximum(np.asarray(starts, dtype=np.int64), lo)
    e = np.minimum(np.asarray(ends, dtype=np.int64), hi)
    keep = e > s
    return keep, s[keep], e[keep]


def split_at(starts, ends, boundaries):
    """Split intervals at the given sorted boundaries (e.g. local midnights): (row index, start, end) per piece."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    b = np.asarray(boundaries, dtype=np.int64)
    i0 = np.searchsorted(b, starts, side="right")
    i1 = np.searchsorted(b, ends, side="left")
    inner = np.maximum(0, i1 - i0)
    row = np.repeat(np.arange(len(starts)), inner + 1)
    k = np.arange(len(row)) - np.repeat(np.cumsum(inner + 1) - (inner + 1), inner + 1)  # piece number within its row
    bi = np.repeat(i0, inner + 1) + k  # boundary index that closes piece k (when not the last piece)
    last = k == np.repeat(inner, inner + 1)
    pad = np.concatenate([b, [0]]) if len(b) else np.zeros(1, dtype=np.int64)
    piece_s = np.where(k == 0, starts[row], pad[np.clip(bi - 1, 0, len(pad) - 1)])
    piece_e = np.where(last, ends[row], pad[np.clip(bi, 0, len(pad) - 1)])
    return row, piece_s, piece_e
