"""New claims and their fee lines as one column-wise batch for the claim writer.

Why column-wise: claims are by far the bulk of an online load, and a map per
claim (about 20 keys, and 9 per fee line) was most of the loader's Python
time to build and pack, and a map per claim for the server to decode. One list per
property comes straight out of the staged Arrow table and packs in a few calls.
The same batch goes to ``ringscope.createLinked`` (the embedded server's
procedure, ``graph/launcher``) or, on a server without it, to the Cypher of
``ingest_create_claims``; both write the graph of ``design.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ringscope.ingest.contract import TABLES_BY_NAME
from ringscope.ingest.node_ids import NodeIds
from ringscope.ingest.rows import LINE_COLUMNS, column_lists, group_lines

__all__ = ["ClaimLines", "claim_batch"]

#: (relationship type, points at the claim, required, claim column naming the node)
CLAIM_LINKS = (
    ("CLAIMED", True, True, "person_id"),
    ("AT", False, True, "facility_id"),
    ("BY", False, False, "practitioner_id"),
    ("VIA", False, False, "device_id"),
)
TEMPORAL = ("settled_at", "admitted_at", "discharged_at")
#: A claim without a region takes its facility's (the AT link, index 1 above).
INHERIT = {"region_code": 1}


@dataclass(frozen=True)
class ClaimLines:
    """Fee lines sorted by claim, and each claim's [start, end) in them (claims in claim_id order)."""

    lines: pa.Table
    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def of(cls, lines: pa.Table, claim_ids: list[str]) -> "ClaimLines":
        return cls(*group_lines(lines, claim_ids))

    def take(self, positions: np.ndarray) -> tuple[pa.Table, list[int]]:
        """The lines of the claims at ``positions``, in order, and their offsets (one more than claims)."""
        starts, lengths = self.starts[positions], self.ends[positions] - self.starts[positions]
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        rows = np.arange(offsets[-1]) - np.repeat(offsets[:-1], lengths) + np.repeat(starts, lengths)
        return self.lines.take(pa.array(rows, type=pa.int64())), offsets.tolist()


def claim_batch(claims: pa.Table, positions: np.ndarray, lines: ClaimLines | None, nodes: NodeIds,
                extras: dict[str, list[str]]) -> dict[str, Any]:
    """The batch for ``ringscope.createLinked``: the claims at ``positions`` of ``claims``, with their lines."""
    properties, extra = column_lists(claims.take(pa.array(positions, type=pa.int64())), TABLES_BY_NAME["claims"],
                                     extra=extras.get("claims"))
    batch: dict[str, Any] = {
        "label": "Claim", "properties": properties, "temporal": list(TEMPORAL), "inherit": INHERIT,
        "extra": extra,
        "links": [{"type": kind, "incoming": incoming, "required": required,
                   "nodes": nodes.of(column, properties[column])}
                  for kind, incoming, required, column in CLAIM_LINKS],
        "lines": None,
    }
    if lines is not None:
        taken, offsets = lines.take(positions)
        line_properties, line_extra = column_lists(taken, TABLES_BY_NAME["claim_items"], LINE_COLUMNS,
                                                   extras.get("claim_items"))
        items = line_properties.pop("item_code")
        batch["lines"] = {"type": "INCLUDES", "offsets": offsets, "nodes": nodes.of("item_code", items),
                          "properties": line_properties, "extra": line_extra}
    return batch
