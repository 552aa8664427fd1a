"""The independent generators' extracts keep the data contract: every row loads, every labelled
entity exists, every typology of the contract is planted, and each clean twin is the same world
without the rings' claims."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ringscope.ingest.checking import check_directory

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TYPOLOGIES = {"card_cashout", "induced_admission", "card_lending", "impersonation", "drug_resale",
              "prescription_collusion", "fictitious_services"}


@pytest.fixture(scope="module", params=[("blind_world.py", "3"), ("blind_world_two.py", "5")],
                ids=["first", "second"])
def worlds(request, tmp_path_factory):
    script, seed = request.param
    root = tmp_path_factory.mktemp(script.removesuffix(".py"))
    for name, extra in (("rings", []), ("clean", ["--no-rings"])):
        subprocess.run([sys.executable, str(BENCHMARKS / script), "--out", str(root / name), "--seed", seed,
                        "--persons", "3000", *extra], check=True, capture_output=True)
    return root


def test_every_row_of_the_blind_world_loads(worlds, tmp_path):
    reports, _ = check_directory(worlds / "rings", tmp_path / "rejects", tmp_path / "staging")
    assert {r.table for r in reports} >= {"persons", "facilities", "practitioners", "claims", "claim_items",
                                          "identifiers", "purchases"}
    assert {r.table: r.rejected for r in reports} == {r.table: 0 for r in reports}, [r.first_reject for r in reports]


def test_every_planted_entity_exists_and_every_typology_is_planted(worlds):
    labels = pd.read_csv(worlds / "rings" / "labels.csv", dtype=str)
    assert set(labels["typology"]) == TYPOLOGIES
    for kind, table, column in (("person", "persons", "person_id"), ("facility", "facilities", "facility_id"),
                                ("practitioner", "practitioners", "practitioner_id")):
        known = set(pd.read_csv(worlds / "rings" / f"{table}.csv", dtype=str, usecols=[column])[column])
        assert set(labels.loc[labels["entity_type"] == kind, "entity_id"]) <= known, kind


def test_the_clean_twin_has_the_same_people_and_honest_claims_and_no_rings(worlds):
    clean = pd.read_csv(worlds / "clean" / "labels.csv", dtype=str)
    assert clean.empty and list(clean.columns)[:4] == ["ring_id", "typology", "entity_type", "entity_id"]
    people = [pd.read_csv(worlds / name / "persons.csv", dtype=str) for name in ("rings", "clean")]
    assert people[0]["person_id"].tolist() == people[1]["person_id"].tolist()
    claims = [set(pd.read_csv(worlds / name / "claims.csv", dtype=str)["claim_id"]) for name in ("rings", "clean")]
    assert claims[1] < claims[0]
