"""Time and peak memory of ``ringscope generate`` at several population sizes.

    .venv/bin/python benchmarks/generate.py [--sizes 20000,200000,1000000] [--seed 0]
                                            [--format csv|parquet] [--write] [--describe]

Each size runs in a fresh child process (so one size's peak memory does not
hide another's) and writes into a temporary folder that is removed after
measuring the output size. ``--write`` appends the table, the machine and
the command to ``benchmarks/RESULTS.md``. Floors from the issue: 1,000,000
persons in under 10 minutes and under 8 GiB on the 2-core, 24 GiB machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import psutil

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _child(persons: int, seed: int, fmt: str, out: str) -> None:
    from ringscope.synthetic import generate
    from ringscope.synthetic.report import ring_table, trap_table

    summary = generate(out, seed=seed, persons=persons, fmt=fmt)
    size = sum(f.stat().st_size for f in Path(out).iterdir())
    print(json.dumps({
        "persons": persons, "seconds": summary.seconds, "claims": summary.rows["claims"],
        "claim_items": summary.rows["claim_items"], "rings": len(summary.ring_facts),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "output_mib": round(size / 2**20), "ring_table": ring_table(summary), "trap_table": trap_table(summary),
    }))


def _measure(persons: int, seed: int, fmt: str) -> dict:
    out = tempfile.mkdtemp(prefix="ringscope-generate-bench-")
    try:
        done = subprocess.run([sys.executable, __file__, "--child", str(persons), "--seed", str(seed),
                               "--format", fmt, "--out", out], capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"generate failed at {persons} persons:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _table(rows: list[dict]) -> str:
    lines = ["| persons | claims | fee lines | rings | time (s) | peak memory (MiB) | output (MiB) |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['persons']:,} | {r['claims']:,} | {r['claim_items']:,} | {r['rings']} | "
                     f"{r['seconds']:.1f} | {r['peak_mib']:,} | {r['output_mib']:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,200000,1000000", help="comma-separated person counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", dest="fmt", default="csv", choices=("csv", "parquet"))
    parser.add_argument("--write", action="store_true", help="append the figures to benchmarks/RESULTS.md")
    parser.add_argument("--describe", action="store_true", help="also print each size's ring and trap tables")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.seed, args.fmt, args.out)
        return
    rows = []
    for persons in (int(s) for s in args.sizes.split(",")):
        rows.append(_measure(persons, args.seed, args.fmt))
        tables = [rows[-1].pop("ring_table"), rows[-1].pop("trap_table")]
        print(json.dumps(rows[-1]), flush=True)
        if args.describe:
            print("\n\n".join(tables), flush=True)
    table = _table(rows)
    print(table)
    if args.write:
        machine = f"{platform.node()}: {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB"
        command = f".venv/bin/python benchmarks/generate.py --sizes {args.sizes} --seed {args.seed} --format {args.fmt} --write"
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(f"\n## Synthetic extract generation ({date.today()}, {machine})\n\n"
                          f"`{command}`\n\nTime is the generator's own wall time; peak memory is the "
                          f"child process's maximum RSS.\n\n{table}\n")


if __name__ == "__main__":
    main()
