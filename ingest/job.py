"""One ingest from start to finish: the object the command line is a thin layer over.

The steps, in order: ``read_headers`` (every file present, every required
column there: nothing is written before this passes), ``fingerprint``,
``connect`` (and choose the bulk importer or Bolt), ``validate_<table>`` per
file, then the loader's steps, then ``record_run``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ringscope.graph.db import QueryRunner, connect
from ringscope.graph.server import EmbeddedServer
from ringscope.ingest.checking import FileReport, check_file, check_header
from ringscope.ingest.contract import TABLES
from ringscope.ingest.keys import KnownKeys
from ringscope.ingest.mapping import load_mapping
from ringscope.ingest.node_ids import stored_nodes
from ringscope.ingest.online import ONLINE_STEPS, OnlineLoader
from ringscope.ingest.pipeline import Step, remove_tree, run_steps
from ringscope.ingest.reading import Source, find_sources
from ringscope.ingest.staging import StagedTable
from ringscope.settings import Settings

__all__ = ["IngestOptions", "IngestReport", "ingest_directory", "fingerprint"]

@dataclass(frozen=True)
class IngestOptions:
    data_dir: Path
    rejects_dir: Path | None = None
    encoding: str | None = None
    online: bool = False
    mapping: str | None = None
    chunk_rows: int = 100_000
    batch_size: int = 5_000
    writers: int = 2
    debug: bool = False
    show_progress: bool = False
    force: bool = False  # load even when these exact inputs were loaded before


@dataclass
class IngestReport:
    """What one ingest did: per file, and for the whole run."""

    run_id: str
    method: str
    data_dir: str
    fingerprint: str
    mapping: str
    rejects_dir: str
    files: list[FileReport] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    started_at: str = ""
    finished_at: str = ""
    same_as: str | None = None  # run id of an earlier load of the same inputs (nothing was loaded)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def record(self) -> dict[str, object]:
        """Flat properties of the ``(:IngestRun)`` node (Neo4j properties cannot be maps)."""
        values: dict[str, object] = {
            "method": self.method, "data_dir": self.data_dir, "fingerprint": self.fingerprint,
            "mapping": self.mapping, "started_at": self.started_at, "finished_at": self.finished_at,
            "files": [f.file for f in self.files], "loaded": self.loaded, "rejected": self.rejected,
            "timings": json.dumps(self.timings), "seconds": round(sum(self.timings.values()), 3),
        }
        for f in self.files:
            values.update({f"{f.table}_read": f.read, f"{f.table}_loaded": f.loaded,
                           f"{f.table}_rejected": f.rejected})
        return values

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "loaded": self.loaded, "rejected": self.rejected}, default=str, indent=2)


def fingerprint(paths: list[Path]) -> str:
    """SHA-256 over each file's name and bytes, in name order: the same inputs, the same value."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            while block := handle.read(1 << 22):
                digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class _Job:
    def __init__(self, options: IngestOptions, settings: Settings):
        self.options = options
        self.settings = settings
        self.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
        self.work_dir = settings.home / "ingest" / self.run_id
        rejects = options.rejects_dir or settings.home / "rejects" / self.run_id
        self.mapping = load_mapping(options.mapping)
        self.report = IngestReport(self.run_id, "", str(options.data_dir.resolve()), "", self.mapping.name,
                                   str(rejects.resolve()), started_at=_now())
        self.sources: list[Source] = []
        self.runner: QueryRunner | None = None
        self.keys: dict[str, KnownKeys] = {}
        self.staged: dict[str, StagedTable] = {}
        self.extras: dict[str, list[str]] = {}

    # -- steps ----------------------------------------------------------------

    def read_headers(self, progress) -> None:
        self.sources = find_sources(self.options.data_dir, self.options.encoding, self.mapping.files)
        for source in self.sources:
            check_header(source, self.mapping)
        progress(len(self.sources))

    def take_fingerprint(self, progress) -> None:
        self.report.fingerprint = fingerprint([s.path for s in self.sources])
        progress(len(self.sources))

    def _never_started(self) -> bool:
        """An embedded store that has never run is empty: no need to start it just to ask."""
        if self.options.online or self.settings.external:
            return False
        server = EmbeddedServer(self.settings)
        database = server.neo4j_home / "data" / "databases" / self.settings.neo4j_database
        return not server.status().running and not database.exists()

    def connect(self, progress) -> None:
        if self._never_started():
            bulk = True
        else:
            self.runner = connect(self.settings)
            earlier = self.runner.read("ingest_find_run", fingerprint=self.report.fingerprint,
                                       mapping=self.mapping.name)
            if earlier and not self.options.force:
                self._same_as(dict(earlier[0]["run"]))
                return
            has_data = self.runner.read("ingest_store_has_data")[0]["has_data"]
            bulk = not (self.options.online or self.settings.external or has_data)
        self.report.method = "bulk" if bulk else "online"
        for table in TABLES:
            lookup = None if bulk or table.name not in _LOOKUPS else self._lookup(_LOOKUPS[table.name])
            self.keys[table.name] = KnownKeys(lookup)
        progress(1)

    def _same_as(self, run: dict) -> None:
        """Report an earlier load of byte-identical inputs instead of loading them again."""
        self.report.method, self.report.same_as = "unchanged", run["run_id"]
        for source in self.sources:
            name = source.table.name
            self.report.files.append(FileReport(name, source.path.name, source.encoding,
                                                read=run.get(f"{name}_read", 0), loaded=run.get(f"{name}_loaded", 0),
                                                rejected=run.get(f"{name}_rejected", 0)))

    def _lookup(self, query: str):
        runner = self.runner

        def lookup(ids: list[str]) -> list[str]:
            return list(stored_nodes(runner, query, ids))

        return lookup

    def _validate(self, source: Source):
        def run(progress) -> None:
            report, staged = check_file(source, self.mapping, self.keys, self.work_dir / "staging",
                                        Path(self.report.rejects_dir), self.options.chunk_rows, progress)
            self.report.files.append(report)
            if staged is not None:
                self.staged[source.table.name] = staged
                self.extras[source.table.name] = report.extra_columns
        return run

    def record_run(self, progress) -> None:
        self.report.finished_at = _now()
        self.runner.write("ingest_record_run", run_id=self.run_id, record=self.report.record())
        progress(1)

    # -- the plan ---------------------------------------------------------------

    def load(self) -> None:
        """The loader's steps; the bulk loader stops and restarts the server, so it owns the runner meanwhile."""
        show, debug, timings = self.options.show_progress, self.options.debug, self.report.timings
        if self.report.method == "online":
            loader = OnlineLoader(self.runner, self.staged, self.extras, batch_size=self.options.batch_size,
                                  writers=self.options.writers)
            steps = [Step(name, getattr(loader, name), self._rows(table)) for name, table in ONLINE_STEPS
                     if table in self.staged]
            run_steps(steps, timings, show_progress=show, debug=debug)
            return
        from ringscope.ingest.bulk import BulkLoader

        bulk = BulkLoader(self.settings, self.runner, self.staged, self.extras, self.work_dir / "import")
        self.runner = None
        try:
            run_steps(bulk.steps(), timings, show_progress=show, debug=debug)
        finally:
            self.runner = bulk.runner

    def _rows(self, table: str):
        return lambda: self.staged[table].rows if table in self.staged else None

    def run(self) -> IngestReport:
        show, debug = self.options.show_progress, self.options.debug
        timings = self.report.timings
        try:
            run_steps([Step("read_headers", self.read_headers), Step("fingerprint", self.take_fingerprint),
                       Step("connect", self.connect)], timings, show_progress=show, debug=debug)
            if self.report.same_as:
                return self.report
            run_steps([Step(f"validate_{s.table.name}", self._validate(s)) for s in self.sources],
                      timings, show_progress=show, debug=debug)
            self.keys = {}  # millions of keys; loading needs none of them
            self.load()
            run_steps([Step("record_run", self.record_run)], timings, show_progress=show, debug=debug)
        finally:
            if not debug:
                remove_tree(self.work_dir)
        return self.report


_LOOKUPS = {
    "persons": "ingest_existing_persons",
    "facilities": "ingest_existing_facilities",
    "practitioners": "ingest_existing_practitioners",
    "claims": "ingest_existing_claims",
}


def ingest_directory(options: IngestOptions, settings: Settings) -> IngestReport:
    """Validate and load ``options.data_dir``; rejects go to the report's ``rejects_dir``."""
    job = _Job(options, settings)
    try:
        return job.run()
    finally:
        if job.runner is not None:
            job.runner.close()
