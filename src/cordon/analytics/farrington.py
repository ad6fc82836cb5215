"""Farrington Flexible (Noufaily et al. 2012), as R's `surveillance::farringtonFlexible` computes it.

For each time point k, a quasi-Poisson log-linear GLM (optional linear trend; with noPeriods > 1 a
seasonal factor of noPeriods levels built by `blocks`) is fitted to the reference values: b years
back, windows of +-w around the same point of each year (or, with noPeriods > 1, the whole year
split into blocks), the last `pastWeeksNotIncluded` points excluded. Points with large Anscombe
residuals are down-weighted and the model refitted; the trend is kept only if significant
(p < pThresholdTrend), b >= 3 and the prediction does not extrapolate beyond the data. The
threshold is the 2/3-power-transformed normal bound ("delta", the package default) or the negative
binomial quantile ("nbPlugin" / "muan", Noufaily's proposal). Time points are integer epochs with
`freq` points per year (the package's behaviour for series without dates).

The GLM is fitted by iteratively reweighted least squares like R's glm.fit (start mu = y + 0.1,
deviance tolerance 1e-8, at most 25 iterations). As in the package, the prediction's standard
error uses the fitted model's own dispersion, while the threshold uses phi = max(dispersion, 1).
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import stats


@dataclass
class FarringtonControl:
    b: int = 5
    w: int = 3
    reweight: bool = True
    weights_threshold: float = 2.58
    alpha: float = 0.05
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit54: tuple[int, int] = (5, 4)
    powertrans: str = "2/3"
    no_periods: int = 1
    past_weeks_not_included: int | None = None
    threshold_method: str = "delta"
    freq: int = 52


@dataclass
class FarringtonResult:
    indices: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray
    expected: np.ndarray
    score: np.ndarray
    trend: np.ndarray
    phi: np.ndarray = field(default_factory=lambda: np.array([]))


@dataclass
class _Glm:
    coef: np.ndarray
    mu: np.ndarray
    xtwx_inv: np.ndarray
    dispersion: float
    df_residual: int
    converged: bool
    hat: np.ndarray
    y: np.ndarray = None
    # The package stores the prior weights over the fitted model's working weights after
    # reweighting, so summary() (trend p-value) and predict() (standard error) see this dispersion.
    reported_dispersion: float = np.nan


def _glm_quasipoisson(X, y, w) -> _Glm:
    """Quasi-Poisson log-link GLM by IRLS, following R's glm.fit step for step.

    Like glm.fit, the working weights, covariance and hat values are those of the last iteration
    (computed from the mean before its final update), and residuals use the final mean.
    """

    def deviance(mu):
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
        return 2 * np.sum(w * term)

    mu = y + 0.1
    eta = np.log(mu)
    dev_old = deviance(mu)
    converged = False
    coef = np.zeros(X.shape[1])
    ww = w * mu
    for _ in range(25):
        z = eta + (y - mu) / mu
        ww = w * mu
        sw = np.sqrt(ww)
        coef, *_ = np.linalg.lstsq(X * sw[:, None], z * sw, rcond=None)
        eta = X @ coef
        mu = np.exp(eta)
        dev = deviance(mu)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < 1e-8:
            converged = True
            break
        dev_old = dev
    xtwx = X.T @ (X * ww[:, None])
    xtwx_inv = np.linalg.pinv(xtwx)
    rank = np.linalg.matrix_rank(xtwx)
    df = int(np.sum(w > 0)) - rank
    working_resid = (y - mu) / mu
    dispersion = np.sum(ww * working_resid**2) / df if df > 0 else np.nan
    sw = np.sqrt(ww)
    hat = np.einsum("ij,jk,ik->i", X * sw[:, None], xtwx_inv, X * sw[:, None])
    return _Glm(coef, mu, xtwx_inv, float(dispersion), df, converged, hat, y, float(dispersion))


def blocks(k: int, n: int, *, b: int, w: int, p: int, freq: int) -> np.ndarray:
    """The package's `blocks`: factor level per time point (NaN = not used); 0-based positions, 1-based k."""
    f = np.full(n, np.nan)
    ref_weeks = [k - freq * i for i in range(b + 1)]  # descending, 1-based
    f[k - w - 1:k] = p
    for i in range(1, b + 1):
        ref = ref_weeks[i]
        f[ref - w - 1:ref + w] = p
        if p != 1:
            period = ref_weeks[i - 1] - 2 * w - 1 - ref
            if period < p - (2 * w + 1):
                raise ValueError("number of factors too big")
            length = period // (p - 1)
            rest = period % (p - 1)
            lens = np.full(p - 1, length)
            lens[:rest] += 1
            starts = np.concatenate([[0], np.cumsum(lens)])
            for j in range(1, p):
                lo = ref + w + 1 + starts[j - 1]
                hi = ref + w + 1 + starts[j] - 1
                if hi >= lo:
                    f[lo - 1:hi] = j
    return f


def _design(wtime, groups, *, trend: bool, levels):
    cols = [np.ones(len(wtime))]
    if trend:
        cols.append(wtime)
    if levels is not None:
        for lev in levels[1:]:
            cols.append((groups == lev).astype(float))
    return np.column_stack(cols)


def _fit(wtime, groups, y, *, trend, levels, ctl: FarringtonControl):
    X = _design(wtime, groups, trend=trend, levels=levels)
    w = np.ones(len(y))
    m = _glm_quasipoisson(X, y, w)
    if not m.converged:
        if trend:
            trend = False
            X = _design(wtime, groups, trend=False, levels=levels)
            m = _glm_quasipoisson(X, y, w)
        if not m.converged:
            return None, trend, X
    phi = max(m.dispersion, 1.0)
    if ctl.reweight:
        mu = m.mu
        s = 1.5 * (y ** (2 / 3) * mu ** (-1 / 6) - mu ** 0.5) / np.sqrt(phi * (1 - m.hat))
        big = s > ctl.weights_threshold
        with np.errstate(divide="ignore"):  # s == 0 only where `big` is false, and np.where discards it
            inv_sq = np.where(big, s, 1.0) ** -2.0
        gamma = len(s) / np.sum(np.where(big, inv_sq, 1.0))
        omega = np.where(big, gamma * inv_sq, gamma)
        m = _glm_quasipoisson(X, y, omega)
        m.reported_dispersion = float(np.sum(omega * ((y - m.mu) / m.mu) ** 2) / m.df_residual)
    return m, trend, X


def _predict(m: _Glm, x0, *, typ: str):
    eta0 = float(x0 @ m.coef)
    se_link = float(np.sqrt(x0 @ (m.reported_dispersion * m.xtwx_inv) @ x0))
    if typ == "response":
        mu0 = np.exp(eta0)
        return mu0, se_link * mu0
    return eta0, se_link


def _threshold_delta(fit, se_fit, phi, powertrans, alpha, y):
    mu0 = fit
    tau = phi + se_fit**2 / mu0
    if powertrans == "none":
        se, e = np.sqrt(mu0 * tau), 1.0
    elif powertrans == "1/2":
        se, e = np.sqrt(0.25 * tau), 0.5
    elif powertrans == "2/3":
        se, e = np.sqrt(4 / 9 * mu0 ** (1 / 3) * tau), 2 / 3
    else:
        raise ValueError("powertrans must be none, 1/2 or 2/3")
    z = stats.norm.ppf(1 - alpha)
    lu = sorted([(mu0**e - z * se) ** (1 / e) if mu0**e - z * se >= 0 or e == 1 else np.nan, (mu0**e + z * se) ** (1 / e)],
                key=lambda v: (not np.isnan(v), v))
    upper = lu[1]
    score = (y - fit) / (upper - fit) if not np.isnan(upper) else np.nan
    return upper, score


def _threshold_noufaily(fit, se_fit, phi, alpha, y, method):
    mu0q = np.exp(fit) if method == "nbPlugin" else np.exp(stats.norm.ppf(1 - alpha, loc=fit, scale=se_fit))
    if not np.isfinite(mu0q):
        return np.nan, np.nan
    if phi > 1:
        upper = stats.nbinom.ppf(1 - alpha, mu0q / (phi - 1), 1 / phi)
    else:
        upper = stats.poisson.ppf(1 - alpha, mu0q)
    score = (y - fit) / (upper - fit)
    return float(upper), float(score)


def farrington_flexible(observed, *, indices, control: FarringtonControl | None = None) -> FarringtonResult:
    """Upper bounds, alarms, expected values for the 1-based time points `indices` of a count series."""
    ctl = control or FarringtonControl()
    y_all = np.asarray(observed, dtype=float)
    n = len(y_all)
    past = ctl.w if ctl.past_weeks_not_included is None else ctl.past_weeks_not_included
    typ = "response" if ctl.threshold_method == "delta" else "link"
    factors = ctl.no_periods != 1
    out = {k: [] for k in ("ub", "alarm", "exp", "score", "trend", "phi")}
    idx = np.asarray(indices, dtype=int)
    for k in idx:
        if k - ctl.freq * ctl.b - ctl.w < 1:
            raise ValueError(f"time point {k}: not enough history for b={ctl.b} years of {ctl.freq} points")
        f = blocks(int(k), n, b=ctl.b, w=ctl.w, p=ctl.no_periods, freq=ctl.freq)
        f_id = f.copy()
        f_id[max(0, k - past - 1):k] = np.nan
        use = np.where(~np.isnan(f_id) & ~np.isnan(y_all))[0]
        y = y_all[use]
        wtime = (use + 1).astype(float)
        groups = f[use]
        levels = np.unique(groups) if factors else None
        m, trend, X = _fit(wtime, groups, y, trend=ctl.trend, levels=levels, ctl=ctl)
        do_trend = False
        if m is not None and trend:
            x0 = _design(np.array([float(k)]), np.array([float(ctl.no_periods)]), trend=True, levels=levels)[0]
            fit_resp, _ = _predict(m, x0, typ="response")
            se_coef = np.sqrt(m.reported_dispersion * m.xtwx_inv[1, 1])
            p_value = 2 * stats.t.sf(abs(m.coef[1] / se_coef), m.df_residual)
            do_trend = ctl.b >= 3 and p_value < ctl.p_threshold_trend and fit_resp <= y.max()
            if not do_trend:
                m, trend, X = _fit(wtime, groups, y, trend=False, levels=levels, ctl=ctl)
        if m is None:
            for key in out:
                out[key].append(np.nan)
            continue
        x0 = _design(np.array([float(k)]), np.array([float(ctl.no_periods)]), trend=do_trend, levels=levels)[0]
        fit, se_fit = _predict(m, x0, typ=typ)
        phi = max(m.dispersion, 1.0)
        yk = y_all[k - 1]
        if ctl.threshold_method == "delta":
            upper, score = _threshold_delta(fit, se_fit, phi, ctl.powertrans, ctl.alpha, yk)
        else:
            upper, score = _threshold_noufaily(fit, se_fit, phi, ctl.alpha, yk, ctl.threshold_method)
        enough = np.nansum(y_all[k - ctl.limit54[1]:k]) >= ctl.limit54[0]
        x = score if enough else np.nan
        out["alarm"].append(bool(not np.isnan(x) and x > 1 and yk != 0))
        out["ub"].append(upper if enough else np.nan)
        expected = (fit if typ == "response" else np.exp(fit)) if enough and not np.isnan(upper) else np.nan
        out["exp"].append(expected if not np.isnan(upper) else np.nan)
        out["score"].append(score)
        out["trend"].append(1.0 if do_trend else 0.0)
        out["phi"].append(phi)
    return FarringtonResult(indices=idx, upperbound=np.array(out["ub"], float), alarm=np.array(out["alarm"], bool),
                            expected=np.array(out["exp"], float), score=np.array(out["score"], float),
                            trend=np.array(out["trend"], float), phi=np.array(out["phi"], float))
