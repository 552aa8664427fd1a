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

__all__ = ["saturate", "poisson_surprise", "binomial_surprise", "robust_z", "combine_signals", "jaccard",
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


def robust_z(values: np.ndarray, x, floor: float = 1e-9):
    """How many robust standard deviations (1.4826 MAD) ``x`` lies above the median of ``values``;
    ``x`` a number or an array (every member of a group against the group, in one pass).

    >>> robust_z(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 9.0).__round__(2)
    4.05
    >>> robust_z(np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0])).round(2).tolist()
    [-0.67, 0.67]
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return 0.0 if np.ndim(x) == 0 else np.zeros(np.shape(x))
    median = float(np.median(values))
    mad = 1.4826 * float(np.median(np.abs(values - median)))
    return (x - median) / max(mad, floor, abs(median) * 0.05)


def combine_signals(strengths: dict[str, float]) -> float:
    """A ring's score from independent signal strengths, so one signal alone stays below 0.5.

    Independent lines of evidence combine as a noisy OR (each strength read
    as the chance that its signal alone means fraud), and the score is held
    to what the other signals add above one signal's cap:
    ``score = min(1 - prod(1 - s_i), cap + (1 - cap) * (1 - prod(1 - s_i, i >= 2)))``
    with ``s_1`` the strongest. One signal alone gives at most ``cap``; two
    signals at half strength meet and give 0.7; a loud signal with a faint
    second stays near ``cap``.

    >>> combine_signals({"burst": 0.9})
    0.4
    >>> combine_signals({"burst": 0.5, "stock_excess": 0.5})
    0.7
    >>> round(combine_signals({"burst": 0.9, "stock_excess": 0.1}), 3)
    0.46
    """
    ordered = sorted((max(0.0, min(1.0, s)) for s in strengths.values()), reverse=True)
    if not ordered:
        return 0.0
    rest = 1.0
    for s in ordered[1:]:
        rest *= 1.0 - s
    total = 1.0 - (1.0 - ordered[0]) * rest
    return round(min(total, SINGLE_SIGNAL_CAP + (1 - SINGLE_SIGNAL_CAP) * (1.0 - rest)), 6)


def jaccard(a: set, b: set) -> float:
    """How much two groups are the same: shared members over all members (0 for two empty groups).

    >>> jaccard({"a", "b"}, {"b", "c"})
    0.3333333333333333
    """
    return len(a & b) / len(a | b) if a | b else 0.0
