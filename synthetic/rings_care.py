"""Rings that bill care: induced admissions and fictitious services.

Induced admissions bring groups of far-away elderly patients into one
private hospital in waves, with one diagnosis and similar stays; recruiters
are linked to many of them. Fictitious services bill the same services
again and again for patients nobody else ever sees, beyond what the staff
or beds could deliver when the ring is blatant.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.baskets import BASKET_INDEX
from ringscope.synthetic.catalogue import DX_INDEX
from ringscope.synthetic.claims import CARD, DAY, E_VOUCHER, INPATIENT, OTHER, OUTPATIENT, ClaimBatch
from ringscope.synthetic.honest import admission_times
from ringscope.synthetic.identifiers import PHONE_NO, PROXY
from ringscope.synthetic.ring_base import RingBuilder

__all__ = ["induced_admission", "fictitious_services"]

_INDUCED = (("I67.8", "in_stroke"), ("M51.2", "in_spine"), ("I63.9", "in_stroke"), ("M47.8", "in_spine"))


def _staff(b: RingBuilder, ring, facility: int, k: int) -> np.ndarray:
    p = b.world.providers
    doctors = np.flatnonzero((p.prac_facility == facility) & ~p.prac_pharmacist)
    return np.array([b.practitioner(ring, doctors, "doctor") for _ in range(min(k, len(doctors)))])


def induced_admission(b: RingBuilder, size: int, x: float) -> None:
    w, rng, p, pop = b.world, b.rng, b.world.providers, b.world.pop
    ring = b.open("induced_admission", x)
    hospital = b.facility(ring, p.of_class("private"))
    doctors = _staff(b, ring, hospital, int(rng.integers(1, 3)))
    n_recruiters = 1 + size // 15
    adult = (pop.age >= 30) & (pop.age < 60) & ~pop.mover_out & (w.devices.phone_of >= 0)
    recruiters = b.persons(ring, adult & b.alive(ring.end), n_recruiters, "recruiter")
    region_code = int(w.regions.codes[p.region[hospital]])
    far = ((pop.insured_code // 100 != region_code // 100) & (pop.insured_code != region_code)) | pop.mover_in
    far &= w.regions.rural[pop.live_region] | pop.mover_in
    elderly = (pop.age >= 55) & (pop.age < 86) & ~pop.mover_out & b.alive(w.days - 1)
    patients = b.persons(ring, elderly & far, size - len(recruiters), "patient")
    if len(patients) < size - len(recruiters):
        patients = np.concatenate([patients, b.persons(ring, elderly, size - len(recruiters) - len(patients), "patient")])
    dxs = [_INDUCED[i] for i in rng.choice(len(_INDUCED), size=1 if x > 0.5 else 2, replace=False)]
    base_los = int(rng.integers(7, 13))
    spread = int(round(1 + 3 * (1 - x)))
    devices = b.new_devices(len(recruiters))
    rows = []
    for group in b.waves(patients, 2 + int(round(x * 4)), 15, 0.2 + 0.5 * x):
        day = int(b.days(ring, 1)[0])
        start = day + rng.integers(0, 1 + int(4 * (1 - x)), len(group))
        los = np.maximum(2, base_los + rng.integers(-spread, spread + 1, len(group)))
        rows.append((group, start, los))
    who, start, los = (np.concatenate([r[k] for r in rows]) for k in range(3))
    n = len(who)
    pick = rng.integers(0, len(dxs), n)
    dx = np.array([DX_INDEX[d] for d, _ in dxs])[pick]
    basket = np.array([BASKET_INDEX[k] for _, k in dxs])[pick]
    admitted, discharged, settled = admission_times(start, los, rng)
    together = rng.random(n) < x
    admitted = np.where(together, start * DAY + 9 * 3600 + rng.integers(0, 4 * 3600, n), admitted)
    recruiter_device = rng.random(n) < 0.15 + 0.5 * x
    auth = np.where(recruiter_device, E_VOUCHER, -1)
    device = np.where(recruiter_device, devices[rng.integers(0, len(devices), n)], -1)
    b.add(ring, ClaimBatch.build(n, person=who, facility=hospital, practitioner=doctors[rng.integers(0, len(doctors), n)],
                                 visit=INPATIENT, settled=settled, admitted=admitted, discharged=discharged, dx=dx,
                                 basket=basket, los=los, auth=auth, device=device))
    for r in recruiters:
        b.link(ring, patients, PHONE_NO, w.ids.values.mobile(np.array([r]))[0], (0.1 + 0.5 * x) / len(recruiters))
        b.link(ring, patients, PROXY, pop.id_card[r], (0.05 + 0.35 * x) / len(recruiters))


def fictitious_services(b: RingBuilder, size: int, x: float) -> None:
    w, rng, p, pop = b.world, b.rng, b.world.providers, b.world.pop
    ring = b.open("fictitious_services", x)
    inpatient = rng.random() < 0.35
    host = p.of_class("private") if inpatient else p.of_class("rehab", "community", "township", "private")
    facility = b.facility(ring, host)
    doctors = _staff(b, ring, facility, int(rng.integers(1, 3)))
    never_seen = (pop.util == 0) & ~pop.mover_out & b.alive(w.days - 1)
    near = pop.live_region == p.region[facility]
    patients = b.persons(ring, never_seen & near, size, "patient")
    if len(patients) < size:
        patients = np.concatenate([patients, b.persons(ring, never_seen, size - len(patients), "patient")])
    rows = []
    if inpatient:
        los = int(rng.integers(8, 15))
        for group in b.waves(patients, 2 + int(round(x * 3)), 12, 0.3 + 0.5 * x):
            day = int(b.days(ring, 1)[0])
            start = day + rng.integers(0, 1 + int(3 * (1 - x)), len(group))
            stay = np.where(rng.random(len(group)) < 0.5 + 0.5 * x, los, los + rng.integers(-2, 3, len(group)))
            rows.append((group, start, stay))
        who, start, stay = (np.concatenate([r[k] for r in rows]) for k in range(3))
        n = len(who)
        admitted, discharged, settled = admission_times(start, stay, rng)
        batch = ClaimBatch.build(n, person=who, facility=facility, visit=INPATIENT, settled=settled, admitted=admitted,
                                 discharged=discharged, dx=DX_INDEX["M51.2"], basket=BASKET_INDEX["fict_ward"],
                                 los=stay, practitioner=doctors[rng.integers(0, len(doctors), n)])
    else:
        sessions = 3 + rng.poisson(x * 25, len(patients))
        billing_days = np.sort(rng.choice(np.arange(ring.start, ring.end), size=min(ring.end - ring.start,
                                          6 + int(x * 40)), replace=False))
        for person, k in zip(patients, sessions):
            for day in rng.choice(billing_days, size=min(k, len(billing_days)), replace=False):
                rows.append((person, int(day)))
        rows.sort(key=lambda r: r[1])
        who = np.array([r[0] for r in rows])
        day = np.array([r[1] for r in rows])
        n = len(who)
        # a blatant ring keys its fake sessions in one sitting, seconds apart
        gap = np.where(rng.random(n) < x, rng.integers(10, 90, n), rng.integers(180, 1200, n))
        within = _cumsum_by_group(gap, day)
        opening = rng.uniform(14.0, 17.0, w.days)[day] * 3600
        settled = day * DAY + np.minimum(opening + within, DAY - 60).astype(np.int64)
        batch = ClaimBatch.build(n, person=who, facility=facility, visit=OUTPATIENT, settled=settled,
                                 dx=DX_INDEX["M51.2"], basket=BASKET_INDEX["fict_rehab"],
                                 practitioner=doctors[rng.integers(0, len(doctors), n)])
    manual = rng.random(len(batch)) < 0.3 * x
    batch.auth[:] = np.where(manual, OTHER, CARD)
    batch.device[:] = p.terminal_start[facility] + rng.integers(0, p.terminal_count[facility], len(batch))
    b.add(ring, batch)


def _cumsum_by_group(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Running sums of ``values`` restarting where sorted ``groups`` change."""
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    base = np.repeat(total[starts] - values[starts], np.diff(np.r_[starts, len(values)]))
    return total - base
