"""Generated extracts load without a reject; the national platform's names give the same graph."""

from __future__ import annotations

import pytest

from ringscope.graph.admin import wipe_graph
from ringscope.ingest.checking import check_directory
from ringscope.ingest.job import IngestOptions, ingest_directory
from ringscope.synthetic import generate

from tests.ingest.snapshot import snapshot
from tests.ingest.world import make_world, write_world


@pytest.mark.parametrize("seed, rings, fmt", [(1, True, "csv"), (2, False, "csv"), (3, True, "parquet")])
def test_gen001_generated_extract_has_no_rejects(tmp_path, seed, rings, fmt):
    summary = generate(tmp_path / "data", seed=seed, persons=1000, rings=rings, fmt=fmt)
    reports, staged = check_directory(tmp_path / "data", tmp_path / "rejects", tmp_path / "staging")
    assert {r.table: r.rejected for r in reports} == {r.table: 0 for r in reports}, [r.first_reject for r in reports]
    assert staged["claims"].rows > 1000 and staged["claim_items"].rows > staged["claims"].rows
    assert summary is not None


_NATIONAL = {
    "persons": {"person_id": "psn_no", "name": "psn_name", "id_card": "certno", "gender": "gend",
                "birth_date": "brdy", "insurance_type": "insutype", "region_code": "insuplc_admdvs"},
    "facilities": {"facility_id": "fixmedins_code", "name": "fixmedins_name"},
    "practitioners": {"facility_id": "fixmedins_code"},
    "claims": {"claim_id": "setl_id", "person_id": "psn_no", "facility_id": "fixmedins_code",
               "settled_at": "setl_time", "visit_type": "med_type", "total_amount": "medfee_sumamt",
               "fund_paid": "fund_pay_sumamt", "auth_method": "mdtrt_cert_type", "region_code": "mdtrtarea_admvs"},
    "claim_items": {"claim_id": "setl_id", "line_no": "feedetl_sn", "item_code": "med_list_codg",
                    "item_type": "list_type", "quantity": "cnt", "unit_price": "pric",
                    "amount": "det_item_fee_sumamt", "practitioner_id": "bilg_dr_codg"},
}
_CODES = {
    ("persons", "gender"): {"M": "1", "F": "2"},
    ("persons", "insurance_type"): {"employee": "310", "resident": "390"},
    ("claims", "visit_type"): {"outpatient": "11", "inpatient": "21", "pharmacy": "41"},
    ("claims", "auth_method"): {"card": "03", "e_voucher": "01"},
    ("claim_items", "item_type"): {"drug": "101", "service": "201", "material": "301"},
}


@pytest.mark.neo4j
def test_nat001_national_names_give_the_same_graph(runner, settings, tmp_path):
    world = make_world(31)
    world.tables["claims"]["auth_method"] = world.tables["claims"]["auth_method"].replace("face", "card")
    write_world(world, tmp_path / "contract")
    for (table, column), codes in _CODES.items():
        world.tables[table][column] = world.tables[table][column].map(codes)
    for table, names in _NATIONAL.items():
        world.tables[table] = world.tables[table].rename(columns=names)
    write_world(world, tmp_path / "national")

    wipe_graph(runner)
    contract = ingest_directory(IngestOptions(tmp_path / "contract", rejects_dir=tmp_path / "r1", online=True),
                                settings)
    expected = snapshot(runner)
    wipe_graph(runner)
    national = ingest_directory(IngestOptions(tmp_path / "national", rejects_dir=tmp_path / "r2", online=True,
                                             mapping="national"), settings)
    assert (contract.rejected, national.rejected) == (0, 0)
    assert national.loaded == contract.loaded
    assert snapshot(runner) == expected
