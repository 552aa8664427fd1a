"""The contract's input tables as pandas frames: what every detection job reads.

Why frames and not a live graph: jobs are pure functions, testable on a dozen
hand-made rows, and independent of how the data arrived (pulled out of Neo4j
by :mod:`ringscope.graph.projections`, or read from an extract directory by
:func:`read_tables` for benchmarks and notebooks). Optional tables are
``None`` when absent, so a job can say "skipped: no fee lines" instead of
failing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ringscope.errors import InputError

__all__ = ["Tables", "COLUMNS", "read_tables", "normalise"]

#: The contract's columns per table (data-contract.md); extra columns are kept.
COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("person_id", "name", "id_card", "gender", "birth_date", "region_code",
                "insurance_type", "death_date"),
    "facilities": ("facility_id", "name", "kind", "level", "ownership", "region_code", "address", "beds"),
    "practitioners": ("practitioner_id", "name", "role", "facility_id", "department", "id_card"),
    "claims": ("claim_id", "person_id", "facility_id", "practitioner_id", "visit_type", "settled_at",
               "admitted_at", "discharged_at", "diagnosis_code", "total_amount", "fund_paid",
               "region_code", "auth_method", "device_id"),
    "claim_items": ("claim_id", "line_no", "item_code", "item_name", "item_type", "quantity",
                    "unit_price", "amount", "practitioner_id", "trace_code"),
    "identifiers": ("owner_type", "owner_id", "kind", "value", "first_seen", "last_seen"),
    "purchases": ("facility_id", "item_code", "purchased_at", "quantity", "unit_price", "supplier"),
}
_REQUIRED = ("persons", "facilities", "practitioners", "claims")
_TIMES = {"persons": ("birth_date", "death_date"), "claims": ("settled_at", "admitted_at", "discharged_at"),
          "identifiers": ("first_seen", "last_seen"), "purchases": ("purchased_at",)}
_NUMBERS = {"facilities": ("beds",), "claims": ("total_amount", "fund_paid"),
            "claim_items": ("line_no", "quantity", "unit_price", "amount"),
            "purchases": ("quantity", "unit_price")}


@dataclass
class Tables:
    """The loaded data; optional tables are ``None`` when the extract lacks them."""

    persons: pd.DataFrame
    facilities: pd.DataFrame
    practitioners: pd.DataFrame
    claims: pd.DataFrame
    claim_items: pd.DataFrame | None = None
    identifiers: pd.DataFrame | None = None
    purchases: pd.DataFrame | None = None

    def present(self) -> dict[str, int]:
        """Row count per table that is present."""
        return {f.name: len(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def empty(cls) -> "Tables":
        return cls(**{name: normalise(name, pd.DataFrame()) for name in _REQUIRED})


def normalise(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give ``frame`` every contract column of table ``name`` with the types jobs expect.

    Identifiers and codes stay strings (empty -> NA), times become
    ``datetime64`` (Neo4j temporals and ISO strings alike) and amounts floats.
    """
    frame = frame.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    for column in COLUMNS[name]:
        if column not in frame:
            frame[column] = pd.NA
    for column in frame.columns:
        if column in _TIMES.get(name, ()):
            frame[column] = _times(frame[column])
        elif column in _NUMBERS.get(name, ()):
            frame[column] = _numbers(frame[column])
        else:
            frame[column] = _contiguous(frame[column].astype("string").replace("", pd.NA))
    return frame.reset_index(drop=True)


def _contiguous(values: pd.Series) -> pd.Series:
    """``values`` in one Arrow chunk: Arrow's reader leaves a chunk per block read, and taking a
    few rows out of hundreds of chunks (a facility's claims, a group's) is tens of times slower."""
    arrow = pa.array(values.array)
    if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1:
        return pd.Series(pd.array(arrow.combine_chunks(), dtype=values.dtype), index=values.index, name=values.name)
    return values


def _times(values: pd.Series) -> pd.Series:
    """Neo4j temporals (objects) and ISO strings alike as ``datetime64``; what does not parse is NaT."""
    if values.dtype == object:
        values = values.map(lambda v: v.to_native() if hasattr(v, "to_native") else v)
    return pd.to_datetime(values.astype("string").str.slice(0, 19), errors="coerce", format="ISO8601")


def _numbers(values: pd.Series) -> pd.Series:
    """Floats; what is not a number is NaN. Whole columns of clean text cast at once (fast path);
    a column with one bad value goes through ``to_numeric`` value by value."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    try:
        return values.astype("string").replace("", pd.NA).astype("float64")
    except (ValueError, TypeError):
        return pd.to_numeric(values, errors="coerce").astype(float)


def _find(directory: Path, name: str) -> Path | None:
    for suffix in (".csv", ".csv.gz", ".parquet"):
        if (path := directory / f"{name}{suffix}").is_file():
            return path
    return None


def read_tables(directory: str | Path) -> Tables:
    """Read an extract directory (contract names, CSV or Parquet) into :class:`Tables`.

    This is the analysts' and benchmarks' door; ``ringscope detect`` reads
    Neo4j instead. Raises :class:`InputError` naming a missing required file.
    """
    directory = Path(directory)
    loaded: dict[str, pd.DataFrame | None] = {}
    for name in COLUMNS:
        path = _find(directory, name)
        if path is None:
            if name in _REQUIRED:
                raise InputError("required table is missing", file=str(directory / f"{name}.csv"))
            loaded[name] = None
            continue
        raw = (pd.read_parquet(path) if path.suffix == ".parquet"
               else pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow"))
        loaded[name] = normalise(name, raw)
    return Tables(**loaded)
