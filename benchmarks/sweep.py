"""Detection over many generated sets at once, and what changed against an earlier sweep.

Why: a change to a job moves a few rings in a few sets. One held-out figure
hides that; this runs :func:`ringscope.communities.pipeline.detect_tables` on
every set given (folders written by ``ringscope generate``), writes each set's
contract files (``rings.csv``, ``ring_members.csv``, ``run.json`` with the
evaluation added) under ``--out/<set>`` and prints F1 per set. With
``--against`` an earlier sweep's folder, it prints the sets whose F1 moved and
the planted rings found or lost in each, so a change is judged ring by ring.

    .venv/bin/python benchmarks/sweep.py var/dev/*-rings --out var/sweep/NAME [--against var/sweep/OLD] [--jobs 2]
    .venv/bin/python benchmarks/sweep.py --out var/sweep/NEW --against var/sweep/OLD      # compare only
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from ringscope.communities.evaluation import evaluate_rings, matched_planted
from ringscope.communities.output import write_run
from ringscope.communities.pipeline import UNREAD, detect_tables
from ringscope.communities.tables import read_tables

from detect_quality import planted_labels


def detect_set(folder: Path, out: Path, seed: int) -> dict:
    """Detect on one set, write its run under ``out / folder.name`` (two sweeps compare sets by
    name), return its figures. The evaluation reads the contract files as written, as
    ``ringscope evaluate`` would."""
    tables = read_tables(folder, skip=UNREAD)
    result = detect_tables(tables, seed=seed)
    run = out / folder.name
    write_run(result, run, fingerprint=str(folder))
    rings = pd.read_csv(run / "rings.csv", dtype={"ring_id": str})
    members = pd.read_csv(run / "ring_members.csv", dtype=str)
    labels = planted_labels(folder)
    figures = evaluate_rings(rings, members, labels, persons=len(tables.persons)).to_dict()
    found = sorted(matched_planted(rings, members, labels))
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    record |= {"data": str(folder), "evaluation": figures, "planted_found": found}
    (run / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return {"set": run.name, "f1": figures["f1"], "flagged": figures["flagged"], "planted": figures["planted"]}


def figures_of(sweep: Path) -> dict[str, dict]:
    """Each set's ``run.json`` in a sweep folder, by set name."""
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(sweep.glob("*/run.json"))}


def scale_of(name: str) -> str:
    return next((part for part in name.split("-") if part.startswith("p")), "?")


def compare(new: dict[str, dict], old: dict[str, dict]) -> None:
    """Print the sets whose F1 moved (with the planted rings found or lost) and the mean F1 per scale."""
    for name in sorted(new):
        if name not in old:
            continue
        a, b = old[name]["evaluation"], new[name]["evaluation"]
        gained = sorted(set(new[name]["planted_found"]) - set(old[name]["planted_found"]))
        lost = sorted(set(old[name]["planted_found"]) - set(new[name]["planted_found"]))
        if a["f1"] != b["f1"] or a["flagged"] != b["flagged"] or gained or lost:
            print(f"{name:28} F1 {a['f1']:.3f} -> {b['f1']:.3f}  flagged {a['flagged']} -> {b['flagged']}"
                  f"  found +{gained} -{lost}")
    shared = [n for n in new if n in old]

    def mean_f1(runs: dict[str, dict], names: list[str]) -> float:
        return sum(runs[n]["evaluation"]["f1"] for n in names) / len(names)

    for scale in sorted({scale_of(n) for n in shared}):
        names = [n for n in shared if scale_of(n) == scale and old[n]["evaluation"]["planted"]]
        if names:
            print(f"mean F1 at {scale} over {len(names)} sets: {mean_f1(old, names):.4f} -> {mean_f1(new, names):.4f}")
    clean = [n for n in shared if not new[n]["evaluation"]["planted"]]
    if clean:
        print("flagged on sets with no rings:", {n: new[n]["evaluation"]["flagged"] for n in clean})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="*", help="generated set folders")
    parser.add_argument("--out", type=Path, required=True, help="the sweep's folder (one run folder per set)")
    parser.add_argument("--against", type=Path, help="an earlier sweep's folder to compare with")
    parser.add_argument("--seed", type=int, default=0, help="detection seed, the same for every set")
    parser.add_argument("--jobs", type=int, default=2, help="sets detected at once")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(detect_set, folder, args.out, args.seed) for folder in args.data]
        for future in futures:
            print(json.dumps(future.result()), flush=True)
    if args.against:
        compare(figures_of(args.out), figures_of(args.against))


if __name__ == "__main__":
    main()
