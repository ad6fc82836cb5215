"""EARS C1, C2 and C3 exactly as R's `surveillance::earsC` (version 1.20) computes them.

C1: baseline = the `baseline` days right before t; C2: the same with a 2-day lag; upperbound =
mean + z_{1-alpha} * max(sd, minSigma), alarm when observed > upperbound. C3 reproduces the
package's formula: upperbound_t = observed_t + max(sd_t, minSigma) * (z - (max(0, C2_{t-2} - 1) +
max(0, C2_{t-1} - 1))), floored at 0, where sd_t is the C2 baseline sd for t. The default alpha is
0.001 for C1/C2 and 0.025 for C3 (the package's defaults when alpha is not given).
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm


@dataclass
class EarsResult:
    indices: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray


def _windows(x: np.ndarray, rows: np.ndarray, lags: range) -> np.ndarray:
    """Matrix of reference values: one row per index in `rows`, columns x[t - lag] for each lag."""
    idx = rows[:, None] - np.array(list(lags))[None, :]
    return x[idx]


def default_range(n: int, method: str, baseline: int = 7) -> np.ndarray:
    first = {"C1": baseline, "C2": baseline + 2, "C3": baseline + 4}[method]
    return np.arange(first, n)


def ears_c(observed, *, method: str = "C1", alpha: float | None = None, baseline: int = 7, min_sigma: float = 0.0,
           indices=None) -> EarsResult:
    """Upper bounds and alarms for 0-based `indices` of `observed` (default: every index with enough history)."""
    x = np.asarray(observed, dtype=float)
    if method not in ("C1", "C2", "C3"):
        raise ValueError("method must be C1, C2 or C3")
    if min_sigma < 0:
        raise ValueError("the minimum sigma (min_sigma) must be >= 0")
    if baseline < 3:
        raise ValueError("minimum baseline to use is 3")
    if alpha is None:
        alpha = 0.025 if method == "C3" else 0.001
    z = norm.ppf(1 - alpha)
    rng = default_range(len(x), method, baseline) if indices is None else np.sort(np.asarray(indices, dtype=int))
    max_lag = {"C1": baseline, "C2": baseline + 2, "C3": baseline + 4}[method]
    if len(rng) == 0:
        return EarsResult(rng, np.array([]), np.array([], dtype=bool))
    if rng[0] - max_lag < 0:
        raise ValueError(f"the series is too short: {method} needs {max_lag} earlier values before the first date")
    if method == "C1":
        ref = _windows(x, rng, range(baseline, 0, -1))
        ub = ref.mean(axis=1) + z * np.maximum(ref.std(axis=1, ddof=1), min_sigma)
    elif method == "C2":
        ref = _windows(x, rng, range(baseline + 2, 2, -1))
        ub = ref.mean(axis=1) + z * np.maximum(ref.std(axis=1, ddof=1), min_sigma)
    else:
        rows_c2 = np.arange(rng.min() - 2, rng.max() + 1)
        ref = _windows(x, rows_c2, range(baseline + 2, 2, -1))
        sd = np.maximum(ref.std(axis=1, ddof=1), min_sigma)
        with np.errstate(divide="ignore", invalid="ignore"):
            c2 = (x[rows_c2] - ref.mean(axis=1)) / sd
        lag2 = np.maximum(0, c2[:-2] - 1)
        lag1 = np.maximum(0, c2[1:-1] - 1)
        # the package indexes C2 by the contiguous span min..max of the range
        pos = rng - rows_c2[0]
        ub_full = x[rows_c2[2:]] + sd[2:] * (z - (lag2 + lag1))
        ub = np.maximum(0, ub_full[pos - 2])
    with np.errstate(invalid="ignore"):
        alarm = x[rng] > ub
    return EarsResult(indices=rng, upperbound=ub, alarm=alarm)
