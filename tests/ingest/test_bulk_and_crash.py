"""Each on a server of its own: the bulk importer gives the Bolt path's graph, and a
load killed half-way (Neo4j SIGKILLed) ends, when run again, with exactly the expected counts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ringscope.graph.admin import wipe_graph
from ringscope.graph.db import connect
from ringscope.graph.server import EmbeddedServer
from ringscope.ingest.job import IngestOptions, ingest_directory
from ringscope.ingest.online import OnlineLoader
from ringscope.settings import load_settings

from tests.conftest import embedded_environment
from tests.ingest.snapshot import label_counts, snapshot
from tests.ingest.world import make_world, write_world

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _own_settings(home: Path):
    return load_settings(embedded_environment(home), settings_file=Path("/nonexistent"))


def test_blk001_bulk_and_online_give_the_same_graph(runner, settings, tmp_path):
    world = make_world(21, persons=60)
    world.tables["claims"].loc[4, "fund_paid"] = "-3"
    world.tables["persons"]["employer"] = "某公司"
    folder = write_world(world, tmp_path / "data")

    online = ingest_directory(IngestOptions(folder, rejects_dir=tmp_path / "online-rejects", online=True), settings)
    expected = snapshot(runner)

    own = _own_settings(tmp_path / "home")
    try:
        bulk = ingest_directory(IngestOptions(folder, rejects_dir=tmp_path / "bulk-rejects"), own)
        with connect(own) as bulk_runner:
            assert snapshot(bulk_runner) == expected
            [record] = [r["properties"] for r in bulk_runner.read("ingest_snapshot_nodes") if r["labels"] == []] or [None]
    finally:
        EmbeddedServer(own).stop()
    assert (online.method, bulk.method) == ("online", "bulk")
    assert online.record()["fingerprint"] == bulk.record()["fingerprint"]
    same = ("loaded", "rejected", "files", "claims_rejected", "claim_items_rejected", "persons_loaded")
    assert {k: online.record()[k] for k in same} == {k: bulk.record()[k] for k in same}
    for name in ("claims.rejects.csv", "claim_items.rejects.csv"):
        assert (tmp_path / "online-rejects" / name).read_bytes() == (tmp_path / "bulk-rejects" / name).read_bytes()


def _claims_now(settings) -> int:
    try:
        with connect(settings, ensure_schema=False) as probe:
            return probe.read("ingest_count_claims")[0]["claims"]
    except Exception:  # noqa: BLE001 - the server may be starting or dying; polling goes on
        return 0


def test_blk002_neo4j_killed_mid_ingest_then_run_again(tmp_path):
    world = make_world(22, persons=1500, claims_per_person=5)
    folder = write_world(world, tmp_path / "data")
    own = _own_settings(tmp_path / "home")
    env = embedded_environment(tmp_path / "home", own.bolt_port)
    server = EmbeddedServer(own)
    server.start()
    try:
        command = [sys.executable, "-m", "ringscope", "ingest", str(folder), "--online", "--writers", "1"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while _claims_now(own) == 0:
            assert process.poll() is None, f"ingest ended before it could be interrupted: {process.stderr.read()}"
            assert time.monotonic() < deadline
            time.sleep(0.2)
        os.kill(server.status().pid, signal.SIGKILL)
        _, stderr = process.communicate(timeout=300)
        assert process.returncode not in (0, 3)
        assert "Traceback" not in stderr and "ringscope: error: step create_claims" in stderr

        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        with connect(own) as check:
            counts = label_counts(check)
        assert counts["Claim"] == counts["CLAIMED"] == counts["AT"] == world.count("claims")
        assert counts["INCLUDES"] == world.count("claim_items")
        assert counts["Person"] == world.count("persons")
    finally:
        server.stop()


def test_blk003_cypher_writer_gives_the_procedures_graph(runner, settings, tmp_path, monkeypatch):
    """External servers lack ringscope.createLinked and get the same batch as Cypher: same graph."""
    world = make_world(23, persons=40)
    claims, lines = world.tables["claims"], world.tables["claim_items"]
    claims["channel"] = ["窗口" if i % 3 else "" for i in range(len(claims))]  # an extra column, sometimes empty
    claims.loc[::4, "device_id"] = ""
    claims.loc[::5, "practitioner_id"] = ""
    claims.loc[1, "region_code"] = "110199"
    lines["batch_no"] = [f"B{i}" for i in range(len(lines))]
    world.tables["claim_items"] = lines[lines["claim_id"] != claims.loc[2, "claim_id"]]  # a claim with no lines
    folder = write_world(world, tmp_path / "data")

    wipe_graph(runner)  # the module's first test left its graph
    used = []
    original = OnlineLoader._claim_writer
    monkeypatch.setattr(OnlineLoader, "_claim_writer", lambda self: used.append(original(self)) or used[-1])
    ingest_directory(IngestOptions(folder, rejects_dir=tmp_path / "rejects-a", online=True), settings)
    expected = snapshot(runner)
    assert used == ["ingest_create_claims_procedure"]
    assert any('"channel"' in node for node in expected[0]) and any('"batch_no"' in r for r in expected[1])

    monkeypatch.setattr(OnlineLoader, "_claim_writer", lambda self: used.append("ingest_create_claims") or used[-1])
    own = _own_settings(tmp_path / "home")
    try:
        ingest_directory(IngestOptions(folder, rejects_dir=tmp_path / "rejects-b", online=True), own)
        with connect(own) as cypher_runner:
            assert snapshot(cypher_runner) == expected
    finally:
        EmbeddedServer(own).stop()
    assert used[-1] == "ingest_create_claims"
