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

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ringscope.communities.stats import poisson_surprise, saturate
from ringscope.communities.context import Context

__all__ = ["FacilityEvidence", "stock_evidence", "trace_evidence", "packs_sold_again", "PacksSoldAgain",
           "returned_packs", "goods_lines", "costly_drugs", "PARAMS"]

PARAMS = {"tolerance": 0.15, "min_excess_value": 2000.0, "excess_half": 0.5, "reuse_half": 5.0, "reuse_surprise": 2.0}


@dataclass
class FacilityEvidence:
    """One signal per facility: strength (0..1), the numbers behind it, the claims involved."""

    signal: str
    strength: dict[str, float] = field(default_factory=dict)
    facts: dict[str, dict] = field(default_factory=dict)
    claims: dict[str, set[str]] = field(default_factory=dict)
    skipped: str | None = None
    #: per facility with evidence, how many claims it settled: the share its named claims are of them
    sales: dict[str, int] = field(default_factory=dict)


def evidence_on(claim_ids: set[str], facility: str, facility_evidence: list[FacilityEvidence]) -> dict[str, float]:
    """Each signal's strength at ``facility`` where ``claim_ids`` (a group's claims there) are
    among the claims it names (a sale of an item sold beyond its purchases, a pack sold twice)
    at least as often as the facility's claims at large are, else 0.

    A group at the same counter as another ring's short ledger or resold packs is not implicated
    by them, nor is one that bought there what everyone buys: a cash-out shop reuses the codes
    of packs it sold to honest customers on the claims it bills for none, so a family buying its
    pills there has one pack in a hundred sold again, below the shop's own share, where the
    shop's ring has most of its sales named.

    >>> short = FacilityEvidence("stock_excess", {"SHOP": 0.8}, claims={"SHOP": {"c1", "c2"}}, sales={"SHOP": 10})
    >>> evidence_on({"c2", "c9"}, "SHOP", [short]), evidence_on({"c9"}, "SHOP", [short])
    ({'stock_excess': 0.8}, {'stock_excess': 0.0})
    >>> evidence_on({"c2", *(f"c{k}" for k in range(3, 9))}, "SHOP", [short])  # 1 of 7: below 2 of 10
    {'stock_excess': 0.0}
    """
    out = {}
    for e in facility_evidence:
        named = e.claims.get(facility, set())
        hit = len(claim_ids & named)
        base = len(named) / max(e.sales.get(facility, len(named)), 1)
        out[e.signal] = e.strength.get(facility, 0.0) if hit and hit >= base * len(claim_ids) else 0.0
    return out


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
    stocked_items = set(tables.purchases["item_code"].dropna())
    both = sold.join(bought, on=["facility_id", "item_code"], how="left").fillna({"bought": 0.0})
    # a facility that never records stock-in (a hospital ward) cannot be reconciled, nor an item no
    # facility records stock-in for (consumables an extract's ledger leaves out: every counter
    # "sold" insulin pen needles it never bought)
    both = both[both["facility_id"].isin(stocked_facilities) & both["item_code"].isin(stocked_items)]
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
    out.sales = _sales(ctx, out.strength)
    return out


def _sales(ctx: Context, facilities) -> dict[str, int]:
    """How many claims each of ``facilities`` settled (:attr:`FacilityEvidence.sales`)."""
    return {facility: len(ctx.claims_at(facility, ["claim_id"])) for facility in facilities}


class PacksSoldAgain(NamedTuple):
    """Every sale of a pack whose traceability code is on two claims or more (``sales``:
    ``code``, an integer per code; ``claim``, the claim's row; ``facility_id``, ``claim_id``,
    ``trace_code``), and how many codes each facility sold at all (``codes_sold``)."""

    sales: pd.DataFrame
    codes_sold: pd.Series


def packs_sold_again(ctx: Context) -> PacksSoldAgain | None:
    """The packs sold on two claims or more (:class:`PacksSoldAgain`), None where the fee lines
    carry no codes. Read once for :func:`trace_evidence` and :func:`returned_packs`."""
    lines = ctx.tables.claim_items
    if lines is None or lines["trace_code"].notna().sum() == 0:
        return None
    claim, facility, facilities = _line_codes(ctx)
    facilities = pd.Index(np.asarray(facilities, dtype=object))  # plain names: a categorical's vary by table
    code = _codes_of(lines["trace_code"])
    traced = (code >= 0) & (facility >= 0)
    # most of 17M fee lines carry a code of their own: only codes on two lines or more can be on
    # two claims, and only those few lines are paired with their claims
    twice = traced & (np.bincount(code[traced], minlength=int(code.max()) + 1)[np.maximum(code, 0)] > 1)
    pairs = pd.DataFrame({"code": code[twice], "claim": claim[twice]}).drop_duplicates()
    claims_per_code = pairs["code"].value_counts()
    again = twice & np.isin(code, claims_per_code.index[claims_per_code > 1].to_numpy())
    # codes each facility sold: those on one line each, and the few on several counted once there
    once = np.bincount(facility[traced & ~twice], minlength=len(facilities))
    several = pd.DataFrame({"facility": facility[twice], "code": code[twice]}).drop_duplicates()
    sales = lines.loc[again, ["claim_id", "trace_code"]].assign(
        code=code[again], claim=claim[again], facility_id=facilities[facility[again]])
    return PacksSoldAgain(sales, pd.Series(once + np.bincount(several["facility"], minlength=len(facilities)),
                                           index=facilities))


def trace_evidence(ctx: Context, params: dict | None = None,
                   sold_again: PacksSoldAgain | None = None) -> FacilityEvidence:
    """Traceability codes sold on more than one claim at one facility, per facility, beyond what
    its peers resell (:func:`_peer_reuse`). ``sold_again``: :func:`packs_sold_again`, where
    the caller has it.

    A pack's code is unique, so a code on two claims at one counter is a pack sold twice
    there (a shop swiping cards for packs it never hands over); but honest counters reuse
    codes too: a pack split between customers (拆零), a code scanned again for the next
    customer's pack of the same drug. Where every pharmacy does so at its own small rate, a
    pharmacy at that rate is no evidence however many codes it resold; one far above it is.
    A code sold at two facilities is a pack that left its first buyer and came back to the
    market (回流药): its later sellers' customers bought a pack, and the first buyer is the
    one to ask (:func:`returned_packs`), so it is no evidence on either counter's claims here.
    """
    p = {**PARAMS, **(params or {})}
    sold_again = packs_sold_again(ctx) if sold_again is None else sold_again
    if sold_again is None:
        return FacilityEvidence("trace_reuse", skipped="no traceability codes in claim_items")
    sales, codes_sold = sold_again
    reused = sales[sales.groupby(["code", "facility_id"])["claim"].transform("nunique") > 1]
    codes_reused = reused.groupby("facility_id")["trace_code"].nunique()
    expected = _peer_reuse(ctx, codes_reused, codes_sold) * codes_sold
    out = FacilityEvidence("trace_reuse")
    for facility, rows in reused.groupby("facility_id"):
        codes, chance = int(codes_reused[facility]), float(expected[facility])
        if poisson_surprise(codes, chance) < p["reuse_surprise"] + math.log10(len(codes_reused)):
            continue
        out.strength[facility] = saturate(codes - chance, p["reuse_half"])
        out.facts[facility] = {"codes_reused": codes, "claims": int(rows["claim_id"].nunique()),
                               **({"peers_expected": round(chance, 1)} if chance > 0 else {})}
        out.claims[facility] = set(rows["claim_id"])
    out.sales = _sales(ctx, out.strength)
    return out


def returned_packs(ctx: Context, sold_again: PacksSoldAgain | None) -> pd.Series:
    """Per person, the packs first sold on his claims whose traceability code was sold again at
    another facility later: drugs he obtained that came back to the market (回流药). A seller
    passes the boxes to his broker, who sells them to a pharmacy, and the code is scanned a
    second time there. Empty where the fee lines carry no codes."""
    if sold_again is None or sold_again.sales.empty:
        return pd.Series(dtype=np.int64)
    row = sold_again.sales["claim"].to_numpy()
    sales = sold_again.sales.assign(at=ctx.claims["settled_at"].to_numpy()[row],
                                    person_id=ctx.claims["person_id"].to_numpy()[row])
    first = sales.sort_values("at", kind="stable").drop_duplicates("code")
    places = sales.groupby("code")["facility_id"].nunique()
    came_back = first[first["code"].map(places).to_numpy() > 1]
    return came_back.groupby("person_id").size()


def _peer_reuse(ctx: Context, codes_reused: pd.Series, codes_sold: pd.Series) -> pd.Series:
    """Per facility (index of ``codes_sold``: codes it sold), the share of codes its peers (the
    other facilities of its kind that sold coded packs) resold: the median of theirs, so that a
    few shops reselling packs do not set their peers' baseline, and never its own. Where
    honest counters never reuse a code, the median peer resold none, and every resold code
    counts."""
    rates = (codes_reused.reindex(codes_sold.index).fillna(0.0) / codes_sold.where(codes_sold > 0)).dropna()
    kind = ctx.facility["kind"].reindex(codes_sold.index).fillna("")
    out = pd.Series(0.0, index=codes_sold.index)
    for _, group in rates.groupby(kind.reindex(rates.index).to_numpy()):
        out[group.index] = _median_of_the_others(group.to_numpy())
    return out


def _median_of_the_others(values: np.ndarray) -> np.ndarray:
    """Per value, the median of all the others (0 where there are none).

    >>> _median_of_the_others(np.array([0.0, 0.01, 0.02, 0.5])).tolist()
    [0.02, 0.02, 0.01, 0.01]
    """
    n = len(values)
    if n < 2:
        return np.zeros(n)
    order = np.argsort(values, kind="stable")
    ranked, rank = values[order], np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    m = n - 1  # the others, in order: ranked without one's own rank

    def other(k: int) -> np.ndarray:  # the k-th of the others, per value
        return np.where(k < rank, ranked[k], ranked[np.minimum(k + 1, n - 1)])
    return other(m // 2) if m % 2 else (other(m // 2 - 1) + other(m // 2)) / 2
