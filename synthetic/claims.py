"""Claims as columns of integers, before any of them becomes text.

Every generator (honest chunks, traps, rings) produces a ``ClaimBatch``;
batches are concatenated, sliced by person and sorted by settlement time,
and only the writer turns indices into ids and seconds into timestamps.
Times are seconds from the window start; ``MISSING`` marks an empty time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["ClaimBatch", "MISSING", "OUTPATIENT", "INPATIENT", "PHARMACY",
           "CARD", "E_VOUCHER", "FACE", "OTHER", "HONEST", "TRAP", "RING", "DAY", "TRAP_KINDS", "TRAP_KIND"]

MISSING = np.int64(-(2**62))
DAY = 86_400
OUTPATIENT, INPATIENT, PHARMACY = 0, 1, 2
CARD, E_VOUCHER, FACE, OTHER = 0, 1, 2, 3
HONEST, TRAP, RING = 0, 1, 2

#: the honest look-alikes, for counting what each data set holds
TRAP_KINDS: tuple[str, ...] = (
    "couple_visit", "dialysis", "rehabilitation", "dtp_fill", "travel", "travel_same_day", "in_hospital_death",
    "late_settlement", "family_doctor_tablet", "nursing_home_tablet", "accident_admission", "outbreak_admission",
    "employer_screening",
)
TRAP_KIND = {name: i for i, name in enumerate(TRAP_KINDS)}


@dataclass
class ClaimBatch:
    """One row per settlement; ``basket``, ``boxes`` and ``los`` drive the fee lines."""

    person: np.ndarray
    facility: np.ndarray
    practitioner: np.ndarray   # -1: none
    visit: np.ndarray
    settled: np.ndarray
    admitted: np.ndarray
    discharged: np.ndarray
    dx: np.ndarray
    auth: np.ndarray           # -1: still to be drawn
    device: np.ndarray         # -1: none / still to be drawn
    basket: np.ndarray
    boxes: np.ndarray          # boxes of the main drug (fills), 0 if unused
    los: np.ndarray            # days in hospital (per-day fee lines), 1 if unused
    trace_pool: np.ndarray     # -1: fresh trace codes; else reuse a ring's pool
    source: np.ndarray         # HONEST / TRAP / RING
    fund_ratio: np.ndarray     # share paid by the fund; NaN: still to be drawn
    ring: np.ndarray           # planted ring number, -1 for honest claims (never written)
    trap: np.ndarray           # index into TRAP_KINDS, -1 for none (never written)

    @classmethod
    def build(cls, n: int = 0, **columns) -> "ClaimBatch":
        """A batch of ``n`` rows; unspecified columns get their neutral value."""
        defaults = dict(practitioner=-1, admitted=MISSING, discharged=MISSING, auth=-1, device=-1,
                        boxes=0, los=1, trace_pool=-1, source=HONEST, fund_ratio=np.nan, ring=-1, trap=-1)
        dtypes = dict(person=np.int64, facility=np.int64, practitioner=np.int64, visit=np.int8,
                      settled=np.int64, admitted=np.int64, discharged=np.int64, dx=np.int64,
                      auth=np.int8, device=np.int64, basket=np.int64, boxes=np.int64, los=np.int64,
                      trace_pool=np.int64, source=np.int8, fund_ratio=np.float64, ring=np.int64, trap=np.int64)
        values = {}
        for f in fields(cls):
            if f.name in columns:
                column = np.asarray(columns[f.name])
                values[f.name] = (np.full(n, column, dtype=dtypes[f.name]) if column.ndim == 0
                                  else column.astype(dtypes[f.name], copy=False))
            elif f.name in defaults:
                values[f.name] = np.full(n, defaults[f.name], dtype=dtypes[f.name])
            else:
                raise TypeError(f"ClaimBatch column {f.name!r} has no default and was not given")
        if "trap" in columns:
            values["source"][:] = TRAP
        lengths = {len(v) for v in values.values()}
        if lengths != {n}:
            raise ValueError(f"ClaimBatch columns must all have {n} rows, got lengths {sorted(lengths)}")
        return cls(**values)

    def __len__(self) -> int:
        return len(self.person)

    def take(self, index: np.ndarray) -> "ClaimBatch":
        return ClaimBatch(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(batches: list["ClaimBatch"]) -> "ClaimBatch":
        batches = [b for b in batches if b is not None]
        if not batches:
            return ClaimBatch.build(0, person=[], facility=[], visit=[], settled=[], dx=[], basket=[])
        return ClaimBatch(**{f.name: np.concatenate([getattr(b, f.name) for b in batches])
                             for f in fields(ClaimBatch)})

    def by_person(self) -> "ClaimBatch":
        """Sorted by person, so chunks can be sliced with ``searchsorted``."""
        return self.take(np.argsort(self.person, kind="stable"))

    def person_slice(self, first: int, stop: int) -> "ClaimBatch":
        """Rows of persons ``first <= person < stop`` (batch sorted by person)."""
        lo, hi = np.searchsorted(self.person, [first, stop])
        return self.take(np.arange(lo, hi))
