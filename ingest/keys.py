"""The keys a load has accepted so far, and which keys the store already holds.

Why one object per table: foreign keys are checked against what this load
accepted *and* what earlier loads left in the store, and a duplicate within a
file must be caught across chunks. Sets of strings are the cheapest exact
structure for both; the store is asked only about keys the load lacks.
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import pandas as pd

__all__ = ["KnownKeys", "composite_key"]

_SEPARATOR = "\x1f"


def composite_key(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """One string per row joining ``columns`` (a unit separator cannot occur in a CSV value)."""
    if len(columns) == 1:
        return frame[columns[0]].astype("str")
    parts = [frame[c].astype("str").fillna("") if c in frame else pd.Series("", index=frame.index)
             for c in columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + _SEPARATOR + part
    return joined


class KnownKeys:
    """Keys of one table: accepted in this load, and found in (or absent from) the store."""

    def __init__(self, store_lookup: Callable[[list[str]], Iterable[str]] | None = None):
        self.loaded: set[str] = set()
        self._store_lookup = store_lookup
        self._in_store: set[str] = set()
        self._not_in_store: set[str] = set()

    def add(self, keys: pd.Series | Iterable[str]) -> None:
        if isinstance(keys, pd.Series):
            keys = keys.to_numpy(dtype=object, na_value=None)
        self.loaded.update(keys)

    def _known(self, values: np.ndarray) -> np.ndarray:
        loaded, in_store = self.loaded, self._in_store
        return np.fromiter((v in loaded or v in in_store for v in values), dtype=bool, count=len(values))

    def contains(self, keys: pd.Series) -> pd.Series:
        """True where the key is in this load or the store; NA counts as known (nothing to check)."""
        values = keys.to_numpy(dtype=object, na_value=None)
        present = keys.notna().to_numpy()
        known = self._known(values) | ~present
        if self._store_lookup is not None and not known.all():
            asked = sorted({v for v in values[~known]} - self._not_in_store)
            if asked:
                found = set(self._store_lookup(asked))
                self._in_store.update(found)
                self._not_in_store.update(set(asked) - found)
                known = self._known(values) | ~present
        return pd.Series(known, index=keys.index)

    def seen_before(self, keys: pd.Series) -> pd.Series:
        """True where the key was accepted earlier in this load, or repeats within ``keys``."""
        values = keys.to_numpy(dtype=object, na_value=None)
        loaded = self.loaded
        earlier = np.fromiter((v in loaded for v in values), dtype=bool, count=len(values))
        return pd.Series(earlier, index=keys.index) | keys.duplicated(keep="first")
