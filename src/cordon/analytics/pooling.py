"""Pooled testing: expected tests per person by pool size, with imperfect sensitivity and specificity.

Dorfman two-stage pooling (Dorfman 1943; with test errors as in Kim et al. 2007, Biometrics
63:1152): a pool of n is tested once; if positive, each member is retested individually.
E[T]/n = 1/n + P(pool positive), with P(pool positive) = Se * (1 - (1-p)^n) + (1 - Sp) * (1-p)^n.

Square array testing (Phatarfod & Sudbury 1994; Kim et al. 2007, no master pool): an n x n array
tests n row pools and n column pools; members at the intersection of a positive row and a positive
column are tested individually. Expected tests per person, with errors:
E[T]/n^2 = 2/n + P(row+ and col+ for a given member), computed exactly from the member's own status.
"""

from dataclasses import dataclass

import numpy as np


def dorfman_tests_per_person(p: float, n, se: float = 1.0, sp: float = 1.0):
    """Expected tests per person for Dorfman pools of size n (n = 1 means individual testing)."""
    n = np.asarray(n, dtype=float)
    q = (1 - p) ** n
    pool_pos = se * (1 - q) + (1 - sp) * q
    out = 1 / n + pool_pos
    return np.where(n == 1, 1.0, out)


def array_tests_per_person(p: float, n, se: float = 1.0, sp: float = 1.0):
    """Expected tests per person for an n x n square array without a master pool."""
    n = np.asarray(n, dtype=float)
    q = 1 - p
    # Given the member is positive: its row and column pools each contain a positive.
    pos_given_pos = se * se
    # Given the member is negative: row pool is truly positive with prob 1 - q^(n-1), same for column,
    # independently (they share only this member).
    row_truly_pos = 1 - q ** (n - 1)
    row_pos = se * row_truly_pos + (1 - sp) * (1 - row_truly_pos)
    pos_given_neg = row_pos * row_pos
    individual = p * pos_given_pos + q * pos_given_neg
    out = 2 / n + individual
    return np.where(n == 1, 1.0, out)


@dataclass
class PoolingAdvice:
    prevalence: float
    sizes: np.ndarray
    dorfman: np.ndarray
    array: np.ndarray
    optimal_size: int
    tests_per_person: float


def advise(prevalence: float, *, sensitivity: float = 1.0, specificity: float = 1.0, max_size: int = 64) -> PoolingAdvice:
    """The Dorfman pool size that minimises expected tests per person (1 = do not pool)."""
    if not 0 <= prevalence <= 1:
        raise ValueError("prevalence must be between 0 and 1")
    if not (0 < sensitivity <= 1 and 0 < specificity <= 1):
        raise ValueError("sensitivity and specificity must be in (0, 1]")
    sizes = np.arange(1, max_size + 1)
    d = dorfman_tests_per_person(prevalence, sizes, sensitivity, specificity)
    a = array_tests_per_person(prevalence, sizes, sensitivity, specificity)
    best = int(np.argmin(d))
    return PoolingAdvice(prevalence=prevalence, sizes=sizes, dorfman=d, array=a, optimal_size=int(sizes[best]),
                         tests_per_person=float(d[best]))
