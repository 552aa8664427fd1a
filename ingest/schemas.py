"""pandera schemas for the contract's tables, built from ``contract.TABLES``.

Why pandera: every rule is a named check whose failures come back as data
(row, column, value, which check), which is exactly what a reject file needs,
and checks run vectorised over a chunk. Values are validated as the strings
the fund sent; ``normalise`` converts them afterwards, when every conversion
is known to succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from ringscope.ingest.contract import Column, Table
from ringscope.ingest.idcard import is_valid_id_card
from ringscope.ingest.keys import KnownKeys, composite_key

__all__ = ["build_schema", "TableSchema", "as_number", "RULE_COLUMNS", "MISSING_VALUE"]

MISSING_VALUE = "a required value is missing"
_DATE = r"\d{4}-\d{2}-\d{2}"
_TIME = _DATE + r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
#: Amounts are rounded to the fen, so a fee line may differ from quantity x price by one fen.
_FEN = 0.01 + 1e-9

_NOUN = {"persons": "person", "facilities": "facility", "practitioners": "practitioner", "claims": "claim"}

#: The column a cross-column rule's reject names.
RULE_COLUMNS = {
    "fund_paid_within_total": "fund_paid",
    "amount_is_quantity_times_price": "amount",
}


_DECIMAL = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$"


def as_number(values: pd.Series) -> pd.Series:
    """Decimals as floats, anything else (including inf) as NaN.

    Arrow does the parsing: pandas' ``to_numeric`` on strings is ten times slower.
    """
    text = pyarrow.array(values.astype("str"), type=pyarrow.string(), from_pandas=True)
    try:  # the common case: every value is a number, and one cast checks them all
        numbers = pc.cast(text, pyarrow.float64()).to_numpy(zero_copy_only=False)
    except pyarrow.ArrowInvalid:
        shaped = pc.if_else(pc.match_substring_regex(text, _DECIMAL), text, pyarrow.scalar(None, pyarrow.string()))
        numbers = pc.cast(shaped, pyarrow.float64()).to_numpy(zero_copy_only=False)
    numbers = np.where(np.isfinite(numbers), numbers, np.nan)
    return pd.Series(numbers, index=values.index, dtype="float64")


def _parses(values: pd.Series, pattern: str, fmt: str | None) -> pd.Series:
    shaped = values.str.fullmatch(pattern).fillna(False).astype(bool)
    parsed = pd.to_datetime(values.where(shaped), format=fmt or "ISO8601", errors="coerce")
    return shaped & parsed.notna()


def _column_checks(column: Column) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if column.vocabulary:
        checks.append(pa.Check.isin(list(column.vocabulary), error=f"not one of {', '.join(column.vocabulary)}"))
    if column.kind == "int":
        checks.append(pa.Check(lambda s: s.str.fullmatch(r"[+-]?\d{1,15}").astype(bool),
                               error="not a whole number"))
    elif column.kind == "decimal":
        checks.append(pa.Check(lambda s: as_number(s).notna(), error="not a decimal number"))
    elif column.kind == "date":
        checks.append(pa.Check(lambda s: _parses(s, _DATE, "%Y-%m-%d"), error="not an ISO date (YYYY-MM-DD)"))
    elif column.kind == "datetime":
        checks.append(pa.Check(lambda s: _parses(s, _TIME, None),
                               error="not an ISO local time (YYYY-MM-DDTHH:MM:SS)"))
    elif column.kind == "region":
        checks.append(pa.Check.str_matches(r"^\d{6}$", error="not a 6-digit region code"))
    elif column.kind == "id_card":
        checks.append(pa.Check(is_valid_id_card, element_wise=True,
                               error="not an 18-character identity card with a valid check character"))
    if column.minimum is not None:
        minimum = column.minimum
        checks.append(pa.Check(lambda s: ~(as_number(s) < minimum), error=f"below {minimum:g}"))
    return checks


def _rule_check(rule: str, columns: set[str]) -> pa.Check | None:
    if rule == "fund_paid_within_total":
        return pa.Check(lambda d: ~(as_number(d["fund_paid"]) > as_number(d["total_amount"]) + 1e-9),
                        error="fund_paid is above total_amount")
    if rule == "amount_is_quantity_times_price":
        return pa.Check(lambda d: ~((as_number(d["amount"])
                                     - as_number(d["quantity"]) * as_number(d["unit_price"])).abs() > _FEN),
                        error="amount differs from quantity x unit_price by more than one fen")
    return None


@dataclass(frozen=True)
class TableSchema:
    """A table's pandera schema, and the column each frame-wide check blames."""

    schema: pa.DataFrameSchema
    blame: dict[str, str]


def build_schema(table: Table, present: set[str], keys: dict[str, KnownKeys]) -> TableSchema:
    """The schema of ``table`` for a file with the columns ``present``.

    ``keys`` maps each table name to its ``KnownKeys``: the table's own entry
    catches duplicates across chunks, the others resolve foreign keys.
    """
    columns = {}
    blame = {}
    for column in table.columns:
        if column.name not in present:
            continue
        checks = _column_checks(column)
        for fk in table.foreign_keys:
            if fk.column == column.name and fk.when is None:
                # A lambda, not the bound method: pandera deep-copies checks, and a
                # copied KnownKeys would be a stale snapshot (and a slow copy).
                known = keys[fk.table]
                checks.append(pa.Check(lambda values, known=known: known.contains(values),
                                       error=f"names a {_NOUN[fk.table]} that is neither in this load nor in the store"))
        columns[column.name] = pa.Column(None, checks=checks, nullable=not column.required)
    frame_checks = []
    for rule in table.rules:
        if (check := _rule_check(rule, present)) is not None:
            frame_checks.append(check)
            blame[check.error] = RULE_COLUMNS[rule]
    for fk in table.foreign_keys:
        if fk.when is not None:
            check = _conditional_fk(fk.column, fk.when, keys[fk.table], fk.table)
            frame_checks.append(check)
            blame[check.error] = fk.column
    if table.key:
        own = keys[table.name]
        check = pa.Check(lambda d: ~own.seen_before(composite_key(d, table.key)),
                         error=f"duplicate key ({', '.join(table.key)}): already in this file")
        frame_checks.append(check)
        blame[check.error] = table.key[-1]
    return TableSchema(pa.DataFrameSchema(columns, checks=frame_checks, strict=False, coerce=False), blame)


def _conditional_fk(column: str, when: tuple[str, str], known: KnownKeys, target: str) -> pa.Check:
    switch, value = when

    def check(frame: pd.DataFrame) -> pd.Series:
        applies = frame[switch] == value
        result = pd.Series(True, index=frame.index)
        if applies.any():
            result[applies] = known.contains(frame.loc[applies, column])
        return result

    return pa.Check(check, error=f"names a {_NOUN[target]} that is neither in this load nor in the store")
