"""Detection on extracts shaped unlike our generator's: what an independent source looks like.

Other generators and other platforms' samples keep the contract but not our
habits: they leave the optional columns empty, cover other years, number
their ids, write times with a space, and hold more of the honest look-alikes.
This runs ringscope on such variants of one generated extract and prints one
row per variant (flagged rings, ring F1, typology-blind F1, flagged per 100k
persons), so a habit of our generator that detection leans on shows as a
drop.

    .venv/bin/python benchmarks/robustness.py --data var/dev/s505-p20000-rings --work var/bench/robust \
        [--traps 2 5 --trap-seed 5151 --trap-persons 200000] [--out var/bench/robust/robustness.json]

Variants of ``--data`` (its labels kept): ``as_generated``; ``required_columns``
(every optional column dropped, the optional tables kept); ``contract_minimum``
(the four required tables, their required columns only); ``claims_only`` (the four
required tables with every column but the device and the way the identity was checked: a
settlement table without fee lines, identifiers or stock, as public claims samples come); ``no_addresses`` (no
household address for anyone); ``dates_only`` (settlement, admission and stock-in times
cut to their dates, as some local systems export them); ``shifted_3y`` (every
date three years and 17 days earlier); ``numeric_ids`` (every id a number,
times as ``2024-03-05 09:41``). With ``--traps K``: a world with no rings whose
honest look-alikes (nursing homes, family doctors' tablets, village clinics,
group admissions, screenings, dormitories, cancer patients, travellers, late
settlements, stock gaps) are K times as frequent.
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import fields, replace
from pathlib import Path

import pandas as pd

from ringscope.communities.evaluation import evaluate_rings
from ringscope.communities.pipeline import UNREAD
from ringscope.communities.tables import read_tables
from ringscope.ingest.contract import TABLES as CONTRACT
from ringscope.synthetic.generator import generate
from ringscope.synthetic.knobs import DEFAULT_KNOBS

from detect_quality import ours

TABLES = ("persons", "facilities", "practitioners", "claims", "claim_items", "identifiers", "purchases")
OPTIONAL_TABLES = ("claim_items", "identifiers", "purchases")
REQUIRED_COLUMNS = {table.name: table.required_columns for table in CONTRACT}
ID_COLUMNS = {"person_id": "person", "facility_id": "facility", "practitioner_id": "practitioner", "claim_id": "claim"}
#: trap rates given as shares (the rest are per 100k); multiplied too, capped below 1
TRAP_SHARES = ("traveller_same_day_share", "late_settlement_death_share", "stock_gap_share",
               "couple_visit_together", "proxy_child_share_of_elderly")


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / f"{name}.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None


class NumericIds:
    """One number per distinct id of each entity type, the same number wherever the id appears."""

    def __init__(self):
        self.numbers: dict[str, dict[str, str]] = {}

    def __call__(self, entity: str, values) -> list[str]:
        table = self.numbers.setdefault(entity, {})
        base = (list(ID_COLUMNS.values()).index(entity) + 1) * 10_000_000
        return [v and table.setdefault(v, str(base + len(table))) for v in values]


def _shift(frame: pd.DataFrame, days: int) -> pd.DataFrame:
    for column in frame.columns:
        if column.endswith("_at") or column.endswith("_date") or column in ("first_seen", "last_seen"):
            moved = pd.to_datetime(frame[column], errors="coerce") - pd.Timedelta(days=days)
            frame[column] = moved.dt.strftime("%Y-%m-%dT%H:%M:%S" if column.endswith("_at") else "%Y-%m-%d").fillna("")
    return frame


def _renumber(frame: pd.DataFrame, numbers: NumericIds, owner_column: str | None) -> pd.DataFrame:
    for column, entity in ID_COLUMNS.items():
        if column in frame:
            frame[column] = numbers(entity, frame[column])
    if owner_column:  # identifiers' owner_id and labels' entity_id name an entity of the row's type
        kind = "owner_type" if owner_column == "owner_id" else "entity_type"
        frame[owner_column] = [numbers(t, [v])[0] for t, v in zip(frame[kind], frame[owner_column])]
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = frame[column].str.replace("T", " ").str.slice(0, 16)
    return frame


def make_variant(source: Path, variant: str, out: Path) -> Path:
    """Write ``variant`` of the extract ``source`` into ``out`` (labels.csv kept, renumbered too)."""
    out.mkdir(parents=True, exist_ok=True)
    numbers = NumericIds()
    for name in TABLES:
        frame = _read(source, name)
        if frame is None or (variant in ("contract_minimum", "claims_only") and name in OPTIONAL_TABLES):
            continue
        if variant in ("required_columns", "contract_minimum"):
            frame = frame[list(REQUIRED_COLUMNS[name])]
        elif variant == "claims_only" and name == "claims":
            frame = frame.drop(columns=[c for c in ("device_id", "auth_method") if c in frame])
        elif variant == "no_addresses" and name == "identifiers":
            frame = frame[frame["kind"] != "address"]
        elif variant == "dates_only":
            frame = frame.apply(lambda column: column.str.slice(0, 10) if column.name.endswith("_at") else column)
        elif variant == "shifted_3y":
            frame = _shift(frame, 3 * 365 + 17)
        elif variant == "numeric_ids":
            frame = _renumber(frame, numbers, "owner_id" if name == "identifiers" else None)
        frame.to_csv(out / f"{name}.csv", index=False)
    labels = _read(source, "labels")
    if labels is not None:
        labels = _renumber(labels, numbers, "entity_id") if variant == "numeric_ids" else labels
        labels.to_csv(out / "labels.csv", index=False)
    return out


def trap_world(out: Path, seed: int, persons: int, factor: float) -> Path:
    """A world with no rings whose honest look-alikes are ``factor`` times as frequent."""
    if not (out / "claims.csv").exists():
        traps = DEFAULT_KNOBS.traps
        changes = {f.name: getattr(traps, f.name) * factor for f in fields(traps) if f.name.endswith("_per_100k")}
        changes |= {name: min(getattr(traps, name) * factor, 0.95) for name in TRAP_SHARES}
        generate(out, seed=seed, persons=persons, rings=False, knobs=replace(DEFAULT_KNOBS, traps=replace(traps, **changes)))
    return out


def measure(folder: Path, seed: int) -> dict:
    tables = read_tables(folder, skip=UNREAD)
    labels = _read(folder, "labels")
    if labels is None:
        labels = pd.DataFrame(columns=["ring_id", "typology", "entity_type", "entity_id"])
    rings, members, seconds = ours(tables, seed)
    report = evaluate_rings(rings, members, labels, persons=len(tables.persons))
    return {"flagged": report.flagged, "f1": report.f1, "blind_f1": report.blind_f1,
            "flagged_per_100k": report.flagged_per_100k, "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a generated extract with labels.csv")
    parser.add_argument("--work", type=Path, required=True, help="where the variants are written")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--traps", type=float, nargs="*", default=[], help="trap-rate multipliers")
    parser.add_argument("--trap-seed", type=int, default=5151)
    parser.add_argument("--trap-persons", type=int, default=200_000)
    parser.add_argument("--out", type=Path, help="also write the rows here as JSON")
    args = parser.parse_args()
    rows = {"as_generated": measure(args.data, args.seed)}
    for variant in ("required_columns", "contract_minimum", "claims_only", "no_addresses", "dates_only",
                    "shifted_3y", "numeric_ids"):
        folder = args.work / variant
        shutil.rmtree(folder, ignore_errors=True)
        rows[variant] = measure(make_variant(args.data, variant, folder), args.seed)
        print(variant, rows[variant], flush=True)
    for factor in args.traps:
        folder = trap_world(args.work / f"traps{factor:g}-s{args.trap_seed}-p{args.trap_persons}",
                            args.trap_seed, args.trap_persons, factor)
        rows[f"traps x{factor:g}, no rings"] = measure(folder, args.seed)
    print(f"\n{'variant':32s} {'flagged':>8s} {'F1':>7s} {'blind F1':>9s} {'per 100k':>9s}")
    for name, row in rows.items():
        print(f"{name:32s} {row['flagged']:>8d} {row['f1']:>7.3f} {row['blind_f1']:>9.3f} {row['flagged_per_100k']:>9.1f}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"data": str(args.data), "rows": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
