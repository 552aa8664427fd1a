"""The contract's input tables as pandas frames: what every detection job reads.

Why frames and not a live graph: jobs are pure functions, testable on a dozen
hand-made rows, and independent of how the data arrived (pulled out of Neo4j
by :mod:`ringscope.graph.projections`, or read from an extract directory by
:func:`read_tables` for benchmarks and notebooks). Optional tables are
``None`` when absent, so a job can say "skipped: no fee lines" instead of
failing.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ringscope.errors import InputError

__all__ = ["Tables", "COLUMNS", "read_tables", "normalise", "positions"]

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
#: Columns of few distinct values (places, staff, items, vocabularies), held as categoricals: a
#: one- or two-byte code per row instead of its text. At 10M claims with 21M fee lines that is
#: about 2 GiB, a quarter of what the jobs hold. Categories are sorted, so sorting and grouping
#: order are the text's.
_CODES = {"persons": ("gender", "region_code", "insurance_type"),
          "claims": ("facility_id", "practitioner_id", "visit_type", "diagnosis_code", "region_code", "auth_method"),
          "claim_items": ("item_code", "item_type", "practitioner_id"),
          "identifiers": ("owner_type", "kind")}


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


def normalise(name: str, frame: pd.DataFrame, *, codes: bool = True) -> pd.DataFrame:
    """Give ``frame`` every contract column of table ``name`` with the types jobs expect.

    Identifiers stay strings (empty -> NA), the columns of few values
    become sorted categoricals (``codes=False`` leaves them strings, for
    batches that are concatenated and normalised again), times become
    ``datetime64`` (Neo4j temporals and ISO strings alike) and amounts floats.
    """
    frame = frame.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    for column in COLUMNS[name]:
        if column not in frame:
            frame[column] = pd.NA
    for column in frame.columns:
        frame[column] = _convert(name, column, frame[column], codes=codes)
    return frame.reset_index(drop=True)


def _convert(name: str, column: str, values: pd.Series, *, codes: bool = True) -> pd.Series:
    """One column of table ``name`` with the type jobs expect (a no-op on a converted one)."""
    if column in _TIMES.get(name, ()):
        return _times(values)
    if column in _NUMBERS.get(name, ()):
        return _numbers(values)
    if codes and column in _CODES.get(name, ()):
        return _categorical(values)
    return _contiguous(_text(values))


def _text(values: pd.Series) -> pd.Series:
    """``values`` as Arrow-backed text, empty text missing."""
    values = values.astype("string")
    return values.replace("", pd.NA) if values.eq("").any() else values


def _categorical(values: pd.Series) -> pd.Series:
    """``values`` as a categorical of sorted text categories, empty text missing."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return _text(values).astype("category")
    categories = values.cat.categories
    kept = pd.Index(sorted(c for c in categories if c != ""), dtype="string")
    if categories.equals(kept) and categories.dtype == kept.dtype:
        return values
    return values.cat.set_categories(kept)  # recoded by value, the rows' text never built


def _contiguous(values: pd.Series) -> pd.Series:
    """``values`` in one Arrow chunk: Arrow's reader leaves a chunk per block read, and taking a
    few rows out of hundreds of chunks (a facility's claims, a group's) is tens of times slower."""
    arrow = pa.array(values.array)
    if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1:
        return pd.Series(pd.array(arrow.combine_chunks(), dtype=values.dtype), index=values.index, name=values.name)
    return values


def _times(values: pd.Series) -> pd.Series:
    """Neo4j temporals (objects) and ISO strings alike as ``datetime64``; what does not parse is NaT."""
    if pd.api.types.is_datetime64_dtype(values):
        return values
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


def positions(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """For each of ``values``, the row position of the same text among ``keys`` (the first
    such row); -1 where it is absent or missing.

    Arrow's hash lookup, with no Python string objects and no concatenated copy:
    17M fee lines looked up among 8M claims take a fraction of a gigabyte.
    """
    def arrow(series: pd.Series) -> pa.Array:
        array = pa.array(series.astype("string").array)
        return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array

    found = pc.index_in(arrow(values), options=pc.SetLookupOptions(arrow(keys), skip_nulls=True))
    return np.asarray(found.fill_null(-1), dtype=np.int64)


def _find(directory: Path, name: str) -> Path | None:
    for suffix in (".csv", ".csv.gz", ".parquet"):
        if (path := directory / f"{name}{suffix}").is_file():
            return path
    return None


def _header(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _read_csv(path: Path, name: str, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """Table ``name`` from CSV, converted as :func:`normalise` does, each text column in one Arrow chunk.

    Arrow's reader, told that every column is text (no type guessing, leading
    zeros kept) and empty means missing; the table is let go column by column
    as each becomes a pandas column of its type, so a 17M-row fee-line table
    never sits in memory twice.
    """
    names = [c for c in dict.fromkeys(_header(path)) if c and c not in skip]
    coded = _CODES.get(name, ())
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={c: pa.dictionary(pa.int32(), pa.large_string()) if c in coded else pa.large_string()
                      for c in names}, include_columns=names,
        strings_can_be_null=True, quoted_strings_can_be_null=True, null_values=[""]))
    columns = {column: table.column(column) for column in table.column_names}
    del table
    frame = pd.DataFrame(index=pd.RangeIndex(len(next(iter(columns.values()), []))))
    for column in list(columns):
        array = columns.pop(column)
        text = (pd.Series(array.to_pandas(), index=frame.index) if column in coded
                else pd.Series(pd.array(array.combine_chunks(), dtype="string"), index=frame.index))
        del array
        frame[column] = _convert(name, column, text)
        del text
    return frame


def read_tables(directory: str | Path, skip: dict[str, tuple[str, ...]] | None = None) -> Tables:
    """Read an extract directory (contract names, CSV or Parquet) into :class:`Tables`.

    This is the analysts' and benchmarks' door; ``ringscope detect`` reads
    Neo4j instead. ``skip`` names columns per table not to read at all (a
    caller that never looks at fee lines' names saves a gigabyte at a million
    persons); they come back with every row missing, in a byte a row. Raises
    :class:`InputError` naming a missing required file.
    """
    directory = Path(directory)
    skip = skip or {}
    loaded: dict[str, pd.DataFrame | None] = {}
    for name in COLUMNS:
        path = _find(directory, name)
        if path is None:
            if name in _REQUIRED:
                raise InputError("required table is missing", file=str(directory / f"{name}.csv"))
            loaded[name] = None
            continue
        if path.suffix == ".parquet":
            raw = pd.read_parquet(path)
            raw = raw.drop(columns=[c for c in skip.get(name, ()) if c in raw])
        else:
            raw = _read_csv(path, name, skip.get(name, ()))
        frame = normalise(name, raw)
        del raw
        for column in skip.get(name, ()):
            frame[column] = _nothing(len(frame))
        loaded[name] = frame
    return Tables(**loaded)


def _nothing(rows: int) -> pd.Series:
    """A skipped column: every row missing, in one byte a row (a categorical without categories),
    not the eight of a float, date or text column of NA (0.4 GiB at 10M claims)."""
    nothing = pd.Categorical.from_codes(np.full(rows, -1, dtype=np.int8), categories=pd.Index([], dtype="string"))
    return pd.Series(nothing)
