"""Known-answer tests against the R packages' own outputs on their published examples
(reference/*.csv, produced by reference/make_reference.R from EpiEstim 2.2-4 and surveillance 1.20.3)."""

import csv
import pathlib

import numpy as np
import pytest

from cordon.analytics import ears, epiestim

REF = pathlib.Path(__file__).parent / "reference"


def table(name):
    with open(REF / name, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def num(a):
    return np.array([np.nan if v in ("NA", "") else float(v) for v in a])


def assert_sig(actual, expected, digits=6):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=0.5 * 10 ** (1 - digits), atol=1e-12, equal_nan=True)


def flu():
    inc = table("flu2009_incidence.csv")
    si = table("flu2009_si_distr.csv")
    return num(inc["I"]), num(si["w"])


def _check(res, ref):
    assert_sig(res.t_start, num(ref["t_start"]))
    assert_sig(res.t_end, num(ref["t_end"]))
    assert_sig(res.mean, num(ref["Mean(R)"]))
    assert_sig(res.std, num(ref["Std(R)"]))
    for col, p in [("Quantile.0.025(R)", 0.025), ("Quantile.0.05(R)", 0.05), ("Quantile.0.25(R)", 0.25), ("Median(R)", 0.5),
                   ("Quantile.0.75(R)", 0.75), ("Quantile.0.95(R)", 0.95), ("Quantile.0.975(R)", 0.975)]:
        assert_sig(res.quantile(p), num(ref[col]))


def test_rt_matches_epiestim_non_parametric_on_flu2009():
    incidence, si = flu()
    local, imported = epiestim.split_plain_incidence(incidence)
    _check(epiestim.estimate_r(local, imported, si), table("flu2009_rt_nonparametric.csv"))


def test_rt_matches_epiestim_on_biweekly_windows():
    incidence, si = flu()
    local, imported = epiestim.split_plain_incidence(incidence)
    t_start = np.arange(2, len(incidence) - 12)
    _check(epiestim.estimate_r(local, imported, si, t_start=t_start, t_end=t_start + 13), table("flu2009_rt_biweekly.csv"))


def test_rt_matches_epiestim_parametric_si():
    incidence, _ = flu()
    local, imported = epiestim.split_plain_incidence(incidence)
    si = epiestim.parametric_si_distr(len(incidence), 2.6, 1.5)
    assert_sig(si, num(table("discr_si_2.6_1.5.csv")["w"]))
    _check(epiestim.estimate_r(local, imported, si), table("flu2009_rt_parametric.csv"))


def test_rt_matches_epiestim_with_a_local_imported_split():
    t = table("flu2009_local_imported.csv")
    si = epiestim.parametric_si_distr(len(t["local"]), 2.6, 1.5)
    _check(epiestim.estimate_r(num(t["local"]), num(t["imported"]), si), table("flu2009_rt_local_imported.csv"))


def test_many_series_at_once_equal_one_at_a_time():
    incidence, si = flu()
    rng = np.random.default_rng(0)
    rows = np.stack([incidence, rng.poisson(5, len(incidence)), incidence[::-1]])
    local, imported = epiestim.split_plain_incidence(rows)
    many = epiestim.estimate_r_many(local, imported, si)
    for i in range(3):
        one = epiestim.estimate_r(local[i], imported[i], si)
        np.testing.assert_allclose(many.mean[i], one.mean, rtol=1e-9)


@pytest.mark.parametrize("method", ["C1", "C2", "C3"])
@pytest.mark.parametrize("suffix, alpha", [("", None), ("_a001", 0.001)])
def test_ears_matches_surveillance_earsc(method, suffix, alpha):
    x = num(table("ears_series.csv")["observed"])
    ref = table("ears_reference.csv")
    idx = num(ref["index"]).astype(int) - 1
    res = ears.ears_c(x, method=method, alpha=alpha, indices=idx)
    assert_sig(res.upperbound, num(ref[f"{method}_ub{suffix}"]))
    assert (res.alarm.astype(int) == num(ref[f"{method}_alarm{suffix}"]).astype(int)).all()


def test_ears_refuses_a_too_short_series():
    with pytest.raises(ValueError, match="too short"):
        ears.ears_c(np.arange(5.0), method="C1", indices=np.array([3]))


@pytest.mark.parametrize("n, control", [
    (1, dict(no_periods=1, b=4, w=3, weights_threshold=1, past_weeks_not_included=3, p_threshold_trend=0.05, alpha=0.1)),
    (2, dict(no_periods=10, b=4, w=3, weights_threshold=2.58, past_weeks_not_included=26, p_threshold_trend=1, alpha=0.1)),
])
def test_farrington_flexible_matches_the_package_example_on_salmonella_agona(n, control):
    from cordon.analytics import farrington

    y = num(table("salmonella_agona.csv")["observed"])
    ref = table("farrington_reference.csv")
    res = farrington.farrington_flexible(y, indices=num(ref["index"]).astype(int), control=farrington.FarringtonControl(**control))
    assert_sig(res.upperbound, num(ref[f"ub{n}"]))
    assert_sig(res.expected, num(ref[f"exp{n}"]))
    assert (res.alarm.astype(int) == num(ref[f"alarm{n}"]).astype(int)).all()
    assert (res.trend == num(ref[f"trend{n}"])).all()


def test_the_quantile_lookup_for_many_windows_equals_direct_inversion():
    from scipy import special

    rng = np.random.default_rng(1)
    inc = rng.poisson(15, (50, 120)).astype(float)
    local, imported = epiestim.split_plain_incidence(inc)
    res = epiestim.estimate_r_many(local, imported, epiestim.parametric_si_distr(120, 3.0, 1.9))
    np.testing.assert_allclose(res.quantile(0.975), special.gammaincinv(res.shape, 0.975) * res.scale, rtol=1e-12)
