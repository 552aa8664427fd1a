"""Element ids of the stored nodes that claims and fee lines link to, looked up once per load.

Why: the claim writer used to find each claim's person, facility,
practitioner and device, and each fee line's item, by its key: a unique-index
seek that also takes an index lock, once per claim and per line, inside the
write transaction. Looked up once per distinct key in read transactions and
matched by element id in the writer instead, the server's CPU time per claim
fell by about a third on a populated store (208 -> 131 us, one writer). The
nodes this load merges itself come back from their MERGE (``add``), so only
those of earlier loads are looked up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from ringscope.graph.db import QueryRunner

__all__ = ["stored_nodes", "NodeIds", "CLAIM_REFERENCES", "LINE_REFERENCES", "LOOKUPS"]

LOOKUP_BATCH = 10_000

#: (column naming the node, query returning ``id`` and ``node``)
CLAIM_REFERENCES = (
    ("person_id", "ingest_existing_persons"),
    ("facility_id", "ingest_existing_facilities"),
    ("practitioner_id", "ingest_existing_practitioners"),
    ("device_id", "ingest_existing_devices"),
)
LINE_REFERENCES = (("item_code", "ingest_existing_items"),)
#: column naming a node -> the query that finds stored ones
LOOKUPS = dict(CLAIM_REFERENCES + LINE_REFERENCES)


def stored_nodes(runner: QueryRunner, query: str, keys: list[str]) -> dict[str, str]:
    """Key -> element id of the stored node, for those of ``keys`` that ``query`` finds."""
    found: dict[str, str] = {}
    for begin in range(0, len(keys), LOOKUP_BATCH):
        found.update((r["id"], r["node"]) for r in runner.read(query, ids=keys[begin:begin + LOOKUP_BATCH]))
    return found


def _distinct(table: pa.Table, column: str) -> list[str]:
    if column not in table.column_names:
        return []
    return pc.unique(table.column(column).combine_chunks().drop_null()).to_pylist()


@dataclass
class NodeIds:
    """Element ids of the stored nodes, by the column that names them."""

    by_column: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, column: str, records: Iterable[Mapping[str, str]]) -> None:
        """Note the ``id`` -> ``node`` pairs a MERGE of this load returned for ``column``."""
        self.by_column.setdefault(column, {}).update((r["id"], r["node"]) for r in records)

    def complete(self, runner: QueryRunner, claims: pa.Table, lines: pa.Table | None) -> "NodeIds":
        """Look up every node that ``claims`` and ``lines`` name and this load has not merged."""
        for references, table in ((CLAIM_REFERENCES, claims), (LINE_REFERENCES, lines)):
            for column, _ in references if table is not None else ():
                self.look_up(runner, column, _distinct(table, column))
        return self

    def look_up(self, runner: QueryRunner, column: str, keys: Iterable[str]) -> dict[str, str]:
        """Element ids of ``column``'s ``keys``, those not noted yet looked up in the store; returns
        every element id noted for ``column``."""
        known = self.by_column.setdefault(column, {})
        missing = sorted(set(keys) - known.keys())
        if missing:
            known.update(stored_nodes(runner, LOOKUPS[column], missing))
        return known

    def of(self, column: str, keys: list[Any]) -> list[str | None]:
        """The element id of each of ``keys``, values of ``column`` (None when not stored)."""
        nodes = self.by_column.get(column, {})
        return [nodes.get(key) for key in keys]
