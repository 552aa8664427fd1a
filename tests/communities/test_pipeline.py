"""The whole pipeline on hand-made tables: edge cases, reproducibility, outputs, evaluation."""

from __future__ import annotations

import json

import pandas as pd

from ringscope.communities.evaluation import evaluate_dir, evaluate_rings, matched_planted
from ringscope.communities.output import write_run
from ringscope.communities.pipeline import detect_tables
from ringscope.communities.rings import ring_id_for
from ringscope.communities.tables import Tables

from .world import World
from .test_jobs import plant_lending


def test_empty_tables_give_no_rings_and_notes():
    result = detect_tables(Tables.empty())
    assert result.rings == []
    assert {j.job for j in result.jobs if j.skipped} >= {"lockstep", "co_admission"}


def test_without_optional_tables_jobs_are_skipped_not_crashed(tmp_path):
    w = World(persons=60)
    result = detect_tables(w.tables(optional=False))
    skipped = {j.job for j in result.jobs if j.skipped}
    assert {"drug_resale", "stock_excess", "trace_reuse"} <= skipped
    write_run(result, tmp_path, fingerprint="x")
    notes = json.loads((tmp_path / "run.json").read_text())["notes"]
    assert any(note.startswith("drug_resale skipped") for note in notes)


def test_an_extract_with_dates_only_gives_no_signal_that_needs_minutes():
    """A local system exporting settlement dates without times: every card of a day would be
    "within minutes" of every other. Signals that need the time of day stay silent instead."""
    w = World(seed=2)
    cards = [w.person(f"D{i}", household=f"DH{i}") for i in range(9)]
    for day in range(10, 300, 12):  # the same nine strangers at one pharmacy every twelfth day
        for k, pid in enumerate(cards):
            w.claim(pid, "P2", w.at(day, 60 * k))
    tables = w.tables()
    timed = {name for r in detect_tables(tables, seed=1).rings for name in r.breakdown}
    tables.claims["settled_at"] = tables.claims["settled_at"].dt.normalize()
    untimed = {name for r in detect_tables(tables, seed=1).rings for name in r.breakdown}
    assert "lockstep" not in timed and not {"lockstep", "device_burst"} & untimed


def test_same_seed_same_rings_and_ids_follow_members():
    w = World(seed=2)
    plant_lending(w)
    a, b = detect_tables(w.tables(), seed=5), detect_tables(w.tables(), seed=5)
    assert [(r.ring_id, r.score, r.members) for r in a.rings] == [(r.ring_id, r.score, r.members) for r in b.rings]
    assert a.rings and all(r.ring_id == ring_id_for([m.key for m in r.members]) for r in a.rings)


def test_files_and_evaluation_round_trip(tmp_path):
    w = World(seed=4)
    cards = plant_lending(w)
    result = detect_tables(w.tables())
    write_run(result, tmp_path, fingerprint="fp")
    rings = pd.read_csv(tmp_path / "rings.csv")
    assert list(rings.columns[:9]) == ["ring_id", "typology", "score", "size", "n_claims", "fund_paid",
                                       "first_seen", "last_seen", "summary"]
    labels = pd.DataFrame({"ring_id": "T1", "typology": "card_lending", "entity_type": "person", "entity_id": cards})
    labels.to_csv(tmp_path / "labels.csv", index=False)
    report = evaluate_dir(tmp_path / "labels.csv", tmp_path, persons=len(w.persons))
    assert report.recall == 1.0 and report.recall_by_typology == {"card_lending": 1.0}
    assert report.flagged_per_100k > 0


def test_matching_is_one_to_one_and_typology_aware():
    labels = pd.DataFrame({"ring_id": ["T"] * 4, "typology": ["card_cashout"] * 4,
                           "entity_type": ["person"] * 4, "entity_id": list("abcd")})
    rings = pd.DataFrame({"ring_id": ["R1", "R2"], "typology": ["card_cashout", "card_lending"],
                          "score": [0.9, 0.8]})
    members = pd.DataFrame({"ring_id": ["R1"] * 3 + ["R2"] * 4, "entity_type": ["person"] * 7,
                            "entity_id": list("abc") + list("abcd")})
    report = evaluate_rings(rings, members, labels)
    assert (report.matched, report.precision, report.recall) == (1, 0.5, 1.0)
    assert report.blind_matched == 1 and report.typology_accuracy == 0.0  # blind picks R2 (Jaccard 1.0)
    low = evaluate_rings(rings.assign(score=0.4), members, labels)
    assert (low.flagged, low.recall) == (0, 0.0)


def test_the_planted_rings_recalled_are_those_recall_counts():
    """A second planted ring that only a ring of the wrong typology matches is not recalled."""
    labels = pd.DataFrame({"ring_id": ["T"] * 4 + ["U"] * 2, "typology": ["card_cashout"] * 4 + ["drug_resale"] * 2,
                           "entity_type": ["person"] * 6, "entity_id": list("abcdef")})
    rings = pd.DataFrame({"ring_id": ["R1", "R2"], "typology": ["card_cashout", "card_lending"], "score": [0.9, 0.8]})
    members = pd.DataFrame({"ring_id": ["R1"] * 3 + ["R2"] * 2, "entity_type": ["person"] * 5,
                            "entity_id": list("abc") + list("ef")})
    assert matched_planted(rings, members, labels) == {"T"}
    assert evaluate_rings(rings, members, labels).recall == 0.5
    assert matched_planted(rings.assign(score=0.4), members, labels) == set()


def test_ring_region_is_the_members_most_common_insuring_region(tmp_path):
    w = World(seed=2)
    cards = plant_lending(w)
    for pid in cards[:5]:
        next(p for p in w.persons if p["person_id"] == pid)["region_code"] = "410105"
    result = detect_tables(w.tables(), seed=5)
    ring = next(r for r in result.rings if set(cards) <= {m.entity_id for m in r.members})
    assert ring.region_code == "410105"
    write_run(result, tmp_path, fingerprint="x")
    written = pd.read_csv(tmp_path / "rings.csv", dtype=str).set_index("ring_id")["region_code"]
    assert written[ring.ring_id] == "410105"


def test_columns_left_unread_are_read_by_no_step():
    """UNREAD lets readers drop columns; a step that starts reading one must take it off the list."""
    from pathlib import Path

    import ringscope.communities as package
    from ringscope.communities.pipeline import UNREAD

    code = "".join(path.read_text(encoding="utf-8") for path in Path(package.__file__).parent.glob("*.py")
                   # the list itself, the reader, and the writer of rings.csv (its own first_seen)
                   if path.name not in ("pipeline.py", "tables.py", "output.py"))
    for table, columns in UNREAD.items():
        for column in columns:
            assert f'"{column}"' not in code and f"'{column}'" not in code, (table, column)


def test_read_tables_types_empty_cells_and_skipped_columns(tmp_path):
    from ringscope.communities.tables import read_tables

    w = World(persons=30)
    w.tables().claims.to_csv(tmp_path / "claims.csv", index=False)
    for name in ("persons", "facilities", "practitioners"):
        getattr(w.tables(), name).to_csv(tmp_path / f"{name}.csv", index=False)
    (tmp_path / "claim_items.csv").write_text(
        "\ufeffclaim_id,line_no,item_code,item_name,quantity,unit_price,amount,extra\n"
        "C1,1,0012,阿莫西林,2,1.5,3.0,x\nC1,2,,,abc,,1,\n", encoding="utf-8")
    tables = read_tables(tmp_path, skip={"claim_items": ("item_name",)})
    lines = tables.claim_items
    assert lines["item_code"].tolist()[0] == "0012"  # text stays text: leading zeros kept
    assert lines["item_code"].isna().tolist() == [False, True]
    assert lines["quantity"].tolist()[0] == 2.0 and pd.isna(lines["quantity"].tolist()[1])
    assert lines["item_name"].isna().all() and lines["extra"].tolist()[0] == "x"
    assert str(tables.claims["settled_at"].dtype).startswith("datetime64")
    assert len(tables.claims) == len(w.tables().claims)


def test_positions_find_first_row_of_each_key_and_minus_one_for_the_rest():
    from ringscope.communities.tables import positions

    keys = pd.Series(["c1", "c2", "c1", None], dtype="string")
    values = pd.Series(["c2", "x", None, "c1"], dtype=object)
    assert positions(values, keys).tolist() == [1, -1, -1, 0]
    assert positions(values.iloc[:0], keys).tolist() == []


def test_columns_of_few_values_are_sorted_categoricals_from_csv_and_from_frames(tmp_path):
    """Facilities, staff, items and vocabularies are held as codes: the same categories whether
    the rows came from a CSV extract or from Neo4j batches, sorted so that grouping and sorting
    order are the text's, and an empty cell missing, not a category."""
    from ringscope.communities.tables import _read_csv, normalise

    (tmp_path / "claim_items.csv").write_text(
        "claim_id,item_code,item_type,quantity\nC1,B2,service,1\nC2,,drug,1\nC3,A1,drug,2\nC4,B2,,1\n",
        encoding="utf-8")
    from_csv = normalise("claim_items", _read_csv(tmp_path / "claim_items.csv", "claim_items"))
    batches = [normalise("claim_items", pd.DataFrame({"item_code": codes}), codes=False)
               for codes in (["B2", ""], ["A1", "B2"])]
    from_frames = normalise("claim_items", pd.concat(batches, ignore_index=True))
    for lines in (from_csv, from_frames):
        codes = lines["item_code"]
        assert isinstance(codes.dtype, pd.CategoricalDtype)
        assert list(codes.cat.categories) == ["A1", "B2"]
        assert codes.astype("string").tolist() == ["B2", pd.NA, "A1", "B2"]
    assert from_csv["item_type"].isna().tolist() == [False, False, False, True]
    assert from_csv["claim_id"].dtype == "string"  # ids of many values stay text
