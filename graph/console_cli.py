"""``ringscope cypher``: the command over :mod:`ringscope.graph.console`."""

from __future__ import annotations

import click

from ringscope.graph.console import FORMATS, parse_params, render, run_read_only
from ringscope.graph.db import connect

__all__ = ["cypher"]


@click.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter ($NAME); VALUE is read as JSON when it parses, else as text.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def cypher(query: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a read-only Cypher QUERY and print the result; a query that would write is refused."""
    values = parse_params(params)
    with connect() as runner:
        click.echo(render(run_read_only(runner, query, values), fmt))
