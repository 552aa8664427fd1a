"""Counts of what a generated extract holds, for the summary, tests and README.

Trap facts say how many groups (households, tablets, centres, events) and
persons each honest look-alike involves, and how many claims it produced,
so that tests can check the rates set in ``knobs`` and detection engineers
can see what they must not flag.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.claims import TRAP_KINDS, ClaimBatch
from ringscope.synthetic.world import World

__all__ = ["world_trap_facts", "count_trap_claims"]


def world_trap_facts(world: World) -> dict[str, dict[str, int]]:
    """Traps that are a matter of who people are and live with (no claims needed)."""
    pop, d, r, p = world.pop, world.devices, world.routines, world.providers
    hh = pop.hh
    shared = hh.size[hh.household] > 1
    proxied = (d.proxy >= 0) & (r.nursing_home < 0)
    village = p.of_class("village")
    return {
        "household_shared_address": {"groups": int((hh.size > 1).sum()), "persons": int(shared.sum())},
        "proxy_child_phone": {"groups": int(len(np.unique(d.proxy[proxied]))), "persons": int(proxied.sum())},
        "village_clinic_terminal": {"groups": len(village), "persons": int(np.isin(r.clinic, village).sum())},
        "dormitory_address": {"groups": int(len(np.unique(r.dormitory[r.dormitory >= 0]))),
                              "persons": int((r.dormitory >= 0).sum())},
        "mover_in": {"groups": 0, "persons": int(pop.mover_in.sum())},
        "mover_out": {"groups": 0, "persons": int(pop.mover_out.sum())},
        "dialysis_patient": {"groups": 0, "persons": int(pop.dialysis.sum())},
        "dtp_patient": {"groups": 0, "persons": int((pop.dtp_drug >= 0).sum())},
        "death": {"groups": 0, "persons": int((pop.death_day >= 0).sum())},
    }


def count_trap_claims(claims: ClaimBatch, into: dict[str, dict[str, int]]) -> None:
    """Add one chunk's trap claims and persons (chunks never share a person)."""
    for code in np.unique(claims.trap[claims.trap >= 0]):
        mine = claims.trap == code
        entry = into.setdefault(TRAP_KINDS[code], {"claims": 0, "persons": 0})
        entry["claims"] += int(mine.sum())
        entry["persons"] += int(len(np.unique(claims.person[mine])))
