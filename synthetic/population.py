"""Insured persons: demography, insurance, health and the honest oddities.

Everything a person *is* (as opposed to what they do) is drawn here from the
world stream, once, for the whole population: later stages (chunked claims,
traps, rings) only read it. Days are counted from the window start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.catalogue import DX_INDEX, ITEM_INDEX, REGIMENS, DIAGNOSES
from ringscope.synthetic.households import ELDER, Households, build_households
from ringscope.synthetic.ids import id_card_numbers
from ringscope.synthetic.knobs import Knobs, scaled_count
from ringscope.synthetic.names import NamePools
from ringscope.synthetic.regions import HOME_CITY_CODE, RegionTable

__all__ = ["Population", "build_population"]

_UTIL_BY_AGE = ((7, 1.9), (18, 0.8), (45, 0.75), (60, 1.0), (75, 1.4), (200, 1.9))


@dataclass(frozen=True)
class Population:
    hh: Households
    birth: np.ndarray          # datetime64[D]
    live_region: np.ndarray    # index into REGIONS: where the person lives
    insured_code: np.ndarray   # 6-digit insuring region (int)
    employee: np.ndarray
    death_day: np.ndarray      # day of death in the window, -1 while alive
    regimen: np.ndarray        # (n, 2) indices into REGIMENS, -1 for none
    util: np.ndarray           # multiplier of honest utilisation (0: dormant)
    surname: np.ndarray        # strings
    given: np.ndarray          # strings
    id_card: np.ndarray        # 18-character strings
    mover_in: np.ndarray       # insured elsewhere, living here
    mover_out: np.ndarray      # insured here, living elsewhere
    dialysis: np.ndarray
    dtp_drug: np.ndarray       # item index of a DTP cancer drug, -1 for none
    dtp_dx: np.ndarray         # diagnosis index of that cancer, -1
    trip_region: np.ndarray    # index into REGIONS of one trip, -1 for none
    trip_start: np.ndarray     # first day of the trip
    trip_days: np.ndarray

    @property
    def n(self) -> int:
        return len(self.birth)

    @property
    def age(self) -> np.ndarray:
        return self.hh.age


def _by_age(age: np.ndarray, table) -> np.ndarray:
    bounds = np.array([b for b, _ in table])
    values = np.array([v for _, v in table])
    return values[np.searchsorted(bounds, age, side="right")]


def _pick_region(rng, regions: RegionTable, zone: str, n: int) -> np.ndarray:
    return regions.indices(zone)[rng.choice(len(regions.indices(zone)), size=n, p=regions.probabilities(zone))]


def _regimens(rng, age, male, chronic_by_age) -> np.ndarray:
    n = len(age)
    weights = np.array([r.weight for r in REGIMENS], dtype=float)
    has = rng.random(n) < _by_age(age, chronic_by_age)
    second = has & (age >= 45) & (rng.random(n) < 0.35)
    out = np.full((n, 2), -1, dtype=np.int16)
    out[has, 0] = rng.choice(len(REGIMENS), size=has.sum(), p=weights / weights.sum())
    out[second, 1] = rng.choice(len(REGIMENS), size=second.sum(), p=weights / weights.sum())
    male_only = np.array([DIAGNOSES[DX_INDEX[r.diagnosis]].sex == "M" for r in REGIMENS])
    for col in (0, 1):
        bad = (out[:, col] >= 0) & male_only[np.maximum(out[:, col], 0)] & ~male
        out[bad, col] = 0
    out[out[:, 1] == out[:, 0], 1] = -1
    return out


def build_population(persons: int, knobs: Knobs, regions: RegionTable, pools: NamePools,
                     rng: np.random.Generator) -> Population:
    """Draw every person's attributes from the world stream ``rng``."""
    b, t = knobs.behaviour, knobs.traps
    hh = build_households(persons, rng, pools.surname, t.household_share)
    n, age, male, house = hh.n_persons, hh.age, hh.male, hh.household
    n_house = len(hh.start)

    birth_day = np.datetime64(b.start) - (age * 365.25 + rng.integers(1, 365, n)).astype("timedelta64[D]")
    home = _pick_region(rng, regions, "home", n_house)
    mover_out_h = rng.random(n_house) < t.movers_out_share
    mover_in_h = ~mover_out_h & (rng.random(n_house) < t.movers_in_share)
    away = np.where(rng.random(n_house) < 0.6, _pick_region(rng, regions, "province", n_house),
                    _pick_region(rng, regions, "far", n_house))
    live_region = np.where(mover_out_h, away, home)[house]
    origin = away[house]

    adult, senior = (age >= 18) & (age < 60), age >= 60
    employee = (adult & (rng.random(n) < b.employee_share_of_adults)) | (senior & (rng.random(n) < 0.4))
    live_code = regions.codes[home[house]].astype(np.int64)
    insured = np.where(employee & (rng.random(n) < 0.65), int(HOME_CITY_CODE), live_code)
    mover_in = (mover_in_h[house] & ~employee) | ((hh.role == ELDER) & (rng.random(n) < 0.4))
    insured = np.where(mover_in, regions.codes[origin].astype(np.int64), insured)

    born_here = rng.random(n)
    other_home = _pick_region(rng, regions, "home", n)
    birth_code = np.select(
        [mover_in, born_here < 0.55, born_here < 0.85, born_here < 0.97],
        [regions.codes[origin], regions.codes[home[house]], regions.codes[other_home],
         regions.codes[_pick_region(rng, regions, "province", n)]],
        regions.codes[_pick_region(rng, regions, "far", n)],
    ).astype(np.int64)
    id_card = id_card_numbers(birth_code, birth_day, male, rng)

    death_rate = np.select([age < 60, age < 80], list(b.death_rate[:2]), b.death_rate[2])
    dies = rng.random(n) < death_rate
    death_day = np.where(dies, rng.integers(0, b.days, n), -1)

    regimen = _regimens(rng, age, male, b.chronic_by_age)
    chronic = (regimen >= 0).sum(axis=1)
    util = rng.gamma(1.5, 1 / 1.5, n) * _by_age(age, _UTIL_BY_AGE) * (1 + 0.45 * chronic)
    dormant = (chronic == 0) & (((age >= 18) & (age < 45) & (rng.random(n) < b.dormant_share_of_young))
                                | ((age >= 7) & (age < 18) & (rng.random(n) < 0.1)))
    util[dormant] = 0.0

    dialysis = _choose(rng, (age >= 35) & (age < 86) & (death_day < 0),
                       scaled_count(t.dialysis_per_100k, n, 3))
    dtp = _choose(rng, (age >= 40) & (age < 86) & ~dialysis, scaled_count(t.dtp_patients_per_100k, n, 3))
    lung = rng.random(n) < 0.7
    dtp_drug = np.where(dtp, np.where(lung, ITEM_INDEX["osimertinib"], ITEM_INDEX["lenalidomide"]), -1)
    dtp_dx = np.where(dtp, np.where(lung, DX_INDEX["C34.9"], DX_INDEX["C90.0"]), -1)
    util[dialysis | dtp] = np.maximum(util[dialysis | dtp], 1.0)

    traveller = (age >= 18) & (util > 0) & (rng.random(n) < t.traveller_share) & ~mover_out_h[house]
    trip_region = np.where(traveller, _pick_region(rng, regions, "far", n), -1)
    trip_days = rng.integers(3, 21, n)
    trip_start = rng.integers(0, b.days - 21, n)

    return Population(
        hh=hh, birth=birth_day, live_region=live_region, insured_code=insured, employee=employee,
        death_day=death_day, regimen=regimen, util=util.astype(np.float32),
        surname=pools.surnames[hh.surname], given=pools.given(rng, male), id_card=id_card,
        mover_in=mover_in, mover_out=mover_out_h[house], dialysis=dialysis, dtp_drug=dtp_drug,
        dtp_dx=dtp_dx, trip_region=trip_region, trip_start=trip_start, trip_days=trip_days,
    )


def _choose(rng: np.random.Generator, eligible: np.ndarray, count: int) -> np.ndarray:
    """A boolean mask of ``count`` persons drawn from ``eligible``."""
    pool = np.flatnonzero(eligible)
    chosen = rng.choice(pool, size=min(count, len(pool)), replace=False)
    mask = np.zeros(len(eligible), dtype=bool)
    mask[chosen] = True
    return mask
