"""The community step against Neo4j Graph Data Science's Louvain and WCC, same graph.

    mvn -q -B -f graph/gds/pom.xml package          # once: the optional GDS jars
    .venv/bin/python benchmarks/gds_community.py --data DATA_DIR [--concurrency 1,2]
        [--repeats 3] [--seed 0] [--heap 2g] [--out FILE.json]

Why: GDS is the tool an analyst would reach for first, so ringscope's
community step has to beat it on the graph it actually partitions, the
persons-identifiers graph of ``benchmarks/detect.py`` (``identifier_graph``).
That graph is written into a fresh embedded Neo4j started with GDS (its own
temporary ``RINGSCOPE_HOME``), natively projected, then Louvain and WCC run
in stream mode (every row read by the client, as the community step needs
the labels in Python) and in stats mode (GDS's own ``computeMillis``, no
rows). Ours: ``leiden_communities`` (Leiden on every component, as
``community_step``) and igraph's weak components through ``components``.
Each timing is the median of ``--repeats`` runs after one warm-up run (the
JVM's first call is reported apart); each partition's modularity is measured
on the same igraph graph so the speeds compare like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import igraph as ig

from detect import identifier_graph
from ringscope.communities.partition import components, leiden_communities
from ringscope.communities.tables import read_tables
from ringscope.graph.db import QueryRunner, connect
from ringscope.graph.server import EmbeddedServer
from ringscope.settings import load_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import embedded_environment  # noqa: E402

GRAPH = "ringscope_identifiers"


def timed(run: Callable[[], list[int]], repeats: int) -> dict:
    """First call, then the median of ``repeats`` more; the last labels are kept."""
    start = time.perf_counter()
    labels = run()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        labels = run()
        times.append(time.perf_counter() - start)
    return {"first_s": round(first, 4), "median_s": round(statistics.median(times), 4),
            "runs_s": [round(t, 4) for t in times], "labels": labels}


def load_graph(runner: QueryRunner, graph: ig.Graph, edges: list[tuple[int, int]]) -> dict:
    start = time.perf_counter()
    runner.apply("gds_schema")
    runner.write_batches("gds_load_vertices", range(graph.vcount()), batch_size=20_000)
    runner.write_batches("gds_load_links", ({"a": a, "b": b} for a, b in edges), batch_size=10_000)
    loaded = time.perf_counter() - start
    projected = runner.read("gds_project", graph=GRAPH)[0]
    return {"write_s": round(loaded, 2), "nodes": projected["nodes"],
            "relationships": projected["relationships"], "project_ms": projected["project_ms"]}


def gds_runs(runner: QueryRunner, vertex_of: dict[int, int], concurrency: int, repeats: int) -> dict:
    def stream(name: str) -> Callable[[], list[int]]:
        def run() -> list[int]:
            labels = [0] * len(vertex_of)
            for record in runner.stream(name, graph=GRAPH, concurrency=concurrency):
                labels[vertex_of[record["node_id"]]] = record["community"]
            return labels
        return run

    def compute_ms(name: str) -> float:
        runner.read(name, graph=GRAPH, concurrency=concurrency)  # warm-up
        return statistics.median(runner.read(name, graph=GRAPH, concurrency=concurrency)[0]["compute_ms"]
                                 for _ in range(repeats))

    return {
        "louvain": {**timed(stream("gds_louvain_stream"), repeats),
                    "stats_compute_ms": compute_ms("gds_louvain_stats")},
        "wcc": {**timed(stream("gds_wcc_stream"), repeats),
                "stats_compute_ms": compute_ms("gds_wcc_stats")},
    }


def with_gds_server(heap: str, work: Callable[[QueryRunner], dict]) -> dict:
    home = Path(tempfile.mkdtemp(prefix="ringscope-gds-"))
    env = {**embedded_environment(home), "RINGSCOPE_NEO4J_HEAP": heap}
    settings = load_settings(env, settings_file=Path("/nonexistent"))
    server = EmbeddedServer(settings, gds=True)
    try:
        server.start()
        with connect(settings) as runner:
            return work(runner)
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def summarise(name: str, run: dict, graph: ig.Graph) -> dict:
    labels = run.pop("labels")
    return {"method": name, **run, "communities": len(set(labels)),
            "modularity": round(graph.modularity(labels), 4)}


def benchmark(data: Path, seed: int, concurrencies: list[int], repeats: int, heap: str) -> dict:
    graph, edges = identifier_graph(read_tables(data))
    rows = [
        summarise("ringscope leiden_communities", timed(
            lambda: leiden_communities(graph, seed=seed, split_above=0).membership, repeats), graph),
        summarise("ringscope components (igraph)", timed(lambda: components(graph).membership, repeats), graph),
    ]

    def work(runner: QueryRunner) -> dict:
        version = runner.read("gds_version")[0]["version"]
        loaded = load_graph(runner, graph, edges)
        vertex_of = {r["node_id"]: r["vid"] for r in runner.read("gds_vertex_ids")}
        for concurrency in concurrencies:
            found = gds_runs(runner, vertex_of, concurrency, repeats)
            rows.append(summarise(f"GDS {version} louvain.stream c={concurrency}", found["louvain"], graph))
            rows.append(summarise(f"GDS {version} wcc.stream c={concurrency}", found["wcc"], graph))
        runner.read("gds_drop", graph=GRAPH)
        return {"gds_version": version, "load": loaded}

    neo4j = with_gds_server(heap, work)
    return {"data": str(data), "vertices": graph.vcount(), "edges": graph.ecount(), "seed": seed,
            "repeats": repeats, "heap": heap, **neo4j, "rows": rows}


def format_table(report: dict) -> str:
    ours = {"louvain": report["rows"][0]["median_s"], "wcc": report["rows"][1]["median_s"]}
    lines = ["| method | median (s) | first call (s) | GDS computeMillis | communities | modularity "
             "| ringscope faster by |", "|---|---:|---:|---:|---:|---:|---:|"]
    for row in report["rows"]:
        kind = "wcc" if ("wcc" in row["method"] or "components" in row["method"]) else "louvain"
        ratio = f"{row['median_s'] / max(ours[kind], 1e-9):.1f}x" if row["method"].startswith("GDS") else "-"
        compute = f"{row['stats_compute_ms']:.0f} ms" if "stats_compute_ms" in row else "-"
        lines.append(f"| {row['method']} | {row['median_s']:.3f} | {row['first_s']:.3f} | {compute} "
                     f"| {row['communities']:,} | {row['modularity']:.4f} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--concurrency", default="1,2", help="GDS concurrencies to time, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--heap", default="2g", help="Java heap of the GDS server")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()
    report = benchmark(args.data, args.seed, [int(c) for c in args.concurrency.split(",")], args.repeats, args.heap)
    report["machine"] = {"platform": platform.platform(), "cpus": os.cpu_count(),
                         "load_average_before": [round(x, 2) for x in load_before],
                         "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    print(f"{report['vertices']:,} vertices, {report['edges']:,} edges; Neo4j write {report['load']['write_s']} s, "
          f"GDS projection {report['load']['project_ms']} ms; load average {report['machine']['load_average_before']}")
    print(format_table(report))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
