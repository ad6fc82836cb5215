"""The bounded renewal forecast and Rt estimability (issue 19): known answers and properties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cordon.analytics import epiestim, forecast

SI = epiestim.parametric_si_distr(80, 3.0, 1.9)


def _growing(days=30, start=5.0, growth=1.3):
    return np.r_[np.zeros(10), np.round(start * growth ** np.arange(days - 10))]


def test_a_growing_outbreak_in_17000_people_never_projects_more_cases_than_people():
    incidence = _growing()
    proj = forecast.project(incidence, SI, r_shape=400.0, r_scale=5.0 / 400, days=14, population=17_000)
    assert proj.draws.sum(axis=1).max() + incidence.sum() <= 17_000
    assert proj.cumulative_median[-1] <= 17_000
    assert proj.median.max() < 17_000


def test_without_a_population_the_same_outbreak_grows_past_millions_which_is_the_defect():
    proj = forecast.project(_growing(), SI, r_shape=400.0, r_scale=5.0 / 400, days=14)
    assert proj.median.sum() > 1_000_000


def test_while_susceptibles_are_plenty_the_bounded_forecast_matches_the_renewal_equation():
    incidence = np.full(30, 20.0)
    bounded = forecast.project(incidence, SI, r_shape=1e4, r_scale=1.0 / 1e4, days=7, population=1e8, n_sim=2000)
    # R = 1 on a flat series: about 20 a day.
    assert np.all(np.abs(bounded.median - 20) <= 3)


def test_earlier_cases_deplete_the_population():
    incidence = np.full(30, 50.0)
    fresh = forecast.project(incidence, SI, r_shape=400.0, r_scale=2.0 / 400, days=14, population=10_000, cumulative=1_500)
    spent = forecast.project(incidence, SI, r_shape=400.0, r_scale=2.0 / 400, days=14, population=10_000, cumulative=9_000)
    assert spent.median.sum() < fresh.median.sum()
    assert spent.cumulative_median[-1] <= 10_000


def test_rooms_never_exceed_the_people_eligible_for_centralised_quarantine():
    cases = np.full(14, 1_000.0)
    rooms = forecast.rooms_needed(cases, contacts_per_case=8.0, centralized_share=1.0, centralized_days=7, eligible=5_000)
    assert rooms.max() <= 5_000
    unbounded = forecast.rooms_needed(cases, contacts_per_case=8.0, centralized_share=1.0, centralized_days=7)
    assert unbounded.max() > 5_000


incidence_st = st.lists(st.integers(min_value=0, max_value=400), min_size=8, max_size=30)


@settings(max_examples=40, deadline=None)
@given(incidence=incidence_st, population=st.integers(min_value=0, max_value=50_000),
       r=st.floats(min_value=0.1, max_value=8.0), shape=st.floats(min_value=1.0, max_value=500.0))
def test_cumulative_cases_never_exceed_the_population(incidence, population, r, shape):
    incidence = np.asarray(incidence, dtype=float)
    proj = forecast.project(incidence, SI, r_shape=shape, r_scale=r / shape, days=14, n_sim=100, population=population)
    before = min(incidence.sum(), population)
    assert np.all(before + proj.draws.sum(axis=1) <= population)
    assert np.all(proj.draws >= 0)


@settings(max_examples=40, deadline=None)
@given(incidence=incidence_st, population=st.integers(min_value=1_000, max_value=50_000),
       r=st.floats(min_value=0.1, max_value=6.0), step=st.floats(min_value=0.05, max_value=3.0),
       shape=st.floats(min_value=1.0, max_value=500.0))
def test_a_higher_rt_never_gives_a_lower_first_day_nor_a_lower_median_total(incidence, population, r, step, shape):
    incidence = np.asarray(incidence, dtype=float)
    kw = dict(r_shape=shape, days=10, n_sim=200, seed=3, population=population)
    low = forecast.project(incidence, SI, r_scale=r / shape, **kw)
    high = forecast.project(incidence, SI, r_scale=(r + step) / shape, **kw)
    assert np.all(high.draws[:, 0] >= low.draws[:, 0])
    assert high.cumulative_median[-1] >= low.cumulative_median[-1]


@settings(max_examples=40, deadline=None)
@given(incidence=incidence_st, population=st.one_of(st.none(), st.integers(min_value=0, max_value=50_000)),
       r=st.floats(min_value=0.1, max_value=6.0), shape=st.floats(min_value=1.0, max_value=500.0))
def test_the_band_contains_the_median(incidence, population, r, shape):
    proj = forecast.project(np.asarray(incidence, dtype=float), SI, r_shape=shape, r_scale=r / shape, days=10, n_sim=100,
                            population=population)
    assert np.all(proj.lower <= proj.median) and np.all(proj.median <= proj.upper)


def test_a_projection_is_reproducible_with_its_seed():
    a = forecast.project(_growing(), SI, r_shape=50.0, r_scale=0.04, days=7, population=20_000, seed=9)
    b = forecast.project(_growing(), SI, r_shape=50.0, r_scale=0.04, days=7, population=20_000, seed=9)
    assert np.array_equal(a.draws, b.draws)


def test_rt_is_estimable_from_about_eleven_cases_in_the_window_at_cv_0_3():
    # Gamma posterior with the default prior (shape 1): CV = 1 / sqrt(1 + cases).
    assert epiestim.cases_needed(max_cv=0.3) == 11
    assert not epiestim.estimable(1.0 + 10, max_cv=0.3)
    assert epiestim.estimable(1.0 + 11, max_cv=0.3)
    assert epiestim.posterior_cv(4.0) == 0.5


def test_a_district_with_no_cases_has_only_the_prior_and_is_not_estimable():
    incidence = np.r_[np.ones(5) * 3, np.zeros(25)]
    local, imported = epiestim.split_plain_incidence(incidence)
    res = epiestim.estimate_r(local, imported, SI[:30] / SI[:30].sum())
    # The last windows say Rt ~ 5 (the prior mean), which is what the demo showed; it must not be shown.
    assert res.mean[-1] > 4
    assert not epiestim.estimable(res.shape[-1], max_cv=0.3)
    assert np.allclose(res.cv, res.std / res.mean)
