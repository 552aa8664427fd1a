"""Fee lines grouped under their claims the way the claim writer slices them (no database)."""

from __future__ import annotations

import pyarrow as pa

from ringscope.ingest.rows import group_lines


def test_each_claim_gets_its_lines_in_line_order_and_a_claim_without_lines_none() -> None:
    lines = pa.table({"claim_id": ["c", "a", "c", "a"], "line_no": [2, 1, 1, 2],
                      "amount": [1.0, 2.0, 3.0, 5.0]})
    ordered, starts, ends = group_lines(lines, ["a", "b", "c"])
    assert ordered.column("claim_id").to_pylist() == ["a", "a", "c", "c"]
    assert ordered.column("amount").to_pylist() == [2.0, 5.0, 3.0, 1.0]
    assert starts.tolist() == [0, 2, 2]  # claim "b" has no lines: start == end
    assert ends.tolist() == [2, 2, 4]
