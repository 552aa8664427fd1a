"""Same seed, same bytes; rings only add; Parquet holds the CSV's rows."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from ringscope.errors import ConfigError
from ringscope.synthetic import generate
from ringscope.synthetic.writer import COLUMNS

SMALL = 1_200


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    first, second, other = (tmp_path_factory.mktemp(n) for n in ("a", "b", "c"))
    generate(first, seed=5, persons=SMALL)
    generate(second, seed=5, persons=SMALL)
    generate(other, seed=6, persons=SMALL)
    return first, second, other


@pytest.mark.parametrize("name", list(COLUMNS))
def test_same_seed_gives_identical_files(twins, name):
    first, second, _ = twins
    assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes()


@pytest.mark.parametrize("name", ["persons", "claims", "claim_items", "identifiers", "labels"])
def test_different_seeds_differ(twins, name):
    first, _, other = twins
    assert (first / f"{name}.csv").read_bytes() != (other / f"{name}.csv").read_bytes()


def test_no_rings_keeps_the_same_people_and_honest_behaviour(extract, honest_extract):
    for name in ("persons", "practitioners"):
        assert (extract.path / f"{name}.csv").read_bytes() == (honest_extract.path / f"{name}.csv").read_bytes()
    assert honest_extract.read("labels").empty and list(honest_extract.read("labels").columns) == list(COLUMNS["labels"])
    honest = honest_extract.read("claims")
    mixed = extract.read("claims")
    merged = honest.merge(mixed, how="left", indicator=True)
    assert (merged["_merge"] == "both").all(), "an honest claim changed when rings were planted"
    added = mixed[~mixed.claim_id.isin(honest.claim_id)]
    labelled = set(extract.read("labels").query("entity_type == 'person'").entity_id)
    assert len(added) > 0 and set(added.person_id) <= labelled
    honest_items = honest_extract.read("claim_items")
    assert honest_items.merge(extract.read("claim_items"), how="left", indicator=True)["_merge"].eq("both").all()
    honest_ids = honest_extract.read("identifiers")
    assert honest_ids.merge(extract.read("identifiers"), how="left", indicator=True)["_merge"].eq("both").all()


def _as_csv_text(column: pa.ChunkedArray) -> list[str]:
    if pa.types.is_timestamp(column.type):
        column = pc.strftime(pc.cast(column, pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S")
    elif pa.types.is_decimal(column.type) or pa.types.is_integer(column.type) or pa.types.is_date(column.type):
        column = pc.cast(column, pa.string())
    return pc.fill_null(column, "").to_pylist()


@pytest.mark.parametrize("name", list(COLUMNS))
def test_parquet_has_the_csv_rows(tmp_path_factory, twins, name):
    out = tmp_path_factory.getbasetemp() / "parquet_twin"
    if not (out / "labels.parquet").exists():
        generate(out, seed=5, persons=SMALL, fmt="parquet")
    table = pq.read_table(out / f"{name}.parquet")
    from_parquet = pd.DataFrame({c: _as_csv_text(table[c]) for c in table.column_names})
    from_csv = pd.read_csv(twins[0] / f"{name}.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(from_parquet, from_csv, check_dtype=False)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"persons": 10}, "persons must be between"), ({"fmt": "xlsx"}, "format must be one of"),
    ({"seed": -1}, "seed must be"),
])
def test_bad_arguments_are_refused_naming_the_value(tmp_path, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        generate(tmp_path, **{"persons": SMALL, **kwargs})
    assert not any(tmp_path.iterdir())
