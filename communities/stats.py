"""Evidence arithmetic shared by the jobs: rarity against a baseline, and how
a rarity becomes a signal strength in [0, 1].

Why fixed rules instead of thresholds per data set: ringscope runs on funds'
data none of us has seen, so every signal is "how surprising is this under
the entity's own (or its peers') honest baseline", mapped to a strength by
one saturating curve with a documented half-point. Nothing here is fitted.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st

__all__ = ["saturate", "poisson_surprise", "binomial_surprise", "robust_z", "combine_signals",
           "SINGLE_SIGNAL_CAP"]

#: the largest score one signal alone can give a ring (below the 0.5 flag line):
#: "no single signal makes a ring".
SINGLE_SIGNAL_CAP = 0.4


def saturate(x: float, half: float) -> float:
    """Map evidence ``x >= 0`` to [0, 1): 0 at 0, 0.5 at ``half``, towards 1 beyond.

    >>> saturate(0, 3), saturate(3, 3), round(saturate(9, 3), 2)
    (0.0, 0.5, 0.75)
    """
    if half <= 0:
        raise ValueError(f"half must be > 0, got {half}")
    x = max(0.0, float(x))
    return x / (x + half)


def poisson_surprise(observed: float, expected: float) -> float:
    """``-log10 P(X >= observed)`` for ``X ~ Poisson(expected)``: 0 when unsurprising.

    >>> round(poisson_surprise(10, 1.0), 1)
    7.0
    >>> poisson_surprise(0, 3.0)
    0.0
    """
    if observed <= 0:
        return 0.0
    expected = max(float(expected), 1e-9)
    p = _st.poisson.sf(observed - 1, expected)
    return float(min(300.0, -math.log10(max(p, 1e-300))))


def binomial_surprise(successes: int, trials: int, p: float) -> float:
    """``-log10 P(X >= successes)`` for ``X ~ Binomial(trials, p)``.

    >>> round(binomial_surprise(9, 10, 0.1), 1)
    8.0
    """
    if successes <= 0 or trials <= 0:
        return 0.0
    p = min(max(float(p), 1e-9), 1 - 1e-9)
    tail = _st.binom.sf(successes - 1, trials, p)
    return float(min(300.0, -math.log10(max(tail, 1e-300))))


def robust_z(values: np.ndarray, x: float, floor: float = 1e-9) -> float:
    """How many robust standard deviations (1.4826 MAD) ``x`` lies above the median of ``values``.

    >>> robust_z(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 9.0).__round__(2)
    4.05
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return 0.0
    median = float(np.median(values))
    mad = 1.4826 * float(np.median(np.abs(values - median)))
    return (x - median) / max(mad, floor, abs(median) * 0.05)


def combine_signals(strengths: dict[str, float]) -> float:
    """A ring's score from independent signal strengths, so one signal alone stays below 0.5.

    The strongest signal sets the scale; the others (combined as a noisy OR)
    lift it from ``SINGLE_SIGNAL_CAP`` towards 1:
    ``score = s1 * (cap + (1 - cap) * (1 - prod(1 - s_i, i >= 2)))``.

    >>> combine_signals({"burst": 0.9})
    0.36
    >>> round(combine_signals({"burst": 0.8, "stock_excess": 0.7}), 3)
    0.656
    """
    ordered = sorted((max(0.0, min(1.0, s)) for s in strengths.values()), reverse=True)
    if not ordered:
        return 0.0
    rest = 1.0
    for s in ordered[1:]:
        rest *= 1.0 - s
    return round(ordered[0] * (SINGLE_SIGNAL_CAP + (1 - SINGLE_SIGNAL_CAP) * (1.0 - rest)), 6)
