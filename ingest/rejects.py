"""Reject files: one CSV per input file, one line per rejected record.

Why the original row rides along: the person fixing an extract should be able
to correct the reject file and feed it back, without searching the source
for the line. Written in UTF-8 with a BOM so that Excel shows Chinese names.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ringscope.ingest.reading import BadRow
from ringscope.ingest.validate import REJECT_COLUMNS

__all__ = ["RejectWriter"]


class RejectWriter:
    """Appends rejects for one input file; creates the file only when there is one."""

    def __init__(self, path: Path, source_columns: tuple[str, ...]):
        self.path = path
        self.source_columns = source_columns
        self.count = 0
        self.first: tuple[int | None, str, str | None, str] | None = None
        self._handle = None
        self._writer = None

    def _write(self, lines: list[list[object]]) -> None:
        if not lines:
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow([*REJECT_COLUMNS, *self.source_columns])
        self._writer.writerows(lines)
        if self.first is None:
            row, column, value, reason = lines[0][:4]
            self.first = (row, column, value, reason)
        self.count += len(lines)

    def add(self, raw: pd.DataFrame, rejects: pd.DataFrame, source_name: dict[str, str]) -> None:
        """``rejects`` (index row; column, value, reason) against the raw chunk it came from.

        ``source_name`` turns a contract column into the file's own name, so a
        mapped extract's rejects speak the file's language; the value is the
        one the file holds.
        """
        lines = []
        for row, column, value, reason in zip(rejects.index, rejects["column"], rejects["value"], rejects["reason"]):
            original = source_name.get(column, column)
            if original in raw.columns:
                value = raw.at[row, original]
            original_row = ["" if pd.isna(v) else v for v in raw.loc[row, list(self.source_columns)]]
            lines.append([row, original, "" if value is None or pd.isna(value) else value, reason, *original_row])
        self._write(lines)

    def add_bad_rows(self, bad_rows: list[BadRow]) -> None:
        self._write([[bad.row or "", "", bad.text, bad.reason] for bad in bad_rows])

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._writer = None
