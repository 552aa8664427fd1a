"""The embedded server's claim writer, ringscope.createLinked, called as the loader calls it."""

from __future__ import annotations

import pytest

from ringscope.errors import QueryError
from ringscope.ingest.online import OnlineLoader

pytestmark = pytest.mark.neo4j


def _node(runner, label: str, key: str, value: str, **properties) -> str:
    with runner.driver.session() as session:
        return session.run(f"CREATE (n:{label} {{{key}: $value}}) SET n += $properties RETURN elementId(n) AS id",
                           value=value, properties=properties).single()["id"]


def _batch(claim_ids, person, facility, *, region=None, item=None):
    return {
        "label": "Claim", "temporal": ["settled_at"], "inherit": {"region_code": 1}, "extra": None,
        "properties": {"claim_id": claim_ids, "settled_at": ["2024-03-01T09:30:00"] * len(claim_ids),
                       "region_code": [region] * len(claim_ids)},
        "links": [{"type": "CLAIMED", "incoming": True, "required": True, "nodes": [person] * len(claim_ids)},
                  {"type": "AT", "incoming": False, "required": True, "nodes": [facility] * len(claim_ids)}],
        "lines": None if item is None else {
            "type": "INCLUDES", "offsets": list(range(len(claim_ids) + 1)), "nodes": [item] * len(claim_ids),
            "properties": {"quantity": [2.0] * len(claim_ids)}, "extra": None},
    }


def test_cw001_writes_links_lines_times_and_inherited_region(runner):
    person = _node(runner, "Person", "person_id", "CW-P1")
    facility = _node(runner, "Facility", "facility_id", "CW-F1", region_code="310101")
    item = _node(runner, "Item", "item_code", "CW-X1")
    runner.write("ingest_create_claims_procedure",
                 batch=_batch(["CW-C1", "CW-C2"], person, facility, region=None, item=item))
    with runner.driver.session() as session:
        rows = session.run("MATCH (:Person {person_id: 'CW-P1'})-[:CLAIMED]->(c:Claim)-[:AT]->(:Facility), "
                           "(c)-[x:INCLUDES]->(:Item {item_code: 'CW-X1'}) "
                           "RETURN c.claim_id AS id, c.region_code AS region, c.settled_at.hour AS hour, "
                           "x.quantity AS quantity ORDER BY id").data()
    assert rows == [{"id": "CW-C1", "region": "310101", "hour": 9, "quantity": 2.0},
                    {"id": "CW-C2", "region": "310101", "hour": 9, "quantity": 2.0}]


def test_cw002_a_duplicate_claim_id_is_refused_and_nothing_of_the_batch_stays(runner):
    person = _node(runner, "Person", "person_id", "CW-P2")
    facility = _node(runner, "Facility", "facility_id", "CW-F2")
    runner.write("ingest_create_claims_procedure", batch=_batch(["CW-C9"], person, facility, region="110105"))
    with pytest.raises(QueryError, match="IndexEntryConflict|ConstraintValidationFailed|already exists"):
        runner.write("ingest_create_claims_procedure", batch=_batch(["CW-C10", "CW-C9"], person, facility))
    assert [r["id"] for r in runner.read("ingest_existing_claims", ids=["CW-C9", "CW-C10"])] == ["CW-C9"]


def test_cw006_with_skip_existing_stored_claims_are_left_alone_and_the_new_ones_written(runner):
    """How a resumed load writes: the batch names its unique key and the writer skips what is stored."""
    person = _node(runner, "Person", "person_id", "CW-P6")
    facility = _node(runner, "Facility", "facility_id", "CW-F6", region_code="310101")
    item = _node(runner, "Item", "item_code", "CW-X6")
    runner.write("ingest_create_claims_procedure", batch=_batch(["CW-C61"], person, facility, region="110105"))
    again = {**_batch(["CW-C60", "CW-C61", "CW-C62"], person, facility, item=item), "skip_existing": "claim_id"}
    created = runner.write("ingest_create_claims_procedure", batch=again)[0]["created"]
    with runner.driver.session() as session:
        rows = session.run("MATCH (:Person {person_id: 'CW-P6'})-[:CLAIMED]->(c:Claim) "
                           "RETURN c.claim_id AS id, c.region_code AS region, COUNT { (c)-[:INCLUDES]->() } AS lines, "
                           "COUNT { (c)-[:AT]->() } AS at ORDER BY id").data()
    assert created == 2
    assert rows == [{"id": "CW-C60", "region": "310101", "lines": 1, "at": 1},
                    {"id": "CW-C61", "region": "110105", "lines": 0, "at": 1},
                    {"id": "CW-C62", "region": "310101", "lines": 1, "at": 1}]


def test_cw003_a_missing_required_node_is_an_error_naming_the_link(runner):
    facility = _node(runner, "Facility", "facility_id", "CW-F3")
    with pytest.raises(QueryError, match="CLAIMED"):
        runner.write("ingest_create_claims_procedure", batch=_batch(["CW-C20"], None, facility))


def test_cw004_a_server_that_will_not_list_procedures_gets_the_cypher_writer(runner):
    class Refusing:
        def read(self, name, **params):
            raise QueryError(name, "Neo.ClientError.Security.Forbidden: SHOW PROCEDURES is not allowed", ())

    assert OnlineLoader(Refusing(), {}, {})._claim_writer() == "ingest_create_claims"
    assert OnlineLoader(runner, {}, {})._claim_writer() == "ingest_create_claims_procedure"


def test_cw005_a_failing_batch_stops_the_load_after_the_batches_in_flight(tmp_path):
    """Not after every batch of the file was tried against a server that is gone (driver retries take 30 s each)."""
    import threading

    import pandas as pd

    from ringscope.ingest.contract import TABLES_BY_NAME
    from ringscope.ingest.staging import StagedTable

    columns = ["claim_id", "person_id", "facility_id", "visit_type", "settled_at", "total_amount", "fund_paid"]
    staged = StagedTable(tmp_path / "claims.parquet", TABLES_BY_NAME["claims"], columns)
    staged.append(pd.DataFrame({"claim_id": [f"C{i:03d}" for i in range(60)], "person_id": "P1", "facility_id": "F1",
                                "visit_type": "outpatient", "settled_at": "2024-01-01T08:00:00",
                                "total_amount": 10.0, "fund_paid": 5.0}))

    class Gone:
        writes = 0
        lock = threading.Lock()

        def read(self, name, **params):
            return [{"found": 1}] if name == "ingest_has_procedure" else []

        def write(self, name, **params):
            with self.lock:
                self.writes += 1
            raise QueryError(name, "ServiceUnavailable: the server is gone", ())

    gone = Gone()
    loader = OnlineLoader(gone, {"claims": staged}, {}, claim_batch=2, writers=2)
    with pytest.raises(QueryError, match="gone"):
        loader.create_claims(lambda n: None)
    assert 1 <= gone.writes <= loader.writers  # each writer stops at its own first failure; the others see it
