"""Search and path finding: what the user typed becomes parameters, never Cypher."""

from __future__ import annotations

import re
from typing import Any

from ringscope.dashboard.access import mask_for, masked_pattern
from ringscope.dashboard.elements import node_kind, path_elements
from ringscope.graph.db import QueryRunner

__all__ = ["search", "find_paths", "PathResult"]

_SPACES = re.compile(r"\s+")


def search(runner: QueryRunner, text: str, role: str | None, *, limit: int = 50) -> list[dict[str, str]]:
    """Rings, persons, practitioners and facilities matching ``text``; masked ID input is accepted.

    A masked ID (``4101**********1234``) matches on its known prefix and
    suffix; at least four known characters are required so one star cannot
    list everybody.
    """
    text = _SPACES.sub("", text or "") if "*" in (text or "") else (text or "").strip()
    if not text:
        return []
    pattern = masked_pattern(text)
    prefix, suffix = pattern if pattern and len(pattern[0]) + len(pattern[1]) >= 4 else (None, None)
    rows = runner.read("app_search", text=text.upper() if pattern else text, prefix=prefix,
                       suffix=(suffix or "").upper(), limit=limit)
    found = []
    for row in rows:
        kind = node_kind(row["labels"])
        href = f"/ring/{row['key']}" if kind == "ring" else f"/entity/{kind}/{row['key']}"
        found.append({"kind": kind, "key": row["key"], "name": row["name"] or row["typology"] or "",
                      "id_card": mask_for(role, "id_card", row["id_card"]), "href": href})
    return found


PathResult = dict[str, list[dict[str, Any]]]


def find_paths(runner: QueryRunner, source_key: str, target_key: str, role: str | None, *,
               limit: int = 10) -> PathResult | None:
    """Cytoscape elements of the shortest paths, and of those through shared identifiers.

    Returns None when either key names no entity.
    """
    ends = [runner.read("app_entity_key", key=key.strip()) for key in (source_key or "", target_key or "")]
    if not all(ends):
        return None
    source, target = ends[0][0]["id"], ends[1][0]["id"]
    return {name: path_elements(runner.read(query, source=source, target=target, limit=limit), role)
            for name, query in (("shortest", "app_paths_shortest"), ("identifiers", "app_paths_identifiers"))}
