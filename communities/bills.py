"""Bill fingerprints: which claims carry the same bill (the same items in the same quantities).

Why a module of its own: two jobs weigh identical bills (the fictitious-services job's
templates, the co-admission job's identical stays), and the fingerprint of ten million
claims is made once per run (:meth:`ringscope.communities.context.Context.bills`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["bill_signatures"]


def bill_signatures(claims: pd.DataFrame, lines: pd.DataFrame | None, owner: np.ndarray, *,
                    quantities: bool = True) -> np.ndarray:
    """Per claim (row of ``claims``), a number that is equal for bills with the same content.

    ``owner`` is each fee line's claim row (-1: unknown claim). The content
    is the multiset of (item, quantity) lines, fingerprinted without sorting
    or joining strings per claim (which took minutes at a million persons):
    each distinct line gets two seeded random 31-bit numbers, and a bill is
    the sums of its lines' numbers and its line count, numbered. Two
    different bills collide with a chance near 2^-62. A claim without fee
    lines is known by its amount and diagnosis (negative numbers, never
    equal to a bill's). Without ``quantities`` the content is the items alone: a stay's
    quantities (bed days, nursing days) follow its length, its items follow what was done.

    >>> claims = pd.DataFrame({"total_amount": [10.0, 10.0, 5.0], "diagnosis_code": ["A", "A", "A"]})
    >>> lines = pd.DataFrame({"item_code": ["X", "Y", "Y", "X"], "quantity": [1.0, 2.0, 2.0, 1.0]})
    >>> signature = bill_signatures(claims, lines, np.array([0, 0, 1, 1]))
    >>> bool(signature[0] == signature[1]), bool(signature[2] < 0)
    (True, True)
    >>> longer = lines.assign(quantity=[1.0, 2.0, 5.0, 1.0])
    >>> bool(bill_signatures(claims, longer, np.array([0, 0, 1, 1]), quantities=False)[0] ==
    ...      bill_signatures(claims, longer, np.array([0, 0, 1, 1]), quantities=False)[1])
    True
    """
    signature, lines_per_claim = np.zeros(len(claims), dtype=np.int64), np.zeros(len(claims), dtype=np.int64)
    known = owner >= 0
    if lines is not None and known.any():
        item = pd.factorize(lines["item_code"])[0][known].astype(np.int64)
        quantity = pd.factorize(lines["quantity"].round(3))[0][known].astype(np.int64) if quantities \
            else np.zeros(int(known.sum()), dtype=np.int64)
        codes, uniques = pd.factorize(item * (quantity.max() + 2) + quantity)
        del item, quantity
        draws = np.random.default_rng(20241).integers(0, 2**31, size=(2, len(uniques)), dtype=np.int64)
        owner = owner[known]
        lines_per_claim = np.bincount(owner, minlength=len(claims))
        # sums below 2^53 (fewer than 2^22 lines a claim) are exact in float64
        parts = pd.DataFrame({key: np.bincount(owner, weights=draws[i][codes], minlength=len(claims))
                              for i, key in enumerate("ab")}).assign(n=lines_per_claim)
        signature = np.array(parts.groupby(["a", "b", "n"], sort=False).ngroup(), dtype=np.int64)
    bare = lines_per_claim == 0
    text = claims.loc[bare, "total_amount"].round(2).astype(str) + "|" + \
        claims.loc[bare, "diagnosis_code"].astype("string").fillna("").astype(str)
    signature[bare] = -1 - pd.factorize(text)[0]
    return signature
