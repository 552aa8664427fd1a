"""Latency of the app's two heavy reads: the alert queue at 10k rings and a 500-node ring view.

    .venv/bin/python benchmarks/app.py [--persons 6000] [--rings 10000] [--runs 5] [--write]

A fresh embedded Neo4j (own RINGSCOPE_HOME) is loaded with a synthetic
extract through the real ingest; rings with seeded random members are then
written by detection's own writer, plus one ring of 500 persons with all
their claims as evidence. Timed: the queue's first page cold (read from Neo4j)
and warm (sort + filter of the cached frame), and the ring view's cold open
(three queries, graph elements, timeline figure).
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

import numpy as np
import pandas as pd

from ringscope.communities.model import DetectionResult, Member, Ring
from ringscope.dashboard.queue_data import load_queue, page_rows
from ringscope.dashboard.ring_view import load_ring, ring_elements, timeline_figure
from ringscope.graph.db import connect
from ringscope.graph.rings_store import write_rings
from ringscope.graph.server import EmbeddedServer
from ringscope.ingest.job import IngestOptions, ingest_directory
from ringscope.settings import load_settings
from ringscope.synthetic import generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import embedded_environment  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BIG_RING = "R-bench-500"
PAGE = {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "fund_paid", "sort": "desc"}],
        "filterModel": {"score": {"filterType": "number", "type": "greaterThan", "filter": 0.3}}}


def _rings(claims: pd.DataFrame, n_rings: int, seed: int) -> list[Ring]:
    rng = np.random.default_rng(seed)
    persons = claims["person_id"].unique()
    by_person = claims.groupby("person_id")["claim_id"].apply(list)
    rings = []
    for index in range(n_rings):
        chosen = rng.choice(persons, size=int(rng.integers(3, 9)), replace=False)
        ids = frozenset(c for p in chosen for c in by_person[p][:5])
        rings.append(Ring(f"R-bench-{index:05d}", "card_lending", float(rng.random()), {"burst": float(rng.random())},
                          [Member("person", str(p), "cardholder", 0.5) for p in chosen], ids, len(ids),
                          float(rng.integers(1000, 100000)), "2024-01-01", "2024-06-30", "基准", "benchmark", ("bench",)))
    big = rng.choice(persons, size=500, replace=False)
    ids = frozenset(c for p in big for c in by_person[p])
    rings.append(Ring(BIG_RING, "card_cashout", 0.99, {"burst": 0.9}, [Member("person", str(p), "cardholder", 0.5)
                                                                      for p in big], ids, len(ids), 1e6,
                      "2024-01-01", "2024-12-31", "大团伙", "a big ring", ("bench",)))
    return rings


def _timed(call) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def measure(persons: int, n_rings: int, runs: int, seed: int = 7) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as home:
        env = embedded_environment(Path(home))
        env["RINGSCOPE_NEO4J_HEAP"], env["RINGSCOPE_NEO4J_PAGECACHE"] = "2g", "1g"
        settings = load_settings(env, settings_file=Path("/nonexistent"))
        data = Path(home) / "data"
        generate(data, seed=seed, persons=persons)
        try:
            ingest_directory(IngestOptions(data_dir=data, rejects_dir=Path(home) / "rejects"), settings)
            runner = connect(settings)
            claims = pd.read_csv(data / "claims.csv", usecols=["claim_id", "person_id"], dtype=str)
            rings = _rings(claims, n_rings, seed)
            write_rings(runner, DetectionResult("run-bench", rings, [], {}), fingerprint="bench", max_evidence=5000)
            figures: dict[str, list[float]] = {"queue first page, cold (ms)": [], "queue page, warm (ms)": [],
                                               "ring view 500 members, cold (ms)": []}
            for _ in range(runs):
                frame = {}
                figures["queue first page, cold (ms)"].append(
                    _timed(lambda: frame.setdefault("f", page_rows(load_queue(runner), PAGE, "zh"))))
                cached = load_queue(runner)
                figures["queue page, warm (ms)"].append(_timed(lambda: page_rows(cached, PAGE, "zh")))

                def open_ring():
                    view = load_ring(runner, BIG_RING)
                    ring_elements(view, view.claims, "investigator")
                    timeline_figure(view.claims, "zh")
                figures["ring view 500 members, cold (ms)"].append(_timed(open_ring))
            view = load_ring(runner, BIG_RING)
            figures["(ring: members / evidence claims / elements)"] = [
                len(view.members), len(view.claims), len(ring_elements(view, view.claims, "investigator"))]
            figures["(queue rings)"] = [len(load_queue(runner))]
            runner.close()
        finally:
            EmbeddedServer(settings).stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=6000)
    parser.add_argument("--rings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="append the figures to RESULTS.md")
    args = parser.parse_args()
    figures = measure(args.persons, args.rings, args.runs)
    lines = [f"\n## Investigator app latency ({date.today()}, {platform.node()}: shared 2-core vm)\n",
             f"`.venv/bin/python benchmarks/app.py --persons {args.persons} --rings {args.rings} --runs {args.runs} --write`\n",
             "| figure | median | min | max |", "|---|---|---|---|"]
    for name, values in figures.items():
        if name.startswith("("):  # sizes, not timings
            lines.append(f"| {name} | {' / '.join(f'{v:g}' for v in values)} | | |")
            continue
        lines.append(f"| {name} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
