"""Plans every ring of every typology, at the sizes and intensities of the knobs.

The plan is made once, from the ring stream, before any honest claim is
written; the generator then merges ring claims into the chunks of the
persons they belong to, so nothing in a file's order betrays them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.claims import ClaimBatch
from ringscope.synthetic.identifiers import IdentifierRows
from ringscope.synthetic.knobs import TYPOLOGIES, scaled_count
from ringscope.synthetic.ring_base import RingBuilder, RingFact
from ringscope.synthetic.rings_care import fictitious_services, induced_admission
from ringscope.synthetic.rings_identity import SameDay, card_lending, impersonation
from ringscope.synthetic.rings_pharmacy import card_cashout, drug_resale, prescription_collusion
from ringscope.synthetic.world import RING_STREAM, World

__all__ = ["RingPlan", "plan_rings", "no_rings"]

_PLANNERS = {
    "card_cashout": card_cashout, "induced_admission": induced_admission, "card_lending": card_lending,
    "impersonation": impersonation, "drug_resale": drug_resale, "prescription_collusion": prescription_collusion,
    "fictitious_services": fictitious_services,
}


_ROAMING = ("card_lending", "drug_resale")


@dataclass
class RingPlan:
    claims: ClaimBatch               # sorted by person
    same_day: list[SameDay]          # placed at chunk time, next to the victim's honest claims
    identifiers: IdentifierRows
    labels: list[tuple[int, str, int, str]]
    facts: list[RingFact]
    n_devices: int
    ring_ids: np.ndarray


def _schedule(world: World, typology: str, rng: np.random.Generator) -> list[tuple[int, float]]:
    """(size, intensity) of each ring of one typology."""
    k = world.knobs.rings[typology]
    n = scaled_count(k.per_100k, world.pop.n, k.minimum)
    cap = max(3, int(world.pop.n * k.max_share))
    sizes = [min(s, cap) for s in rng.permutation(np.resize(k.sizes, max(n, len(k.sizes))))[:n]]
    intensities = rng.permutation(np.resize(k.intensities, max(n, len(k.intensities))))[:n]
    return [(int(s), float(x)) for s, x in zip(sizes, intensities)]


def plan_rings(world: World) -> RingPlan:
    rng = np.random.default_rng([world.seed, RING_STREAM])
    builder = RingBuilder(world, rng)
    same_day: list[SameDay] = []
    work = [(t, s, x) for t in TYPOLOGIES for s, x in _schedule(world, t, rng)]
    # rings with a facility of their own choose first; rings that roam over
    # many places (lending, resale) then keep off the places rings own
    own_first = sorted(rng.permutation(len(work)), key=lambda i: work[i][0] in _ROAMING)
    for i in own_first:
        typology, size, x = work[i]
        made = _PLANNERS[typology](builder, size, x)
        if made:
            same_day.extend(made)
    ring_ids = world.ids.ring_ids(np.arange(len(builder.facts)))
    for fact in builder.facts:
        fact.ring_id = str(ring_ids[fact.ring])
    return RingPlan(claims=ClaimBatch.concat(builder.claims).by_person(), same_day=same_day,
                    identifiers=IdentifierRows.concat([IdentifierRows.empty()] + builder.identifiers), labels=builder.labels,
                    facts=builder.facts, n_devices=builder.n_devices, ring_ids=ring_ids)


def no_rings(world: World) -> RingPlan:
    return RingPlan(claims=ClaimBatch.concat([]), same_day=[],
                    identifiers=IdentifierRows.empty(), labels=[],
                    facts=[], n_devices=0, ring_ids=np.zeros(0, str))
