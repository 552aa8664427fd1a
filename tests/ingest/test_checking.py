"""Validation without a database: every bad input of the issue gets a reject or a stop naming it."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ringscope.errors import ConfigError, InputError
from ringscope.ingest.checking import check_directory
from ringscope.ingest.mapping import load_mapping

from tests.ingest.world import make_world, write_world


def _check(folder: Path, tmp_path: Path, **kwargs):
    reports, staged = check_directory(folder, tmp_path / "rejects", tmp_path / "staging", **kwargs)
    return {r.table: r for r in reports}, staged


def _rejects(report) -> list[dict[str, str]]:
    with open(report.reject_file, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _break(tmp_path: Path, table: str, row: int, column: str, value: str, seed: int = 1) -> Path:
    world = make_world(seed)
    world.tables[table].loc[row, column] = value
    return write_world(world, tmp_path / "data")


def test_ing001_valid_world_has_no_rejects(tmp_path):
    world = make_world(7)
    reports, staged = _check(write_world(world, tmp_path / "data"), tmp_path)
    for table, report in reports.items():
        assert (report.read, report.loaded, report.rejected) == (world.count(table), world.count(table), 0), table
        assert staged[table].rows == world.count(table)


@pytest.mark.parametrize("table, column, value, reason", [
    ("claims", "settled_at", "2024-02-30T10:00:00", "not an ISO local time"),
    ("claims", "settled_at", "05/03/2024", "not an ISO local time"),
    ("persons", "birth_date", "1990-13-01", "not an ISO date"),
    ("claims", "total_amount", "-5", "below 0"),
    ("claims", "fund_paid", "99999", "fund_paid is above total_amount"),
    ("persons", "id_card", "110105199001010011", "check character"),
    ("claims", "person_id", "NOBODY", "names a person that is neither in this load nor in the store"),
    ("claims", "visit_type", "walk_in", "not one of outpatient, inpatient, pharmacy"),
    ("claim_items", "amount", "1000.00", "amount differs from quantity x unit_price"),
    ("claims", "total_amount", "abc", "not a decimal number"),
    ("claims", "facility_id", "", "a required value is missing"),
])
def test_ing002_bad_value_is_rejected_naming_row_column_value(tmp_path, table, column, value, reason):
    reports, _ = _check(_break(tmp_path, table, 3, column, value), tmp_path)
    report = reports[table]
    assert report.rejected == 1 and report.loaded == report.read - 1
    [line] = _rejects(report)
    assert line["row"] == "5"  # data row index 3 is the fifth line (header is row 1)
    assert line["column"] == column and line["value"] == value and reason in line["reason"]
    assert line[column] == value, "the reject file carries the original row"
    assert report.first_reject.startswith(f"{table}.csv: row 5, column {column}")


def test_ing003_duplicate_claim_id_keeps_the_first(tmp_path):
    world = make_world(2)
    claims = world.tables["claims"]
    world.tables["claims"] = pd.concat([claims, claims.iloc[[4]]], ignore_index=True)
    reports, staged = _check(write_world(world, tmp_path / "data"), tmp_path)
    [line] = _rejects(reports["claims"])
    assert line["column"] == "claim_id" and "duplicate" in line["reason"]
    assert int(line["row"]) == len(world.tables["claims"]) + 1
    assert staged["claims"].rows == len(claims)


def test_ing004_duplicates_are_caught_across_chunks(tmp_path):
    world = make_world(2)
    claims = world.tables["claims"]
    world.tables["claims"] = pd.concat([claims, claims.iloc[[0]]], ignore_index=True)
    reports, _ = _check(write_world(world, tmp_path / "data"), tmp_path, chunk_rows=16)
    assert reports["claims"].rejected == 1


def test_ing005_fee_lines_of_a_rejected_claim_are_rejected_too(tmp_path):
    reports, _ = _check(_break(tmp_path, "claims", 0, "fund_paid", "-1"), tmp_path)
    lines = _rejects(reports["claim_items"])
    assert lines and all(line["claim_id"] == make_world(1).tables["claims"].claim_id[0] for line in lines)
    assert all("names a claim" in line["reason"] for line in lines)


def test_ing006_fifteen_digit_card_becomes_eighteen(tmp_path):
    reports, staged = _check(_break(tmp_path, "persons", 0, "id_card", "110105491231002"), tmp_path)
    assert reports["persons"].rejected == 0
    cards = staged["persons"].read(columns=["id_card"]).column("id_card").to_pylist()
    assert cards[0] == "11010519491231002X"


def test_ing007_unknown_extra_column_is_kept(tmp_path):
    world = make_world(3)
    world.tables["persons"]["employer"] = "某公司"
    world.tables["persons"]["bad name!"] = "x"
    reports, staged = _check(write_world(world, tmp_path / "data"), tmp_path)
    assert reports["persons"].extra_columns == ["employer"]
    assert reports["persons"].ignored_columns == ["bad name!"]
    assert set(staged["persons"].read().column("employer").to_pylist()) == {"某公司"}


def test_ing008_missing_required_column_stops_before_writing(tmp_path):
    world = make_world(3)
    world.tables["claims"] = world.tables["claims"].drop(columns=["fund_paid"])
    folder = write_world(world, tmp_path / "data")
    with pytest.raises(InputError, match=r"file claims.csv, row 1, column fund_paid: required column fund_paid"):
        _check(folder, tmp_path)
    assert not (tmp_path / "staging").exists() and not (tmp_path / "rejects").exists()


def test_ing009_missing_required_file_is_named(tmp_path):
    folder = write_world(make_world(3), tmp_path / "data")
    (folder / "practitioners.csv").unlink()
    with pytest.raises(InputError, match="required file practitioners.csv"):
        _check(folder, tmp_path)


def test_ing010_empty_file_and_header_only(tmp_path):
    folder = write_world(make_world(3), tmp_path / "data")
    (folder / "purchases.csv").write_text("facility_id,item_code,purchased_at,quantity\n", encoding="utf-8")
    reports, _ = _check(folder, tmp_path)
    assert (reports["purchases"].read, reports["purchases"].rejected) == (0, 0)
    (folder / "purchases.csv").write_bytes(b"")
    with pytest.raises(InputError, match="file purchases.csv, row 1: the file is empty"):
        _check(folder, tmp_path)


def test_ing011_gb18030_is_detected_and_bom_is_accepted(tmp_path):
    world = make_world(4)
    folder = write_world(world, tmp_path / "data")
    world.tables["persons"].to_csv(folder / "persons.csv", index=False, encoding="gb18030")
    world.tables["facilities"].to_csv(folder / "facilities.csv", index=False, encoding="utf-8-sig")
    reports, staged = _check(folder, tmp_path)
    assert reports["persons"].encoding == "gb18030" and reports["persons"].rejected == 0
    assert staged["persons"].read().column("name").to_pylist()[:2] == ["参保人0", "参保人1"]
    assert reports["facilities"].rejected == 0
    assert staged["facilities"].read().column("facility_id").to_pylist()[0] == "F0"


def test_ing012_wrong_declared_encoding_is_a_clear_stop(tmp_path):
    world = make_world(4)
    folder = write_world(world, tmp_path / "data", encoding="gb18030")
    with pytest.raises(InputError, match="utf-8"):
        _check(folder, tmp_path, encoding="utf-8")


def test_ing013_gzip_and_parquet_read_like_csv(tmp_path):
    world = make_world(5)
    folder = write_world(world, tmp_path / "data", fmt="parquet")
    (folder / "claims.parquet").unlink()
    with gzip.open(folder / "claims.csv.gz", "wt", encoding="utf-8") as handle:
        world.tables["claims"].to_csv(handle, index=False)
    reports, _ = _check(folder, tmp_path)
    assert all(r.rejected == 0 and r.loaded == world.count(t) for t, r in reports.items())


def test_ing014_parquet_with_a_wrong_column_type(tmp_path):
    world = make_world(5)
    folder = write_world(world, tmp_path / "data")
    claims = world.tables["claims"].copy()
    (folder / "claims.csv").unlink()
    table = pa.Table.from_pandas(claims.astype("str"), preserve_index=False)
    table = table.set_column(table.schema.get_field_index("settled_at"), "settled_at",
                             pa.array(range(len(claims)), pa.int64()))
    pq.write_table(table, folder / "claims.parquet")
    reports, _ = _check(folder, tmp_path)
    assert reports["claims"].rejected == len(claims)
    first = _rejects(reports["claims"])[0]
    assert (first["row"], first["column"], first["value"]) == ("2", "settled_at", "0")
    nested = table.set_column(table.schema.get_field_index("settled_at"), "settled_at",
                              pa.array([[1]] * len(claims)))
    pq.write_table(nested, folder / "claims.parquet")
    with pytest.raises(InputError, match="file claims.parquet, column settled_at: Parquet type list"):
        _check(folder, tmp_path)


def test_ing015_truncated_last_line_is_rejected(tmp_path):
    world = make_world(6)
    folder = write_world(world, tmp_path / "data")
    text = (folder / "claims.csv").read_text(encoding="utf-8").rstrip("\n")
    (folder / "claims.csv").write_text(text[: text.rfind(",", 0, len(text) - 40)], encoding="utf-8")
    reports, _ = _check(folder, tmp_path)
    [line] = _rejects(reports["claims"])
    assert int(line["row"]) == len(world.tables["claims"]) + 1
    assert "truncated" in line["reason"] and line["value"].startswith("C")


def test_ing016_garbage_file_stops_with_a_message(tmp_path):
    folder = write_world(make_world(6), tmp_path / "data")
    garbage = folder / "claims.csv"
    with open(garbage, "wb") as handle:
        block = bytes(c for c in range(33, 127) if c not in b',"') * 1000
        for _ in range(50 * 1024 * 1024 // len(block)):
            handle.write(block + b"\n")
    with pytest.raises(InputError, match="file claims.csv, row 1, column claim_id: required column claim_id") as caught:
        _check(folder, tmp_path)
    assert len(str(caught.value)) < 400, "the message names the file, not its 50 MB"


def test_ing017_national_mapping_renames_and_recodes(tmp_path):
    world = make_world(8)
    people = world.tables["persons"].copy()
    people["gender"] = people["gender"].map({"M": "1", "F": "2"})
    people["insurance_type"] = people["insurance_type"].map({"employee": "310", "resident": "390"})
    people.loc[2, "gender"] = "9"
    world.tables["persons"] = people.rename(columns={"person_id": "psn_no", "name": "psn_name", "id_card": "certno",
                                                     "gender": "gend", "birth_date": "brdy",
                                                     "insurance_type": "insutype",
                                                     "region_code": "insuplc_admdvs"})
    folder = write_world(world, tmp_path / "data")
    reports, staged = _check(folder, tmp_path, mapping=load_mapping("national"))
    [line] = _rejects(reports["persons"])
    assert (line["column"], line["value"], line["psn_no"]) == ("gend", "9", "P00002")
    genders = staged["persons"].read().column("gender").to_pylist()
    assert set(genders) <= {"M", "F"} and len(genders) == len(people) - 1


def test_ing018_user_mapping_file(tmp_path):
    world = make_world(9)
    world.tables["persons"] = world.tables["persons"].rename(columns={"person_id": "人员编号"})
    folder = write_world(world, tmp_path / "data")
    mapping_file = tmp_path / "local.json"
    mapping_file.write_text('{"columns": {"persons": {"person_id": "人员编号"}}}', encoding="utf-8")
    reports, staged = _check(folder, tmp_path, mapping=load_mapping(str(mapping_file)))
    assert reports["persons"].rejected == 0
    assert staged["persons"].read().column("person_id").to_pylist()[0] == "P00000"


@pytest.mark.parametrize("text, message", [
    ('[columns.patients]\nperson_id = "x"\n', "names no table"),
    ('[columns.persons]\nperson = "x"\n', "'person' is not a column of persons"),
    ('[colums.persons]\n', "unknown section 'colums'"),
])
def test_ing019_bad_mapping_file_is_named(tmp_path, text, message):
    mapping_file = tmp_path / "bad.toml"
    mapping_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_mapping(str(mapping_file))
