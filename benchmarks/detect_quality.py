"""Detection quality: ringscope beside the GDS fraud-guide reference, same data.

For each seed and scale: ``ringscope generate`` a data set and its
``--no-rings`` twin, run :func:`ringscope.communities.pipeline.detect_tables`
and :func:`ringscope.communities.reference.gds_guide_rings` on the tables read
from the extract (the same frames Neo4j's projections give; the Neo4j round
trip is timed by ``benchmarks/detect.py``), evaluate both against
``labels.csv`` and print the tables side by side. Results go to
``--out/quality.json``.

    .venv/bin/python benchmarks/detect_quality.py --seeds 101 202 --persons 20000 200000 --out var/bench/quality
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from ringscope.communities.evaluation import evaluate_rings, format_table
from ringscope.communities.output import MEMBER_COLUMNS
from ringscope.communities.pipeline import UNREAD, detect_tables
from ringscope.communities.reference import gds_guide_rings
from ringscope.communities.tables import read_tables

RINGSCOPE = str(Path(sys.executable).with_name("ringscope"))


def generate(folder: Path, seed: int, persons: int, rings: bool) -> Path:
    if not (folder / "claims.csv").exists():
        command = [RINGSCOPE, "generate", "--out", str(folder), "--seed", str(seed), "--persons", str(persons)]
        subprocess.run(command + ([] if rings else ["--no-rings"]), check=True)
    return folder


def planted_labels(folder: Path) -> pd.DataFrame:
    """The set's ``labels.csv``, or no labels (a ``--no-rings`` twin has none)."""
    if (folder / "labels.csv").exists():
        return pd.read_csv(folder / "labels.csv", dtype=str)
    return pd.DataFrame(columns=["ring_id", "typology", "entity_type", "entity_id"])


def ours(tables, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    start = time.perf_counter()
    result = detect_tables(tables, seed=seed)
    seconds = time.perf_counter() - start
    rings = pd.DataFrame([{"ring_id": r.ring_id, "typology": r.typology, "score": r.score} for r in result.rings],
                         columns=["ring_id", "typology", "score"])
    members = pd.DataFrame([{"ring_id": r.ring_id, "entity_type": m.entity_type, "entity_id": m.entity_id,
                             "role": m.role, "member_score": m.score} for r in result.rings for m in r.members],
                           columns=list(MEMBER_COLUMNS))
    return rings, members, seconds


def measure(work: Path, seed: int, persons: int) -> dict:
    row: dict = {"seed": seed, "persons": persons}
    for twin, planted in (("rings", True), ("clean", False)):
        folder = generate(work / f"s{seed}-p{persons}-{twin}", seed, persons, planted)
        tables = read_tables(folder, skip=UNREAD)
        labels = planted_labels(folder)
        rings, members, seconds = ours(tables, seed)
        gds_rings, gds_members = gds_guide_rings(tables)
        results = {"ringscope": evaluate_rings(rings, members, labels, persons=len(tables.persons)),
                   "gds_guide": evaluate_rings(gds_rings, gds_members, labels, persons=len(tables.persons))}
        print(f"\n== seed {seed}, {persons} persons, {twin} ({len(tables.claims)} claims; detect {seconds:.1f}s)")
        print(format_table(results))
        row[twin] = {name: e.to_dict() for name, e in results.items()} | {"detect_s": round(seconds, 2),
                                                                           "claims": len(tables.claims)}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 202])
    parser.add_argument("--persons", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--out", type=Path, default=Path("var/bench/quality"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [measure(args.out, seed, persons) for persons in args.persons for seed in args.seeds]
    (args.out / "quality.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
