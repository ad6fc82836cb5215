"""The Gamma quantiles behind Rt's credible intervals: the series used for large shapes agrees with gammaincinv."""

import numpy as np
import pytest
from scipy import special

from cordon.analytics import epiestim


@pytest.mark.parametrize("p", [0.025, 0.05, 0.5, 0.95, 0.975])
def test_many_shapes_match_gammaincinv_to_1e_12(p):
    shapes = 1.0 + np.unique(np.concatenate([np.arange(0, 3000), np.random.default_rng(3).integers(0, 5_000_000, 20_000)]))
    got = epiestim.gamma_quantile(shapes, p)
    exact = special.gammaincinv(shapes, p)
    assert np.max(np.abs(got - exact) / exact) < 1e-12


def test_few_or_small_shapes_are_inverted_directly():
    shapes = np.array([1.0, 5.5, 199.0, 250.0, 1e6])
    assert np.array_equal(epiestim.gamma_quantile(shapes, 0.975), special.gammaincinv(shapes, 0.975))


def test_rt_quantiles_over_many_series_equal_the_direct_inversion():
    rng = np.random.default_rng(1)
    incidence = rng.poisson(rng.uniform(1, 400, size=(300, 1)) * np.ones((1, 120))).astype(float)
    local, imported = epiestim.split_plain_incidence(incidence)
    res = epiestim.estimate_r_many(local, imported, epiestim.parametric_si_distr(120, 3.0, 1.9))
    for p in (0.025, 0.5, 0.975):
        direct = special.gammaincinv(res.shape, p) * res.scale
        assert np.max(np.abs(res.quantile(p) - direct)) < 1e-9
