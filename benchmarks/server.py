"""How long the embedded Neo4j takes to answer Bolt: first start, restart, stop.

    .venv/bin/python benchmarks/server.py [--runs 3] [--write]

Each run uses a fresh RINGSCOPE_HOME on a free port, so the first start
includes setting the initial password and creating the store.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import psutil

from ringscope.graph.server import EmbeddedServer
from ringscope.settings import load_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import embedded_environment  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def measure_once() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        env = embedded_environment(Path(home))
        env["RINGSCOPE_NEO4J_HEAP"], env["RINGSCOPE_NEO4J_PAGECACHE"] = "4g", "1g"
        server = EmbeddedServer(load_settings(env, settings_file=Path("/nonexistent")))
        figures = {}
        began = time.monotonic()
        server.start()
        figures["cold start to Bolt (s)"] = time.monotonic() - began
        figures["JVM RSS after start (MiB)"] = psutil.Process(server.status().pid).memory_info().rss / 2**20
        began = time.monotonic()
        server.stop()
        figures["clean stop (s)"] = time.monotonic() - began
        began = time.monotonic()
        server.start()
        figures["restart to Bolt (s)"] = time.monotonic() - began
        server.stop()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="append the figures to benchmarks/RESULTS.md")
    args = parser.parse_args()
    runs = [measure_once() for _ in range(args.runs)]
    lines = [f"| {name} | {statistics.median(run[name] for run in runs):.1f} | "
             f"{min(run[name] for run in runs):.1f} | {max(run[name] for run in runs):.1f} |" for name in runs[0]]
    table = "\n".join(["| figure | median | min | max |", "|---|---|---|---|", *lines])
    print(table)
    if args.write:
        machine = f"{platform.node()}: {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB"
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(f"\n## Embedded Neo4j start-up ({date.today()}, {machine})\n\n"
                          f"`.venv/bin/python benchmarks/server.py --runs {args.runs} --write`\n\n{table}\n")


if __name__ == "__main__":
    main()
