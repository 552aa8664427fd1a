"""``ringscope ingest DATA_DIR``: a thin layer over :func:`ingest_directory`.

Exit status (data contract): 0 when every row was loaded, 3 when the run
finished but some rows were rejected, anything else when it failed.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from rich.console import Console

from ringscope.ingest.job import IngestOptions, ingest_directory
from ringscope.ingest.summary import print_summary
from ringscope.settings import load_settings

__all__ = ["ingest", "EXIT_REJECTS"]

EXIT_REJECTS = 3


@click.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--rejects", "rejects_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for reject files (default: RINGSCOPE_HOME/rejects/<run id>).")
@click.option("--encoding", help="Text encoding of the CSV files (default: detected; GBK/GB18030 or UTF-8).")
@click.option("--online", is_flag=True, help="Load over Bolt even into an empty embedded store.")
@click.option("--mapping", help="`national` for the national platform's field codes, or a TOML/JSON mapping file.")
@click.option("--writers", default=2, show_default=True, help="Parallel Bolt writers for claims.")
@click.option("--force", is_flag=True, help="Load even when these exact inputs were loaded before.")
@click.option("--debug", is_flag=True, help="Log each step with its time and keep the staged files.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON instead of a table.")
def ingest(data_dir: Path, rejects_dir: Path | None, encoding: str | None, online: bool,
           mapping: str | None, writers: int, force: bool, debug: bool, as_json: bool) -> None:
    """Validate DATA_DIR's tables and load them into Neo4j; bad rows go to reject files."""
    settings = load_settings()
    if debug or settings.debug:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    options = IngestOptions(data_dir=data_dir, rejects_dir=rejects_dir, encoding=encoding, online=online,
                            mapping=mapping, writers=writers, force=force, debug=debug or settings.debug,
                            show_progress=sys.stderr.isatty())
    report = ingest_directory(options, settings)
    if as_json:
        click.echo(report.to_json())
    else:
        print_summary(report, Console(soft_wrap=True))
    if report.rejected:
        # sys.exit, not ctx.exit: callers that run the command with standalone_mode=False
        # (``ringscope demo``) see the status as SystemExit.
        sys.exit(EXIT_REJECTS)
