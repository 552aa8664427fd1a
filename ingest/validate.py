"""One chunk through the table's schema: accepted rows out, each reject with its reason.

Why reasons are gathered per row: an investigator fixing an extract wants one
line per bad record, naming the first bad column and value, with every other
problem of that record listed after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from ringscope.errors import InputError
from ringscope.ingest.contract import Table
from ringscope.ingest.idcard import to_18_digits
from ringscope.ingest.keys import KnownKeys, composite_key
from ringscope.ingest.schemas import MISSING_VALUE, TableSchema, as_number

__all__ = ["ChunkVerdict", "validate_chunk", "normalise", "extra_columns", "REJECT_COLUMNS"]

#: The leading columns of every reject file; the row's original columns follow.
REJECT_COLUMNS = ("row", "column", "value", "reason")
_PROPERTY_NAME = re.compile(r"^\w+$")


@dataclass
class ChunkVerdict:
    """Rows that passed (as sent, before ``normalise``) and one reject line per failed row."""

    accepted: pd.DataFrame
    rejects: pd.DataFrame  # index: row number; columns column, value, reason


def extra_columns(table: Table, header: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Unknown columns kept as properties, and those whose names cannot be property names."""
    unknown = [name for name in header if name not in table.column_names]
    kept = [name for name in unknown if _PROPERTY_NAME.match(name)]
    return kept, [name for name in unknown if name not in kept]


def _prepare(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Clean-ups the contract allows before judging a value (15-digit cards become 18)."""
    frame = frame.copy()
    for column in table.columns:
        if column.kind == "id_card" and column.name in frame:
            frame[column.name] = frame[column.name].map(to_18_digits, na_action="ignore")
    return frame


def _reasons(failures: pd.DataFrame, frame: pd.DataFrame, table_schema: TableSchema,
             order: dict[str, int], file_name: str) -> pd.DataFrame:
    if failures["index"].isna().any():
        bad = failures[failures["index"].isna()].iloc[0]
        raise InputError(f"validation check {bad['check']!r} could not run: {bad['failure_case']}",
                         file=file_name, column=bad["column"])
    is_frame_check = failures["schema_context"] == "DataFrameSchema"
    failures = failures.assign(
        column=failures["column"].where(~is_frame_check, failures["check"].map(table_schema.blame)),
        reason=failures["check"].replace({"not_nullable": MISSING_VALUE}),
    ).drop_duplicates(["index", "column", "reason"])
    failures = failures.assign(
        value=[frame.at[row, column] if column in frame else None
               for row, column in zip(failures["index"], failures["column"])],
        position=failures["column"].map(order).fillna(len(order)),
    ).sort_values(["index", "position"], kind="stable")
    lines = []
    for row, group in failures.groupby("index", sort=True):
        first = group.iloc[0]
        others = [f"{c}: {r}" for c, r in zip(group["column"].iloc[1:], group["reason"].iloc[1:])]
        reason = first["reason"] + (f" (also {'; '.join(others)})" if others else "")
        value = first["value"]
        lines.append((int(row), first["column"], None if pd.isna(value) else str(value), reason))
    return pd.DataFrame(lines, columns=list(REJECT_COLUMNS)).set_index("row")


def validate_chunk(frame: pd.DataFrame, table_schema: TableSchema, table: Table,
                   own_keys: KnownKeys | None, file_name: str) -> ChunkVerdict:
    """Run the schema lazily over ``frame`` and record the accepted keys in ``own_keys``."""
    frame = _prepare(frame, table)
    try:
        table_schema.schema.validate(frame, lazy=True)
        rejects = pd.DataFrame(columns=list(REJECT_COLUMNS[1:]), index=pd.Index([], name="row"))
    except pa.errors.SchemaErrors as errors:
        order = {name: i for i, name in enumerate(table.column_names)}
        rejects = _reasons(errors.failure_cases, frame, table_schema, order, file_name)
    accepted = frame.drop(index=rejects.index) if len(rejects) else frame
    if own_keys is not None and table.key:
        own_keys.add(composite_key(accepted, table.key))
    return ChunkVerdict(accepted, rejects)


def _local_time(values: pd.Series) -> pd.Series:
    """ISO local times in one shape, ``YYYY-MM-DDTHH:MM:SS``; a bare date means midnight."""
    text = values.str.replace(" ", "T", n=1, regex=False)
    text = text.where(text.str.len() != 10, text + "T00:00:00")
    return text.where(text.str.len() != 16, text + ":00").str.slice(0, 19)


def normalise(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Accepted strings as the graph stores them: numbers as numbers, times in one ISO shape."""
    out = frame.copy()
    for column in table.columns:
        if column.name not in out:
            continue
        if column.kind == "int":
            out[column.name] = pd.to_numeric(out[column.name]).astype("Int64")
        elif column.kind == "decimal":
            out[column.name] = as_number(out[column.name])
        elif column.kind == "datetime":
            out[column.name] = _local_time(out[column.name])
    return out
