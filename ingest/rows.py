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

__all__ = ["records", "column_lists", "item_catalogue", "group_lines", "LINE_COLUMNS"]

#: The fee-line columns that become properties of (Claim)-[:INCLUDES]->(Item).
LINE_COLUMNS = ("item_code", "line_no", "quantity", "unit_price", "amount", "trace_code", "practitioner_id")


def _values(frame: pd.DataFrame | pa.Table, column: str) -> list[Any]:
    if isinstance(frame, pa.Table):  # nulls come out as None, whole numbers as int, without pandas' copies
        return frame.column(column).to_pylist() if column in frame.column_names else [None] * len(frame)
    if column not in frame:
        return [None] * len(frame)
    series = frame[column]
    return series.astype(object).where(series.notna(), None).tolist()


def _extras(frame: pd.DataFrame | pa.Table, extra: list[str]) -> list[dict[str, Any]]:
    lists = [_values(frame, name) for name in extra]
    return [{name: values[index] for name, values in zip(extra, lists) if values[index] is not None}
            for index in range(len(frame))]


def column_lists(frame: pd.DataFrame | pa.Table, table: Table, columns: tuple[str, ...] | None = None,
                 extra: list[str] | None = None) -> tuple[dict[str, list[Any]], list[dict[str, Any]] | None]:
    """Every contract column (None when absent) as one list per column, and the kept extras per row.

    Column-wise is what the claim writer sends (one list per property packs
    and unpacks far faster than a map per claim); the extras are None when the
    table has none.
    """
    names = list(columns or table.column_names)
    if table.name == "purchases":
        names.append("stock_in_id")
    return {name: _values(frame, name) for name in names}, (_extras(frame, extra) if extra else None)


def records(frame: pd.DataFrame, table: Table, columns: tuple[str, ...] | None = None,
            extra: list[str] | None = None) -> list[dict[str, Any]]:
    """One dict per row with every contract column (None when absent) and ``extra``: a dict of kept extras."""
    lists, extras = column_lists(frame, table, columns, extra)
    names = list(lists)
    rows = [dict(zip(names, values)) for values in zip(*lists.values())] if names else [{} for _ in range(len(frame))]
    for row, kept in zip(rows, extras or ({} for _ in rows)):
        row["extra"] = kept
    return rows


def item_catalogue(lines: pa.Table) -> pd.DataFrame:
    """One row per item code: the first name and type seen, in file order."""
    wanted = [c for c in ("item_code", "item_name", "item_type") if c in lines.column_names]
    frame = lines.select(wanted).to_pandas().drop_duplicates("item_code", keep="first")
    return frame.rename(columns={"item_name": "name"}).reindex(columns=["item_code", "name", "item_type"])


def group_lines(lines: pa.Table, claim_ids: list[str]) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """Fee lines ordered as ``claim_ids`` (each claim once), and each claim's [start, end) in them.

    A claim without lines gets start == end. Each line's claim is found by
    its position in ``claim_ids`` (a hash lookup), and lines are ordered by
    that integer and their line number: sorting 350k lines by their string
    claim ids and bisecting for every claim was a third of the online claim
    step's set-up.
    """
    column = lines.column("claim_id")
    owner = pc.index_in(column, value_set=pa.array(claim_ids, type=column.type)).fill_null(len(claim_ids))
    keys = pa.table({"owner": owner, "line_no": lines.column("line_no")})
    order = pc.sort_indices(keys, sort_keys=[("owner", "ascending"), ("line_no", "ascending")])
    counts = np.bincount(owner.to_numpy(), minlength=len(claim_ids) + 1)[:len(claim_ids)]
    ends = np.cumsum(counts)
    return lines.take(order), ends - counts, ends
