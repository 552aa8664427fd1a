"""Accepted rows between validation and loading, as one Parquet file per table.

Why stage at all: both loaders (the bulk importer and Bolt) must see exactly
the same accepted rows, every file must be validated before anything is
written, and the rows of a prefecture do not fit in memory. Parquet keeps the
types ``normalise`` gave them and reads back in batches.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ringscope.ingest.contract import Table
from ringscope.ingest.keys import composite_key

__all__ = ["StagedTable", "arrow_schema", "stock_in_ids", "frame_of"]

_ARROW_TYPES = {"int": pa.int64(), "decimal": pa.float64()}


def arrow_schema(table: Table, columns: list[str]) -> pa.Schema:
    """Contract columns get their types; extra columns stay strings."""
    kinds = {c.name: c.kind for c in table.columns}
    return pa.schema([(name, _ARROW_TYPES.get(kinds.get(name, "text"), pa.string())) for name in columns])


def frame_of(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    """Arrow to pandas keeping whole numbers whole when some are missing (nullable Int64)."""
    return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


#: The columns that describe a stock-in record; identical ones are told apart by their order.
STOCK_IN_COLUMNS = ("facility_id", "item_code", "purchased_at", "quantity", "unit_price", "supplier")


def stock_in_ids(frame: pd.DataFrame, seen: Counter) -> pd.Series:
    """A stable id for each stock-in record: the hash of its values and its occurrence number.

    ``seen`` counts earlier occurrences across chunks, so the second identical
    delivery in a file gets its own id, and a re-run of the file the same ids.
    """
    texts = composite_key(frame.astype("str"), tuple(c for c in STOCK_IN_COLUMNS if c in frame)).tolist()
    ids = []
    for text in texts:
        seen[text] += 1
        ids.append(hashlib.sha1(f"{text}\x1f{seen[text]}".encode("utf-8")).hexdigest()[:24])
    return pd.Series(ids, index=frame.index, dtype="str")


class StagedTable:
    """Appends normalised chunks of one table, then reads them back in batches."""

    def __init__(self, path: Path, table: Table, columns: list[str]):
        self.path = path
        self.table = table
        self.schema = arrow_schema(table, columns)
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def append(self, frame: pd.DataFrame) -> None:
        batch = pa.Table.from_pandas(frame[self.schema.names], schema=self.schema, preserve_index=False)
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="lz4")
        self._writer.write_table(batch)
        self.rows += len(frame)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def batches(self, rows: int = 50_000, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """The staged rows in file order, as DataFrames with NA for missing values."""
        self.close()
        if not self.path.exists():
            return
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=rows, columns=columns):
            yield frame_of(batch)

    def arrow_batches(self, rows: int = 500_000) -> Iterator[pa.Table]:
        """The staged rows in file order, as Arrow tables of at most ``rows`` rows."""
        self.close()
        if self.path.exists():
            for batch in pq.ParquetFile(self.path).iter_batches(batch_size=rows):
                yield pa.Table.from_batches([batch])

    def read(self, columns: list[str] | None = None) -> pa.Table:
        self.close()
        if not self.path.exists():
            return pa.table({name: pa.array([], type=self.schema.field(name).type)
                             for name in (columns or self.schema.names)})
        return pq.read_table(self.path, columns=columns)
