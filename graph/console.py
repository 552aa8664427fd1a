"""The read-only Cypher console behind ``ringscope cypher``.

Analysts may type any Cypher here, so the guard sits on the database side, not
in a text scan that a comment or a clever procedure name would fool: the query
is planned with ``EXPLAIN`` and refused unless the planner calls it read-only
(query type ``r``) and no operator loads files (``LoadCSV``); what passes runs
in a READ access-mode transaction, which the server itself refuses to let
write, and is rolled back.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Mapping

import neo4j.graph
import neo4j.time
from rich.console import Console
from rich.table import Table

from ringscope.errors import ConfigError, WriteRefused
from ringscope.graph.db import QueryRunner

__all__ = ["QueryResult", "run_read_only", "parse_params", "render", "FORMATS"]

FORMATS = ("table", "csv", "json")
_FORBIDDEN_OPERATORS = frozenset({"LoadCSV"})


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs; a VALUE that parses as JSON is taken as such, else as text."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.isidentifier():
            raise ConfigError(f"--param must look like NAME=VALUE, got {pair!r}")
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params


def run_read_only(runner: QueryRunner, query: str, params: Mapping[str, Any]) -> QueryResult:
    """Run ``query`` if and only if the database plans it as read-only."""
    plan = runner.explain(query, params)
    if plan.query_type != "r":
        kind = {"w": "writes data", "rw": "writes data", "s": "changes the schema or administration"}.get(
            plan.query_type, f"is of type {plan.query_type!r}")
        raise WriteRefused(f"refused: the query {kind}; `ringscope cypher` only reads")
    if plan.operators & _FORBIDDEN_OPERATORS:
        raise WriteRefused("refused: LOAD CSV reads files on the server; `ringscope cypher` only reads the graph")
    columns, rows = runner.read_only(query, params)
    return QueryResult(columns, [[_plain(value) for value in row] for row in rows])


def _plain(value: Any) -> Any:
    """Nodes, relationships, paths and temporal values as JSON-ready data."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(node) for node in value.nodes]
    if isinstance(value, (neo4j.time.DateTime, neo4j.time.Date, neo4j.time.Time, datetime, date, time)):
        return value.isoformat()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(result: QueryResult, fmt: str) -> str:
    """The result as an aligned table, CSV or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(zip(result.columns, row)) for row in result.rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([[_cell(value) for value in row] for row in result.rows])
        return buffer.getvalue().rstrip("\n")
    if fmt == "table":
        table = Table(*result.columns, caption=f"{len(result.rows)} row(s)")
        for row in result.rows:
            table.add_row(*(_cell(value) for value in row))
        console = Console(file=io.StringIO(), width=200, force_terminal=False)
        console.print(table)
        return console.file.getvalue().rstrip("\n")
    raise ConfigError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
