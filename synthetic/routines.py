"""Where each person usually goes: their clinic, pharmacies and hospitals.

People are creatures of habit: most visits go to the clinic and pharmacy
near home, a few to the big hospitals that everybody uses. Persons who moved
away use the facilities of the region they live in. The nursing-home
residents and dormitory workers of the traps are chosen here too, since
they are a matter of where people live.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.households import SINGLE_YOUNG_TEMPLATE
from ringscope.synthetic.knobs import Knobs, scaled_count
from ringscope.synthetic.population import Population
from ringscope.synthetic.providers import Providers

__all__ = ["Routines", "build_routines"]


@dataclass(frozen=True)
class Routines:
    clinic: np.ndarray        # usual primary clinic (or the away hospital)
    pharmacy: np.ndarray      # usual pharmacy
    pharmacy2: np.ndarray     # second pharmacy
    district_hospital: np.ndarray
    nursing_home: np.ndarray  # facility index of the nursing-home clinic, -1
    dormitory: np.ndarray     # dormitory number, -1
    tertiary_p: np.ndarray    # probabilities over providers.of_class("tertiary")


def _pick_in_region(rng, providers: Providers, classes: tuple[str, ...], live_region: np.ndarray,
                    fallback: tuple[str, ...]) -> np.ndarray:
    """For each person a random facility of ``classes`` in their region."""
    out = np.full(len(live_region), -1)
    candidates_all = providers.of_class(*fallback)
    for r in np.unique(live_region):
        who = np.flatnonzero(live_region == r)
        cand = np.flatnonzero(np.isin(providers.cls, classes) & (providers.region == r))
        if len(cand) == 0:
            cand = candidates_all
        out[who] = cand[rng.integers(0, len(cand), len(who))]
    return out


def build_routines(pop: Population, providers: Providers, knobs: Knobs, rng: np.random.Generator) -> Routines:
    live = pop.live_region
    clinic = _pick_in_region(rng, providers, ("community", "township", "village"), live, ("community",))
    pharmacy = _pick_in_region(rng, providers, ("pharmacy",), live, ("pharmacy",))
    pharmacy2 = _pick_in_region(rng, providers, ("pharmacy",), live, ("pharmacy",))
    hospital = _pick_in_region(rng, providers, ("county",), live, ("county",))
    away = pop.mover_out
    for routine, cls in ((clinic, "away_hospital"), (hospital, "away_hospital"),
                         (pharmacy, "away_pharmacy"), (pharmacy2, "away_pharmacy")):
        routine[away] = _pick_in_region(rng, providers, (cls,), live[away], (cls,))
    # elderly living alone move into the nursing home of their district
    nursing_home = np.full(pop.n, -1)
    homes = providers.of_class("nursing")
    low, high = knobs.traps.nursing_home_residents
    lonely = np.flatnonzero((pop.hh.size[pop.hh.household] == 1) & (pop.age >= 70) & ~away)
    for home in homes:
        here = lonely[(live[lonely] == providers.region[home]) & (nursing_home[lonely] < 0)]
        if len(here) < low:
            here = lonely[nursing_home[lonely] < 0]
        chosen = rng.choice(here, size=min(len(here), int(rng.integers(low, high + 1))), replace=False)
        nursing_home[chosen] = home
        clinic[chosen] = home
    # young single workers share a dormitory address
    dormitory = np.full(pop.n, -1)
    workers = np.flatnonzero((pop.hh.template[pop.hh.household] == SINGLE_YOUNG_TEMPLATE) & ~away
                             & (pop.age < 40) & pop.employee)
    n_dorms = scaled_count(knobs.traps.dormitory_per_100k, pop.n, 1)
    for d in range(n_dorms):
        free = workers[dormitory[workers] < 0]
        chosen = rng.choice(free, size=min(len(free), int(rng.integers(30, 201))), replace=False)
        dormitory[chosen] = d
    n_tertiary = len(providers.of_class("tertiary"))
    weights = 1.0 / np.arange(1, n_tertiary + 1) ** 0.6
    return Routines(clinic=clinic, pharmacy=pharmacy, pharmacy2=pharmacy2, district_hospital=hospital,
                    nursing_home=nursing_home, dormitory=dormitory, tertiary_p=weights / weights.sum())
