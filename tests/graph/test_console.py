"""The read-only console refuses every kind of write, on the real server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ringscope.errors import ConfigError, WriteRefused
from ringscope.graph.admin import label_counts
from ringscope.graph.console import QueryResult, parse_params, render, run_read_only

pytestmark = pytest.mark.neo4j

WRITES = [
    "CREATE (n:Person {person_id: 'x'})",
    "MERGE (n:Person {person_id: 'p1'}) RETURN n",
    "MATCH (n:Person) SET n.name = 'changed'",
    "MATCH (n:Person) DETACH DELETE n",
    "MATCH (n:Person) REMOVE n.name",
    "MATCH (n:Person) REMOVE n:Person",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CREATE INDEX console_probe IF NOT EXISTS FOR (n:Person) ON (n.gender)",
    "DROP CONSTRAINT person_key",
    "CREATE USER intruder SET PASSWORD 'abcdefgh12'",
    "FOREACH (x IN [1, 2] | CREATE (:Person {person_id: toString(x)}))",
    "UNWIND [1] AS x CALL (x) { CREATE (:Person {person_id: 'tx'}) } IN TRANSACTIONS",
    "CALL db.createLabel('Injected')",
    "CALL db.clearQueryCaches()",
    "// a comment cannot hide it\nMATCH (n:Person) SET n.name = 'changed'",
]


def _snapshot(runner):
    result = run_read_only(runner, "MATCH (n) RETURN n ORDER BY elementId(n)", {})
    constraints = run_read_only(runner, "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name", {})
    indexes = run_read_only(runner, "SHOW INDEXES YIELD name RETURN name ORDER BY name", {})
    return result.rows, constraints.rows, indexes.rows, label_counts(runner)


@pytest.mark.parametrize("query", WRITES)
def test_cons001_every_write_is_refused_and_graph_unchanged(runner, query):
    before = _snapshot(runner)
    with pytest.raises(WriteRefused, match="refused"):
        run_read_only(runner, query, {})
    assert _snapshot(runner) == before


def test_cons002_reads_run_with_parameters(runner):
    result = run_read_only(runner, "UNWIND range(1, $n) AS i RETURN i, i * $k AS scaled", {"n": 3, "k": 2})
    assert result.columns == ["i", "scaled"]
    assert result.rows == [[1, 2], [2, 4], [3, 6]]


def test_cons003_cli_refuses_with_exit_2_and_one_line(neo4j_env):
    done = subprocess.run([sys.executable, "-m", "ringscope", "cypher", "CREATE (n:Person {person_id: 'cli'})"],
                          env=neo4j_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused" in lines[0] and "Traceback" not in done.stderr


def test_cons004_cli_prints_json_and_csv(neo4j_env):
    query = "UNWIND [1, 2] AS i RETURN i, 'x' + toString(i) AS label"
    as_json = subprocess.run([sys.executable, "-m", "ringscope", "cypher", query, "--format", "json"],
                             env=neo4j_env, capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(as_json.stdout) == [{"i": 1, "label": "x1"}, {"i": 2, "label": "x2"}]
    as_csv = subprocess.run([sys.executable, "-m", "ringscope", "cypher", query, "--format", "csv"],
                            env=neo4j_env, capture_output=True, text=True, timeout=300, check=True)
    assert as_csv.stdout.splitlines() == ["i,label", "1,x1", "2,x2"]


def test_cons005_params_parse_json_or_text():
    assert parse_params(["n=3", "name=王芳", "ids=[\"a\", \"b\"]"]) == {"n": 3, "name": "王芳", "ids": ["a", "b"]}
    with pytest.raises(ConfigError, match="NAME=VALUE, got 'oops'"):
        parse_params(["oops"])


def test_cons006_render_table_has_every_value():
    text = render(QueryResult(["a", "b"], [[1, None], [2, {"k": "v"}]]), "table")
    assert "2 row(s)" in text and '{"k": "v"}' in text
    with pytest.raises(ConfigError, match="got 'xml'"):
        render(QueryResult([], []), "xml")
