"""Short-term projections with the renewal equation over the Rt posterior (as EpiEstim's companion
`projections` package does): R is drawn from the last window's Gamma posterior, daily incidence is
Poisson(R * Lambda_t), and the draws give a median and a 95% band. Derived needs (close contacts,
centralised quarantine rooms, tests) scale the projected cases by ratios the caller measures."""

from dataclasses import dataclass

import numpy as np

from cordon.analytics import epiestim


@dataclass
class Projection:
    days: int
    median: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    draws: np.ndarray  # (n_sim, days)


def project(incidence, si_distr, *, r_shape: float, r_scale: float, days: int = 14, n_sim: int = 1000,
            seed: int = 0) -> Projection:
    """Project `days` of daily cases after the observed `incidence` (local + imported total)."""
    rng = np.random.default_rng(seed)
    hist = np.asarray(incidence, dtype=float)
    T = len(hist)
    si = np.zeros(T + days)
    src = np.asarray(si_distr, dtype=float)[: T + days]
    si[: len(src)] = src
    si[0] = 0.0
    r = rng.gamma(r_shape, r_scale, size=n_sim)
    series = np.tile(hist, (n_sim, 1))
    out = np.zeros((n_sim, days))
    for d in range(days):
        t = T + d
        lam = series[:, ::-1] @ si[1:t + 1]
        cases = rng.poisson(np.maximum(0.0, r * lam))
        out[:, d] = cases
        series = np.concatenate([series, cases[:, None]], axis=1)
    return Projection(days=days, median=np.median(out, axis=0), lower=np.quantile(out, 0.025, axis=0),
                      upper=np.quantile(out, 0.975, axis=0), draws=out)


def project_from_series(incidence, *, mean_si: float, std_si: float, window: int = 7, days: int = 14,
                        n_sim: int = 1000, seed: int = 0, prior_mean: float = 5.0, prior_sd: float = 5.0) -> tuple[Projection, float]:
    """Estimate Rt on the last window of a plain series and project; returns (projection, mean R)."""
    incidence = np.asarray(incidence, dtype=float)
    if len(incidence) < window + 1:
        raise ValueError(f"need at least {window + 1} days of incidence")
    local, imported = epiestim.split_plain_incidence(incidence)
    si = epiestim.parametric_si_distr(len(incidence) + days, mean_si, std_si)
    T = len(incidence)
    res = epiestim.estimate_r(local, imported, si[:T] / si[:T].sum() if si[:T].sum() > 0 else si[:T],
                              t_start=np.array([T - window + 1]), t_end=np.array([T]),
                              prior_mean=prior_mean, prior_sd=prior_sd)
    proj = project(incidence, si, r_shape=float(res.shape[0]), r_scale=float(res.scale[0]), days=days, n_sim=n_sim, seed=seed)
    return proj, float(res.mean[0])


def rooms_needed(projected_cases: np.ndarray, *, contacts_per_case: float, centralized_share: float,
                 centralized_days: int, occupied_now: int = 0, releases_per_day: np.ndarray | None = None) -> np.ndarray:
    """Rooms occupied each projected day: people entering (cases x contacts x share) stay `centralized_days`."""
    entering = np.asarray(projected_cases, dtype=float) * contacts_per_case * centralized_share
    days = len(entering)
    occ = np.zeros(days)
    for d in range(days):
        occ[d] = entering[max(0, d - centralized_days + 1):d + 1].sum()
    if releases_per_day is not None:
        remaining = np.maximum(0, occupied_now - np.cumsum(releases_per_day)[:days])
    else:
        remaining = np.maximum(0, occupied_now - occupied_now * np.arange(1, days + 1) / max(1, centralized_days))
    return occ + remaining
