"""The robustness benchmark's rewritten extracts are the same data in another shape."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ringscope.communities.tables import read_tables

from ..communities.world import World

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from robustness import REQUIRED_COLUMNS, make_variant  # noqa: E402


def extract(tmp_path: Path) -> Path:
    w = World(persons=60)
    w.to_dir(tmp_path / "src")
    pd.DataFrame([{"ring_id": "R1", "typology": "card_lending", "entity_type": "person",
                   "entity_id": w.persons[3]["person_id"]},
                  {"ring_id": "R1", "typology": "card_lending", "entity_type": "facility", "entity_id": "P1"}]
                 ).to_csv(tmp_path / "src" / "labels.csv", index=False)
    return tmp_path / "src"


def test_numeric_ids_keep_every_reference_and_the_labels(tmp_path):
    source = extract(tmp_path)
    before, after = read_tables(source), read_tables(make_variant(source, "numeric_ids", tmp_path / "num"))
    assert len(after.claims) == len(before.claims)
    assert after.claims["person_id"].str.fullmatch(r"\d+").all()
    assert set(after.claims["person_id"]) <= set(after.persons["person_id"])
    assert set(after.claims["facility_id"]) <= set(after.facilities["facility_id"])
    owners = after.identifiers.loc[after.identifiers["owner_type"] == "person", "owner_id"]
    assert set(owners) <= set(after.persons["person_id"])
    # the same person's claims, before and after
    per_person = lambda t: sorted(t.claims.groupby("person_id").size().tolist())  # noqa: E731
    assert per_person(before) == per_person(after)
    labels = pd.read_csv(tmp_path / "num" / "labels.csv", dtype=str)
    assert set(labels["entity_id"]) <= set(after.persons["person_id"]) | set(after.facilities["facility_id"])
    assert (after.claims["settled_at"] == before.claims["settled_at"].dt.floor("min")).all()


def test_required_columns_keep_only_what_the_contract_requires(tmp_path):
    out = make_variant(extract(tmp_path), "required_columns", tmp_path / "req")
    for name in ("persons", "claims", "claim_items", "identifiers"):
        assert list(pd.read_csv(out / f"{name}.csv", nrows=0).columns) == list(REQUIRED_COLUMNS[name])
    assert not (make_variant(out, "contract_minimum", tmp_path / "min") / "claim_items.csv").exists()


def test_dates_only_and_no_addresses_drop_what_they_say_and_nothing_else(tmp_path):
    source = extract(tmp_path)
    dated = read_tables(make_variant(source, "dates_only", tmp_path / "dates"))
    assert (dated.claims["settled_at"] == dated.claims["settled_at"].dt.normalize()).all()
    assert len(dated.claims) == len(read_tables(source).claims)
    ids = read_tables(make_variant(source, "no_addresses", tmp_path / "noaddr")).identifiers
    before = read_tables(source).identifiers
    assert "address" not in set(ids["kind"]) and len(ids) == (before["kind"] != "address").sum()


def test_claims_only_keeps_the_four_tables_without_devices(tmp_path):
    source = extract(tmp_path)
    out = make_variant(source, "claims_only", tmp_path / "claims")
    assert not any((out / f"{name}.csv").exists() for name in ("claim_items", "identifiers", "purchases"))
    claims, before = pd.read_csv(out / "claims.csv", dtype=str), pd.read_csv(source / "claims.csv", dtype=str)
    assert set(before.columns) - set(claims.columns) == {"device_id", "auth_method"} & set(before.columns)
    assert len(claims) == len(before) and (out / "labels.csv").exists()
