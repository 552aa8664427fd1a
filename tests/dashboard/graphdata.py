"""A small claims world written as contract CSVs and loaded with the real ingest.

Eight insured persons, three facilities, two practitioners; persons P1-P5 swipe
cards at pharmacy F1 in a March burst through one device and share a phone,
P6-P8 are ordinary patients of hospital F2. Rings come from the detection
writer (see ``write_rings``) so the app reads what production writes.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ringscope.ingest.idcard import check_character
from ringscope.ingest.job import IngestOptions, ingest_directory
from ringscope.settings import Settings

__all__ = ["write_world", "load_world", "write_test_rings", "RING_ID", "ID_CARDS", "PERSONS", "SHARED_PHONE", "RING_PERSONS"]

PERSONS = [f"P{i}" for i in range(1, 9)]
RING_PERSONS = PERSONS[:5]
SHARED_PHONE = "13800138000"


def _card(index: int) -> str:
    first = f"41010219800101{index:03d}"
    return first + check_character(first)


ID_CARDS = {person: _card(i) for i, person in enumerate(PERSONS, 1)}


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_world(folder: Path) -> Path:
    """The contract tables of the small world, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "persons.csv", [
        {"person_id": p, "name": f"测试{p}", "id_card": ID_CARDS[p], "gender": "M", "birth_date": "1980-01-01",
         "region_code": "410102" if p in RING_PERSONS else "410103", "insurance_type": "resident", "death_date": ""}
        for p in PERSONS])
    _write(folder / "facilities.csv", [
        {"facility_id": "F1", "name": "康源大药房", "kind": "pharmacy", "level": "", "ownership": "private",
         "region_code": "410102", "address": "", "beds": ""},
        {"facility_id": "F2", "name": "市第一医院", "kind": "hospital", "level": "tertiary", "ownership": "public",
         "region_code": "410103", "address": "", "beds": "800"},
        {"facility_id": "F3", "name": "社区诊所", "kind": "clinic", "level": "primary", "ownership": "public",
         "region_code": "410104", "address": "", "beds": ""}])
    _write(folder / "practitioners.csv", [
        {"practitioner_id": "D1", "name": "李医生", "role": "doctor", "facility_id": "F2", "department": "", "id_card": ""},
        {"practitioner_id": "D2", "name": "王药师", "role": "pharmacist", "facility_id": "F1", "department": "",
         "id_card": ""}])
    claims = []
    for n, person in enumerate(RING_PERSONS * 3):
        claims.append({"claim_id": f"C{n:03d}", "person_id": person, "facility_id": "F1", "practitioner_id": "D2",
                       "visit_type": "pharmacy", "settled_at": f"2024-03-{1 + n % 3:02d}T10:{n:02d}:00",
                       "total_amount": "500", "fund_paid": "400", "region_code": "", "auth_method": "card",
                       "device_id": "DEV1"})
    for n, person in enumerate(PERSONS[5:] * 2 + RING_PERSONS[:1]):
        claims.append({"claim_id": f"H{n:03d}", "person_id": person, "facility_id": "F2", "practitioner_id": "D1",
                       "visit_type": "outpatient", "settled_at": f"2024-0{4 + n % 3}-10T09:00:00",
                       "total_amount": "200", "fund_paid": "120", "region_code": "410103", "auth_method": "card",
                       "device_id": ""})
    _write(folder / "claims.csv", claims)
    _write(folder / "identifiers.csv", [
        {"owner_type": "person", "owner_id": p, "kind": "phone", "value": SHARED_PHONE, "first_seen": "",
         "last_seen": ""} for p in RING_PERSONS[:3]] + [
        {"owner_type": "person", "owner_id": "P6", "kind": "bank_account", "value": "6222020200112233445",
         "first_seen": "", "last_seen": ""}])
    return folder


def load_world(folder: Path, settings: Settings) -> None:
    """Write the world and ingest it into the test server."""
    report = ingest_directory(IngestOptions(data_dir=write_world(folder), rejects_dir=folder / "rejects",
                                           online=True), settings)
    assert not any(f.rejected for f in report.files), report


RING_ID = "R-cashout-F1"


def write_test_rings(runner, region_code: str = "") -> str:
    """One card cash-out ring over P1-P5, F1 and D2, written by detection's own writer.

    Without ``region_code`` the ring is stored as detection wrote rings before it kept one.
    """
    from ringscope.communities.model import DetectionResult, Member, Ring
    from ringscope.graph.rings_store import write_rings

    members = [Member("person", p, "organiser" if p == "P1" else "cardholder", 0.9) for p in RING_PERSONS]
    members += [Member("facility", "F1", "facility", 0.95), Member("practitioner", "D2", "pharmacist", 0.7)]
    claims = frozenset(f"C{n:03d}" for n in range(15))
    ring = Ring(RING_ID, "card_cashout", 0.87, {"burst": 0.9, "shared_identifier": 0.8, "stock_excess": 0.4},
                members, claims, len(claims), 6000.0, "2024-03-01", "2024-03-03",
                "5名参保人3天内在同一药房集中刷卡", "5 cardholders swiped at one pharmacy within 3 days", ("lockstep",),
                region_code)
    write_rings(runner, DetectionResult("run-test-1", [ring], [], {}), fingerprint="test")
    return RING_ID
