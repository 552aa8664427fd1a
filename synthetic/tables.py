"""Turns integer columns into the contract's tables (ids, codes, dates, money).

Entity ids and vocabularies are converted to Arrow arrays once; each chunk's
claims then become text with ``take``, which keeps a million-person run
within minutes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ringscope.synthetic.catalogue import DEPARTMENTS, DIAGNOSES, ITEMS
from ringscope.synthetic.claims import MISSING, ClaimBatch
from ringscope.synthetic.fee_lines import Lines
from ringscope.synthetic.identifiers import ID_KINDS, OWNER_TYPES, IdentifierRows
from ringscope.synthetic.providers import KIND_OF_CLASS
from ringscope.synthetic.regions import REGIONS
from ringscope.synthetic.world import World
from ringscope.synthetic.writer import COLUMNS, dates, money, text_array, timestamps

__all__ = ["TableBuilder", "VISIT_TYPES", "AUTH_METHODS", "empty_schemas"]

VISIT_TYPES = ("outpatient", "inpatient", "pharmacy")
AUTH_METHODS = ("card", "e_voucher", "face", "other")
_STR = pa.string()


_text = text_array


def _pick(dictionary: pa.Array, index: np.ndarray) -> pa.Array:
    """``dictionary[index]`` with nulls where ``index < 0``."""
    index = np.asarray(index)
    return dictionary.take(pa.array(np.where(index < 0, 0, index), mask=index < 0))


def empty_schemas() -> dict[str, pa.Schema]:
    types = {"beds": pa.int64(), "line_no": pa.int64(), "quantity": pa.int64(), "total_amount": pa.decimal128(14, 2),
             "fund_paid": pa.decimal128(14, 2), "unit_price": pa.decimal128(14, 2), "amount": pa.decimal128(14, 2),
             "birth_date": pa.date32(), "death_date": pa.date32(), "first_seen": pa.date32(), "last_seen": pa.date32(),
             "purchased_at": pa.date32(), "settled_at": pa.timestamp("s"), "admitted_at": pa.timestamp("s"),
             "discharged_at": pa.timestamp("s")}
    return {name: pa.schema([(c, types.get(c, _STR)) for c in cols]) for name, cols in COLUMNS.items()}


class TableBuilder:
    """Builds contract tables for one world."""

    def __init__(self, world: World):
        self.world = world
        self.start = np.datetime64(world.knobs.behaviour.start)
        self.person_id = _text(world.ids.person)
        self.facility_id = _text(world.ids.facility)
        self.practitioner_id = _text(world.ids.practitioner)
        self.device_id = _text(world.ids.device)
        self.region_code = _text([r.code for r in REGIONS])
        self.dx_code = _text([d.code for d in DIAGNOSES])
        self.item_code = _text([i.code for i in ITEMS])
        self.item_name = _text([i.name for i in ITEMS])
        self.item_type = _text([i.item_type for i in ITEMS])
        self.product = np.array([f"8{(k * 7919 + 104729) % 1_000_000:06d}" for k in range(len(ITEMS))])

    def with_devices(self, extra: np.ndarray) -> None:
        """Append ring devices' text ids after the honest ones."""
        self.device_id = pa.concat_arrays([self.device_id, _text(extra)])

    def persons(self) -> pa.Table:
        pop = self.world.pop
        dead = pop.death_day < 0
        return pa.table({
            "person_id": self.person_id, "name": _text(np.char.add(pop.surname, pop.given)),
            "id_card": _text(pop.id_card), "gender": _text(np.where(pop.hh.male, "M", "F")),
            "birth_date": pa.array(pop.birth.astype("datetime64[D]"), type=pa.date32()),
            "region_code": _text(pop.insured_code),
            "insurance_type": _text(np.where(pop.employee, "employee", "resident")),
            "death_date": dates(np.maximum(pop.death_day, 0), self.start, dead),
        })

    def practitioners(self, names: np.ndarray, id_cards: np.ndarray) -> pa.Table:
        p = self.world.providers
        dept = _pick(_text(DEPARTMENTS), p.prac_dept)
        return pa.table({
            "practitioner_id": self.practitioner_id, "name": _text(names),
            "role": _text(np.where(p.prac_pharmacist, "pharmacist", "doctor")),
            "facility_id": self.facility_id.take(pa.array(p.prac_facility)),
            "department": pc.if_else(pa.array(p.prac_pharmacist), pa.scalar("药剂科"), dept),
            "id_card": _text(id_cards),
        })

    def facilities(self, beds: np.ndarray) -> pa.Table:
        p = self.world.providers
        kind, level, owner = zip(*(KIND_OF_CLASS[c] for c in p.cls))
        level = np.array(level)
        return pa.table({
            "facility_id": self.facility_id, "name": _text(p.name), "kind": _text(kind),
            "level": pa.array(level, mask=level == ""), "ownership": _text(owner),
            "region_code": self.region_code.take(pa.array(p.region)), "address": _text(p.address),
            "beds": pa.array(beds, type=pa.int64(), mask=beds < 0),
        })

    def claims(self, c: ClaimBatch, claim_id: pa.Array, total: np.ndarray, fund: np.ndarray) -> pa.Table:
        fac_region = self.world.providers.region[c.facility]
        return pa.table({
            "claim_id": claim_id, "person_id": self.person_id.take(pa.array(c.person)),
            "facility_id": self.facility_id.take(pa.array(c.facility)),
            "practitioner_id": _pick(self.practitioner_id, c.practitioner),
            "visit_type": _pick(_text(VISIT_TYPES), c.visit),
            "settled_at": timestamps(c.settled, self.start),
            "admitted_at": timestamps(np.where(c.admitted == MISSING, 0, c.admitted), self.start, c.admitted == MISSING),
            "discharged_at": timestamps(np.where(c.discharged == MISSING, 0, c.discharged), self.start,
                                        c.discharged == MISSING),
            "diagnosis_code": self.dx_code.take(pa.array(c.dx)), "total_amount": money(total),
            "fund_paid": money(fund), "region_code": self.region_code.take(pa.array(fac_region)),
            "auth_method": _pick(_text(AUTH_METHODS), c.auth), "device_id": _pick(self.device_id, c.device),
        })

    def claim_items(self, lines: Lines, claim_id: pa.Array, trace_keys: np.ndarray) -> pa.Table:
        traced = trace_keys >= 0
        trace = pa.nulls(len(lines), _STR)
        if traced.any():
            codes = self.world.ids.trace_codes(self.product[lines.item[traced]], trace_keys[traced])
            trace = pc.replace_with_mask(trace, pa.array(traced), codes)
        return pa.table({
            "claim_id": claim_id.take(pa.array(lines.claim)), "line_no": pa.array(lines.line_no, type=pa.int64()),
            "item_code": self.item_code.take(pa.array(lines.item)), "item_name": self.item_name.take(pa.array(lines.item)),
            "item_type": self.item_type.take(pa.array(lines.item)), "quantity": pa.array(lines.quantity, type=pa.int64()),
            "unit_price": money(lines.unit_price), "amount": money(lines.amount),
            "practitioner_id": _pick(self.practitioner_id, lines.practitioner), "trace_code": trace,
        })

    def identifiers(self, rows: IdentifierRows) -> pa.Table:
        owner_text = {0: self.person_id, 1: self.practitioner_id, 2: self.facility_id}
        owner = pa.chunked_array([owner_text[t].take(pa.array(rows.owner[rows.owner_type == t]))
                                  for t in range(3)]).combine_chunks()
        order = np.concatenate([np.flatnonzero(rows.owner_type == t) for t in range(3)])
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        last = np.minimum(rows.last_seen, self.world.days - 1)
        return pa.table({
            "owner_type": _text(OWNER_TYPES).take(pa.array(rows.owner_type)),
            "owner_id": owner.take(pa.array(inverse)), "kind": _text(ID_KINDS).take(pa.array(rows.kind)),
            "value": rows.value, "first_seen": dates(rows.first_seen, self.start),
            "last_seen": dates(last, self.start),
        })

    def purchases(self, facility: np.ndarray, item: np.ndarray, day: np.ndarray, quantity: np.ndarray,
                  unit_price: np.ndarray, supplier: np.ndarray) -> pa.Table:
        return pa.table({
            "facility_id": self.facility_id.take(pa.array(facility)), "item_code": self.item_code.take(pa.array(item)),
            "purchased_at": dates(day, self.start), "quantity": pa.array(quantity, type=pa.int64()),
            "unit_price": money(unit_price), "supplier": _text(supplier),
        })
