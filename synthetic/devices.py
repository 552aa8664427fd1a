"""Devices that present credentials, and whose phone presents whose e-voucher.

The honest patterns a card-lending detector must survive live here: family
members' e-vouchers bound in one phone, a grown child presenting both
parents' and parents-in-law's vouchers, nursing-home and family-doctor
tablets presenting dozens of residents' vouchers, village clinics with one
terminal. Device indices: facility terminals first, then personal phones,
then family-doctor team tablets; rings append their own phones later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.households import ELDERLY_COUPLE_TEMPLATE, HEAD
from ringscope.synthetic.knobs import Knobs, scaled_count
from ringscope.synthetic.population import Population
from ringscope.synthetic.providers import Providers
from ringscope.synthetic.routines import Routines

__all__ = ["Devices", "build_devices", "household_first", "TERMINAL", "PHONE"]

TERMINAL, PHONE = 0, 1


@dataclass(frozen=True)
class Devices:
    kind: np.ndarray            # TERMINAL (POS id) or PHONE (phones, tablets: hex id)
    facility: np.ndarray        # owning facility for terminals and tablets, else -1
    phone_of: np.ndarray        # person -> own phone device, -1
    second_phone: np.ndarray    # person -> phone they switched to during the year, -1
    switch_day: np.ndarray      # day of the switch
    presenter: np.ndarray       # person -> device presenting their e-voucher, -1
    proxy: np.ndarray           # person -> person who manages their care (child, staff), -1
    team_tablet: np.ndarray     # facility -> family-doctor team tablet, -1
    team_patients: np.ndarray   # person -> facility whose team visits them at home, -1

    @property
    def n(self) -> int:
        return len(self.kind)


def household_first(pop: Population, has: np.ndarray) -> np.ndarray:
    """Per person, the first member of their household holding ``has`` (-1)."""
    hh = pop.hh
    idx = np.where(has, np.arange(pop.n), np.iinfo(np.int64).max)
    first = np.minimum.reduceat(idx, hh.start)
    first = np.where(first == np.iinfo(np.int64).max, -1, first)
    return first[hh.household]


def build_devices(pop: Population, providers: Providers, routines: Routines, knobs: Knobs,
                  rng: np.random.Generator) -> Devices:
    n, age = pop.n, pop.age
    own_p = np.select([age < 14, age < 18, age < 70, age < 80], [0.0, 0.6, 0.97, 0.6], 0.3)
    owns = rng.random(n) < own_p
    n_term = providers.n_terminals
    phone_of = np.full(n, -1)
    phone_of[owns] = n_term + np.arange(owns.sum())
    switches = owns & (rng.random(n) < 0.08)
    second_phone = np.full(n, -1)
    next_index = n_term + int(owns.sum())
    second_phone[switches] = next_index + np.arange(switches.sum())
    next_index += int(switches.sum())
    switch_day = rng.integers(30, knobs.behaviour.days - 30, n)

    family_phone = household_first(pop, owns & (age >= 18))
    presenter = np.where(owns, phone_of, np.where(family_phone >= 0, phone_of[np.maximum(family_phone, 0)], -1))
    proxy = np.full(n, -1)
    # a grown child (head of another household nearby) presents both parents'
    # vouchers, and often the parents-in-law's too
    hh = pop.hh
    couple_heads = hh.start[(hh.template == ELDERLY_COUPLE_TEMPLATE) & (hh.size == 2)]
    managed = couple_heads[rng.random(len(couple_heads)) < knobs.traps.proxy_child_share_of_elderly]
    children = np.flatnonzero((hh.role == HEAD) & owns & (age >= 30) & (age < 56) & (hh.size[hh.household] >= 3))
    if len(children) and len(managed):
        child = children[rng.integers(0, len(children), len(managed))]
        in_laws = rng.random(len(managed)) < 0.4
        child[1:][in_laws[1:]] = child[:-1][in_laws[1:]]  # the previous child also manages these
        for member in (managed, managed + 1):
            presenter[member] = phone_of[child]
            proxy[member] = child
    residents = np.flatnonzero(routines.nursing_home >= 0)
    home = routines.nursing_home[residents]
    presenter[residents] = providers.terminal_start[home]
    for h in np.unique(home):
        staff = np.flatnonzero((pop.live_region == providers.region[h]) & (age >= 25) & (age < 55))
        proxy[residents[home == h]] = staff[rng.integers(0, len(staff))]

    team_tablet = np.full(providers.n, -1)
    team_patients = np.full(n, -1)
    clinics = providers.of_class("community", "township")
    teams = rng.choice(clinics, size=min(len(clinics), scaled_count(knobs.traps.family_doctor_per_100k, n, 1)),
                       replace=False)
    team_tablet[teams] = next_index + np.arange(len(teams))
    next_index += len(teams)
    low, high = knobs.traps.family_doctor_patients
    for clinic in teams:
        eligible = np.flatnonzero((routines.clinic == clinic) & (age >= 65) & (team_patients < 0)
                                  & (routines.nursing_home < 0))
        chosen = rng.choice(eligible, size=min(len(eligible), int(rng.integers(low, high + 1))), replace=False)
        team_patients[chosen] = clinic

    kind = np.full(next_index, PHONE, dtype=np.int8)
    facility = np.full(next_index, -1)
    facility[:n_term] = np.repeat(np.arange(providers.n), providers.terminal_count)
    tablets = np.isin(providers.cls, ("village", "nursing"))
    kind[:n_term] = np.where(tablets[facility[:n_term]], PHONE, TERMINAL)
    facility[team_tablet[teams]] = teams
    return Devices(kind=kind, facility=facility, phone_of=phone_of, second_phone=second_phone,
                   switch_day=switch_day, presenter=presenter, proxy=proxy, team_tablet=team_tablet,
                   team_patients=team_patients)
