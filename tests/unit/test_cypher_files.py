"""Every query file is used somewhere, and every query name the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ringscope.cypher import load, names, statements
from ringscope.errors import QueryError

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ["ringscope", "ingest", "graph", "communities", "dashboard", "synthetic", "tests", "benchmarks"]
CALL = re.compile(r"""runner\.(?:read|write|write_batches|stream|apply)\(\s*f?["']([a-z][a-z0-9_]*)["']""")


def _python_sources() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for folder in SOURCE_DIRS
                     for path in (ROOT / folder).rglob("*.py") if ".venv" not in path.parts)


def test_cyph001_every_file_is_used():
    sources = _python_sources()
    unused = [name for name in names() if f'"{name}"' not in sources and f"'{name}'" not in sources]
    assert not unused, f"cypher files no code names: {unused}"


def test_cyph002_every_name_used_exists():
    missing = sorted(set(CALL.findall(_python_sources())) - set(names()))
    assert not missing, f"queries named in code but missing from cypher/: {missing}"


def test_cyph003_names_are_checked():
    with pytest.raises(QueryError, match="no such query file nothing_here.cypher"):
        load("nothing_here")
    with pytest.raises(QueryError, match="lower-case words"):
        load("../etc/passwd")


def test_cyph004_schema_statements_are_idempotent_definitions():
    parts = statements("schema")
    assert len(parts) >= 20
    assert all(" IF NOT EXISTS " in part for part in parts)
