"""The honest world of one seed: people, places, habits, devices, identifiers.

Built once per generation from the world stream, before any claim, so that
traps and rings can pick their people from it and chunked claim generation
only reads it. Nothing in here depends on whether rings are planted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.baskets import BasketTable, basket_table
from ringscope.synthetic.devices import Devices, build_devices
from ringscope.synthetic.entity_ids import EntityIds
from ringscope.synthetic.identifiers import IdentifierRows, honest_identifiers
from ringscope.synthetic.ids import id_card_numbers
from ringscope.synthetic.knobs import Knobs
from ringscope.synthetic.names import name_pools
from ringscope.synthetic.population import Population, build_population
from ringscope.synthetic.providers import Providers, build_providers
from ringscope.synthetic.regions import RegionTable, region_table
from ringscope.synthetic.routines import Routines, build_routines

__all__ = ["World", "build_world", "WORLD_STREAM", "CHUNK_STREAM", "TRAP_STREAM", "RING_STREAM"]

#: independent random streams: the honest world never draws from the ring one
WORLD_STREAM, CHUNK_STREAM, TRAP_STREAM, RING_STREAM = 0, 1, 2, 3


@dataclass(frozen=True)
class World:
    seed: int
    knobs: Knobs
    regions: RegionTable
    pop: Population
    providers: Providers
    routines: Routines
    devices: Devices
    ids: EntityIds
    identifiers: IdentifierRows
    baskets: BasketTable
    first_weekday: int
    prac_name: np.ndarray
    prac_id_card: np.ndarray
    #: per person, the first day they can no longer claim honestly (death or window end)
    alive_until: np.ndarray

    @property
    def days(self) -> int:
        return self.knobs.behaviour.days


def build_world(seed: int, persons: int, knobs: Knobs) -> World:
    rng = np.random.default_rng([seed, WORLD_STREAM])
    regions = region_table()
    pools = name_pools()
    pop = build_population(persons, knobs, regions, pools, rng)
    providers = build_providers(persons, knobs, regions, rng)
    routines = build_routines(pop, providers, knobs, rng)
    devices = build_devices(pop, providers, routines, knobs, rng)
    ids = EntityIds(seed, persons, providers, devices)
    identifiers = honest_identifiers(pop, providers, routines, devices, ids, knobs.behaviour.days, rng)
    n_prac = len(providers.prac_facility)
    male = rng.random(n_prac) < 0.52
    birth = np.datetime64(knobs.behaviour.start) - rng.integers(26 * 365, 62 * 365, n_prac).astype("timedelta64[D]")
    region = regions.codes[providers.region[providers.prac_facility]].astype(np.int64)
    prac_id_card = id_card_numbers(region, birth, male, rng)
    return World(seed=seed, knobs=knobs, regions=regions, pop=pop, providers=providers, routines=routines,
                 devices=devices, ids=ids, identifiers=identifiers, baskets=basket_table(),
                 first_weekday=knobs.behaviour.start.weekday(),
                 prac_name=np.char.add(pools.surnames[pools.surname(rng, n_prac)], pools.given(rng, male)),
                 prac_id_card=prac_id_card,
                 alive_until=np.where(pop.death_day >= 0, pop.death_day, knobs.behaviour.days))
