"""Chunked, atomic writing of the eight contract tables as CSV or Parquet.

Tables are appended chunk by chunk so a million persons never sit in memory
whole. Files are first written to a hidden folder inside the output
directory and moved into place only when every table is complete, so a
failed run leaves no half-written extract. CSV follows the contract
exactly: a header row, no quoting (no value contains a comma or quote),
dates ``2024-03-05``, local times ``2024-03-05T09:41:00``, amounts with two
decimals. Parquet keeps the same columns with their natural types (dates,
timestamps, decimal(14,2) amounts).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ringscope.errors import ConfigError

__all__ = ["ExtractWriter", "COLUMNS", "FORMATS", "money", "timestamps", "dates", "text_array"]

FORMATS = ("csv", "parquet")
MONEY = pa.decimal128(14, 2)

#: contract column order per table
COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("person_id", "name", "id_card", "gender", "birth_date", "region_code", "insurance_type", "death_date"),
    "facilities": ("facility_id", "name", "kind", "level", "ownership", "region_code", "address", "beds"),
    "practitioners": ("practitioner_id", "name", "role", "facility_id", "department", "id_card"),
    "claims": ("claim_id", "person_id", "facility_id", "practitioner_id", "visit_type", "settled_at", "admitted_at",
               "discharged_at", "diagnosis_code", "total_amount", "fund_paid", "region_code", "auth_method",
               "device_id"),
    "claim_items": ("claim_id", "line_no", "item_code", "item_name", "item_type", "quantity", "unit_price", "amount",
                    "practitioner_id", "trace_code"),
    "identifiers": ("owner_type", "owner_id", "kind", "value", "first_seen", "last_seen"),
    "purchases": ("facility_id", "item_code", "purchased_at", "quantity", "unit_price", "supplier"),
    "labels": ("ring_id", "typology", "entity_type", "entity_id", "role"),
}


def text_array(values) -> pa.Array:
    """Numpy values as one Arrow string array (Arrow splits big conversions into chunks)."""
    out = pa.array(np.asarray(values).astype(str), type=pa.string())
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def money(cents: np.ndarray) -> pa.Array:
    """Integer cents as exact decimal(14,2) yuan (written ``12.50``)."""
    c = np.ascontiguousarray(np.asarray(cents, dtype=np.int64))
    words = np.empty((len(c), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = c, c >> 63
    return pa.Array.from_buffers(MONEY, len(c), [None, pa.py_buffer(words)])


def timestamps(seconds: np.ndarray, start: np.datetime64, missing: np.ndarray | None = None) -> pa.Array:
    """Seconds from the window start as local timestamps (null where ``missing``)."""
    values = np.datetime64(start, "s") + np.asarray(seconds).astype("timedelta64[s]")
    return pa.array(values, type=pa.timestamp("s"), mask=missing)


def dates(days: np.ndarray, start: np.datetime64, missing: np.ndarray | None = None) -> pa.Array:
    values = np.datetime64(start, "D") + np.asarray(days).astype("timedelta64[D]")
    return pa.array(values, type=pa.date32(), mask=missing)


def _for_csv(table: pa.Table) -> pa.Table:
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type):
            column = pc.replace_substring(pc.cast(column, pa.string()), " ", "T")
        columns.append(column)
    return pa.table(columns, names=table.column_names)


class ExtractWriter:
    """Appends tables to ``out_dir`` in one format; ``commit()`` makes them visible."""

    def __init__(self, out_dir: Path, fmt: str):
        if fmt not in FORMATS:
            raise ConfigError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        self.out_dir = Path(out_dir)
        self.fmt = fmt
        self.staging = self.out_dir / ".ringscope-generate.partial"
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        self._open: dict[str, object] = {}
        self.rows: dict[str, int] = {name: 0 for name in COLUMNS}

    def path(self, name: str) -> Path:
        return self.staging / f"{name}.{self.fmt}"

    def write(self, name: str, table: pa.Table) -> None:
        if tuple(table.column_names) != COLUMNS[name]:
            raise ValueError(f"{name} columns {table.column_names} differ from the contract {COLUMNS[name]}")
        self.rows[name] += table.num_rows
        if self.fmt == "csv":
            handle = self._open.get(name)
            if handle is None:
                handle = open(self.path(name), "wb")
                handle.write((",".join(COLUMNS[name]) + "\n").encode())
                self._open[name] = handle
            if table.num_rows:
                pa_csv.write_csv(_for_csv(table), handle,
                                 pa_csv.WriteOptions(include_header=False, quoting_style="none"))
        else:
            writer = self._open.get(name)
            if writer is None:
                writer = pq.ParquetWriter(self.path(name), table.schema, compression="zstd")
                self._open[name] = writer
            writer.write_table(table)

    def commit(self, empty_schemas: dict[str, pa.Schema]) -> dict[str, Path]:
        """Close every file (creating header-only ones for empty tables) and move them in place."""
        for name in COLUMNS:
            if name not in self._open:
                self.write(name, empty_schemas[name].empty_table())
        for handle in self._open.values():
            handle.close()
        final = {}
        for name in COLUMNS:
            target = self.out_dir / f"{name}.{self.fmt}"
            os.replace(self.path(name), target)
            final[name] = target
            # a table left from an earlier run in the other format would be read too
            for stale in (self.out_dir / f"{name}.{other}" for other in FORMATS if other != self.fmt):
                stale.unlink(missing_ok=True)
        shutil.rmtree(self.staging)
        return final

    def abort(self) -> None:
        for handle in self._open.values():
            handle.close()
        shutil.rmtree(self.staging, ignore_errors=True)
