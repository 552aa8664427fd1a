"""Detection against the real embedded Neo4j: projections, write-back, edge cases."""

from __future__ import annotations

import pandas as pd
import pytest

from ringscope.communities.cli import run_detect
from ringscope.communities.tables import read_tables
from ringscope.graph.admin import wipe_graph
from ringscope.graph.projections import pull_tables
from ringscope.ingest.job import IngestOptions, ingest_directory

from .test_jobs import _one_hospitals_doctors_at_one_shop, plant_lending
from .world import World

pytestmark = pytest.mark.neo4j


def load(world: World, folder, settings) -> None:
    world.to_dir(folder)
    ingest_directory(IngestOptions(data_dir=folder, rejects_dir=folder / "rejects", online=True), settings)


def test_empty_store_detects_cleanly(runner, tmp_path):
    record = run_detect(tmp_path / "out", runner=runner)
    assert record["rings"] == 0
    assert pd.read_csv(tmp_path / "out" / "rings.csv").empty


def test_projections_match_the_extract_and_write_back_is_idempotent(runner, settings, tmp_path):
    wipe_graph(runner)
    world = World(seed=9, persons=120)
    cards = plant_lending(world)
    world.person("PROXY", id_card="410103198901059278")
    world.ids.append({"owner_type": "person", "owner_id": cards[0], "kind": "proxy_id_card",
                      "value": "410103198901059278"})
    world.stock_everything()
    load(world, tmp_path / "data", settings)
    pulled, read = pull_tables(runner), read_tables(tmp_path / "data")
    # the only ID card number detection pulls is the proxy's: someone lists it
    assert pulled.persons.dropna(subset=["id_card"])[["person_id", "id_card"]].values.tolist() == \
        [["PROXY", "410103198901059278"]]
    key = ["claim_id", "person_id", "facility_id", "settled_at", "fund_paid", "device_id"]
    left = pulled.claims[key].sort_values("claim_id").reset_index(drop=True)
    right = read.claims[key].sort_values("claim_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
    assert len(pulled.claim_items) == len(read.claim_items)
    first = run_detect(tmp_path / "a", runner=runner)
    second = run_detect(tmp_path / "b", runner=runner)
    assert first["run_id"] == second["run_id"] and first["flagged"] >= 1
    stored = [dict(r) for r in runner.read("rings_of_run", run_id=first["run_id"])]
    rings = pd.read_csv(tmp_path / "b" / "rings.csv")
    members = pd.read_csv(tmp_path / "b" / "ring_members.csv")
    assert sorted(r["ring_id"] for r in stored) == sorted(rings["ring_id"])
    assert {r["ring_id"]: r["members"] for r in stored} == members.groupby("ring_id").size().to_dict()
    regions = rings.set_index("ring_id")["region_code"].astype(str).to_dict()
    assert {r["ring_id"]: str(r["region_code"]) for r in stored} == regions
    lending = members[members["entity_id"].isin(cards)]["ring_id"].unique()
    assert len(lending) == 1


def test_one_claim_and_no_optional_tables(runner, settings, tmp_path):
    wipe_graph(runner)
    world = World(seed=1, persons=0)
    world.person("ONE")
    world.claim("ONE", "C0", world.at(3))
    world.ids = []
    load(world, tmp_path / "data", settings)
    record = run_detect(tmp_path / "out", runner=runner)
    assert record["rings"] == 0
    assert any("skipped" in note for note in record["notes"])


def test_a_doctor_paid_by_a_pharmacy_is_read_from_the_store(runner, settings, tmp_path):
    """The accounts registered to practitioners and facilities come back from the store with the
    persons': the shop's account on a doctor's record, and so his ring and his colleague's, are
    found through the graph as through the extract."""
    wipe_graph(runner)
    world = World()
    patients = _one_hospitals_doctors_at_one_shop(world, tied=("H0-D0",))
    world.stock_everything()
    load(world, tmp_path / "data", settings)
    pulled = pull_tables(runner).identifiers
    assert set(pulled.loc[pulled["value"] == "6222-P3-2", "owner_id"]) == {"P3", "H0-D0"}
    run_detect(tmp_path / "out", runner=runner)
    rings = pd.read_csv(tmp_path / "out" / "rings.csv")
    members = pd.read_csv(tmp_path / "out" / "ring_members.csv", dtype=str)
    collusion = rings.loc[rings["typology"].eq("prescription_collusion") & rings["score"].ge(0.5), "ring_id"]
    assert any({"H0-D0", "H0-D1", "P3", *patients} <= set(members.loc[members["ring_id"] == ring, "entity_id"])
               for ring in collusion)
