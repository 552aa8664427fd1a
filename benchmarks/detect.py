"""Detection speed and memory: projection pulls, each job, the community step.

    .venv/bin/python benchmarks/detect.py --data DATA_DIR [--ingest] [--seed 0] [--out REPORT.json] [--step-peaks]

With ``--ingest`` the extract is loaded into a fresh embedded Neo4j under a
temporary ``RINGSCOPE_HOME`` and the tables are pulled through
:mod:`ringscope.graph.projections` (each pull timed); without it they are read
from the extract. Then every step of the pipeline is timed, with the
process's peak RSS after each step, and the community step (Leiden on the
persons-identifiers projection, every component split) is compared with
networkx's ``louvain_communities`` on the same graph. ``--step-peaks`` adds each step's own
peak above the RSS it started from (Linux), which tells memory work which step to look at.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np

from ringscope.communities.context import build_context
from ringscope.communities.job_identifiers import PARAMS as IDENTIFIER_PARAMS
from ringscope.communities.partition import LEIDEN_RESOLUTION, leiden_communities, too_light_to_split
from ringscope.communities.pipeline import UNREAD, detect_tables
from ringscope.communities.tables import read_tables


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def status_mib(field: str) -> float | None:
    """A memory field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``) in MiB; None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def reset_high_water_mark() -> bool:
    """Start a new high-water mark of this process's RSS (Linux: 5 written to ``clear_refs``).
    The kernel keeps one mark, so after this the process's maximum (``getrusage``, and
    ``/usr/bin/time``'s "Maximum resident set size") counts from here on only."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
        return True
    except OSError:
        return False


def pull_through_neo4j(data: Path) -> tuple[object, dict]:
    from ringscope.graph.db import connect
    from ringscope.graph.projections import pull_tables
    from ringscope.ingest.job import IngestOptions, ingest_directory
    from ringscope.settings import load_settings

    home = Path(tempfile.mkdtemp(prefix="ringscope-bench-"))
    env = {**os.environ, "RINGSCOPE_HOME": str(home)}
    settings = load_settings(env)
    start = time.perf_counter()
    ingest_directory(IngestOptions(data_dir=data, rejects_dir=home / "rejects"), settings)
    timings = {"ingest_s": round(time.perf_counter() - start, 2), "pull_s": {}}
    with connect(settings) as runner:
        tables = pull_tables(runner, timings["pull_s"])
    from ringscope.graph.server import EmbeddedServer

    EmbeddedServer(settings).stop()
    return tables, timings


def identifier_graph(tables) -> tuple[ig.Graph, list[tuple[int, int]]]:
    """The persons-identifiers graph the community step runs on: one vertex per person
    and per shared identifier, an edge from each identifier to each of its holders."""
    ctx = build_context(tables)
    names: dict[str, int] = {}
    edges = []
    for key, holders in ctx.links.items():
        hub = names.setdefault(f"{key[0]}:{key[1]}", len(names))
        edges += [(hub, names.setdefault(h, len(names))) for h in holders]
    graph = ig.Graph(n=len(names), edges=edges)
    graph.es["weight"] = [1.0] * graph.ecount()
    return graph, edges


def community_step(tables, seed: int) -> dict:
    """Leiden on the whole graph (every component, as networkx's Louvain runs) and as the
    shared-identifier job runs it (components of up to ``split_above`` vertices kept whole,
    Leiden inside the larger ones), each against networkx's Louvain on the same graph.

    Both keep whole the components no split can improve (``too_light_to_split``, exact for
    modularity); igraph's Leiden moving every vertex of the graph is timed beside them, so the
    report shows what that reduction saves and the speed-up without it."""
    graph, edges = identifier_graph(tables)
    start = time.perf_counter()
    run = leiden_communities(graph, seed=seed, split_above=0)
    ours = time.perf_counter() - start
    split = IDENTIFIER_PARAMS["split_above"]
    start = time.perf_counter()
    job_run = leiden_communities(graph, seed=seed, split_above=split)
    job = time.perf_counter() - start
    start = time.perf_counter()
    graph.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
    every_vertex = time.perf_counter() - start
    membership = np.asarray(graph.connected_components(mode="weak").membership)
    light = too_light_to_split(graph, membership, "weight", LEIDEN_RESOLUTION)
    nxg = nx.Graph(edges)
    start = time.perf_counter()
    louvain = nx.community.louvain_communities(nxg, seed=seed)
    theirs = time.perf_counter() - start
    return {"vertices": graph.vcount(), "edges": graph.ecount(), "leiden_s": round(ours, 3),
            "leiden_communities": run.n_communities, "networkx_louvain_s": round(theirs, 3),
            "louvain_communities": len(louvain), "speedup": round(theirs / max(ours, 1e-9), 1),
            "job_step_split_above": split, "job_step_s": round(job, 3),
            "job_step_communities": job_run.n_communities, "job_step_speedup": round(theirs / max(job, 1e-9), 1),
            "components": len(light), "components_too_light_to_split": int(light.sum()),
            "leiden_every_vertex_s": round(every_vertex, 3),
            "leiden_every_vertex_speedup": round(theirs / max(every_vertex, 1e-9), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--ingest", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="also write the report here as JSON")
    parser.add_argument("--step-peaks", action="store_true",
                        help="each step's own peak above the RSS it started from (Linux); the run's peak is "
                             "then the largest of them, and /usr/bin/time's maximum counts the last step only")
    args = parser.parse_args()
    report: dict = {"data": str(args.data)}
    start = time.perf_counter()
    if args.ingest:
        tables, report["neo4j"] = pull_through_neo4j(args.data)
    else:
        tables = read_tables(args.data, skip=UNREAD)
    report["read_s"] = round(time.perf_counter() - start, 2)
    report["tables"] = tables.present()
    print(f"read {report['read_s']} s, peak RSS {peak_rss_mib()} MiB", flush=True)
    steps = {}
    run_peak = peak_rss_mib()
    before = status_mib("VmRSS") if args.step_peaks and reset_high_water_mark() else None

    def step(name: str, seconds: float) -> None:
        nonlocal before, run_peak
        own = status_mib("VmHWM") if before is not None else None
        run_peak = max(run_peak, peak_rss_mib(), own or 0.0)  # the process's peak so far, either way
        steps[name] = {"s": seconds, "peak_rss_mib": run_peak}
        line = f"{name:22s} {seconds:8.1f} s   peak RSS {run_peak:>8} MiB"
        if own is not None:
            steps[name].update(rss_before_mib=before, own_peak_mib=own, rss_after_mib=status_mib("VmRSS"))
            line += f"   from {before:>8} MiB: own peak {own:>8} (+{own - before:.0f}) MiB"
            before = steps[name]["rss_after_mib"] if reset_high_water_mark() else None
        print(line, flush=True)

    start = time.perf_counter()
    detect_tables(tables, seed=args.seed, on_step=step)
    report["detect_total_s"] = round(time.perf_counter() - start, 2)
    report["steps"] = steps
    report["peak_rss_mib"] = max(run_peak, peak_rss_mib())
    report["community_step"] = community_step(tables, args.seed)
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
