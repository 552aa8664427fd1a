"""A pharmacy that scans each box's traceability code bills seven boxes as seven lines of one.

The quantities the jobs read are a fill's and a claim's, however many lines they were billed on.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from ringscope.communities.job_flow import inflated_claims
from ringscope.communities.job_resale import supply_ratios

DAY = pd.Timestamp("2024-01-01")


def _fills(pid: str, boxes: list[int], every: int, *, line_by_line: bool) -> list[tuple]:
    """A patient's fills of drug D, ``boxes[k]`` boxes every ``every`` days, each fill on one line
    or on a line per box."""
    rows = []
    for k, n in enumerate(boxes):
        day = DAY + pd.Timedelta(days=every * k)
        rows += [(pid, "D", "F1", day, 1.0)] * n if line_by_line else [(pid, "D", "F1", day, float(n))]
    return rows


def test_a_fills_supply_is_its_boxes_however_many_lines_they_were_billed_on():
    """Six patients billed a line per fill, one billed a line per box: seven boxes a quarter
    each. The last fill's boxes are not part of the supply consumed before it, all seven of them."""
    rows = [r for i in range(6) for r in _fills(f"p{i}", [7] * 5, 90, line_by_line=False)]
    rows += _fills("scanned", [7] * 5, 90, line_by_line=True)
    frame = pd.DataFrame(rows, columns=["person_id", "item_code", "facility_id", "day", "quantity"])
    out = supply_ratios(frame).set_index("person_id")
    assert out.loc["scanned", "fills"] == out.loc["p0", "fills"] == 5
    assert out.loc["scanned", "ratio"] == out.loc["p0", "ratio"] == 1.0


def _ctx(lines: list[tuple[str, float]]) -> SimpleNamespace:
    """A context of claims each with its ``lines`` (claim id, quantity) of drug D."""
    claims = pd.DataFrame({"claim_id": sorted({cid for cid, _ in lines})})
    frame = pd.DataFrame(lines, columns=["claim_id", "quantity"]).assign(item_code="D")
    rows = claims.reset_index().set_index("claim_id").loc[frame["claim_id"], "index"].to_numpy()
    return SimpleNamespace(claims=claims, tables=SimpleNamespace(claim_items=frame), line_rows=lambda: rows)


def test_a_claims_inflated_quantity_shows_however_many_lines_it_was_billed_on():
    """Forty claims of two boxes on one line; one of fourteen boxes billed a line per box; one of
    two boxes billed a line per box. The fourteen are far above the usual two; the two are not."""
    lines = [(f"c{i:02d}", 2.0) for i in range(40)] + [("big", 1.0)] * 14 + [("small", 1.0)] * 2
    ctx = _ctx(lines)
    flag, measured = inflated_claims(ctx)
    assert measured == "quantity"
    assert set(ctx.claims["claim_id"][np.flatnonzero(flag)]) == {"big"}
