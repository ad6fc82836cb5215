import numpy as np
import pytest

from cordon.analytics import pooling


def test_dorfman_matches_dorfmans_1943_table():
    # Dorfman (1943) Table 1: at prevalence 1% the optimal group size is 11 with 0.196 tests per person
    # (a saving of 80%); at 5%, size 5 with 0.426; at 10%, size 4 with 0.594.
    for p, size, cost in [(0.01, 11, 0.196), (0.05, 5, 0.426), (0.10, 4, 0.594)]:
        advice = pooling.advise(p)
        assert advice.optimal_size == size
        assert advice.tests_per_person == pytest.approx(cost, abs=5e-4)


def test_high_prevalence_means_no_pooling():
    assert pooling.advise(0.4).optimal_size == 1


def test_errors_raise_the_expected_cost_by_false_positive_pools():
    perfect = pooling.dorfman_tests_per_person(0.01, 10)
    noisy = pooling.dorfman_tests_per_person(0.01, 10, se=0.95, sp=0.99)
    assert noisy == pytest.approx(1 / 10 + 0.95 * (1 - 0.99**10) + 0.01 * 0.99**10)
    assert noisy > perfect


def test_square_arrays_beat_dorfman_at_low_prevalence():
    sizes = np.arange(2, 40)
    assert pooling.array_tests_per_person(0.001, sizes).min() < pooling.dorfman_tests_per_person(0.001, sizes).min()


def test_square_array_with_perfect_tests_matches_the_closed_form():
    # Phatarfod & Sudbury: E/n^2 = 2/n + p + (1-p)(1-(1-p)^(n-1))^2
    p, n = 0.02, 8
    expected = 2 / n + p + (1 - p) * (1 - (1 - p) ** (n - 1)) ** 2
    assert pooling.array_tests_per_person(p, n) == pytest.approx(expected)
