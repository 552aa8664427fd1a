"""Fee lines grouped under their claims in the order the claim writer sends claims (no database)."""

from __future__ import annotations

import pyarrow as pa

from ringscope.ingest.rows import group_lines


def test_lines_follow_the_claim_order_given_and_stray_lines_are_left_out() -> None:
    lines = pa.table({"claim_id": ["b", "a", "b", "z", "a"], "line_no": [2, 1, 1, 5, 2],
                      "amount": [1.0, 2.0, 3.0, 4.0, 5.0]})
    ordered, starts, ends = group_lines(lines, ["b", "c", "a"])
    assert ordered.column_names == ["claim_id", "line_no", "amount"]
    assert ordered.column("claim_id").to_pylist() == ["b", "b", "a", "a"]
    assert ordered.column("line_no").to_pylist() == [1, 2, 1, 2]
    assert ordered.column("amount").to_pylist() == [3.0, 1.0, 2.0, 5.0]
    assert starts.tolist() == [0, 2, 2]  # claim "c" has no lines: start == end
    assert ends.tolist() == [2, 2, 4]
