"""Fee lines (费用明细) from baskets, and what the fund pays of each claim.

All arithmetic is in integer cents: ``amount = quantity * unit_price``
exactly, and a claim's total is the sum of its lines, so the 2-decimal
invariants of the contract hold by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ringscope.synthetic.baskets import FILL, FIXED, ONE, PER_DAY, POISSON, BasketTable
from ringscope.synthetic.catalogue import item_arrays
from ringscope.synthetic.claims import INPATIENT, PHARMACY, ClaimBatch
from ringscope.synthetic.providers import Providers

__all__ = ["Lines", "fee_lines", "draw_fund_ratio", "fund_paid_cents"]

is_service_item = item_arrays()["is_service"]


@dataclass
class Lines:
    claim: np.ndarray        # row of the claim in its batch
    line_no: np.ndarray
    item: np.ndarray
    quantity: np.ndarray
    unit_price: np.ndarray   # cents
    amount: np.ndarray       # cents
    practitioner: np.ndarray

    def take(self, index: np.ndarray) -> "Lines":
        return Lines(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def __len__(self) -> int:
        return len(self.claim)


def _quantity(rule, param, claims: ClaimBatch, claim_row, rng) -> np.ndarray:
    q = np.ones(len(rule), dtype=np.int64)
    pois = rule == POISSON
    q[pois] = 1 + rng.poisson(np.maximum(param[pois] - 1, 0))
    fill = rule == FILL
    q[fill] = np.maximum(claims.boxes[claim_row[fill]], 1)
    day = rule == PER_DAY
    # ward fees (parameter 1) bill exactly one per day; drugs and therapies vary
    jitter = np.where(param[day] == 1, 1.0, rng.uniform(0.8, 1.2, day.sum()))
    q[day] = np.maximum(1, np.rint(claims.los[claim_row[day]] * param[day] * jitter))
    fixed = rule == FIXED
    q[fixed] = param[fixed].astype(np.int64)
    q[rule == ONE] = 1
    return q


def fee_lines(claims: ClaimBatch, table: BasketTable, providers: Providers, rng: np.random.Generator) -> Lines:
    """Every claim's lines; each claim gets at least its basket's first line.

    Pharmacy lines carry the dispensing pharmacist, other lines the claim's
    practitioner.
    """
    n = len(claims)
    count = table.count[claims.basket]
    row = np.repeat(np.arange(n), count)
    offset = np.cumsum(count) - count
    within = np.arange(len(row)) - np.repeat(offset, count)
    tmpl = table.start[claims.basket][row] + within
    # bigger hospitals order more tests: optional service lines scale with level
    test_factor = providers.test_factor[claims.facility][row]
    optional = (table.prob[tmpl] < 1) & is_service_item[table.item[tmpl]]
    prob = np.where(optional, np.minimum(table.prob[tmpl] * test_factor, 0.95), table.prob[tmpl])
    keep = rng.random(len(row)) < prob
    has_any = np.bincount(row[keep], minlength=n) > 0
    keep |= (within == 0) & ~has_any[row]
    row, tmpl = row[keep], tmpl[keep]
    item = table.item[tmpl]
    quantity = _quantity(table.rule[tmpl], table.param[tmpl], claims, row, rng)
    unit = providers.price[claims.facility[row], item]
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    line_no = np.arange(len(row)) - np.repeat(starts, np.diff(np.r_[starts, len(row)])) + 1
    # pharmacy lines name the dispensing pharmacist: the claim's own if it
    # names one, else one on duty (the claim then names the prescriber)
    own = claims.practitioner
    is_pharmacist = (own >= 0) & providers.prac_pharmacist[np.maximum(own, 0)]
    dispenser = np.where(is_pharmacist, own, providers.pharmacist(claims.facility, rng.random(n)))
    prac = np.where(claims.visit[row] == PHARMACY, dispenser[row], own[row])
    return Lines(claim=row, line_no=line_no, item=item, quantity=quantity, unit_price=unit,
                 amount=quantity * unit, practitioner=prac)


def draw_fund_ratio(claims: ClaimBatch, employee: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Share of each claim the fund pays, by visit type and insurance.

    Employees' pharmacy purchases are mostly paid from their personal
    account (counted as fund money, which is what card cash-out drains);
    residents get partial outpatient pooling.
    """
    n = len(claims)
    emp = employee[claims.person]
    u = rng.random(n)
    ratio = np.where(emp, rng.uniform(0.55, 0.8, n), rng.uniform(0.3, 0.6, n))
    pharmacy = claims.visit == PHARMACY
    ratio = np.where(pharmacy & emp, np.where(u < 0.85, 1.0, rng.uniform(0.5, 0.7, n)), ratio)
    ratio = np.where(pharmacy & ~emp, np.where(u < 0.25, 0.0, rng.uniform(0.4, 0.6, n)), ratio)
    inpatient = claims.visit == INPATIENT
    ratio = np.where(inpatient, np.where(emp, rng.uniform(0.82, 0.92, n), rng.uniform(0.6, 0.75, n)), ratio)
    given = ~np.isnan(claims.fund_ratio)
    return np.where(given, claims.fund_ratio, ratio)


def fund_paid_cents(total: np.ndarray, ratio: np.ndarray, inpatient: np.ndarray, deductible: np.ndarray) -> np.ndarray:
    """Fund share in cents, after the inpatient deductible; within ``[0, total]``."""
    base = np.where(inpatient, np.maximum(total - deductible, 0), total)
    return np.clip(np.floor(base * ratio).astype(np.int64), 0, total)
