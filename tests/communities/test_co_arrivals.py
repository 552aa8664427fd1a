"""co_arrivals against a brute-force count on seeded random visits."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from ringscope.communities.job_lockstep import co_arrivals


def _visits(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 300
    day = rng.integers(0, 5, n)
    minute = day * 1440 + 480 + rng.integers(0, 600, n)
    return pd.DataFrame({"facility_id": rng.choice(["F1", "F2", "F3"], n),
                         "person_id": rng.choice([f"p{i}" for i in range(60)], n),
                         "minute": minute, "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(day, unit="D"),
                         "visit_type": "outpatient"})


def _brute(visits: pd.DataFrame, household: dict[str, str], window: int) -> set[tuple]:
    first = visits.sort_values("minute").drop_duplicates(["facility_id", "person_id", "day"])
    found = set()
    for x, y in itertools.combinations(first.itertuples(), 2):
        if x.facility_id == y.facility_id and x.day == y.day and abs(x.minute - y.minute) <= window \
                and household.get(x.person_id, x.person_id) != household.get(y.person_id, y.person_id):
            a, b = sorted((x.person_id, y.person_id))
            found.add((x.facility_id, a, b, x.day))
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pairs_match_brute_force(seed):
    visits = _visits(seed)
    household = {f"p{i}": f"h{i // 3}" for i in range(0, 60, 2)}
    got = co_arrivals(visits, household, window=30, max_cards_per_window=1e9)
    assert set(map(tuple, got[["facility_id", "person_a", "person_b", "day"]].itertuples(index=False))) == \
        _brute(visits, household, 30)


def test_busy_places_are_not_tested():
    visits = _visits(4)
    got = co_arrivals(visits, {}, window=30, max_cards_per_window=0.01)
    assert got.empty


@pytest.mark.parametrize("chunk", [1, 7, 10**6])
def test_window_pairs_in_blocks_are_every_close_pair_once(chunk):
    from ringscope.communities.job_lockstep import _window_pairs

    key = np.sort(np.random.default_rng(chunk).integers(0, 400, 250))
    got = [(int(a), int(b)) for left, right in _window_pairs(key, 7, chunk) for a, b in zip(left, right)]
    want = {(i, j) for i in range(len(key)) for j in range(i + 1, len(key)) if key[j] - key[i] <= 7}
    assert len(got) == len(set(got)) and set(got) == want
