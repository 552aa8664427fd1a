"""Vectorised sampling helpers shared by the honest, trap and ring generators."""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.catalogue import DEPARTMENTS, DIAGNOSES

__all__ = ["choose_by_group", "age_sex_group", "dx_fits", "dx_department", "uniform_days"]

_DX_SEX = np.array([d.sex for d in DIAGNOSES])
_DX_LOW = np.array([d.ages[0] for d in DIAGNOSES])
_DX_HIGH = np.array([d.ages[1] for d in DIAGNOSES])
_DX_DEPT = np.array([DEPARTMENTS.index(d.department) for d in DIAGNOSES])


def choose_by_group(group: np.ndarray, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each row, a column of ``weights[group[row]]`` drawn with those weights.

    >>> rng = np.random.default_rng(0)
    >>> out = choose_by_group(np.array([0, 1, 1]), np.array([[1.0, 0.0], [0.0, 1.0]]), rng)
    >>> out.tolist()
    [0, 1, 1]
    """
    w = np.asarray(weights, dtype=float)
    cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    flat = (cum + np.arange(len(w))[:, None]).ravel()
    pick = np.searchsorted(flat, group + rng.random(len(group)) * (1 - 1e-12), side="right")
    return pick - group * w.shape[1]


def age_sex_group(age: np.ndarray, male: np.ndarray) -> np.ndarray:
    """0 child (<18), 1 adult man, 2 adult woman, 3 older man (60+), 4 older woman."""
    return np.where(age < 18, 0, np.where(age < 60, np.where(male, 1, 2), np.where(male, 3, 4)))


def dx_fits(dx: np.ndarray, age: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Whether each diagnosis fits the person's sex and age."""
    sex = _DX_SEX[dx]
    ok_sex = (sex == "") | ((sex == "M") & male) | ((sex == "F") & ~male)
    return ok_sex & (age >= _DX_LOW[dx]) & (age <= _DX_HIGH[dx])


def dx_department(dx: np.ndarray) -> np.ndarray:
    return _DX_DEPT[dx]


def uniform_days(end: np.ndarray, rng: np.random.Generator, start: np.ndarray | int = 0) -> np.ndarray:
    """A uniform day in ``[start, end)`` per row (``end > start``)."""
    return (start + rng.random(len(end)) * (end - start)).astype(np.int64)
