"""The SEIR engine's statistics on a synthetic population (pure NumPy, no database)."""

import numpy as np
import pytest

from cordon.sim.epidemic import Epidemic, Params, generation_pmf

KINDS = ("office", "restaurant", "bus")


def population(n=12_000, seed=0):
    rng = np.random.default_rng(seed)
    household = np.repeat(np.arange(n // 3 + 1), 3)[:n]
    n_venues = n // 40
    venue_kind = rng.integers(0, len(KINDS), n_venues)
    work = rng.integers(0, n_venues, n)

    def day(d):
        r = np.random.default_rng([seed, d])
        evening = r.choice(n, n // 4)
        t_work = r.normal(9 * 60, 30, n)
        t_eve = r.normal(18 * 60, 60, len(evening))
        return (np.r_[np.arange(n), evening], np.r_[work, r.integers(0, n_venues, len(evening))],
                np.r_[t_work, t_eve], np.r_[t_work + 480, t_eve + 60])

    return household, venue_kind, day


def simulate(params, *, days=30, seed=3, index=30):
    household, venue_kind, day = population()
    e = Epidemic(household=household, venue_kind=venue_kind, kind_names=KINDS, params=params, seed=seed)
    idx = e.seed_index_cases(day=0, count=index)
    for d in range(days):
        e.step(d, day(d % 7))
    return e, idx


def test_the_generation_interval_kernel_has_the_configured_mean():
    w = generation_pmf(3.0, 1.9, 14)
    assert w[0] == 0
    assert w.sum() == pytest.approx(1.0)
    assert (w * np.arange(len(w))).sum() == pytest.approx(3.0, abs=0.1)


def test_realised_generation_and_serial_intervals_are_close_to_configured_values():
    # Subcritical, so few households deplete: the realised intervals follow the kernel.
    e, _ = simulate(Params(beta_home=0.15, beta_venue=0.05), days=40, index=200)
    gi, si = e.generation_intervals(), e.serial_intervals()
    assert len(gi) > 150
    assert gi.mean() == pytest.approx(3.0, abs=0.4)
    assert si.mean() == pytest.approx(3.0, abs=0.6)
    assert si.std() > gi.std()  # incubation noise widens the serial interval
    infected = e.inf_day >= 0
    assert np.nanmean(e.incubation[infected]) == pytest.approx(3.4, abs=0.3)


def test_more_transmission_means_more_offspring_and_none_means_none():
    low, low_idx = simulate(Params(beta_home=0.15, beta_venue=0.05), days=20)
    high, high_idx = simulate(Params(beta_home=0.6, beta_venue=0.3), days=20)
    none, none_idx = simulate(Params(beta_home=0.0, beta_venue=0.0), days=20)
    assert high.offspring(high_idx).mean() > 1.5 * low.offspring(low_idx).mean()
    assert (high.inf_day >= 0).sum() > (low.inf_day >= 0).sum()
    assert (none.inf_day >= 0).sum() == len(none_idx)


def test_asymptomatic_share_is_respected_and_they_never_visit_a_clinic():
    e, _ = simulate(Params(asymptomatic=0.4), days=15)
    infected = e.inf_day >= 0
    assert e.asymptomatic[infected].mean() == pytest.approx(0.4, abs=0.06)
    assert np.isnan(e.clinic_time()[infected & e.asymptomatic]).all()


def test_people_off_the_street_and_away_from_home_do_not_transmit():
    household, venue_kind, day = population()
    e = Epidemic(household=household, venue_kind=venue_kind, kind_names=KINDS, seed=1)
    idx = e.seed_index_cases(day=0, count=50)
    isolated = np.zeros(len(household), dtype=bool)
    isolated[idx] = True
    for d in range(10):
        e.step(d, day(d), off_street=isolated, away_from_home=isolated)
    assert (e.inf_day >= 0).sum() == 50


def test_a_seed_gives_the_same_outbreak():
    a, _ = simulate(Params(), days=12)
    b, _ = simulate(Params(), days=12)
    c, _ = simulate(Params(), days=12, seed=4)
    assert np.array_equal(a.inf_day, b.inf_day) and np.array_equal(a.infector, b.infector)
    assert not np.array_equal(a.inf_day, c.inf_day)
