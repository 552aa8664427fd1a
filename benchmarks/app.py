"""Latency of the app's two heavy reads: the alert queue at 10k rings and a 500-node ring view.

    .venv/bin/python benchmarks/app.py [--persons 6000] [--rings 10000] [--runs 5] [--home DIR] [--write]

A fresh embedded Neo4j (own RINGSCOPE_HOME) is loaded with a synthetic
extract through the real ingest; rings with seeded random members are then
written by detection's own writer, plus one ring of 500 persons with all
their claims as evidence. ``--home DIR`` keeps that store (and its server)
for the next run, which then skips the loading.

Timed through the app's own HTTP endpoints (Flask test client, signed in, so
session, callback dispatch and JSON encoding count): the queue's first page
cold (caches emptied: read from Neo4j) and warm, and the ring page's cold open
(the page-content callback for ``/ring/<id>``) plus its first table page.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ringscope.communities.model import DetectionResult, Member, Ring
from ringscope.dashboard.users import add_user
from ringscope.graph.db import connect
from ringscope.graph.rings_store import write_rings
from ringscope.graph.server import EmbeddedServer
from ringscope.ingest.job import IngestOptions, ingest_directory
from ringscope.settings import load_settings
from ringscope.synthetic import generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import embedded_environment  # noqa: E402
from tests.dashboard.dashcalls import post_callback  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BIG_RING = "R-bench-500"
#: bumped when the benchmark's rings change, so a kept --home store gets them written again
RINGS_VERSION = 2
USER, PASSWORD = "bench", "benchmark password"
PAGE = {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "fund_paid", "sort": "desc"}],
        "filterModel": {"score": {"filterType": "number", "type": "greaterThan", "filter": 0.3}}}


def _rings(claims: pd.DataFrame, regions: pd.Series, n_rings: int, seed: int) -> list[Ring]:
    """Seeded random rings; each keeps its members' most common region, as detection does."""
    rng = np.random.default_rng(seed)
    persons = claims["person_id"].unique()
    by_person = claims.groupby("person_id")["claim_id"].apply(list)
    rings = []
    for index in range(n_rings):
        chosen = rng.choice(persons, size=int(rng.integers(3, 9)), replace=False)
        ids = frozenset(c for p in chosen for c in by_person[p][:5])
        rings.append(Ring(f"R-bench-{index:05d}", "card_lending", float(rng.random()), {"burst": float(rng.random())},
                          [Member("person", str(p), "cardholder", 0.5) for p in chosen], ids, len(ids),
                          float(rng.integers(1000, 100000)), "2024-01-01", "2024-06-30", "基准", "benchmark", ("bench",),
                          str(regions.reindex(chosen).mode().iloc[0])))
    big = rng.choice(persons, size=500, replace=False)
    ids = frozenset(c for p in big for c in by_person[p])
    rings.append(Ring(BIG_RING, "card_cashout", 0.99, {"burst": 0.9}, [Member("person", str(p), "cardholder", 0.5)
                                                                      for p in big], ids, len(ids), 1e6,
                      "2024-01-01", "2024-12-31", "大团伙", "a big ring", ("bench",),
                      str(regions.reindex(big).mode().iloc[0])))
    return rings


def _settings(home: Path):
    port_file = home / "bench-port"
    env = embedded_environment(home, int(port_file.read_text()) if port_file.is_file() else None)
    port_file.write_text(env["RINGSCOPE_BOLT_PORT"])
    env["RINGSCOPE_NEO4J_HEAP"], env["RINGSCOPE_NEO4J_PAGECACHE"] = "2g", "1g"
    return load_settings(env, settings_file=Path("/nonexistent"))


def _load(home: Path, settings, persons: int, n_rings: int, seed: int) -> None:
    """Generate, ingest and write the rings, unless ``home`` holds them already (rings of this version)."""
    loaded, written = home / f"bench-loaded-{persons}-{seed}", home / f"bench-rings-{RINGS_VERSION}-{n_rings}"
    data = home / "data"
    if not loaded.is_file():
        generate(data, seed=seed, persons=persons)
        ingest_directory(IngestOptions(data_dir=data, rejects_dir=home / "rejects"), settings)
        with connect(settings) as runner:
            add_user(runner, USER, "investigator", PASSWORD)
        loaded.write_text("loaded\n")
    if not written.is_file():
        claims = pd.read_csv(data / "claims.csv", usecols=["claim_id", "person_id"], dtype=str)
        regions = pd.read_csv(data / "persons.csv", usecols=["person_id", "region_code"], dtype=str)
        rings = _rings(claims, regions.set_index("person_id")["region_code"], n_rings, seed)
        with connect(settings) as runner:
            write_rings(runner, DetectionResult("run-bench", rings, [], {}), fingerprint="bench", max_evidence=5000)
        written.write_text("written\n")


def _timed(call) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def _callback(app, client, output: str, inputs: list[dict], state: list[dict] | None = None) -> dict:
    answer = post_callback(app, client, output, inputs, state)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return answer.get_json()["response"]


def measure(settings, runs: int) -> dict[str, list[float]]:
    from ringscope.dashboard.app import create_app

    figures: dict[str, list[float]] = {"queue first page, cold: read 10k rings + sort/filter/page (ms)": [],
                                       "queue page, warm: sort + filter + page of the cached frame (ms)": [],
                                       "ring page 500 members, cold: query + elements + figures (ms)": [],
                                       "ring claims table, first page (ms)": []}
    with connect(settings) as runner:
        app = create_app(settings, runner=runner)
        app.server.testing = True  # an exception in a callback surfaces here, not as a bare 500
        context = app.server.extensions["ringscope"]
        client = app.server.test_client()
        client.post("/login", data={"username": USER, "password": PASSWORD})
        client.get("/_dash-layout")  # registers the pages' callbacks
        grid = [{"id": "queue-grid", "property": "getRowsRequest", "value": PAGE}]
        page = [{"id": "_pages_location", "property": "pathname", "value": f"/ring/{BIG_RING}"},
                {"id": "_pages_location", "property": "search", "value": ""}]
        table = [{"id": "ring-claims", "property": "getRowsRequest", "value": {"startRow": 0, "endRow": 100}}]
        table_state = [{"id": "ring-id", "property": "data", "value": BIG_RING},
                       {"id": "ring-months", "property": "data", "value": []},
                       {"id": "ring-period", "property": "value", "value": None}]
        sizes: dict[str, int] = {}
        for _ in range(runs):
            context.queue_cache.invalidate()
            context.ring_cache.invalidate()
            figures["queue first page, cold: read 10k rings + sort/filter/page (ms)"].append(
                _timed(lambda: sizes.setdefault("queue", _callback(app, client, "queue-grid.getRowsResponse", grid)
                                                ["queue-grid"]["getRowsResponse"]["rowCount"])))
            figures["queue page, warm: sort + filter + page of the cached frame (ms)"].append(
                _timed(lambda: _callback(app, client, "queue-grid.getRowsResponse", grid)))
            opened = {}
            figures["ring page 500 members, cold: query + elements + figures (ms)"].append(
                _timed(lambda: opened.setdefault("page", _callback(app, client, "_pages_content.children", page))))
            if "ring-claims.getRowsResponse" in app.callback_map:  # absent before the table was paged
                figures["ring claims table, first page (ms)"].append(
                    _timed(lambda: _callback(app, client, "ring-claims.getRowsResponse", table, table_state)))
            sizes["page_bytes"] = len(json.dumps(opened["page"]))
        view = context.ring_cache.get(BIG_RING, lambda: None)
        figures["(queue rings)"] = [sizes["queue"]]
        figures["(big ring: members / evidence claims / page JSON kB)"] = [
            len(view.members), len(view.claims), round(sizes["page_bytes"] / 1024)]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=6000)
    parser.add_argument("--rings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", type=Path, help="keep the loaded store (and its server running) here")
    parser.add_argument("--write", action="store_true", help="print the figures as a RESULTS.md section")
    args = parser.parse_args()
    with ExitStack() as stack:
        home = args.home or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        home.mkdir(parents=True, exist_ok=True)
        settings = _settings(home)
        if args.home is None:
            stack.callback(EmbeddedServer(settings).stop)
        _load(home, settings, args.persons, args.rings, args.seed)
        figures = measure(settings, args.runs)
    lines = [f"`.venv/bin/python benchmarks/app.py --persons {args.persons} --rings {args.rings} --runs {args.runs}`\n",
             "| figure | median | min | max |", "|---|---|---|---|"]
    for name, values in figures.items():
        if not values:
            continue
        if name.startswith("("):  # sizes, not timings
            lines.append(f"| {name} | {' / '.join(f'{v:,g}' for v in values)} | | |")
            continue
        lines.append(f"| {name} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")
    print(f"{date.today()} {platform.node()}\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
