"""The loaded graph as comparable data: sorted node and relationship descriptions."""

from __future__ import annotations

import json
from collections import Counter

from ringscope.graph.db import QueryRunner

__all__ = ["snapshot", "label_counts"]


def snapshot(runner: QueryRunner) -> tuple[list[str], list[str]]:
    nodes = sorted(json.dumps({"labels": sorted(r["labels"]), "properties": r["properties"]}, sort_keys=True,
                              default=str) for r in runner.read("ingest_snapshot_nodes"))
    relationships = sorted(json.dumps(dict(r), sort_keys=True, default=str)
                           for r in runner.read("ingest_snapshot_relationships"))
    return nodes, relationships


def label_counts(runner: QueryRunner) -> Counter:
    """Nodes per label and relationships per type, counted from the snapshot queries."""
    counts: Counter = Counter()
    for record in runner.read("ingest_snapshot_nodes"):
        counts.update(record["labels"])
    for record in runner.read("ingest_snapshot_relationships"):
        counts[record["type"]] += 1
    return counts
