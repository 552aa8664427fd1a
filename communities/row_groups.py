"""A frame's rows grouped once by one column, for jobs that ask for them group after group.

``frame.groupby(column).indices`` answers the same questions, but holds a numpy array per
value: for the 1.6M claims of 200k persons that dict took 46 MiB, and ten million claims have
1.25 million persons. :class:`RowGroups` holds one array of positions ordered by value and where
each value's run starts: 28 MiB there, its index of the persons for look-ups included
(``benchmarks/RESULTS.md``, round 43).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

__all__ = ["RowGroups"]


class RowGroups:
    """The row positions of each value of ``values`` (a frame's column): each value's rows in
    frame order, missing values left out, as ``groupby(...).indices`` has them.

    >>> frame = pd.DataFrame({"person_id": ["b", "a", None, "b", "c"], "n": range(5)})
    >>> groups = RowGroups(frame["person_id"])
    >>> groups.of(frame, {"b", "z"})["n"].tolist()
    [0, 3]
    >>> groups.of(frame, ["c", "a"])["n"].tolist()
    [1, 4]
    """

    def __init__(self, values: pd.Series):
        codes, uniques = pd.factorize(values)
        order = np.argsort(codes, kind="stable")  # within a value, rows stay in frame order
        self._order = order[int(np.count_nonzero(codes < 0)):]  # missing values (-1) sort first
        self._starts = np.r_[0, np.cumsum(np.bincount(codes[codes >= 0], minlength=len(uniques)))]
        self._values = pd.Index(uniques)

    def positions(self, keys: Iterable) -> np.ndarray:
        """The row positions of every one of ``keys`` present, in frame order (a key given twice
        gives its rows twice)."""
        at = self._values.get_indexer(pd.Index(list(keys)))
        at = at[at >= 0]
        lengths = self._starts[at + 1] - self._starts[at]
        # each run's positions in one go: its start, shifted by its offset among the runs taken
        shift = np.repeat(self._starts[at] - (np.cumsum(lengths) - lengths), lengths)
        return np.sort(self._order[shift + np.arange(int(lengths.sum()))])

    def of(self, frame: pd.DataFrame, keys: Iterable) -> pd.DataFrame:
        """The rows of ``frame`` (the frame ``values`` came from) under ``keys``, in frame order."""
        return frame.iloc[self.positions(keys)]
