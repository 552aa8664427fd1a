"""The Bolt path on the real embedded Neo4j: exact counts, idempotent re-runs, loads that add up."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from ringscope.cli import main
from ringscope.ingest.job import IngestOptions, fingerprint, ingest_directory

from tests.ingest.snapshot import label_counts, snapshot
from tests.ingest.world import make_world, write_world

pytestmark = pytest.mark.neo4j


def _load(folder, settings, tmp_path, **kwargs):
    options = IngestOptions(folder, rejects_dir=tmp_path / "rejects", online=True, **kwargs)
    return ingest_directory(options, settings)


def _expected(world) -> dict[str, int]:
    t = world.tables
    return {"Person": len(t["persons"]), "Facility": len(t["facilities"]), "Claim": len(t["claims"]),
            "Practitioner": len(t["practitioners"]), "CLAIMED": len(t["claims"]), "AT": len(t["claims"]),
            "INCLUDES": len(t["claim_items"]), "StockIn": len(t["purchases"]),
            "Item": t["claim_items"]["item_code"].nunique(), "Phone": t["identifiers"]["value"].nunique(),
            "HAS_IDENTIFIER": len(t["identifiers"]) + len(t["persons"]),  # own identity cards too
            "Device": t["claims"]["device_id"].nunique(), "VIA": len(t["claims"])}


def test_onl001_load_rerun_and_second_directory(runner, settings, tmp_path):
    world = make_world(11)
    folder = write_world(world, tmp_path / "first")
    report = _load(folder, settings, tmp_path)
    assert report.method == "online" and report.rejected == 0
    counts = label_counts(runner)
    for name, expected in _expected(world).items():
        assert counts[name] == expected, name
    before = snapshot(runner)

    unchanged = _load(folder, settings, tmp_path)
    assert (unchanged.method, unchanged.same_as) == ("unchanged", report.run_id)
    assert unchanged.loaded == report.loaded and unchanged.fingerprint == report.fingerprint
    forced = _load(folder, settings, tmp_path, force=True)
    assert forced.method == "online" and forced.loaded == report.loaded
    assert snapshot(runner) == before, "a forced re-run must change nothing"

    other = make_world(12, prefix="B")
    second = _load(write_world(other, tmp_path / "second"), settings, tmp_path)
    assert second.rejected == 0
    counts = label_counts(runner)
    for name in ("Person", "Claim", "INCLUDES", "CLAIMED", "StockIn"):
        assert counts[name] == _expected(world)[name] + _expected(other)[name], name


def test_onl002_later_load_may_name_stored_entities(runner, settings, tmp_path):
    world = make_world(13, prefix="K")
    _load(write_world(world, tmp_path / "base"), settings, tmp_path)
    extra = tmp_path / "extra"
    write_world(make_world(13, prefix="K"), extra)
    claims = world.tables["claims"].head(3).copy()
    claims["claim_id"] = ["KNEW1", "KNEW2", "KNEW3"]
    claims.loc[2, "person_id"] = "NOWHERE"
    for name in ("persons", "facilities", "practitioners"):
        world.tables[name].head(0).to_csv(extra / f"{name}.csv", index=False)
    claims.to_csv(extra / "claims.csv", index=False)
    lines = pd.DataFrame({"claim_id": ["KC000000", "KNEW1"], "line_no": [99, 1], "item_code": ["XA01", "XA02"],
                          "quantity": [1, 2], "unit_price": [3.5, 1.25], "amount": [3.5, 2.5]})
    lines.to_csv(extra / "claim_items.csv", index=False)
    for name in ("identifiers", "purchases"):
        (extra / f"{name}.csv").unlink()
    report = _load(extra, settings, tmp_path)
    by_table = {f.table: f for f in report.files}
    assert (by_table["claims"].loaded, by_table["claims"].rejected) == (2, 1)
    assert by_table["claim_items"].rejected == 0
    lines_of = {(r["start_key"], r["properties"]["line_no"]): r["end_key"]
                for r in runner.read("ingest_snapshot_relationships") if r["type"] == "INCLUDES"}
    assert lines_of[("KC000000", 99)] == "XA01", "a fee line may join a stored claim"
    assert lines_of[("KNEW1", 1)] == "XA02"
    assert ("KNEW3", 1) not in lines_of


def test_onl004_identifiers_of_stored_owners_link_to_them(runner, settings, tmp_path):
    """Owners an earlier load stored are found for a later load's identifiers (and this load's own too)."""
    world = make_world(15, prefix="J")
    _load(write_world(world, tmp_path / "base"), settings, tmp_path)
    extra = write_world(make_world(16, prefix="L"), tmp_path / "extra")
    stored_person = world.tables["persons"]["person_id"].iloc[0]
    stored_doctor = world.tables["practitioners"]["practitioner_id"].iloc[0]
    stored_facility = world.tables["facilities"]["facility_id"].iloc[0]
    new_person = pd.read_csv(extra / "persons.csv", dtype=str)["person_id"].iloc[0]
    pd.DataFrame({"owner_type": ["person", "practitioner", "facility", "person"],
                  "owner_id": [stored_person, stored_doctor, stored_facility, new_person],
                  "kind": ["phone", "phone", "phone", "bank_account"],
                  "value": ["13900000001", "13900000002", "13900000003", "6222000000000001"],
                  "first_seen": "2024-01-01", "last_seen": "2024-06-30"}).to_csv(extra / "identifiers.csv", index=False)
    report = _load(extra, settings, tmp_path)
    assert {f.table: f.loaded for f in report.files}["identifiers"] == 4
    with runner.driver.session() as session:
        owners = session.run("MATCH (o)-[h:HAS_IDENTIFIER]->(i) WHERE i.value STARTS WITH '13900000' OR "
                             "i.value = '6222000000000001' RETURN i.value AS value, h.kind AS kind, "
                             "coalesce(o.person_id, o.practitioner_id, o.facility_id) AS owner ORDER BY value").data()
    assert owners == [{"value": "13900000001", "kind": "phone", "owner": stored_person},
                      {"value": "13900000002", "kind": "phone", "owner": stored_doctor},
                      {"value": "13900000003", "kind": "phone", "owner": stored_facility},
                      {"value": "6222000000000001", "kind": "bank_account", "owner": new_person}]


def test_onl003_cli_exit_status_and_messages(runner, neo4j_env, tmp_path):
    world = make_world(14, prefix="X")
    world.tables["claims"].loc[1, "fund_paid"] = "100000"
    folder = write_world(world, tmp_path / "data")
    cli = CliRunner()
    result = cli.invoke(main, ["ingest", str(folder), "--rejects", str(tmp_path / "rejects")], env=neo4j_env)
    assert result.exit_code == 3, result.output
    assert "claims.csv: row 3, column fund_paid, value '100000': fund_paid is above total_amount" in result.output
    assert (tmp_path / "rejects" / "claims.rejects.csv").is_file()

    clean = write_world(make_world(14, prefix="X"), tmp_path / "clean")
    result = cli.invoke(main, ["ingest", str(clean), "--rejects", str(tmp_path / "r2")], env=neo4j_env)
    assert result.exit_code == 0, result.output

    (clean / "claims.csv").write_text("claim_id,person_id\nC1,P1\n", encoding="utf-8")
    result = cli.invoke(main, ["ingest", str(clean)], env=neo4j_env)
    assert result.exit_code not in (0, 3)
    assert "file claims.csv, row 1, column facility_id: required column facility_id is missing" in result.output
    assert "Traceback" not in result.output


def test_onl004_fingerprint_changes_with_any_byte(tmp_path):
    folder = write_world(make_world(15), tmp_path / "data")
    paths = sorted(folder.iterdir())
    first = fingerprint(paths)
    with open(paths[0], "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert fingerprint(paths) != first
