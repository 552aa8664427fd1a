"""Which planted rings detection misses: recall by each ring's intensity and size.

The generator plants every ring at an intensity in [0, 1] (how loudly it
shows: a cash-out ring's swipes per card and sessions, a seller's
over-supply, a recruiter's waves, how many members list the organiser's
phone or account) and of a size; the quality floors count every ring alike.
This writes each data set with :func:`ringscope.synthetic.generator.generate`
(the files ``ringscope generate`` writes, seed for seed; its summary holds the
intensities), runs :func:`ringscope.communities.pipeline.detect_tables` on
them and prints, per typology, the recall at each intensity band and for
small rings against larger ones, so a change shows whether it is the faint
rings or the loud ones that are found or lost.

    .venv/bin/python benchmarks/recall_by_intensity.py --seeds 3141 5926 --persons 200000 \
        [--work var/bench/intensity] [--out var/bench/intensity/recall.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from ringscope.communities.evaluation import evaluate_rings, matched_planted
from ringscope.communities.pipeline import UNREAD
from ringscope.communities.tables import read_tables
from ringscope.synthetic.generator import generate

from detect_quality import ours

#: intensity bands (the knobs draw intensities from a few levels; a band per level or two)
BANDS = [0.0, 0.25, 0.5, 0.75, 1.0]
#: persons in a ring at most for it to count as small (a broker and two sellers, a recruiter and four)
SMALL = 5


def planted_rings(work: Path, seed: int, persons: int) -> tuple[pd.DataFrame, dict]:
    """One row per planted ring of the generated set (typology, intensity, persons, recalled),
    and the set's overall figures."""
    folder = work / f"s{seed}-p{persons}-rings"
    summary = generate(folder, seed=seed, persons=persons)
    tables = read_tables(folder, skip=UNREAD)
    labels = pd.read_csv(folder / "labels.csv", dtype=str)
    rings, members, seconds = ours(tables, seed)
    recalled = matched_planted(rings, members, labels)
    figures = evaluate_rings(rings, members, labels, persons=len(tables.persons))
    rows = pd.DataFrame([{"seed": seed, "ring_id": f.ring_id, "typology": f.typology, "intensity": f.intensity,
                          "persons": f.persons, "recalled": f.ring_id in recalled} for f in summary.ring_facts])
    return rows, {"seed": seed, "persons": persons, "f1": figures.f1, "precision": figures.precision,
                  "recall": figures.recall, "detect_s": round(seconds, 1)}


def breakdown(rows: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
    """Per typology (and all), per value of ``by`` (one per row): "recall (planted rings)"."""
    table = {}
    for typology, part in [*rows.groupby("typology"), ("all", rows)]:
        grouped = part["recalled"].groupby(by.loc[part.index])
        table[typology] = {key: f"{mean:.2f} ({size})" for key, mean, size in
                           zip(grouped.mean().index, grouped.mean(), grouped.size())}
    return pd.DataFrame(table).T.fillna("")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[3141, 5926])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--work", type=Path, default=Path("var/bench/intensity"))
    parser.add_argument("--out", type=Path, help="write the per-ring rows and the figures as JSON")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    frames, figures = [], []
    for seed in args.seeds:
        rows, overall = planted_rings(args.work, seed, args.persons)
        frames.append(rows)
        figures.append(overall)
        print(json.dumps(overall), flush=True)
    rows = pd.concat(frames, ignore_index=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"figures": figures, "rings": rows.to_dict("records")}, indent=1),
                            encoding="utf-8")
    bands = pd.cut(rows["intensity"], BANDS, include_lowest=True).astype(str)
    sizes = rows["persons"].le(SMALL).map({True: f"<= {SMALL} persons", False: f"> {SMALL} persons"})
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print("\nrecall (planted rings) by intensity\n", breakdown(rows, bands), sep="")
        print("\nrecall (planted rings) by ring size\n", breakdown(rows, sizes), sep="")

if __name__ == "__main__":
    main()
