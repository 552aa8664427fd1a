"""The table a person reads at the end of an ingest."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ringscope.ingest.job import IngestReport

__all__ = ["print_summary"]


def print_summary(report: IngestReport, console: Console) -> None:
    """Per file: rows read, loaded and rejected; then where the rejects are and the first reason."""
    table = Table(title=f"ingest {report.run_id} ({report.method})", title_justify="left")
    for heading in ("file", "table", "read", "loaded", "rejected"):
        table.add_column(heading, justify="right" if heading in ("read", "loaded", "rejected") else "left")
    for f in report.files:
        loaded = "not loaded" if f.table == "labels" else f"{f.loaded:,}"
        table.add_row(f.file, f.table, f"{f.read:,}", loaded, f"{f.rejected:,}")
    table.add_row("all", "", f"{sum(f.read for f in report.files):,}", f"{report.loaded:,}", f"{report.rejected:,}",
                  style="bold")
    console.print(table)
    if report.same_as:
        console.print(f"these exact inputs were loaded by run {report.same_as}: nothing to do "
                      "(--force loads them again)")
    seconds = sum(report.timings.values())
    console.print(f"{report.loaded:,} rows loaded in {seconds:.1f} s; fingerprint {report.fingerprint[:16]}")
    for f in report.files:
        if f.ignored_columns:
            console.print(f"{f.file}: columns not kept (names cannot be properties): {', '.join(f.ignored_columns)}")
        if f.extra_columns:
            console.print(f"{f.file}: extra columns kept as properties: {', '.join(f.extra_columns)}")
    if report.rejected:
        console.print(f"{report.rejected:,} rows rejected; reject files in {report.rejects_dir}")
        for f in report.files:
            if f.first_reject:
                more = f" (and {f.rejected - 1:,} more)" if f.rejected > 1 else ""
                console.print(f"  first: {f.first_reject}{more}", markup=False, highlight=False)
