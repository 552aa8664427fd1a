"""The validation pass over one input file: chunks in, staged rows and rejects out.

Why a pass per file in load order: a claim can only be judged once every
person, facility and practitioner it names is known, so the parent tables are
checked (and their keys recorded) first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ringscope.errors import InputError
from ringscope.ingest.contract import TABLES
from ringscope.ingest.keys import KnownKeys
from ringscope.ingest.mapping import IDENTITY, Mapping
from ringscope.ingest.reading import HEADER_ROW, Source, find_sources, iter_chunks
from ringscope.ingest.rejects import RejectWriter
from ringscope.ingest.schemas import build_schema
from ringscope.ingest.staging import StagedTable, stock_in_ids
from ringscope.ingest.validate import extra_columns, normalise, validate_chunk

__all__ = ["FileReport", "check_header", "check_file", "check_directory"]


@dataclass
class FileReport:
    """What became of one input file's rows."""

    table: str
    file: str
    encoding: str | None
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    reject_file: Path | None = None
    first_reject: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def check_header(source: Source, mapping: Mapping) -> tuple[str, ...]:
    """The contract names of the file's columns; stops on a missing required column."""
    header = mapping.contract_header(source.table.name, source.columns)
    for required in source.table.required_columns:
        if required not in header:
            name = next((s for t, s in mapping.columns.get(source.table.name, {}).items() if t == required), None)
            shown = f"{name} ({required})" if name else required
            listed = ", ".join(source.columns)
            listed = listed if len(listed) <= 200 else listed[:200] + "..."
            raise InputError(f"required column {shown} is missing; the header has: {listed}",
                             file=source.path.name, row=HEADER_ROW, column=shown)
    return header


def _describe(writer: RejectWriter, file_name: str) -> str | None:
    if writer.first is None:
        return None
    row, column, value, reason = writer.first
    where = ", ".join(p for p in (f"row {row}" if row else "", f"column {column}" if column else "",
                                   f"value {value!r}" if value not in (None, "") else "") if p)
    return f"{file_name}: {where}: {reason}"


def check_file(source: Source, mapping: Mapping, keys: dict[str, KnownKeys], staging_dir: Path,
               rejects_dir: Path, chunk_rows: int = 100_000,
               on_rows: Callable[[int], None] | None = None) -> tuple[FileReport, StagedTable | None]:
    """Validate every record of ``source``; stage the accepted ones and write the rejects."""
    table = source.table
    header = check_header(source, mapping)
    kept, ignored = extra_columns(table, header)
    report = FileReport(table.name, source.path.name, source.encoding, extra_columns=kept, ignored_columns=ignored)
    staged_columns = [c for c in table.column_names if c in header] + kept
    if table.name == "purchases":
        staged_columns.append("stock_in_id")
    staged = StagedTable(staging_dir / f"{table.name}.parquet", table, staged_columns) if table.loaded else None
    schema = build_schema(table, set(header), keys) if table.loaded else None
    source_name = {contract: mapping.source_column(table.name, source.columns, contract) for contract in header}
    occurrences: Counter = Counter()
    writer = RejectWriter(rejects_dir / f"{source.path.name.split('.')[0]}.rejects.csv", source.columns)
    try:
        for chunk in iter_chunks(source, chunk_rows):
            writer.add_bad_rows(chunk.bad_rows)
            report.read += len(chunk.frame) + len(chunk.bad_rows)
            if schema is None or staged is None:
                continue
            frame = mapping.apply(table.name, chunk.frame)
            verdict = validate_chunk(frame, schema, table, keys.get(table.name), source.path.name)
            writer.add(chunk.frame, verdict.rejects, source_name)
            accepted = normalise(verdict.accepted, table)
            if table.name == "purchases":
                accepted["stock_in_id"] = stock_in_ids(accepted, occurrences)
            staged.append(accepted)
            report.loaded += len(accepted)
            if on_rows:
                on_rows(len(chunk.frame) + len(chunk.bad_rows))
    finally:
        writer.close()
        if staged is not None:
            staged.close()
    report.rejected = writer.count
    report.reject_file = writer.path if writer.count else None
    report.first_reject = _describe(writer, source.path.name)
    return report, staged


def check_directory(data_dir: Path, rejects_dir: Path, staging_dir: Path, *, encoding: str | None = None,
                    mapping: Mapping | None = None, keys: dict[str, KnownKeys] | None = None,
                    chunk_rows: int = 100_000) -> tuple[list[FileReport], dict[str, StagedTable]]:
    """Every file of ``data_dir`` through validation, without a database (``keys`` may ask one)."""
    mapping = mapping or IDENTITY
    keys = keys if keys is not None else {table.name: KnownKeys() for table in TABLES}
    sources = find_sources(data_dir, encoding, mapping.files)
    for source in sources:
        check_header(source, mapping)
    reports, staged = [], {}
    for source in sources:
        report, table = check_file(source, mapping, keys, staging_dir, rejects_dir, chunk_rows)
        reports.append(report)
        if table is not None:
            staged[source.table.name] = table
    return reports, staged
