"""The bulk path: Neo4j's own importer for a first load into an empty embedded store.

Why: ``neo4j-admin database import full`` writes store files directly, an
order of magnitude faster than any transaction. It needs the server stopped
and an empty database, and it creates no constraints, so the steps are:
write the importer's CSV files from the staged rows, stop the server, import,
start it again, apply the schema and wait for its indexes. The files carry
exactly the properties the Bolt queries set, so both paths give one graph.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ringscope.errors import ServerError
from ringscope.graph.db import QueryRunner, connect
from ringscope.graph.server import EmbeddedServer, java_executable, launcher_classpath
from ringscope.ingest.contract import TABLES_BY_NAME
from ringscope.ingest.pipeline import Progress, Step
from ringscope.ingest.rows import LINE_COLUMNS, item_catalogue
from ringscope.ingest.staging import StagedTable
from ringscope.settings import Settings

__all__ = ["BulkLoader", "IDENTIFIER_LABELS"]

#: identifiers.csv kind -> label of the shared identifier node.
IDENTIFIER_LABELS = {"phone": "Phone", "bank_account": "BankAccount", "address": "Address",
                     "device": "Device", "email": "Email", "proxy_id_card": "IdCard"}
_OWNERS = {"person": ("Person", "persons"), "practitioner": ("Practitioner", "practitioners"),
           "facility": ("Facility", "facilities")}
_FACILITY_LABELS = {"hospital": "Facility;Hospital", "clinic": "Facility;Clinic", "pharmacy": "Facility;Pharmacy"}
_PRACTITIONER_LABELS = {"doctor": "Practitioner;Doctor", "pharmacist": "Practitioner;Pharmacist"}
_TYPES = {"int": "long", "decimal": "double", "date": "date", "datetime": "localdatetime"}
_IMPORT_TIMEOUT_S = 3600


def _typed(table: str, column: str) -> str:
    """The importer's ``name:type`` header for a contract column (extras stay strings)."""
    spec = TABLES_BY_NAME[table]
    kind = spec.column(column).kind if column in spec.column_names else "text"
    return f"{column}:{_TYPES[kind]}" if kind in _TYPES else column


@dataclass
class _Files:
    """The importer's inputs as they are written: (label or type, path) pairs."""

    folder: Path
    nodes: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    multiline: bool = False

    writers: dict[Path, pacsv.CSVWriter] = field(default_factory=dict)

    def write(self, kind: str, name: str, table: pa.Table) -> None:
        """Append ``table`` to the file ``kind-name.csv`` (header on the first write)."""
        if table.num_rows == 0:
            return
        path = self.folder / f"{kind}-{name}.csv"
        if path not in self.writers:
            self.writers[path] = pacsv.CSVWriter(path, table.schema,
                                                 write_options=pacsv.WriteOptions(quoting_style="needed"))
            (self.nodes if kind == "nodes" else self.relationships).append(str(path))
        self.writers[path].write_table(table)
        for column in table.columns:
            if pa.types.is_string(column.type) and pc.any(pc.match_substring(column, "\n")).as_py():
                self.multiline = True

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
        self.writers.clear()


def _same(value: str, rows: int) -> pa.Array:
    """A column holding ``value`` on every row (labels, relationship types)."""
    return pa.repeat(pa.scalar(value, pa.string()), rows)


def _rename(table: pa.Table, names: dict[str, str]) -> pa.Table:
    return table.select(list(names)).rename_columns(list(names.values()))


def _unique(values: list[pa.ChunkedArray | pa.Array]) -> pa.Array:
    arrays = [v.combine_chunks() if isinstance(v, pa.ChunkedArray) else v for v in values]
    merged = pa.concat_arrays([a.cast(pa.string()) for a in arrays]) if arrays else pa.array([], pa.string())
    return pc.unique(merged.drop_null())


@dataclass
class BulkLoader:
    settings: Settings
    runner: QueryRunner | None
    staged: dict[str, StagedTable]
    extras: dict[str, list[str]]
    folder: Path

    def __post_init__(self) -> None:
        self.files = _Files(self.folder)

    def steps(self) -> list[Step]:
        """The importer's steps; a store that has never run needs no stop (``runner`` is None)."""
        stop = [Step("stop_server", self.stop_server)] if self.runner is not None else []
        return [Step("write_import_files", self.write_import_files), *stop,
                Step("run_importer", self.run_importer),
                Step("start_server", self.start_server),
                Step("create_constraints", self.create_constraints)]

    # -- the importer's files ------------------------------------------------------

    def _table(self, name: str) -> pa.Table | None:
        staged = self.staged.get(name)
        return staged.read() if staged is not None else None

    def _entity(self, name: str, id_space: str, labels: pa.Array) -> pa.Table:
        table = self._table(name)
        key = TABLES_BY_NAME[name].key[0]
        names = {c: (f"{key}:ID({id_space})" if c == key else _typed(name, c)) for c in table.column_names}
        return _rename(table, names).append_column(":LABEL", labels)

    def write_import_files(self, progress: Progress) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        files = self.files
        persons, facilities, practitioners = (self._table(n) for n in ("persons", "facilities", "practitioners"))
        files.write("nodes", "persons", self._entity("persons", "Person",
                                                      _same("Person", persons.num_rows)))
        kinds = facilities.column("kind").to_pylist()
        files.write("nodes", "facilities", self._entity("facilities", "Facility",
                                                         pa.array([_FACILITY_LABELS[k] for k in kinds])))
        roles = practitioners.column("role").to_pylist()
        files.write("nodes", "practitioners", self._entity("practitioners", "Practitioner",
                                                            pa.array([_PRACTITIONER_LABELS[r] for r in roles])))
        progress(persons.num_rows + facilities.num_rows + practitioners.num_rows)
        self._regions(persons, facilities)
        identifiers = self._table("identifiers")
        self._identifier_nodes(persons, practitioners, identifiers)
        self._entity_links(persons, practitioners)
        self._items()
        # Claims and fee lines, the bulk of the rows, go through in batches to bound memory.
        for claims in self._batches("claims"):
            progress(self._claims(claims, facilities))
        for lines in self._batches("claim_items"):
            self._lines(lines)
        if identifiers is not None:
            self._identifier_links(identifiers)
            progress(identifiers.num_rows)
        self._stock_ins()
        self.files.close()

    def _regions(self, persons: pa.Table, facilities: pa.Table) -> None:
        codes = [facilities.column("region_code")]
        if "region_code" in persons.column_names:
            codes.append(persons.column("region_code"))
            linked = persons.filter(pc.is_valid(persons.column("region_code")))
            self.files.write("relationships", "insured_in", pa.table({
                ":START_ID(Person)": linked.column("person_id"), ":END_ID(Region)": linked.column("region_code"),
                ":TYPE": _same("INSURED_IN", linked.num_rows)}))
        self.files.write("nodes", "regions", pa.table({"code:ID(Region)": _unique(codes),
                                                       ":LABEL": _same("Region", len(_unique(codes)))}))
        self.files.write("relationships", "located_in", pa.table({
            ":START_ID(Facility)": facilities.column("facility_id"),
            ":END_ID(Region)": facilities.column("region_code"),
            ":TYPE": _same("LOCATED_IN", facilities.num_rows)}))

    def _identifier_nodes(self, persons: pa.Table, practitioners: pa.Table, identifiers: pa.Table | None) -> None:
        values: dict[str, list] = {label: [] for label in set(IDENTIFIER_LABELS.values())}
        for table in (persons, practitioners):
            if "id_card" in table.column_names:
                values["IdCard"].append(table.column("id_card"))
        claims = self._table("claims")
        if claims is not None and "device_id" in claims.column_names:
            values["Device"].append(claims.column("device_id"))
        if identifiers is not None:
            for kind, label in IDENTIFIER_LABELS.items():
                values[label].append(identifiers.filter(pc.equal(identifiers.column("kind"), kind)).column("value"))
        for label, arrays in values.items():
            unique = _unique(arrays)
            self.files.write("nodes", label.lower(), pa.table({f"value:ID({label})": unique,
                                                              ":LABEL": _same(label, len(unique))}))

    def _entity_links(self, persons: pa.Table, practitioners: pa.Table) -> None:
        for table, space in ((persons, "Person"), (practitioners, "Practitioner")):
            if "id_card" not in table.column_names:
                continue
            linked = table.filter(pc.is_valid(table.column("id_card")))
            key = TABLES_BY_NAME["persons" if space == "Person" else "practitioners"].key[0]
            self.files.write("relationships", f"{space.lower()}_id_card", pa.table({
                f":START_ID({space})": linked.column(key), ":END_ID(IdCard)": linked.column("id_card"),
                "kind": _same("id_card", linked.num_rows), ":TYPE": _same("HAS_IDENTIFIER", linked.num_rows)}))
        if "facility_id" in practitioners.column_names:
            linked = practitioners.filter(pc.is_valid(practitioners.column("facility_id")))
            self.files.write("relationships", "works_at", pa.table({
                ":START_ID(Practitioner)": linked.column("practitioner_id"),
                ":END_ID(Facility)": linked.column("facility_id"), ":TYPE": _same("WORKS_AT", linked.num_rows)}))

    def _items(self) -> None:
        lines = self.staged.get("claim_items")
        catalogue = (item_catalogue(lines.read(columns=[c for c in ("item_code", "item_name", "item_type")
                                                        if c in lines.schema.names]))
                     if lines is not None else pd.DataFrame(columns=["item_code", "name", "item_type"]))
        purchases = self._table("purchases")
        if purchases is not None:
            more = pd.DataFrame({"item_code": pc.unique(purchases.column("item_code")).to_pylist()})
            catalogue = pd.concat([catalogue, more[~more["item_code"].isin(catalogue["item_code"])]])
        items = pa.Table.from_pandas(catalogue.astype("object"), preserve_index=False,
                                     schema=pa.schema([("item_code", pa.string()), ("name", pa.string()),
                                                       ("item_type", pa.string())]))
        self.files.write("nodes", "items", _rename(items, {"item_code": "item_code:ID(Item)", "name": "name",
                                                           "item_type": "item_type"})
                         .append_column(":LABEL", _same("Item", items.num_rows)))

    def _batches(self, name: str, rows: int = 500_000):
        staged = self.staged.get(name)
        if staged is not None:
            yield from staged.arrow_batches(rows)

    def _claims(self, claims: pa.Table, facilities: pa.Table) -> int:
        # A claim without a region_code is in its facility's region (as the Bolt query's coalesce).
        where = pc.index_in(claims.column("facility_id"), value_set=facilities.column("facility_id").combine_chunks())
        regions = pc.take(facilities.column("region_code"), where)
        if "region_code" in claims.column_names:
            regions = pc.coalesce(claims.column("region_code"), regions)
            claims = claims.drop_columns(["region_code"])
        claims = claims.append_column("region_code", regions)
        names = {c: ("claim_id:ID(Claim)" if c == "claim_id" else _typed("claims", c)) for c in claims.column_names}
        self.files.write("nodes", "claims", _rename(claims, names).append_column(
            ":LABEL", _same("Claim", claims.num_rows)))
        self._link(claims, "claimed", "person_id", "Person", "claim_id", "Claim", "CLAIMED")
        self._link(claims, "at", "claim_id", "Claim", "facility_id", "Facility", "AT")
        if "practitioner_id" in claims.column_names:
            self._link(claims, "by", "claim_id", "Claim", "practitioner_id", "Practitioner", "BY")
        if "device_id" in claims.column_names:
            self._link(claims, "via", "claim_id", "Claim", "device_id", "Device", "VIA")
        return claims.num_rows

    def _lines(self, lines: pa.Table) -> None:
        properties = {c: _typed("claim_items", c) for c in lines.column_names
                      if c in LINE_COLUMNS[1:] or c in self.extras.get("claim_items", [])}
        table = _rename(lines, {"claim_id": ":START_ID(Claim)", "item_code": ":END_ID(Item)", **properties})
        self.files.write("relationships", "includes", table.append_column(":TYPE", _same("INCLUDES", table.num_rows)))

    def _link(self, table: pa.Table, name: str, start: str, start_space: str, end: str, end_space: str,
              kind: str) -> None:
        linked = table.filter(pc.is_valid(table.column(end)))
        self.files.write("relationships", name, pa.table({
            f":START_ID({start_space})": linked.column(start), f":END_ID({end_space})": linked.column(end),
            ":TYPE": _same(kind, linked.num_rows)}))

    def _identifier_links(self, identifiers: pa.Table) -> None:
        extras = self.extras.get("identifiers", [])
        properties = {c: _typed("identifiers", c) for c in ("kind", "first_seen", "last_seen", *extras)
                      if c in identifiers.column_names}
        for owner_type, (space, _) in _OWNERS.items():
            for kind, label in IDENTIFIER_LABELS.items():
                mask = pc.and_(pc.equal(identifiers.column("owner_type"), owner_type),
                               pc.equal(identifiers.column("kind"), kind))
                part = identifiers.filter(mask)
                table = _rename(part, {"owner_id": f":START_ID({space})", "value": f":END_ID({label})", **properties})
                self.files.write("relationships", f"has_{owner_type}_{kind}",
                                 table.append_column(":TYPE", _same("HAS_IDENTIFIER", part.num_rows)))

    def _stock_ins(self) -> None:
        purchases = self._table("purchases")
        if purchases is None:
            return
        names = {c: ("stock_in_id:ID(StockIn)" if c == "stock_in_id" else _typed("purchases", c))
                 for c in purchases.column_names}
        self.files.write("nodes", "stock_ins", _rename(purchases, names).append_column(
            ":LABEL", _same("StockIn", purchases.num_rows)))
        self._link(purchases, "purchased", "facility_id", "Facility", "stock_in_id", "StockIn", "PURCHASED")
        self._link(purchases, "of", "stock_in_id", "StockIn", "item_code", "Item", "OF")

    # -- the server around the importer ------------------------------------------

    def stop_server(self, progress: Progress) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None
        EmbeddedServer(self.settings).stop()
        progress(1)

    def run_importer(self, progress: Progress) -> None:
        server = EmbeddedServer(self.settings)
        (server.neo4j_home / "conf").mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "NEO4J_HOME": str(server.neo4j_home), "NEO4J_CONF": str(server.neo4j_home / "conf")}
        # The database name goes first: --nodes and --relationships take several values each.
        command = [java_executable(), "-Xmx2g", "-cp", launcher_classpath(), "org.neo4j.cli.AdminTool",
                   "database", "import", "full", self.settings.neo4j_database, "--overwrite-destination=true",
                   f"--report-file={self.folder / 'import.report'}",
                   f"--multiline-fields={'true' if self.files.multiline else 'false'}",
                   *(f"--nodes={path}" for path in self.files.nodes),
                   *(f"--relationships={path}" for path in self.files.relationships)]
        log_path = self.folder / "import.log"
        with open(log_path, "wb") as log:
            try:
                done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                      timeout=_IMPORT_TIMEOUT_S, check=False)
            except subprocess.TimeoutExpired as error:
                raise ServerError(f"the bulk importer ran past {_IMPORT_TIMEOUT_S} s; see {log_path}") from error
        if done.returncode != 0:
            lines = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            cause = next((line for line in lines if not line.startswith(("\tat ", "\t..."))), "")
            server.start()  # leave the server as the run found it
            raise ServerError(f"the bulk importer failed (exit {done.returncode}): {cause}; log: {log_path}")
        progress(1)

    def start_server(self, progress: Progress) -> None:
        self.runner = connect(self.settings, ensure_schema=False)
        progress(1)

    def create_constraints(self, progress: Progress) -> None:
        self.runner.apply("schema")
        progress(1)
