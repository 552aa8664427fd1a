"""``ringscope generate``: a thin command over :func:`ringscope.synthetic.generate`."""

from __future__ import annotations

from pathlib import Path

import click

from ringscope.synthetic.generator import MAX_PERSONS, MIN_PERSONS, generate as generate_extract
from ringscope.synthetic.writer import FORMATS

__all__ = ["generate"]


@click.command("generate")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the eight tables into (created if missing).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0),
              help="Random seed; the same seed and size give byte-identical files.")
@click.option("--persons", default=20_000, show_default=True, type=click.IntRange(MIN_PERSONS, MAX_PERSONS),
              help="Number of insured persons.")
@click.option("--no-rings", is_flag=True, help="The same population and honest behaviour, with no planted ring.")
@click.option("--format", "fmt", default="csv", show_default=True, type=click.Choice(FORMATS),
              help="File format of the tables.")
def generate(out_dir: Path, seed: int, persons: int, no_rings: bool, fmt: str) -> None:
    """Write a synthetic 医保 extract with planted rings and honest look-alikes."""
    summary = generate_extract(out_dir, seed=seed, persons=persons, rings=not no_rings, fmt=fmt)
    click.echo(f"wrote {summary.out_dir} in {summary.seconds:.1f} s (seed {seed}, {persons} persons, {fmt})")
    for name, count in summary.rows.items():
        click.echo(f"  {name:<14} {count:>12,}")
    if summary.ring_facts:
        by_type: dict[str, int] = {}
        for fact in summary.ring_facts:
            by_type[fact.typology] = by_type.get(fact.typology, 0) + 1
        click.echo("  rings: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())))
    else:
        click.echo("  rings: none")
