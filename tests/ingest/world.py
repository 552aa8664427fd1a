"""A small, valid extract written by hand-rolled code, for ingest tests.

Why not the synthetic generator: these tests must know exactly which rows
exist (to count them after a crash) and must be able to break one row at a
time; a seeded few-hundred-row world does both in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ringscope.ingest.idcard import check_character

__all__ = ["World", "make_world", "write_world"]


@dataclass
class World:
    tables: dict[str, pd.DataFrame]

    def count(self, table: str) -> int:
        return len(self.tables[table])


def _id_card(rng: np.random.Generator) -> str:
    first = f"110105{rng.integers(1940, 2010)}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}{rng.integers(0, 1000):03d}"
    return first + check_character(first)


def make_world(seed: int, persons: int = 40, claims_per_person: int = 3, prefix: str = "") -> World:
    """Persons, facilities, practitioners, claims with 1-3 fee lines, identifiers and purchases."""
    rng = np.random.default_rng(seed)
    person_ids = [f"{prefix}P{i:05d}" for i in range(persons)]
    people = pd.DataFrame({
        "person_id": person_ids,
        "name": [f"参保人{i}" for i in range(persons)],
        "id_card": [_id_card(rng) for _ in range(persons)],
        "gender": rng.choice(["M", "F"], persons),
        "birth_date": [f"{rng.integers(1940, 2010)}-0{rng.integers(1, 10)}-1{rng.integers(0, 9)}" for _ in range(persons)],
        "region_code": rng.choice(["110105", "110106"], persons),
        "insurance_type": rng.choice(["employee", "resident"], persons),
        "death_date": "",
    })
    facilities = pd.DataFrame({
        "facility_id": [f"{prefix}F{i}" for i in range(4)],
        "name": ["一院", "二院", "诊所", "药房"],
        "kind": ["hospital", "hospital", "clinic", "pharmacy"],
        "level": ["tertiary", "secondary", "primary", ""],
        "ownership": ["public", "public", "private", "private"],
        "region_code": ["110105", "110105", "110106", "110106"],
        "address": ["路1号", "路2号", "路3号", "路4号"],
        "beds": ["800", "200", "", ""],
    })
    practitioners = pd.DataFrame({
        "practitioner_id": [f"{prefix}D{i}" for i in range(6)],
        "name": [f"医生{i}" for i in range(6)],
        "role": ["doctor"] * 5 + ["pharmacist"],
        "facility_id": [f"{prefix}F{i}" for i in (0, 0, 1, 2, 2, 3)],
        "department": ["内科", "外科", "内科", "全科", "全科", ""],
        "id_card": "",
    })
    n = persons * claims_per_person
    facility_of = rng.integers(0, 4, n)
    totals = np.round(rng.uniform(10, 500, n), 2)
    claims = pd.DataFrame({
        "claim_id": [f"{prefix}C{i:06d}" for i in range(n)],
        "person_id": np.repeat(person_ids, claims_per_person),
        "facility_id": [f"{prefix}F{f}" for f in facility_of],
        "practitioner_id": [f"{prefix}D5" if f == 3 else f"{prefix}D{min(f * 2, 4)}" for f in facility_of],
        "visit_type": ["pharmacy" if f == 3 else "outpatient" for f in facility_of],
        "settled_at": [f"2024-0{rng.integers(1, 10)}-1{rng.integers(0, 9)}T{rng.integers(8, 18):02d}:15:00"
                       for _ in range(n)],
        "admitted_at": "", "discharged_at": "", "diagnosis_code": "J06.9",
        "total_amount": [f"{t:.2f}" for t in totals],
        "fund_paid": [f"{t * 0.7:.2f}" for t in totals],
        "region_code": "",
        "auth_method": rng.choice(["card", "e_voucher", "face"], n),
        "device_id": [f"{prefix}DEV{rng.integers(0, 20)}" for _ in range(n)],
    })
    lines = []
    for claim_id in claims["claim_id"]:
        for line_no in range(1, int(rng.integers(1, 4)) + 1):
            quantity, price = int(rng.integers(1, 5)), float(rng.integers(100, 5000)) / 100
            lines.append((claim_id, line_no, f"XA{rng.integers(0, 15):02d}", "药品", "drug", quantity, price,
                          f"{quantity * price:.2f}", "", f"TR{claim_id}{line_no}"))
    items = pd.DataFrame(lines, columns=["claim_id", "line_no", "item_code", "item_name", "item_type", "quantity",
                                         "unit_price", "amount", "practitioner_id", "trace_code"])
    identifiers = pd.DataFrame({
        "owner_type": "person", "owner_id": person_ids,
        "kind": "phone", "value": [f"1380000{i // 2:04d}" for i in range(persons)],  # households share phones
        "first_seen": "2023-01-01", "last_seen": "2024-06-30",
    })
    purchases = pd.DataFrame({
        "facility_id": f"{prefix}F3", "item_code": [f"XA{i:02d}" for i in range(5)],
        "purchased_at": "2024-01-02", "quantity": "100", "unit_price": "8.5", "supplier": "国药",
    })
    return World({"persons": people, "facilities": facilities, "practitioners": practitioners, "claims": claims,
                  "claim_items": items, "identifiers": identifiers, "purchases": purchases})


def write_world(world: World, folder: Path, fmt: str = "csv", encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in world.tables.items():
        if fmt == "parquet":
            frame.astype("str").to_parquet(folder / f"{name}.parquet", index=False)
        else:
            frame.to_csv(folder / f"{name}.csv", index=False, encoding=encoding)
    return folder
