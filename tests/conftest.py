"""Shared fixtures: one real embedded Neo4j per test run, on a free port.

Everything that talks to Neo4j talks to this server (or, when ``NEO4J_URI`` is
set, to that external server): no mock driver. The graph is emptied at the
start of every test module that asks for ``runner``.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from ringscope.graph.admin import wipe_graph
from ringscope.graph.db import QueryRunner, connect
from ringscope.graph.server import EmbeddedServer
from ringscope.settings import Settings, load_settings

TEST_HEAP = "1g"
TEST_PAGECACHE = "256m"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def embedded_environment(home: Path, port: int | None = None) -> dict[str, str]:
    """Environment for a ringscope process that uses its own embedded server under ``home``."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("RINGSCOPE_", "NEO4J_"))}
    env.update(RINGSCOPE_HOME=str(home), RINGSCOPE_BOLT_PORT=str(port or free_port()),
               RINGSCOPE_NEO4J_HEAP=TEST_HEAP, RINGSCOPE_NEO4J_PAGECACHE=TEST_PAGECACHE)
    return env


@pytest.fixture(scope="session")
def neo4j_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment naming the test run's server (external when NEO4J_URI is set)."""
    if os.environ.get("NEO4J_URI"):
        return dict(os.environ)
    return embedded_environment(tmp_path_factory.mktemp("ringscope-home"))


@pytest.fixture(scope="session")
def settings(neo4j_env: dict[str, str]) -> Settings:
    return load_settings(neo4j_env, settings_file=Path("/nonexistent"))


@pytest.fixture(scope="session")
def _session_runner(settings: Settings):
    runner = connect(settings)
    try:
        yield runner
    finally:
        runner.close()
        if not settings.external:
            EmbeddedServer(settings).stop()


@pytest.fixture(scope="module")
def runner(_session_runner: QueryRunner) -> QueryRunner:
    """A runner on an empty graph (emptied once per test module)."""
    wipe_graph(_session_runner)
    return _session_runner
