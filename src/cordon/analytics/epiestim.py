"""Time-varying reproduction number after Cori et al. (2013), as EpiEstim's `estimate_R` computes it.

- `discr_si(k, mu, sigma)`: EpiEstim's discretised serial interval (gamma offset by one day).
- `estimate_r(local, imported, si_distr, ...)`: posterior Gamma(a, b) per window with prior mean 5 and
  sd 5 by default; weekly sliding windows t_start = 2..T-window+1 (1-based, as EpiEstim).
  A plain incidence series has its first day counted as imported (EpiEstim's convention).
- `estimate_r_many(...)`: the same for many series at once (rows), vectorised.
- `estimable(shape, max_cv=)`: whether a window's posterior carries an estimate. Cori et al. (2013)
  advise reporting Rt only where the posterior coefficient of variation (1 / sqrt(shape) for the
  Gamma posterior, shape = prior shape + cases in the window) is below a threshold (0.3: about 11
  cases); below that the "estimate" is the prior.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special, stats
from scipy.linalg import toeplitz

QUANTILES = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)

# Gamma quantiles for many shapes (`gamma_quantile`): from this shape on, a Chebyshev series of the standardised
# quantile in u = shape^-1/2 (smooth there) replaces one gammaincinv call per shape, fitted at _SERIES_DEGREE + 1 nodes.
_SERIES_FROM = 200.0
_SERIES_DEGREE = 24
_SERIES_CHECK = 8
_SERIES_TOLERANCE = 1e-12


def discr_si(k, mu: float, sigma: float) -> np.ndarray:
    """Discrete serial interval w_k for k = 0, 1, ... (EpiEstim::discr_si)."""
    if sigma < 0:
        raise ValueError("sigma must be >= 0")
    if mu <= 1:
        raise ValueError("mu must be > 1")
    k = np.asarray(k, dtype=float)
    if np.any(k < 0):
        raise ValueError("all values in k must be >= 0")
    a = ((mu - 1) / sigma) ** 2
    b = sigma**2 / (mu - 1)

    def cdf(x, shape):
        return stats.gamma.cdf(x, shape, scale=b)

    res = k * cdf(k, a) + (k - 2) * cdf(k - 2, a) - 2 * (k - 1) * cdf(k - 1, a)
    res = res + a * b * (2 * cdf(k - 1, a + 1) - cdf(k - 2, a + 1) - cdf(k, a + 1))
    return np.maximum(0.0, res)


def split_plain_incidence(incidence) -> tuple[np.ndarray, np.ndarray]:
    """A plain series: every case local except the first day's, which are imported (EpiEstim)."""
    incidence = np.asarray(incidence, dtype=float)
    local = incidence.copy()
    imported = np.zeros_like(incidence)
    imported[..., 0] = incidence[..., 0]
    local[..., 0] = 0.0
    return local, imported


def overall_infectivity(total, si_distr) -> np.ndarray:
    """Lambda_t = sum_{k=1}^{t-1} total_{t-k} w_k (NaN at t = 1); works on one series or rows."""
    total = np.atleast_2d(np.asarray(total, dtype=float))
    T = total.shape[1]
    w = np.zeros(T)
    si = np.asarray(si_distr, dtype=float)[:T]
    w[: len(si)] = si
    w[0] = 0.0
    if total.shape[0] > 8:
        # Many series: one matrix product with the (upper-triangular Toeplitz) serial-interval matrix.
        lam = total @ toeplitz(np.zeros(T), w)
    else:
        lam = np.stack([np.convolve(row, w)[:T] for row in total])
    lam[:, 0] = np.nan
    return lam


@dataclass
class RtResult:
    t_start: np.ndarray  # 1-based, as in EpiEstim
    t_end: np.ndarray
    shape: np.ndarray  # posterior Gamma shape per window (rows x windows for many series)
    scale: np.ndarray
    a_prior: float = 1.0

    @property
    def mean(self):
        return self.shape * self.scale

    @property
    def std(self):
        return np.sqrt(self.shape) * self.scale

    @property
    def cv(self):
        """Posterior coefficient of variation per window (sd / mean = 1 / sqrt(shape))."""
        return posterior_cv(self.shape)

    def _count_index(self):
        """(integer counts, distinct counts present) when every shape is prior + a whole count, else None."""
        cached = getattr(self, "_index_cache", False)
        if cached is not False:
            return cached
        shape = np.asarray(self.shape)
        result = None
        if shape.size > 1000:
            counts = shape - self.a_prior
            whole = np.rint(counts)
            if whole.min() >= 0 and whole.max() < 5e7 and np.all(np.abs(counts - whole) < 1e-9):
                idx = whole.astype(np.int64)
                result = (idx, np.flatnonzero(np.bincount(idx.ravel())))
        object.__setattr__(self, "_index_cache", result)
        return result

    def quantile(self, p: float):
        # Shapes are the prior shape plus whole case counts, so they repeat a lot: invert the
        # regularised incomplete gamma once per count present (a lookup table), not once per window.
        index = self._count_index()
        if index is not None:
            idx, used = index
            table = np.empty(idx.max() + 1)
            table[used] = gamma_quantile(self.a_prior + used, p)
            return table[idx] * self.scale
        return special.gammaincinv(self.shape, p) * self.scale


def gamma_quantile(shape, p: float) -> np.ndarray:
    """gammaincinv(shape, p) for many distinct shapes, to within 1e-12 relative (in practice 1e-15).

    Below _SERIES_FROM each shape is inverted directly. Above it x(a) = a + sqrt(a) g(1/sqrt(a)) with g smooth, so g is
    fitted by a Chebyshev series at nodes over the shapes' range and evaluated for all of them; the series is checked
    against gammaincinv at other shapes of the range, and if it ever misses by more than the tolerance the shapes are
    inverted one by one instead."""
    a = np.asarray(shape, dtype=float)
    out = np.empty_like(a)
    big = a >= _SERIES_FROM
    out[~big] = special.gammaincinv(a[~big], p)
    if big.sum() <= 4 * (_SERIES_DEGREE + 1 + _SERIES_CHECK):
        out[big] = special.gammaincinv(a[big], p)
        return out
    u = 1.0 / np.sqrt(a[big])
    lo, hi = float(u.min()), float(u.max())
    k = np.arange(_SERIES_DEGREE + 1)
    nodes = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (2 * k + 1) / (2 * len(k)))
    at_nodes = 1.0 / nodes**2
    series = np.polynomial.chebyshev.Chebyshev.fit(nodes, (special.gammaincinv(at_nodes, p) - at_nodes) * nodes,
                                                   _SERIES_DEGREE, domain=[lo, hi])
    check = np.linspace(lo, hi, _SERIES_CHECK + 2)[1:-1]
    a_check = 1.0 / check**2
    exact = special.gammaincinv(a_check, p)
    if np.max(np.abs(a_check + series(check) / check - exact) / exact) > _SERIES_TOLERANCE:
        out[big] = special.gammaincinv(a[big], p)
    else:
        out[big] = a[big] + series(u) / u
    return out


def posterior_cv(shape):
    """Coefficient of variation of a Gamma(shape, scale) posterior: 1 / sqrt(shape)."""
    shape = np.asarray(shape, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(shape > 0, 1.0 / np.sqrt(np.maximum(shape, 1e-300)), np.inf)


def estimable(shape, *, max_cv: float):
    """True where the posterior CV is below `max_cv` (Cori et al. 2013): Rt may be shown."""
    return posterior_cv(shape) < max_cv


def cases_needed(*, max_cv: float, a_prior: float = 1.0) -> int:
    """Fewest cases in a window for an estimable Rt: shape = a_prior + cases > 1 / max_cv^2."""
    k = max(0, int(np.floor(1.0 / max_cv**2 - a_prior)) + 1)
    while not estimable(a_prior + k, max_cv=max_cv):
        k += 1
    return k


def default_windows(T: int, window: int = 7) -> tuple[np.ndarray, np.ndarray]:
    t_start = np.arange(2, T - window + 2)
    return t_start, t_start + window - 1


def _window_sums(x: np.ndarray, t_start: np.ndarray, t_end: np.ndarray) -> np.ndarray:
    """Sums of x[:, t_start-1 .. t_end-1] per window (1-based inclusive), via one cumulative sum."""
    cs = np.empty((x.shape[0], x.shape[1] + 1))
    cs[:, 0] = 0.0
    np.cumsum(x, axis=1, out=cs[:, 1:])
    if len(t_start) and np.all(np.diff(t_start) == 1) and np.all(t_end - t_start == t_end[0] - t_start[0]):
        # sliding windows of one length: two contiguous slices instead of fancy indexing
        return cs[:, t_end[0]:t_end[-1] + 1] - cs[:, t_start[0] - 1:t_start[-1]]
    return cs[:, t_end] - cs[:, t_start - 1]


def _posterior(local, lam, t_start, t_end, prior_mean, prior_sd):
    a_prior = (prior_mean / prior_sd) ** 2
    b_prior = prior_sd**2 / prior_mean
    lam0 = np.where(np.isnan(lam), 0.0, lam) if np.isnan(lam[:, 1:]).any() else lam.copy()
    lam0[:, 0] = 0.0  # t_start >= 2, so day 1 (no infectivity) is never inside a window
    shape = a_prior + _window_sums(local, t_start, t_end)
    scale = 1.0 / (1.0 / b_prior + _window_sums(lam0, t_start, t_end))
    return shape, scale


def estimate_r_many(local, imported, si_distr, *, t_start=None, t_end=None, window: int = 7,
                    prior_mean: float = 5.0, prior_sd: float = 5.0) -> RtResult:
    """Cori Rt for each row of `local`/`imported` (same length series)."""
    local = np.atleast_2d(np.asarray(local, dtype=float))
    imported = np.atleast_2d(np.asarray(imported, dtype=float))
    T = local.shape[1]
    if t_start is None:
        t_start, t_end = default_windows(T, window)
    t_start, t_end = np.asarray(t_start), np.asarray(t_end)
    if np.any(t_start < 2):
        raise ValueError("t_start must be >= 2 (the first day has no infectivity)")
    if np.any(t_end > T) or np.any(t_end < t_start):
        raise ValueError("windows must satisfy t_start <= t_end <= number of days")
    si = np.asarray(si_distr, dtype=float)
    if si[0] != 0:
        raise ValueError("si_distr must start with w_0 = 0")
    if abs(si.sum() - 1) > 0.01:
        raise ValueError("si_distr must sum to 1")
    lam = overall_infectivity(local + imported, si)
    shape, scale = _posterior(local, lam, t_start, t_end, prior_mean, prior_sd)
    return RtResult(t_start=t_start, t_end=t_end, shape=shape, scale=scale, a_prior=(prior_mean / prior_sd) ** 2)


def estimate_r(local, imported, si_distr, **kwargs) -> RtResult:
    """Cori Rt for one series; arrays in the result are 1-D."""
    res = estimate_r_many(local, imported, si_distr, **kwargs)
    return RtResult(t_start=res.t_start, t_end=res.t_end, shape=res.shape[0], scale=res.scale[0], a_prior=res.a_prior)


def parametric_si_distr(T: int, mean_si: float, std_si: float) -> np.ndarray:
    """The discretised serial interval EpiEstim uses for method "parametric_si" over T days."""
    w = discr_si(np.arange(0, T), mean_si, std_si)
    return w
