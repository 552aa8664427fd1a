"""The Bolt path: staged rows into a running Neo4j by batched, parameterised Cypher.

Why two styles of write: reference data (persons, facilities, items,
identifiers) is MERGEd, so loads add to each other and a re-run rewrites the
same values; claims, by far the bulk, are CREATEd with their fee lines in the
same transaction when the store lacks them (known ones are dropped first by a
read of their ids), which keeps a resumed run exact and is several times
faster than MERGE on every relationship.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ringscope.graph.db import QueryRunner
from ringscope.ingest.contract import TABLES_BY_NAME
from ringscope.ingest.node_ids import LINE_REFERENCES, NodeIds
from ringscope.ingest.rows import LINE_COLUMNS, group_lines, item_catalogue, records
from ringscope.ingest.staging import StagedTable, frame_of

__all__ = ["OnlineLoader", "ONLINE_STEPS"]

Progress = Callable[[int], None]

#: Loader step name -> the staged table whose rows it counts.
ONLINE_STEPS = (
    ("merge_facilities", "facilities"),
    ("merge_persons", "persons"),
    ("merge_practitioners", "practitioners"),
    ("merge_items", "claim_items"),
    ("merge_devices", "claims"),
    ("create_claims", "claims"),
    ("merge_claim_items", "claim_items"),
    ("merge_identifiers", "identifiers"),
    ("create_stock_ins", "purchases"),
)


@dataclass
class OnlineLoader:
    """Writes staged tables through ``runner``; ``writers`` transactions at a time for claims."""

    runner: QueryRunner
    staged: dict[str, StagedTable]
    extras: dict[str, list[str]]
    batch_size: int = 5_000
    claim_batch: int = 1_000
    writers: int = 2

    def _merge(self, name: str, query: str, progress: Progress) -> None:
        staged = self.staged.get(name)
        if staged is None:
            return
        table = TABLES_BY_NAME[name]
        for frame in staged.batches(self.batch_size):
            self.runner.write(query, rows=records(frame, table, extra=self.extras.get(name)))
            progress(len(frame))

    def merge_facilities(self, progress: Progress) -> None:
        self._merge("facilities", "ingest_merge_facilities", progress)

    def merge_persons(self, progress: Progress) -> None:
        self._merge("persons", "ingest_merge_persons", progress)

    def merge_practitioners(self, progress: Progress) -> None:
        self._merge("practitioners", "ingest_merge_practitioners", progress)

    def merge_identifiers(self, progress: Progress) -> None:
        self._merge("identifiers", "ingest_merge_identifiers", progress)

    def create_stock_ins(self, progress: Progress) -> None:
        self._merge("purchases", "ingest_create_stock_ins", progress)

    def merge_items(self, progress: Progress) -> None:
        lines = self.staged.get("claim_items")
        if lines is None:
            return
        table = lines.read(columns=[c for c in ("item_code", "item_name", "item_type") if c in lines.schema.names])
        catalogue = item_catalogue(table)
        rows = catalogue.astype(object).where(catalogue.notna(), None).to_dict("records")
        self.runner.write_batches("ingest_merge_items", rows, batch_size=self.batch_size)
        progress(lines.rows)

    def merge_devices(self, progress: Progress) -> None:
        staged = self.staged.get("claims")
        if staged is None or "device_id" not in staged.schema.names:
            return
        column = staged.read(columns=["device_id"]).column("device_id").combine_chunks()
        devices = pc.unique(column.drop_null()).to_pylist()
        self.runner.write_batches("ingest_merge_devices", ({"value": v} for v in devices),
                                  batch_size=self.batch_size)
        progress(staged.rows)

    def _claim_batches(self, claims: pa.Table, lines: pa.Table | None,
                       nodes: NodeIds) -> Iterator[tuple[list[dict], int]]:
        claims_table, line_table = TABLES_BY_NAME["claims"], TABLES_BY_NAME["claim_items"]
        claims = claims.sort_by("claim_id")
        ids = claims.column("claim_id").to_pylist()
        if lines is not None:
            lines, starts, ends = group_lines(lines, ids)
        for begin in range(0, len(ids), self.claim_batch):
            frame = frame_of(claims.slice(begin, self.claim_batch))
            rows = records(frame, claims_table, extra=self.extras.get("claims"))
            nodes.annotate(rows)
            if lines is None:
                for row in rows:
                    row["items"] = []
            else:
                low, high = int(starts[begin]), int(ends[begin + len(rows) - 1])
                line_rows = records(frame_of(lines.slice(low, high - low)), line_table, LINE_COLUMNS,
                                    self.extras.get("claim_items"))
                nodes.annotate(line_rows, LINE_REFERENCES)
                for offset, row in enumerate(rows):
                    row["items"] = line_rows[starts[begin + offset] - low:ends[begin + offset] - low]
            yield rows, len(rows)

    def _new_claims(self, rows: list[dict]) -> list[dict]:
        """``rows`` less the claims already in the store (loaded by an earlier or an interrupted run).

        Asked per batch in its own read transaction, so the create query is a
        plain CREATE; no other writer can add these ids in between, because a
        staged claims file holds each claim_id once and batches do not overlap.
        """
        known = {record["id"] for record in
                 self.runner.read("ingest_existing_claims", ids=[row["claim_id"] for row in rows])}
        return [row for row in rows if row["claim_id"] not in known] if known else rows

    def create_claims(self, progress: Progress) -> None:
        if "claims" not in self.staged:
            return
        def write(batch: tuple[list[dict], int]) -> int:
            rows = self._new_claims(batch[0])
            if rows:
                self.runner.write("ingest_create_claims", rows=rows)
            return batch[1]

        claims = self.staged["claims"].read()
        lines = self.staged["claim_items"].read() if "claim_items" in self.staged else None
        batches = self._claim_batches(claims, lines, NodeIds.lookup(self.runner, claims, lines))
        if self.writers <= 1:
            for batch in batches:
                progress(write(batch))
            return
        # Claims of different batches share persons, facilities and items;
        # Neo4j 5 locks relationship chains, not whole nodes, so writers rarely
        # wait, and the driver retries the deadlocks that remain.
        # A short queue keeps only a few batches in memory while writers work.
        with ThreadPoolExecutor(self.writers, thread_name_prefix="ingest-writer") as pool:
            pending: deque = deque()
            for batch in batches:
                pending.append(pool.submit(write, batch))
                if len(pending) >= 2 * self.writers:
                    progress(pending.popleft().result())
            while pending:
                progress(pending.popleft().result())

    def merge_claim_items(self, progress: Progress) -> None:
        """Fee lines whose claim came from an earlier load (not in this load's claims file)."""
        staged_lines = self.staged.get("claim_items")
        if staged_lines is None:
            return
        lines = staged_lines.read()
        if "claims" in self.staged:
            known = self.staged["claims"].read(columns=["claim_id"]).column("claim_id")
            lines = lines.filter(pc.invert(pc.is_in(lines.column("claim_id"), value_set=known)))
        table = TABLES_BY_NAME["claim_items"]
        for begin in range(0, lines.num_rows, self.batch_size):
            frame = frame_of(lines.slice(begin, self.batch_size))
            rows = records(frame, table, ("claim_id", *LINE_COLUMNS), self.extras.get("claim_items"))
            self.runner.write("ingest_merge_claim_items", rows=rows)
        progress(staged_lines.rows)
