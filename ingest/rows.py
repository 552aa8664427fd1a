"""Staged frames as the plain rows Cypher parameters and importer files need.

Why shared: the Bolt loader and the bulk importer must write the same
properties from the same columns, so both take them from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ringscope.ingest.contract import Table

__all__ = ["records", "item_catalogue", "group_lines", "LINE_COLUMNS"]

#: The fee-line columns that become properties of (Claim)-[:INCLUDES]->(Item).
LINE_COLUMNS = ("item_code", "line_no", "quantity", "unit_price", "amount", "trace_code", "practitioner_id")


def _values(frame: pd.DataFrame, column: str) -> list[Any]:
    if column not in frame:
        return [None] * len(frame)
    series = frame[column]
    return series.astype(object).where(series.notna(), None).tolist()


def records(frame: pd.DataFrame, table: Table, columns: tuple[str, ...] | None = None,
            extra: list[str] | None = None) -> list[dict[str, Any]]:
    """One dict per row with every contract column (None when absent) and ``extra``: a dict of kept extras."""
    names = list(columns or table.column_names)
    if table.name == "purchases":
        names.append("stock_in_id")
    lists = [_values(frame, name) for name in names]
    extra = extra or []
    extra_lists = [_values(frame, name) for name in extra]
    rows = [dict(zip(names, values)) for values in zip(*lists)] if names else [{} for _ in range(len(frame))]
    if not extra:  # the usual case: skip a per-row comprehension over nothing
        for row in rows:
            row["extra"] = {}
        return rows
    for index, row in enumerate(rows):
        row["extra"] = {name: values[index] for name, values in zip(extra, extra_lists)
                        if values[index] is not None}
    return rows


def item_catalogue(lines: pa.Table) -> pd.DataFrame:
    """One row per item code: the first name and type seen, in file order."""
    wanted = [c for c in ("item_code", "item_name", "item_type") if c in lines.column_names]
    frame = lines.select(wanted).to_pandas().drop_duplicates("item_code", keep="first")
    return frame.rename(columns={"item_name": "name"}).reindex(columns=["item_code", "name", "item_type"])


def group_lines(lines: pa.Table, claim_ids: list[str]) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """Fee lines sorted by claim, and each claim's [start, end) in them.

    ``claim_ids`` must be sorted; a claim without lines gets start == end.
    """
    ordered = lines.take(pc.sort_indices(lines, sort_keys=[("claim_id", "ascending"), ("line_no", "ascending")]))
    keys = ordered.column("claim_id").to_numpy(zero_copy_only=False).astype(object)
    wanted = np.asarray(claim_ids, dtype=object)
    return ordered, np.searchsorted(keys, wanted, side="left"), np.searchsorted(keys, wanted, side="right")
