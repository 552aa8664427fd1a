"""Whole-database chores: emptying a store and counting what it holds."""

from __future__ import annotations

from ringscope.graph.db import QueryRunner

__all__ = ["wipe_graph", "label_counts"]


def wipe_graph(runner: QueryRunner, batch: int = 20_000) -> int:
    """Delete every node and relationship (the schema stays); returns nodes deleted."""
    total = 0
    while deleted := runner.write("admin_wipe_batch", limit=batch)[0]["deleted"]:
        total += deleted
    return total


def label_counts(runner: QueryRunner) -> dict[str, int]:
    """Number of nodes per label."""
    return {record["label"]: record["nodes"] for record in runner.read("admin_counts")}
