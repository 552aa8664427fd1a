"""One chunk of persons: honest claims and the ring claims of the same persons.

Honest claims come from the chunk's honest stream and ring claims from the
chunk's ring stream, so removing the rings leaves every honest row, id,
amount and trace code exactly as it was. The two are then merged and
sorted by settlement time, so a ring's rows sit among everyone else's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.auth import assign_auth
from ringscope.synthetic.catalogue import ITEMS
from ringscope.synthetic.claims import INPATIENT, ClaimBatch
from ringscope.synthetic.entity_ids import RING_CLAIM_BASE
from ringscope.synthetic.fee_lines import Lines, draw_fund_ratio, fee_lines, fund_paid_cents
from ringscope.synthetic.honest import everyday_claims
from ringscope.synthetic.rings import RingPlan
from ringscope.synthetic.rings_identity import realise_same_day
from ringscope.synthetic.schedules import couple_visits, household_traps
from ringscope.synthetic.traps import TrapPlan
from ringscope.synthetic.world import CHUNK_STREAM, RING_STREAM, World

__all__ = ["ChunkResult", "Counters", "build_chunk", "RING_TRACE_BASE"]

#: ring trace codes come from the upper half of the 28-bit serial space
RING_TRACE_BASE = 1 << 27
_POOL_BOXES = 6
_TRACEABLE = np.array([i.item_type == "drug" for i in ITEMS])
_DEDUCTIBLE = {"tertiary": 90_000, "away_hospital": 90_000, "county": 60_000, "private": 60_000, "rehab": 60_000}


@dataclass
class Counters:
    """Running counters that keep ids and trace codes unique across chunks."""

    honest_claims: int = 0
    ring_claims: int = 0
    honest_boxes: int = 0
    ring_boxes: int = 0


@dataclass
class ChunkResult:
    claims: ClaimBatch          # sorted by settlement time
    claim_counter: np.ndarray   # counter behind each claim id
    total: np.ndarray           # cents
    fund: np.ndarray            # cents
    lines: Lines                # ordered like their claims
    trace_keys: np.ndarray      # -1: no trace code


def _trace_keys(lines: Lines, claims: ClaimBatch, base: int, rng: np.random.Generator | None) -> tuple[np.ndarray, int]:
    traced = _TRACEABLE[lines.item]
    keys = np.full(len(lines), -1, dtype=np.int64)
    keys[traced] = base + np.arange(int(traced.sum()))
    if rng is not None:
        pool = claims.trace_pool[lines.claim]
        reuse = traced & (pool >= 0)
        keys[reuse] = RING_TRACE_BASE + pool[reuse] * 64 + rng.integers(0, _POOL_BOXES, int(reuse.sum()))
    return keys, int(traced.sum())


def _priced(world: World, claims: ClaimBatch, rng: np.random.Generator) -> Lines:
    assign_auth(world, claims, rng)
    claims.fund_ratio = draw_fund_ratio(claims, world.pop.employee, rng)
    return fee_lines(claims, world.baskets, world.providers, rng)


def build_chunk(world: World, index: int, first: int, stop: int, traps: TrapPlan, rings: RingPlan,
                counters: Counters) -> ChunkResult:
    rng = np.random.default_rng([world.seed, CHUNK_STREAM, index])
    everyday = everyday_claims(world, first, stop, rng)
    honest = ClaimBatch.concat([everyday, couple_visits(world, everyday, rng), household_traps(world, first, stop, rng),
                                traps.claims.person_slice(first, stop)])
    honest_lines = _priced(world, honest, rng)
    honest_keys, used = _trace_keys(honest_lines, honest, counters.honest_boxes, None)
    counters.honest_boxes += used

    ring_rng = np.random.default_rng([world.seed, RING_STREAM, 1 + index])
    specs = [s for s in rings.same_day if first <= s.victim < stop]
    ring = ClaimBatch.concat([rings.claims.person_slice(first, stop), realise_same_day(world, specs, honest, ring_rng)])
    ring_lines = _priced(world, ring, ring_rng)
    ring_keys, used = _trace_keys(ring_lines, ring, RING_TRACE_BASE + (1 << 26) + counters.ring_boxes, ring_rng)
    counters.ring_boxes += used

    claims = ClaimBatch.concat([honest, ring])
    counter = np.concatenate([counters.honest_claims + np.arange(len(honest)),
                              RING_CLAIM_BASE + counters.ring_claims + np.arange(len(ring))])
    counters.honest_claims += len(honest)
    counters.ring_claims += len(ring)
    ring_lines.claim = ring_lines.claim + len(honest)
    lines = Lines(**{k: np.concatenate([getattr(honest_lines, k), getattr(ring_lines, k)])
                     for k in honest_lines.__dataclass_fields__})
    keys = np.concatenate([honest_keys, ring_keys])

    total = np.bincount(lines.claim, weights=lines.amount, minlength=len(claims)).astype(np.int64)
    deductible = np.array([_DEDUCTIBLE.get(c, 40_000) for c in world.providers.cls])[claims.facility]
    fund = fund_paid_cents(total, claims.fund_ratio, claims.visit == INPATIENT, deductible)

    order = np.argsort(claims.settled, kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    line_order = np.lexsort((lines.line_no, position[lines.claim]))
    lines = lines.take(line_order)
    lines.claim = position[lines.claim]
    return ChunkResult(claims=claims.take(order), claim_counter=counter[order], total=total[order], fund=fund[order],
                       lines=lines, trace_keys=keys[line_order])

