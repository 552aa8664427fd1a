"""Stock-in records (进) that cover what each facility dispenses (销).

Dispensed quantities are summed per facility, item and month while claims
are written; purchases then cover each month with one to three deliveries
and a small safety margin. Honest oddities: some deliveries arrive days
before the month they cover, and a few facility-months run slightly short
(the remainder came from earlier stock or a transfer). Goods a card
cash-out ring never dispensed are never bought, which is the 进销存 gap
a reconciliation finds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.catalogue import ITEMS
from ringscope.synthetic.knobs import TrapKnobs

__all__ = ["Dispensing", "purchases", "SUPPLIERS"]

SUPPLIERS = ("国药控股河南股份有限公司", "华润河南医药有限公司", "九州通医药集团股份有限公司",
             "上药控股河南有限公司", "河南省医药有限公司", "郑州瑞康医药有限公司")


@dataclass
class Dispensing:
    """Quantities dispensed per (facility, item, month)."""

    quantity: np.ndarray  # (facilities, items, months)
    month_of_day: np.ndarray
    month_first_day: np.ndarray

    @classmethod
    def empty(cls, n_facilities: int, start: np.datetime64, days: int) -> "Dispensing":
        day = np.datetime64(start, "D") + np.arange(days)
        month = day.astype("datetime64[M]")
        first_month = month[0]
        month_index = (month - first_month).astype(np.int64)
        n_months = int(month_index[-1]) + 1
        first_day = ((first_month + np.arange(n_months)).astype("datetime64[D]") - np.datetime64(start, "D")).astype(np.int64)
        return cls(np.zeros((n_facilities, len(ITEMS), n_months), dtype=np.int64), month_index, first_day)

    def add(self, facility: np.ndarray, item: np.ndarray, day: np.ndarray, quantity: np.ndarray) -> None:
        shape = self.quantity.shape
        flat = (facility * shape[1] + item) * shape[2] + self.month_of_day[day]
        self.quantity += np.bincount(flat, weights=quantity, minlength=self.quantity.size).astype(np.int64).reshape(shape)


def purchases(dispensed: Dispensing, price: np.ndarray, retail: np.ndarray, traps: TrapKnobs,
              rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Deliveries covering ``dispensed``: facility, item, day, quantity, unit price (cents), supplier."""
    sold = dispensed.quantity
    gap = rng.random(sold.shape) < traps.stock_gap_share
    cover = np.where(gap, rng.uniform(0.93, 0.99, sold.shape), rng.uniform(1.0, 1.12, sold.shape))
    # each month tops the shelf up to what it expects to sell; leftovers carry over
    bought = np.zeros_like(sold)
    shelf = np.zeros(sold.shape[:2], dtype=np.int64)
    for month in range(sold.shape[2]):
        target = np.ceil(sold[:, :, month] * cover[:, :, month]).astype(np.int64)
        bought[:, :, month] = np.maximum(target - shelf, 0)
        shelf = np.maximum(shelf + bought[:, :, month] - sold[:, :, month], 0)
    f, i, m = np.nonzero(bought)
    need = bought[f, i, m]
    parts = np.minimum(rng.integers(1, 4, len(need)), need)
    row = np.repeat(np.arange(len(need)), parts)
    share = rng.random(len(row)) + 0.2
    total_share = np.bincount(row, weights=share, minlength=len(need))
    qty = np.floor(need[row] * share / total_share[row]).astype(np.int64)
    first = np.r_[True, row[1:] != row[:-1]] if len(row) else np.zeros(0, dtype=bool)
    qty[first] += need - np.bincount(row, weights=qty, minlength=len(need)).astype(np.int64)
    keep = qty > 0
    row, qty, first = row[keep], qty[keep], first[keep]
    month_start = dispensed.month_first_day[m[row]]
    early = first & (rng.random(len(row)) < traps.stock_early_share)
    day = np.where(early, month_start - rng.integers(1, 11, len(row)), month_start + rng.integers(0, 25, len(row)))
    fac, item = f[row], i[row]
    margin = np.where(retail[fac], rng.uniform(0.78, 0.9, len(row)), 1.0)
    supplier = np.array(SUPPLIERS)[(fac * 7 + item * 3 + (rng.random(len(row)) < 0.2)) % len(SUPPLIERS)]
    order = np.lexsort((item, day, fac))
    return {"facility": fac[order], "item": item[order], "day": day[order], "quantity": qty[order],
            "unit_price": np.rint(price[fac, item] * margin).astype(np.int64)[order], "supplier": supplier[order]}
