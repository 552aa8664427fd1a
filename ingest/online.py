"""The Bolt path: staged rows into a running Neo4j by batched, parameterised Cypher.

Why two styles of write: reference data (persons, facilities, items,
identifiers) is MERGEd, so loads add to each other and a re-run rewrites the
same values; claims, by far the bulk, are CREATEd with their fee lines in the
same transaction when the store lacks them (known ones are dropped first by a
read of their ids), which keeps a resumed run exact and is several times
faster than MERGE on every relationship.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np
import pyarrow.compute as pc

from ringscope.errors import QueryError
from ringscope.graph.db import QueryRunner
from ringscope.ingest.claim_batch import ClaimLines, claim_batch
from ringscope.ingest.contract import TABLES_BY_NAME
from ringscope.ingest.node_ids import NodeIds
from ringscope.ingest.rows import LINE_COLUMNS, item_catalogue, records
from ringscope.ingest.staging import StagedTable, frame_of

__all__ = ["OnlineLoader", "ONLINE_STEPS"]

Progress = Callable[[int], None]

#: The embedded server's claim writer (graph/launcher, LinkedNodeWriter).
CLAIM_PROCEDURE = "ringscope.createLinked"

#: Identifier owner_type -> the column naming such nodes (NodeIds).
OWNER_COLUMNS = {"person": "person_id", "practitioner": "practitioner_id", "facility": "facility_id"}

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
    #: Write claims with the server's ``ringscope.createLinked``; None: when the server has it.
    use_procedure: bool | None = None
    #: Element ids of the nodes claims link to, as the merges return them.
    nodes: NodeIds = field(default_factory=NodeIds)

    def _merge(self, name: str, query: str, progress: Progress, key: str | None = None,
               prepare: Callable[[list[dict]], list[dict]] | None = None) -> None:
        """MERGE the staged ``name`` rows, one batch at a time.

        ``key``: the column whose nodes' element ids the query returns (noted
        for the claim writer); ``prepare``: what the rows need before they go.
        One writer: two side by side gained nothing here (persons, identifiers:
        the server's MERGEs contend for the nodes the batches share, regions
        and identifiers), and a file of purchases has no key, so identical rows
        in two batches would both be found missing and both created.
        """
        staged = self.staged.get(name)
        if staged is None:
            return
        table, extra = TABLES_BY_NAME[name], self.extras.get(name)
        for frame in staged.batches(self.batch_size):
            rows = records(frame, table, extra=extra)
            merged = self.runner.write(query, rows=prepare(rows) if prepare else rows)
            if key:
                self.nodes.add(key, merged)
            progress(len(frame))

    def merge_facilities(self, progress: Progress) -> None:
        self._merge("facilities", "ingest_merge_facilities", progress, "facility_id")

    def merge_persons(self, progress: Progress) -> None:
        self._merge("persons", "ingest_merge_persons", progress, "person_id")

    def merge_practitioners(self, progress: Progress) -> None:
        self._merge("practitioners", "ingest_merge_practitioners", progress, "practitioner_id")

    def merge_identifiers(self, progress: Progress) -> None:
        """Identifier nodes and their owners' links, the owner matched by element id: owners
        merged by this load are known already, the rest (an earlier load's) are looked up once
        per batch, so the query needs no index seek per row for its owner."""
        self._merge("identifiers", "ingest_merge_identifiers", progress, prepare=self._with_owners)

    def _with_owners(self, rows: list[dict]) -> list[dict]:
        for row, owner in zip(rows, self._owners(rows)):
            row["owner"] = owner
        return rows

    def _owners(self, rows: list[dict]) -> list[str | None]:
        """Each identifier row's owner as an element id (None: not stored, which validation rules out)."""
        known = {owner_type: self.nodes.look_up(self.runner, column,
                                                (r["owner_id"] for r in rows if r["owner_type"] == owner_type))
                 for owner_type, column in OWNER_COLUMNS.items()}
        return [known[r["owner_type"]].get(r["owner_id"]) for r in rows]

    def create_stock_ins(self, progress: Progress) -> None:
        self._merge("purchases", "ingest_create_stock_ins", progress)

    def merge_items(self, progress: Progress) -> None:
        lines = self.staged.get("claim_items")
        if lines is None:
            return
        table = lines.read(columns=[c for c in ("item_code", "item_name", "item_type") if c in lines.schema.names])
        catalogue = item_catalogue(table)
        rows = catalogue.astype(object).where(catalogue.notna(), None).to_dict("records")
        self._merge_noting("ingest_merge_items", "item_code", rows)
        progress(lines.rows)

    def merge_devices(self, progress: Progress) -> None:
        staged = self.staged.get("claims")
        if staged is None or "device_id" not in staged.schema.names:
            return
        column = staged.read(columns=["device_id"]).column("device_id").combine_chunks()
        devices = pc.unique(column.drop_null()).to_pylist()
        self._merge_noting("ingest_merge_devices", "device_id", [{"value": v} for v in devices])
        progress(staged.rows)

    def _merge_noting(self, query: str, column: str, rows: list[dict]) -> None:
        """MERGE ``rows`` in batches, noting the element ids the query returns as ``column``'s."""
        for begin in range(0, len(rows), self.batch_size):
            self.nodes.add(column, self.runner.write(query, rows=rows[begin:begin + self.batch_size]))

    def _claim_writer(self) -> str:
        """The procedure when the server has it (the embedded one does), else the same batch as Cypher."""
        if self.use_procedure is None:
            try:
                found = self.runner.read("ingest_has_procedure", procedure=CLAIM_PROCEDURE)[0]["found"]
            except QueryError:  # a user an external server does not let list procedures
                found = 0
            self.use_procedure = bool(found)
        return "ingest_create_claims_procedure" if self.use_procedure else "ingest_create_claims"

    def _new_claims(self, ids: list[str], positions: np.ndarray) -> np.ndarray:
        """``positions`` less the claims already in the store (loaded by an earlier or an interrupted run).

        Asked per batch in its own read transaction, so the Cypher writer is a
        plain CREATE; no other writer can add these ids in between, because a
        staged claims file holds each claim_id once and batches do not overlap.
        The procedure needs no such read: it skips stored claims itself.
        """
        known = {record["id"] for record in self.runner.read("ingest_existing_claims", ids=ids)}
        if not known:
            return positions
        return positions[np.fromiter((claim_id not in known for claim_id in ids), bool, len(ids))]

    def create_claims(self, progress: Progress) -> None:
        if "claims" not in self.staged:
            return
        claims = self.staged["claims"].read().sort_by("claim_id")
        ids = claims.column("claim_id").to_pylist()
        lines = self.staged["claim_items"].read() if "claim_items" in self.staged else None
        nodes = self.nodes.complete(self.runner, claims, lines)
        lines = ClaimLines.of(lines, ids) if lines is not None else None
        query = self._claim_writer()

        def write(begin: int) -> int:
            end = min(begin + self.claim_batch, len(ids))
            positions = np.arange(begin, end)
            if not self.use_procedure:
                positions = self._new_claims(ids[begin:end], positions)
            if len(positions):
                batch = claim_batch(claims, positions, lines, nodes, self.extras)
                if self.use_procedure:
                    batch["skip_existing"] = "claim_id"
                self.runner.write(query, batch=batch)
            return end - begin

        # Claims of different batches share persons, facilities and items;
        # Neo4j 5 locks relationship chains, not whole nodes, so writers rarely
        # wait, and the driver retries the deadlocks that remain.
        self._in_parallel(write, range(0, len(ids), self.claim_batch), progress)

    def _in_parallel(self, write: Callable[[Any], int], items: Iterable[Any], progress: Progress) -> None:
        """``write`` each of ``items`` (its count to ``progress``) on ``writers`` threads; after a
        failure the items not yet begun are skipped rather than tried against a server that may
        be gone (driver retries take 30 s each), and the failure is raised."""
        failed = threading.Event()

        def guarded(item: Any) -> int:
            if failed.is_set():
                return 0
            try:
                return write(item)
            except BaseException:
                failed.set()
                raise

        if self.writers <= 1:
            for item in items:
                progress(guarded(item))
            return
        with ThreadPoolExecutor(self.writers, thread_name_prefix="ingest-writer") as pool:
            for done in pool.map(guarded, items):
                progress(done)

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
