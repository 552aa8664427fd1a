"""The embedded Neo4j itself: lifecycle, authentication, loopback only, crash recovery."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError

from ringscope.errors import ServerError
from ringscope.graph.db import QueryRunner, connect
from ringscope.graph.server import EmbeddedServer
from ringscope.settings import load_settings

from tests.conftest import embedded_environment

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _settings(home: Path):
    return load_settings(embedded_environment(home), settings_file=Path("/nonexistent"))


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_serv001_lifecycle_auth_and_loopback(tmp_path):
    server = EmbeddedServer(_settings(tmp_path))
    assert not server.status().running
    # A generated password may begin with "-", which neo4j-admin must not read as an option.
    fd = os.open(server.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("-starts-like-an-option-42")
    first = server.start()
    try:
        assert first.running and server.bolt_answers()
        assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
        again = server.start()
        assert again.pid == first.pid, "a second start must find the running server"

        with neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", "not-the-password")) as driver:
            with pytest.raises(AuthError):
                driver.verify_connectivity()

        address = _non_loopback_address()
        if address is not None:
            with pytest.raises(OSError):
                socket.create_connection((address, server.settings.bolt_port), timeout=2).close()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", 7474), timeout=2).close()  # no HTTP connector
    finally:
        assert server.stop() is True
    assert not server.status().running
    assert "ringscope-neo4j stopped" in server.log_file.read_text(encoding="utf-8")
    assert server.stop() is False


def test_serv002_kill_9_keeps_every_committed_transaction(tmp_path):
    settings = _settings(tmp_path)
    runner = connect(settings)
    committed: list[int] = []
    stop = threading.Event()

    def write_loop() -> None:
        for number in range(1_000_000):
            if stop.is_set():
                return
            try:
                runner.write_batches("probe_rows_create", [{"n": number}], batch_size=1)
            except Exception:  # the server vanishing mid-write is the point of this test
                return
            committed.append(number)

    writer = threading.Thread(target=write_loop)
    writer.start()
    while len(committed) < 200:
        writer.join(0.05)
    os.kill(EmbeddedServer(settings).status().pid, signal.SIGKILL)
    stop.set()
    writer.join(60)
    runner.close()

    with connect(settings) as recovered:
        found = {row["n"] for row in recovered.read("probe_rows_all")}
    assert set(committed) <= found
    assert len(found) - len(committed) <= 1  # at most the one commit whose answer was lost
    EmbeddedServer(settings).stop()


def test_serv003_external_uri_starts_nothing(tmp_path, _session_runner, settings):
    if settings.external:
        pytest.skip("the session already runs against an external server")
    env = embedded_environment(tmp_path / "unused-home")
    env.update(NEO4J_URI=f"bolt://127.0.0.1:{settings.bolt_port}", NEO4J_USER="neo4j",
               NEO4J_PASSWORD=EmbeddedServer(settings).password())
    external = load_settings(env, settings_file=Path("/nonexistent"))
    with connect(external) as runner:
        assert isinstance(runner, QueryRunner)
        assert runner.read("admin_transaction_metadata")[0]["metadata"]["app"].startswith("ringscope-")
    assert not (tmp_path / "unused-home").exists(), "nothing may be created or started for an external server"
    with pytest.raises(ServerError, match="NEO4J_URI is set"):
        EmbeddedServer(external)
    done = subprocess.run([sys.executable, "-m", "ringscope", "server", "start"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "NEO4J_URI is set" in done.stderr


def test_serv004_cli_start_status_stop(tmp_path):
    env = embedded_environment(tmp_path)

    def ringscope(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ringscope", "server", *args], env=env,
                              capture_output=True, text=True, timeout=300)

    assert "stopped" in ringscope("status").stdout
    started = ringscope("start")
    try:
        assert started.returncode == 0 and "started in" in started.stdout
        assert "already running" in ringscope("start").stdout
        assert "answers Bolt" in ringscope("status").stdout
    finally:
        assert "stopped" in ringscope("stop").stdout
    assert "stopped at" in ringscope("status").stdout
