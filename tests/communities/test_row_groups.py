"""RowGroups against pandas' own grouping: the same rows for every set of keys asked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ringscope.communities.row_groups import RowGroups


def _oracle(frame: pd.DataFrame, column: str, keys) -> list[int]:
    indices = frame.groupby(column).indices
    rows = [indices[key] for key in keys if key in indices]
    return np.sort(np.concatenate(rows)).tolist() if rows else []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rows_of_any_keys_are_pandas_groups_rows(seed):
    rng = np.random.default_rng(seed)
    names = np.array([f"P{k:04d}" for k in range(300)], dtype=object)
    values = names[rng.integers(0, len(names), 5000)]
    values[rng.random(5000) < 0.05] = None  # missing values belong to no group
    frame = pd.DataFrame({"person_id": pd.Series(values, dtype="string"), "n": np.arange(5000)})
    groups = RowGroups(frame["person_id"])
    for _ in range(50):
        keys = set(rng.choice(names, int(rng.integers(0, 12)))) | {"nobody"}
        assert groups.of(frame, keys)["n"].tolist() == _oracle(frame, "person_id", keys)


def test_integer_keys_and_repeats_are_taken_as_given():
    frame = pd.DataFrame({"row": [7, 3, 7, 9], "who": list("abcd")})
    groups = RowGroups(frame["row"])
    assert groups.of(frame, pd.Series([7, 7, 5]))["who"].tolist() == ["a", "a", "c", "c"]
    assert groups.of(frame, [])["who"].tolist() == []


def test_an_empty_frame_has_no_rows_for_anyone():
    frame = pd.DataFrame({"person_id": pd.Series([], dtype="string")})
    assert RowGroups(frame["person_id"]).of(frame, {"P1"}).empty
