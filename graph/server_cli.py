"""``ringscope server start|stop|status``: the embedded Neo4j by hand."""

from __future__ import annotations

import time

import click

from ringscope.errors import ConfigError
from ringscope.graph.server import EmbeddedServer
from ringscope.settings import load_settings

__all__ = ["server"]


def _embedded() -> EmbeddedServer:
    settings = load_settings()
    if settings.external:
        raise ConfigError(f"NEO4J_URI is set ({settings.neo4j_uri}): ringscope manages no server of its own")
    return EmbeddedServer(settings)


@click.group()
def server() -> None:
    """The embedded Neo4j (data under RINGSCOPE_HOME, Bolt on 127.0.0.1)."""


@server.command()
def start() -> None:
    """Start the embedded Neo4j, or find the one already running, and wait for Bolt."""
    embedded = _embedded()
    was_running = embedded.status().running
    began = time.monotonic()
    status = embedded.start()
    note = "already running" if was_running else f"started in {time.monotonic() - began:.1f} s"
    click.echo(f"{status.describe()} ({note})")


@server.command()
def stop() -> None:
    """Stop the embedded Neo4j cleanly (SIGTERM, wait for shutdown)."""
    stopped = _embedded().stop()
    click.echo("embedded Neo4j stopped" if stopped else "embedded Neo4j was not running")


@server.command()
def status() -> None:
    """Say whether the embedded Neo4j runs, where, and whether Bolt answers."""
    embedded = _embedded()
    state = embedded.status()
    answers = " and answers Bolt" if state.running and embedded.bolt_answers() else ""
    click.echo(state.describe() + answers)
