"""``ringscope detect`` and ``ringscope evaluate``: thin layers over the pipeline and the evaluation."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from ringscope.communities.tables import Tables

__all__ = ["detect", "evaluate", "run_detect"]


def _fingerprint(tables: Tables) -> str:
    from ringscope.communities.output import fingerprint_frames

    claims = tables.claims
    sample = f"{claims['fund_paid'].sum():.2f}|{claims['claim_id'].astype(str).min()}|{claims['claim_id'].astype(str).max()}" \
        if len(claims) else ""
    return fingerprint_frames(tables.present(), sample)


def run_detect(out: Path, *, seed: int = 0, data_dir: Path | None = None, runner=None,
               echo=lambda text: None) -> dict:
    """Pull (or read), detect, write the files and (from Neo4j) the rings; returns run.json's content."""
    from ringscope.communities.output import write_run
    from ringscope.communities.pipeline import detect_tables

    pulls: dict[str, float] = {}
    start = time.perf_counter()
    owned = False
    if data_dir is not None:
        from ringscope.communities.pipeline import UNREAD
        from ringscope.communities.tables import read_tables

        tables = read_tables(data_dir, skip=UNREAD)
    else:
        from ringscope.graph.db import connect
        from ringscope.graph.projections import pull_tables

        if runner is None:
            runner, owned = connect(), True
        tables = pull_tables(runner, pulls)
    pulled = round(time.perf_counter() - start, 3)
    echo(f"read {tables.present()} in {pulled}s")
    fingerprint = _fingerprint(tables)
    result = detect_tables(tables, seed=seed, fingerprint=fingerprint,
                           on_step=lambda name, seconds: echo(f"  {name}: {seconds}s"))
    extra = {"source": str(data_dir) if data_dir else "neo4j", "pull_s": pulls, "read_s": pulled}
    try:
        if data_dir is None:
            from ringscope.graph.rings_store import write_rings

            write_rings(runner, result, fingerprint=fingerprint)
    finally:
        if owned:
            runner.close()
    write_run(result, out, fingerprint=fingerprint, extra=extra)
    return json.loads((Path(out) / "run.json").read_text(encoding="utf-8"))


@click.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for rings.csv, ring_members.csv and run.json.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of every randomised step.")
@click.option("--data-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Read an extract directory instead of Neo4j (nothing is written to the store).")
def detect(out: Path, seed: int, data_dir: Path | None) -> None:
    """Run every detection job on what is loaded and write the rings."""
    record = run_detect(out, seed=seed, data_dir=data_dir, echo=lambda text: click.echo(text, err=True))
    click.echo(f"run {record['run_id']}: {record['rings']} rings, {record['flagged']} flagged (score >= 0.5) "
               f"-> {out}")
    for note in record["notes"]:
        click.echo(f"note: {note}")


@click.command()
@click.option("--truth", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="labels.csv of the data set.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The detection run's folder (reads rings.csv and ring_members.csv, writes evaluation.json).")
@click.option("--persons", type=int, default=None,
              help="Persons in the data (default: rows of persons.csv beside the labels).")
def evaluate(truth: Path, out: Path, persons: int | None) -> None:
    """Score a detection run's rings against ground truth."""
    from ringscope.communities.evaluation import evaluate_dir, format_table

    result = evaluate_dir(truth, out, persons=persons)
    (out / "evaluation.json").write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
    click.echo(format_table({"ringscope": result}))
