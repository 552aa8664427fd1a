"""Job: 进销存 reconciliation and traceability codes, as evidence per facility.

Goods never dispensed still leave fee lines; when a facility's sales of an
item exceed what it ever bought, or one traceability code (追溯码, unique per
pack) is sold twice, the sales are suspect. Honest data has small gaps
(stock bought before the period, stock-in keyed late), so the excess is
measured over the whole period, with a tolerance of ``tolerance`` of the
purchased quantity before it counts. Only goods are reconciled (``item_type``
``drug`` or ``material``): services (physiotherapy, bed days) are never bought
in, so their "excess" is no evidence at all. Many local systems leave
``item_type`` empty; a line without a type is goods when its item was bought
in by some facility of the extract (:func:`goods_lines`), or, with no
purchases at all, taken for a drug: else every bed day at a facility that
records its stock-in would be a sale of goods never bought.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ringscope.communities.stats import saturate
from ringscope.communities.context import Context

__all__ = ["FacilityEvidence", "stock_evidence", "trace_evidence", "goods_lines", "costly_drugs", "PARAMS"]

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


def goods_lines(tables, types: tuple[str, ...] = GOODS) -> np.ndarray:
    """Per fee line, whether it sells goods of ``types``: by its ``item_type``, or, where that is
    empty, by its item being bought in by some facility (a line of an item nobody ever bought
    is a service); with no purchases table an untyped line counts as goods.

    >>> from types import SimpleNamespace as T
    >>> lines = pd.DataFrame({"item_code": ["X1", "S1", "S1", "X1"], "item_type": [None, None, "drug", "service"]})
    >>> goods_lines(T(claim_items=lines, purchases=pd.DataFrame({"item_code": ["X1"]}))).tolist()
    [True, False, True, False]
    >>> goods_lines(T(claim_items=lines, purchases=None)).tolist()
    [True, True, True, False]
    """
    lines = tables.claim_items
    untyped = lines["item_type"].isna().to_numpy(dtype=bool)
    if tables.purchases is not None:
        untyped = untyped & lines["item_code"].isin(set(tables.purchases["item_code"].dropna())).to_numpy(dtype=bool)
    return untyped | lines["item_type"].isin(types).to_numpy(dtype=bool)


def costly_drugs(tables, quantile: float) -> set[str]:
    """The drugs (item codes of :func:`goods_lines` of type ``drug``) whose usual (median) unit
    price is at the ``quantile`` of drugs' usual prices or above: where resale and cash-out pay.

    >>> from types import SimpleNamespace as T
    >>> lines = pd.DataFrame({"item_code": ["A", "A", "B", "C"], "item_type": "drug", "unit_price": [9.0, 11.0, 1.0, 2.0]})
    >>> sorted(costly_drugs(T(claim_items=lines, purchases=None), 0.75))
    ['A']
    """
    lines = tables.claim_items
    price = lines.loc[goods_lines(tables, ("drug",)), ["item_code", "unit_price"]].groupby("item_code")["unit_price"].median()
    return set(price.index[price >= price.quantile(quantile)])


def _line_codes(ctx: Context) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Per fee line, its claim's row (a code of the claim) and its claim's facility as a code
    into the returned names (both -1: claim unknown).

    Codes, not a merged frame: at a million persons the fee lines are 17M
    rows, and a merge copying their text beside the claims' took gigabytes.
    """
    row = ctx.line_rows()
    facility, names = pd.factorize(ctx.claims["facility_id"])
    return row, np.where(row >= 0, facility.astype(np.int32)[np.maximum(row, 0)], np.int32(-1)), pd.Index(names)


def _codes_of(values: pd.Series) -> np.ndarray:
    """An integer code per row (-1: missing), equal codes for equal text, by Arrow's hash
    encoding; its dictionary of distinct values is let go at once (17M traceability codes:
    the pandas way kept text, codes and a second copy of the uniques)."""
    array = pa.array(values.astype("string").array)
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return np.asarray(pc.dictionary_encode(array).indices.fill_null(-1), dtype=np.int64)


def stock_evidence(ctx: Context, params: dict | None = None) -> FacilityEvidence:
    """Items dispensed above purchases, per facility (strength by excess share of purchases)."""
    p = {**PARAMS, **(params or {})}
    tables = ctx.tables
    if tables.claim_items is None or tables.purchases is None:
        return FacilityEvidence("stock_excess", skipped="needs claim_items and purchases")
    lines = tables.claim_items
    _, facility, facilities = _line_codes(ctx)
    item, items = pd.factorize(lines["item_code"])
    goods = goods_lines(tables) & (facility >= 0) & (item >= 0)
    sold = (pd.DataFrame({"f": facility[goods], "i": item[goods].astype(np.int32),
                          "sold": lines["quantity"].to_numpy()[goods], "value": lines["amount"].to_numpy()[goods]})
            .groupby(["f", "i"]).sum().reset_index())
    sold = sold.assign(facility_id=facilities[sold["f"]], item_code=pd.Index(items)[sold["i"]])
    bought = tables.purchases.groupby(["facility_id", "item_code"])["quantity"].sum().rename("bought")
    stocked_facilities = set(tables.purchases["facility_id"].dropna())
    both = sold.join(bought, on=["facility_id", "item_code"], how="left").fillna({"bought": 0.0})
    # a facility that never records stock-in (a hospital ward) cannot be reconciled
    both = both[both["facility_id"].isin(stocked_facilities)]
    both["excess"] = both["sold"] - both["bought"] * (1 + p["tolerance"])
    both["excess_value"] = both["excess"].clip(lower=0) * both["value"] / both["sold"].where(both["sold"] > 0)
    bad = both[(both["excess"] > 0) & (both["excess_value"] >= p["min_excess_value"])]
    out = FacilityEvidence("stock_excess")
    # every sale of an item over its purchases, named by claim
    key = facility * max(len(items), 1) + item
    hit = pd.DataFrame({"f": facility, "claim_id": lines["claim_id"]})[
        goods & np.isin(key, (bad["f"] * max(len(items), 1) + bad["i"]).to_numpy())]
    hit_claims = {facilities[f]: set(ids) for f, ids in hit.groupby("f")["claim_id"]}
    for facility_id, rows in bad.groupby("facility_id"):
        ratio = float(rows["excess"].sum() / max(rows["bought"].sum(), 1.0))
        out.strength[facility_id] = saturate(ratio, p["excess_half"])
        out.facts[facility_id] = {"items_over": int(len(rows)), "excess_qty": float(rows["excess"].sum()),
                                  "excess_value": round(float(rows["excess_value"].sum()), 2),
                                  "excess_ratio": round(ratio, 2)}
        out.claims[facility_id] = hit_claims.get(facility_id, set())
    return out


def trace_evidence(ctx: Context, params: dict | None = None) -> FacilityEvidence:
    """Traceability codes sold on more than one claim, per facility where they were sold."""
    p = {**PARAMS, **(params or {})}
    tables = ctx.tables
    if tables.claim_items is None or tables.claim_items["trace_code"].notna().sum() == 0:
        return FacilityEvidence("trace_reuse", skipped="no traceability codes in claim_items")
    lines = tables.claim_items
    claim, facility, facilities = _line_codes(ctx)
    code = _codes_of(lines["trace_code"])
    traced = (code >= 0) & (facility >= 0)
    # most of 17M fee lines carry a code of their own: only codes on two lines or more can be on
    # two claims, and only those few lines are paired with their claims
    twice = traced & (np.bincount(code[traced], minlength=int(code.max()) + 1)[np.maximum(code, 0)] > 1)
    pairs = pd.DataFrame({"code": code[twice], "claim": claim[twice]}).drop_duplicates()
    claims_per_code = pairs["code"].value_counts()
    reused = twice & np.isin(code, claims_per_code.index[claims_per_code > 1].to_numpy())
    reused = lines.loc[reused, ["claim_id", "trace_code"]].assign(facility_id=facilities[facility[reused]])
    out = FacilityEvidence("trace_reuse")
    for facility, rows in reused.groupby("facility_id"):
        codes = rows["trace_code"].nunique()
        out.strength[facility] = saturate(codes, p["reuse_half"])
        out.facts[facility] = {"codes_reused": int(codes), "claims": int(rows["claim_id"].nunique())}
        out.claims[facility] = set(rows["claim_id"])
    return out
