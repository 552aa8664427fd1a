"""Honest everyday care of one chunk of persons: visits, purchases, stays, refills.

Rates depend on age and chronic conditions through each person's
utilisation multiplier; places follow each person's routines; chronic
patients refill on a renewal process whose gaps vary around the supply the
last fill gave them (so honest supply days overlap a little, as real ones do).
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.baskets import BASKET_INDEX
from ringscope.synthetic.catalogue import DIAGNOSES, DX_INDEX, ITEMS, ITEM_INDEX, REGIMENS
from ringscope.synthetic.claims import INPATIENT, OUTPATIENT, PHARMACY, ClaimBatch
from ringscope.synthetic.sampling import age_sex_group, choose_by_group, dx_department, dx_fits, uniform_days
from ringscope.synthetic.timing import clock, seconds, soften_weekends
from ringscope.synthetic.world import World

__all__ = ["everyday_claims", "admission_times", "ADMISSION_DX", "OUTPATIENT_DX"]

# (diagnosis, basket, weights for child / man / woman / older man / older woman)
OUTPATIENT_DX = (
    ("J06.9", "out_resp", (30, 22, 22, 14, 14)), ("J20.9", "out_resp", (6, 6, 6, 9, 9)),
    ("J03.9", "out_peds", (18, 0, 0, 0, 0)), ("K29.7", "out_gi", (2, 9, 10, 9, 10)),
    ("K52.9", "out_gi", (8, 5, 5, 4, 4)), ("M54.5", "out_msk", (0, 7, 6, 7, 7)),
    ("M47.8", "out_msk", (0, 6, 6, 7, 7)), ("M51.2", "out_msk", (0, 4, 3, 4, 3)),
    ("L30.9", "out_skin", (6, 5, 5, 3, 3)), ("J30.4", "out_skin", (6, 5, 5, 2, 2)),
    ("R53", "out_general", (0, 3, 3, 5, 5)), ("N76.0", "out_gyn", (0, 0, 6, 0, 2)),
    ("Z34.9", "out_prenatal", (0, 0, 4, 0, 0)), ("S06.0", "out_er", (2, 2, 1, 1, 1)),
)
PHARMACY_DX = (
    ("J06.9", "ph_resp", (50, 45, 45, 40, 40)), ("K29.7", "ph_gi", (10, 20, 20, 22, 22)),
    ("M54.5", "ph_msk", (0, 20, 18, 25, 25)), ("L30.9", "ph_skin", (25, 15, 17, 13, 13)),
)
ADMISSION_DX = (
    ("J18.9", "in_pneumonia", (30, 10, 10, 18, 18)), ("I63.9", "in_stroke", (0, 3, 2, 14, 12)),
    ("I67.8", "in_stroke", (0, 3, 3, 8, 9)), ("I25.1", "in_cardiac", (0, 4, 2, 12, 10)),
    ("I10", "in_cardiac", (0, 3, 3, 5, 6)), ("E11.9", "in_general", (0, 3, 3, 6, 6)),
    ("J44.9", "in_copd", (0, 1, 1, 9, 6)), ("M51.2", "in_spine", (0, 8, 6, 5, 5)),
    ("M47.8", "in_spine", (0, 4, 4, 4, 4)), ("S82.2", "in_fracture", (5, 5, 3, 3, 4)),
    ("S06.0", "in_concussion", (8, 3, 2, 2, 2)), ("K52.9", "in_general", (20, 6, 6, 3, 3)),
    ("O80.0", "in_delivery", (0, 0, 22, 0, 0)), ("C34.9", "in_cancer", (0, 1.5, 1, 5, 3)),
    ("C50.9", "in_cancer", (0, 0, 2, 0, 2)), ("N40", "in_general", (0, 0.5, 0, 4, 0)),
    ("B18.1", "in_general", (0, 1, 0.6, 0.6, 0.4)),
)


def _table(spec):
    dx = np.array([DX_INDEX[c] for c, _, _ in spec])
    basket = np.array([BASKET_INDEX[b] for _, b, _ in spec])
    weights = np.array([w for _, _, w in spec], dtype=float).T
    return dx, basket, weights


_OUT, _PH, _ADM = _table(OUTPATIENT_DX), _table(PHARMACY_DX), _table(ADMISSION_DX)
_LOS = np.array([d.los for d in DIAGNOSES])


def _draw_dx(table, person, world: World, rng, fallback: str):
    dx_of, basket_of, weights = table
    pop = world.pop
    col = choose_by_group(age_sex_group(pop.age[person], pop.hh.male[person]), weights, rng)
    dx, basket = dx_of[col], basket_of[col]
    bad = ~dx_fits(dx, pop.age[person], pop.hh.male[person])
    dx[bad] = DX_INDEX[fallback]
    basket[bad] = basket_of[list(dx_of).index(DX_INDEX[fallback])]
    return dx, basket


def _events(person_first: int, rates: np.ndarray, rng) -> np.ndarray:
    counts = rng.poisson(rates)
    return np.repeat(np.arange(len(rates)) + person_first, counts)


def _outpatient(world: World, first: int, stop: int, rng) -> ClaimBatch:
    pop, r, p = world.pop, world.routines, world.providers
    alive = world.alive_until[first:stop]
    rate = world.knobs.behaviour.outpatient_rate * pop.util[first:stop] * alive / world.days
    person = _events(first, rate, rng)
    day = soften_weekends(uniform_days(world.alive_until[person], rng), world.first_weekday,
                          world.alive_until[person], 0.45, rng)
    dx, basket = _draw_dx(_OUT, person, world, rng, "J06.9")
    kind = rng.choice(5, size=len(person), p=[0.47, 0.08, 0.25, 0.12, 0.08])
    tertiary = p.of_class("tertiary")[rng.choice(len(r.tertiary_p), size=len(person), p=r.tertiary_p)]
    private = p.of_class("private")
    other = p.of_class("community", "township")
    facility = np.select([kind == 0, kind == 1, kind == 2, kind == 3],
                         [r.clinic[person], other[rng.integers(0, len(other), len(person))], tertiary,
                          r.district_hospital[person]], private[rng.integers(0, len(private), len(person))])
    facility = np.where(pop.mover_out[person] & (kind >= 2), r.district_hospital[person], facility)
    facility = np.where(r.nursing_home[person] >= 0, r.clinic[person], facility)
    doctor = p.doctor(facility, dx_department(dx), rng.random(len(person)))
    return ClaimBatch.build(len(person), person=person, facility=facility, practitioner=doctor, visit=OUTPATIENT,
                            settled=seconds(day, clock("outpatient", len(person), rng)), dx=dx, basket=basket)


def _pharmacy(world: World, first: int, stop: int, rng) -> ClaimBatch:
    pop, r, p = world.pop, world.routines, world.providers
    alive = world.alive_until[first:stop]
    rate = world.knobs.behaviour.pharmacy_rate * pop.util[first:stop] * alive / world.days
    person = _events(first, rate, rng)
    day = uniform_days(world.alive_until[person], rng)
    dx, basket = _draw_dx(_PH, person, world, rng, "J06.9")
    u = rng.random(len(person))
    any_pharmacy = p.of_class("pharmacy")
    facility = np.where(u < 0.6, r.pharmacy[person], np.where(u < 0.88, r.pharmacy2[person],
                        any_pharmacy[rng.integers(0, len(any_pharmacy), len(person))]))
    facility = np.where(pop.mover_out[person], r.pharmacy[person], facility)
    return ClaimBatch.build(len(person), person=person, facility=facility,
                            practitioner=p.pharmacist(facility, rng.random(len(person))), visit=PHARMACY,
                            settled=seconds(day, clock("pharmacy", len(person), rng)), dx=dx, basket=basket)


def admission_times(day: np.ndarray, los: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Admitted, discharged and settled seconds of stays starting on ``day``."""
    admitted = seconds(day, clock("admission", len(day), rng))
    discharged = seconds(day + los, clock("discharge", len(day), rng))
    return admitted, discharged, discharged + rng.integers(300, 5400, len(day))


def _admissions(world: World, first: int, stop: int, rng) -> ClaimBatch:
    pop, r, p = world.pop, world.routines, world.providers
    age = pop.age[first:stop]
    alive = world.alive_until[first:stop]
    rate = world.knobs.behaviour.admission_rate * pop.util[first:stop] * (1 + (age >= 65)) * alive / world.days
    person = _events(first, rate, rng)
    dx, basket = _draw_dx(_ADM, person, world, rng, "K52.9")
    los = np.clip(np.rint(rng.lognormal(np.log(_LOS[dx]), 0.45)), 1, 60).astype(np.int64)
    last_start = np.minimum(world.alive_until[person], world.days) - los - 1
    keep = last_start > 0
    person, dx, basket, los, last_start = person[keep], dx[keep], basket[keep], los[keep], last_start[keep]
    day = uniform_days(last_start, rng)
    u = rng.random(len(person))
    tertiary = p.of_class("tertiary")[rng.choice(len(r.tertiary_p), size=len(person), p=r.tertiary_p)]
    private = p.of_class("private")
    facility = np.where(u < 0.45, tertiary, np.where(u < 0.76, r.district_hospital[person],
                        private[rng.integers(0, len(private), len(person))]))
    facility = np.where(pop.mover_out[person], r.district_hospital[person], facility)
    admitted, discharged, settled = admission_times(day, los, rng)
    return ClaimBatch.build(len(person), person=person, facility=facility, visit=INPATIENT,
                            practitioner=p.doctor(facility, dx_department(dx), rng.random(len(person))),
                            settled=settled, admitted=admitted, discharged=discharged, dx=dx, basket=basket, los=los)


def _refills(world: World, first: int, stop: int, rng) -> ClaimBatch:
    """Chronic refills: each regimen renews when the last fill runs out, give or take."""
    pop, r, p = world.pop, world.routines, world.providers
    reg = pop.regimen[first:stop]
    person, column = np.nonzero(reg >= 0)
    regimen = reg[person, column].astype(np.int64)
    person = person + first
    drug = np.array([ITEM_INDEX[x.drug] for x in REGIMENS])[regimen]
    per_box = np.array([i.days_per_box for i in ITEMS])[drug]
    max_boxes = np.array([i.max_boxes for i in ITEMS])[drug]
    habit = np.minimum(rng.choice([1, 2, 3], size=len(person), p=[0.4, 0.38, 0.22]), max_boxes)
    careless = rng.random(len(person)) < 0.15
    k = int(np.ceil(world.days / (0.8 * per_box.min()))) + 2
    boxes = np.clip(habit[:, None] + (rng.random((len(person), k)) < 0.25) * rng.choice([-1, 1], (len(person), k)),
                    1, max_boxes[:, None])
    stretch = np.where(careless[:, None], rng.uniform(1.0, 2.2, (len(person), k)), rng.uniform(0.82, 1.25, (len(person), k)))
    gaps = np.rint(boxes * per_box[:, None] * stretch).astype(np.int64)
    start = (rng.random(len(person)) * gaps[:, 0]).astype(np.int64)
    days = start[:, None] + np.cumsum(gaps, axis=1) - gaps
    ok = days < world.alive_until[person][:, None]
    row, slot = np.nonzero(ok)
    pr, day, nbox, reg_of = person[row], days[row, slot], boxes[row, slot], regimen[row]
    n = len(pr)
    dx = np.array([DX_INDEX[x.diagnosis] for x in REGIMENS])[reg_of]
    channel_pharmacy = rng.random(n) < np.where(r.nursing_home[pr] >= 0, 0.05, 0.55)
    ph = np.where(rng.random(n) < 0.7, r.pharmacy[pr], r.pharmacy2[pr])
    facility = np.where(channel_pharmacy, ph, r.clinic[pr])
    prescriber = p.loyal_doctor(pr, r.clinic[pr], dx_department(dx))
    pharmacist = p.pharmacist(facility, rng.random(n))
    practitioner = np.where(channel_pharmacy, np.where(rng.random(n) < 0.7, prescriber, pharmacist), prescriber)
    basket_ph = np.array([BASKET_INDEX[f"ph_{x.key}"] for x in REGIMENS])[reg_of]
    basket_out = np.array([BASKET_INDEX[f"out_{x.key}"] for x in REGIMENS])[reg_of]
    t = np.where(channel_pharmacy, clock("pharmacy", n, rng), clock("outpatient", n, rng))
    return ClaimBatch.build(n, person=pr, facility=facility, practitioner=practitioner,
                            visit=np.where(channel_pharmacy, PHARMACY, OUTPATIENT), settled=seconds(day, t), dx=dx,
                            basket=np.where(channel_pharmacy, basket_ph, basket_out), boxes=nbox)


def everyday_claims(world: World, first: int, stop: int, rng: np.random.Generator) -> ClaimBatch:
    """All routine honest claims of persons ``first <= p < stop``."""
    return ClaimBatch.concat([_outpatient(world, first, stop, rng), _pharmacy(world, first, stop, rng),
                              _admissions(world, first, stop, rng), _refills(world, first, stop, rng)])

