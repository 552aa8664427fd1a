"""Job: 进销存 reconciliation and traceability codes, as evidence per facility.

Goods never dispensed still leave fee lines; when a facility's sales of an
item exceed what it ever bought, or one traceability code (追溯码, unique per
pack) is sold twice, the sales are suspect. Honest data has small gaps
(stock bought before the period, stock-in keyed late), so the excess is
measured over the whole period, with a tolerance of ``tolerance`` of the
purchased quantity before it counts. Only goods are reconciled (``item_type``
``drug`` or ``material``; a line without a type counts as a drug): services
(physiotherapy, bed days) are never bought in, so their "excess" is no
evidence at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ringscope.communities.stats import saturate
from ringscope.communities.tables import Tables

__all__ = ["FacilityEvidence", "stock_evidence", "trace_evidence", "PARAMS"]

PARAMS = {"tolerance": 0.15, "min_excess_value": 2000.0, "excess_half": 0.5, "reuse_half": 5.0}


@dataclass
class FacilityEvidence:
    """One signal per facility: strength (0..1), the numbers behind it, the claims involved."""

    signal: str
    strength: dict[str, float] = field(default_factory=dict)
    facts: dict[str, dict] = field(default_factory=dict)
    claims: dict[str, set[str]] = field(default_factory=dict)
    skipped: str | None = None


#: item types that are bought in and can therefore be reconciled against purchases
GOODS = ("drug", "material")


def _lines_with_facility(lines: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """``lines`` (fee lines, only the columns a job reads: at 1M persons the whole table is
    17M rows) with their claim's facility and person."""
    claims = tables.claims[["claim_id", "facility_id", "person_id"]]
    return lines.merge(claims, on="claim_id", how="inner")


def stock_evidence(tables: Tables, params: dict | None = None) -> FacilityEvidence:
    """Items dispensed above purchases, per facility (strength by excess share of purchases)."""
    p = {**PARAMS, **(params or {})}
    if tables.claim_items is None or tables.purchases is None:
        return FacilityEvidence("stock_excess", skipped="needs claim_items and purchases")
    lines = tables.claim_items[["claim_id", "item_code", "item_type", "quantity", "amount"]]
    lines = _lines_with_facility(lines[lines["item_type"].fillna("drug").isin(GOODS)], tables)
    sold = lines.groupby(["facility_id", "item_code"]).agg(sold=("quantity", "sum"),
                                                           value=("amount", "sum"))
    bought = tables.purchases.groupby(["facility_id", "item_code"])["quantity"].sum().rename("bought")
    stocked_facilities = set(tables.purchases["facility_id"].dropna())
    both = sold.join(bought, how="left").fillna({"bought": 0.0}).reset_index()
    # a facility that never records stock-in (a hospital ward) cannot be reconciled
    both = both[both["facility_id"].isin(stocked_facilities)]
    both["excess"] = both["sold"] - both["bought"] * (1 + p["tolerance"])
    both["excess_value"] = both["excess"].clip(lower=0) * both["value"] / both["sold"].where(both["sold"] > 0)
    bad = both[(both["excess"] > 0) & (both["excess_value"] >= p["min_excess_value"])]
    out = FacilityEvidence("stock_excess")
    hit = lines.merge(bad[["facility_id", "item_code"]], on=["facility_id", "item_code"])
    hit_claims = {facility: set(ids) for facility, ids in hit.groupby("facility_id")["claim_id"]}
    for facility, rows in bad.groupby("facility_id"):
        ratio = float(rows["excess"].sum() / max(rows["bought"].sum(), 1.0))
        out.strength[facility] = saturate(ratio, p["excess_half"])
        out.facts[facility] = {"items_over": int(len(rows)), "excess_qty": float(rows["excess"].sum()),
                               "excess_value": round(float(rows["excess_value"].sum()), 2),
                               "excess_ratio": round(ratio, 2)}
        out.claims[facility] = hit_claims.get(facility, set())
    return out


def trace_evidence(tables: Tables, params: dict | None = None) -> FacilityEvidence:
    """Traceability codes sold on more than one claim, per facility where they were sold."""
    p = {**PARAMS, **(params or {})}
    if tables.claim_items is None or tables.claim_items["trace_code"].notna().sum() == 0:
        return FacilityEvidence("trace_reuse", skipped="no traceability codes in claim_items")
    lines = _lines_with_facility(tables.claim_items[["claim_id", "trace_code"]].dropna(subset=["trace_code"]), tables)
    uses = lines.groupby("trace_code")["claim_id"].nunique()
    reused = lines[lines["trace_code"].isin(uses.index[uses > 1])]
    out = FacilityEvidence("trace_reuse")
    for facility, rows in reused.groupby("facility_id"):
        codes = rows["trace_code"].nunique()
        out.strength[facility] = saturate(codes, p["reuse_half"])
        out.facts[facility] = {"codes_reused": int(codes), "claims": int(rows["claim_id"].nunique())}
        out.claims[facility] = set(rows["claim_id"])
    return out
