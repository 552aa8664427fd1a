"""Finding an extract's tables and reading them in chunks of raw strings.

Why strings: validation must see each value as it was written, so that a
reject names the value the fund sent, and a Parquet column of the wrong type
is reported row by row like a CSV typo. Why chunks: a prefecture's claims do
not fit in memory twice, so nothing here reads a file whole.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ringscope.errors import InputError
from ringscope.ingest.contract import TABLES, Table
from ringscope.ingest.encoding import SAMPLE_BYTES, canonical_encoding, detect_encoding, read_sample

__all__ = ["Source", "BadRow", "RawChunk", "find_sources", "open_source", "iter_chunks", "HEADER_ROW"]

#: Row numbers count records the way a spreadsheet shows them: the header is row 1.
HEADER_ROW = 1
_SUFFIXES = (".csv", ".csv.gz", ".parquet")


@dataclass(frozen=True)
class Source:
    """One input file of a table, with what its first bytes told us."""

    table: Table
    path: Path
    columns: tuple[str, ...]
    encoding: str | None  # None for Parquet

    @property
    def is_parquet(self) -> bool:
        return self.path.name.endswith(".parquet")


@dataclass(frozen=True)
class BadRow:
    """A record the parser could not split into the header's columns."""

    row: int | None
    text: str
    reason: str


@dataclass
class RawChunk:
    """Consecutive records as strings (missing values as NA), indexed by row number."""

    frame: pd.DataFrame
    bad_rows: list[BadRow] = field(default_factory=list)


def _table_files(data_dir: Path, table: Table, file_names: dict[str, str]) -> list[Path]:
    stem = file_names.get(table.name, table.name)
    return [data_dir / f"{stem}{suffix}" for suffix in _SUFFIXES if (data_dir / f"{stem}{suffix}").is_file()]


def find_sources(data_dir: Path, encoding: str | None = None,
                 file_names: dict[str, str] | None = None) -> list[Source]:
    """Every table file present in ``data_dir``, in load order; stops on a missing required file."""
    if not data_dir.is_dir():
        raise InputError(f"no such directory: {data_dir}")
    sources = []
    for table in TABLES:
        paths = _table_files(data_dir, table, file_names or {})
        if len(paths) > 1:
            raise InputError(f"table {table.name} is given twice: {', '.join(p.name for p in paths)}; keep one")
        if not paths:
            if table.required:
                stem = (file_names or {}).get(table.name, table.name)
                raise InputError(f"required file {stem}.csv (or .csv.gz, .parquet) is missing from {data_dir}")
            continue
        sources.append(open_source(paths[0], table, encoding))
    return sources


def open_source(path: Path, table: Table, encoding: str | None = None) -> Source:
    """Read the header (and settle the encoding) without reading the body."""
    if path.name.endswith(".parquet"):
        try:
            schema = pq.read_schema(path)
        except (pa.ArrowException, OSError) as error:
            raise InputError(f"not a readable Parquet file: {error}", file=path.name) from error
        for name, kind in zip(schema.names, schema.types):
            if pa.types.is_nested(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
                raise InputError(f"Parquet type {kind} cannot hold a table value", file=path.name, column=name)
        return Source(table, path, tuple(schema.names), None)
    chosen = canonical_encoding(encoding) if encoding else detect_encoding(path)
    return Source(table, path, _csv_header(path, chosen), chosen)


def _csv_header(path: Path, encoding: str) -> tuple[str, ...]:
    sample = read_sample(path)
    if not sample.strip():
        raise InputError("the file is empty: a table needs at least its header row", file=path.name, row=HEADER_ROW)
    end = sample.find(b"\n")
    if end < 0 and len(sample) >= SAMPLE_BYTES:
        raise InputError(f"no header line in the first {SAMPLE_BYTES >> 20} MiB; this is not a CSV table",
                         file=path.name, row=HEADER_ROW)
    line = sample if end < 0 else sample[:end]
    try:
        text = line.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise InputError(f"the header is not valid {encoding}; name the encoding with --encoding",
                         file=path.name, row=HEADER_ROW) from error
    header = tuple(name.strip() for name in next(csv.reader(io.StringIO(text.rstrip("\r")))))
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        name = duplicated[0] if len(duplicated[0]) <= 60 else duplicated[0][:60] + "..."
        raise InputError("the header names a column twice", file=path.name, row=HEADER_ROW, column=name)
    return header


def iter_chunks(source: Source, chunk_rows: int = 100_000) -> Iterator[RawChunk]:
    """The file's records, ``chunk_rows`` at a time."""
    if source.is_parquet:
        yield from _parquet_chunks(source, chunk_rows)
    else:
        yield from _csv_chunks(source, chunk_rows)


def _to_frame(batch: pa.RecordBatch, first_row: int, skipped: set[int]) -> tuple[pd.DataFrame, int]:
    """Strings with blanks as NA, indexed by row number (skipping rows the parser rejected)."""
    numbers = []
    row = first_row
    while len(numbers) < batch.num_rows:
        if row not in skipped:
            numbers.append(row)
        row += 1
    columns = []
    for column in batch.columns:
        trimmed = pc.utf8_trim_whitespace(column)
        columns.append(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed))
    frame = pa.RecordBatch.from_arrays(columns, names=batch.schema.names).to_pandas()
    frame.index = pd.Index(numbers, name="row")
    return frame, row


def _csv_chunks(source: Source, chunk_rows: int) -> Iterator[RawChunk]:
    bad_rows: list[BadRow] = []

    def on_invalid(invalid) -> str:
        bad_rows.append(BadRow(invalid.number, invalid.text,
                               f"has {invalid.actual_columns} fields where the header has "
                               f"{invalid.expected_columns} (a truncated or broken line)"))
        return "skip"

    # Blocks are sized from the chunk's row count; 200 bytes a row is a claims row's width.
    options = dict(
        read_options=pacsv.ReadOptions(encoding=source.encoding, block_size=max(1 << 20, chunk_rows * 200),
                                       use_threads=False, skip_rows=1, column_names=list(source.columns)),
        parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in source.columns},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    next_row = HEADER_ROW + 1
    skipped: set[int] = set()
    try:
        reader = pacsv.open_csv(source.path, **options)
        for batch in reader:
            skipped.update(bad.row for bad in bad_rows if bad.row is not None)
            frame, next_row = _to_frame(batch, next_row, skipped)
            yield RawChunk(frame, bad_rows)
            bad_rows = []
    except pa.ArrowInvalid as error:
        raise InputError(f"cannot be read as {source.encoding} CSV after row {next_row - 1}: {error}; "
                         "if the text encoding is wrong, name it with --encoding",
                         file=source.path.name, row=next_row) from error
    if bad_rows:
        yield RawChunk(pd.DataFrame(columns=list(source.columns), index=pd.Index([], name="row")), bad_rows)


def _as_strings(column: pa.Array) -> pa.Array:
    """Render a typed Parquet column as the text a CSV would hold."""
    kind = column.type
    if pa.types.is_timestamp(kind):
        return pc.strftime(column, format="%Y-%m-%dT%H:%M:%S")
    if pa.types.is_date(kind):
        return pc.strftime(column, format="%Y-%m-%d")
    if pa.types.is_dictionary(kind):
        return _as_strings(column.dictionary_decode())
    return pc.cast(column, pa.string())


def _parquet_chunks(source: Source, chunk_rows: int) -> Iterator[RawChunk]:
    next_row = HEADER_ROW + 1
    try:
        for batch in pq.ParquetFile(source.path).iter_batches(batch_size=chunk_rows):
            strings = pa.RecordBatch.from_arrays([_as_strings(c) for c in batch.columns], names=batch.schema.names)
            frame, next_row = _to_frame(strings, next_row, set())
            yield RawChunk(frame)
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"cannot read the Parquet file after row {next_row - 1}: {error}",
                         file=source.path.name, row=next_row) from error
