"""Pure helpers for surveillance: series shaping and which days to test."""

import datetime as dt

import numpy as np


def daily_series(rows: list[tuple[dt.date, float]], *, start: dt.date, end: dt.date) -> np.ndarray:
    """Counts per day from start to end inclusive (missing days are 0)."""
    n = (end - start).days + 1
    out = np.zeros(n)
    for d, v in rows:
        i = (d - start).days
        if 0 <= i < n:
            out[i] += v
    return out


def weekly(series: np.ndarray, *, end_aligned: bool = True) -> np.ndarray:
    """Sum a daily series into 7-day blocks ending on the last day (a partial first block is dropped)."""
    n = len(series) // 7 * 7
    tail = series[len(series) - n:] if end_aligned else series[:n]
    return tail.reshape(-1, 7).sum(axis=1)
