"""Honest look-alikes that live within one household: traps drawn per chunk.

Dialysis on fixed weekly slots (lockstep groups at one centre), daily
rehabilitation courses, monthly DTP fills of cancer drugs prescribed at a
tertiary hospital the patient did not visit that day, trips to other
provinces (a few with a claim at home and one away the same day), deaths in
hospital settled after the date of death, care settled days after a death,
and elderly couples who see the doctor together.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.baskets import BASKET_INDEX
from ringscope.synthetic.catalogue import DEPARTMENTS, DX_INDEX, ITEMS, REGIMENS
from ringscope.synthetic.claims import DAY, INPATIENT, OUTPATIENT, PHARMACY, TRAP, TRAP_KIND, ClaimBatch
from ringscope.synthetic.honest import admission_times
from ringscope.synthetic.sampling import dx_department, dx_fits
from ringscope.synthetic.timing import HOUR, clock, seconds, weekday
from ringscope.synthetic.world import World

__all__ = ["household_traps", "couple_visits"]

_DEPT = {name: i for i, name in enumerate(DEPARTMENTS)}


def _slots(persons: np.ndarray, start: np.ndarray, end: np.ndarray, allowed: np.ndarray, world: World,
           attend: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """(person row, day) of every allowed weekday in ``[start, end)`` attended."""
    day = np.arange(world.days)
    wd = weekday(day, world.first_weekday)
    ok = (day[None, :] >= start[:, None]) & (day[None, :] < end[:, None]) & allowed[:, wd]
    ok &= rng.random(ok.shape) < attend
    return np.nonzero(ok)


def _dialysis(world: World, persons: np.ndarray, rng) -> ClaimBatch:
    p = world.providers
    centres = p.of_class("tertiary", "county")
    centre = centres[rng.integers(0, len(centres), len(persons))]
    pattern = rng.integers(0, 2, len(persons))
    allowed = np.zeros((len(persons), 7), dtype=bool)
    allowed[:, [0, 2, 4]] = (pattern == 0)[:, None]
    allowed[:, [1, 3, 5]] = (pattern == 1)[:, None]
    shift = rng.choice([int(7.5 * HOUR), 12 * HOUR, int(16.5 * HOUR)], size=len(persons))
    row, day = _slots(persons, np.zeros(len(persons), int), world.alive_until[persons], allowed, world, 0.97, rng)
    n = len(row)
    settled = seconds(day, shift[row] + 4 * HOUR + rng.normal(0, 600, n).astype(np.int64))
    who, fac = persons[row], centre[row]
    return ClaimBatch.build(n, person=who, facility=fac, visit=OUTPATIENT, settled=settled,
                            practitioner=p.loyal_doctor(who, fac, np.full(n, _DEPT["肾内科"])),
                            dx=DX_INDEX["N18.5"], basket=BASKET_INDEX["dialysis"], trap=TRAP_KIND["dialysis"],
                            fund_ratio=rng.uniform(0.85, 0.92, n))


def _rehab(world: World, first: int, stop: int, rng) -> ClaimBatch:
    p, pop = world.providers, world.pop
    age = pop.age[first:stop]
    prob = world.knobs.traps.rehab_courses_per_100k / 100_000 * np.where(age >= 50, 2.0, 0.6)
    alive = world.alive_until[first:stop]
    persons = np.flatnonzero((rng.random(stop - first) < prob) & (alive > 60) & ~pop.mover_out[first:stop]
                             & (pop.util[first:stop] > 0)) + first
    rehab = p.of_class("rehab")
    centre = np.where(rng.random(len(persons)) < 0.6, rehab[rng.integers(0, len(rehab), len(persons))],
                      world.routines.district_hospital[persons])
    start = (rng.random(len(persons)) * (world.alive_until[persons] - 50)).astype(np.int64)
    end = start + rng.integers(14, 43, len(persons))
    allowed = np.tile(np.array([True] * 6 + [False]), (len(persons), 1))
    slot = np.where(rng.random(len(persons)) < 0.6, rng.uniform(8, 11, len(persons)), rng.uniform(14, 16.5, len(persons)))
    row, day = _slots(persons, start, end, allowed, world, 0.9, rng)
    n = len(row)
    t = (slot[row] * HOUR + rng.normal(0, 900, n)).astype(np.int64)
    dx = np.array([DX_INDEX["I69.3"], DX_INDEX["M51.2"], DX_INDEX["M47.8"]])[
        rng.choice(3, size=len(persons), p=[0.5, 0.3, 0.2])][row]
    who, fac = persons[row], centre[row]
    return ClaimBatch.build(n, person=who, facility=fac, visit=OUTPATIENT, settled=seconds(day, t),
                            practitioner=p.loyal_doctor(who, fac, np.full(n, _DEPT["康复医学科"])),
                            dx=dx, basket=BASKET_INDEX["rehab"], trap=TRAP_KIND["rehabilitation"])


def _dtp(world: World, persons: np.ndarray, rng) -> ClaimBatch:
    p, pop, r = world.providers, world.pop, world.routines
    tertiary = p.of_class("tertiary")
    hospital = tertiary[rng.choice(len(tertiary), size=len(persons), p=r.tertiary_p)]
    pharmacy = np.flatnonzero(p.cls == "dtp")[np.searchsorted(tertiary, hospital)]
    per_box = np.array([i.days_per_box for i in ITEMS])[pop.dtp_drug[persons]]
    k = world.days // 18 + 2
    gaps = np.rint(per_box[:, None] * rng.uniform(0.93, 1.12, (len(persons), k))).astype(np.int64)
    days = (rng.random(len(persons)) * per_box).astype(np.int64)[:, None] + np.cumsum(gaps, axis=1) - gaps
    row, slot = np.nonzero(days < world.alive_until[persons][:, None])
    n = len(row)
    who, day = persons[row], days[row, slot]
    oncologist = p.loyal_doctor(who, hospital[row], np.full(n, _DEPT["肿瘤科"]))
    drug_basket = np.where(pop.dtp_drug[who] == ITEMS.index(next(i for i in ITEMS if i.key == "osimertinib")),
                           BASKET_INDEX["ph_osimertinib"], BASKET_INDEX["ph_lenalidomide"])
    fills = ClaimBatch.build(n, person=who, facility=pharmacy[row], practitioner=oncologist, visit=PHARMACY,
                             settled=seconds(day, clock("pharmacy", n, rng)), dx=pop.dtp_dx[who],
                             basket=drug_basket, boxes=1, trap=TRAP_KIND["dtp_fill"], fund_ratio=rng.uniform(0.7, 0.8, n))
    visit = slot % 3 == 0
    m = int(visit.sum())
    visits = ClaimBatch.build(m, person=who[visit], facility=hospital[row][visit], practitioner=oncologist[visit],
                              visit=OUTPATIENT, settled=seconds(np.maximum(day[visit] - rng.integers(0, 4, m), 0),
                                                                clock("outpatient", m, rng)),
                              dx=pop.dtp_dx[who[visit]], basket=BASKET_INDEX["out_oncology"], trap=TRAP_KIND["dtp_fill"])
    return ClaimBatch.concat([fills, visits])


def _travel(world: World, persons: np.ndarray, rng) -> ClaimBatch:
    p, pop, r = world.providers, world.pop, world.routines
    persons = persons[pop.trip_start[persons] + pop.trip_days[persons] < world.alive_until[persons]]
    count = rng.integers(1, 4, len(persons))
    row = np.repeat(np.arange(len(persons)), count)
    who = persons[row]
    day = pop.trip_start[who] + (rng.random(len(row)) * pop.trip_days[who]).astype(np.int64)
    region = pop.trip_region[who]
    hospital_of = {int(rg): f for f, rg in zip(p.of_class("away_hospital"), p.region[p.of_class("away_hospital")])}
    pharmacy_of = {int(rg): f for f, rg in zip(p.of_class("away_pharmacy"), p.region[p.of_class("away_pharmacy")])}
    to_hospital = rng.random(len(row)) < 0.5
    facility = np.where(to_hospital, [hospital_of[int(x)] for x in region], [pharmacy_of[int(x)] for x in region])
    same_day = np.zeros(len(row), dtype=bool)
    first_of_person = np.r_[True, row[1:] != row[:-1]]
    lucky = rng.random(len(persons)) < world.knobs.traps.traveller_same_day_share
    same_day[first_of_person] = lucky
    day = np.where(same_day, pop.trip_start[who], day)
    t = np.where(same_day, rng.integers(15 * HOUR, 21 * HOUR, len(row)),
                 np.where(to_hospital, clock("outpatient", len(row), rng), clock("pharmacy", len(row), rng)))
    n = len(row)
    away = ClaimBatch.build(
        n, person=who, facility=facility, visit=np.where(to_hospital, OUTPATIENT, PHARMACY), settled=seconds(day, t),
        practitioner=np.where(to_hospital, p.doctor(facility, np.full(n, _DEPT["内科"]), rng.random(n)),
                              p.pharmacist(facility, rng.random(n))),
        dx=DX_INDEX["J06.9"], basket=np.where(to_hospital, BASKET_INDEX["out_resp"], BASKET_INDEX["ph_resp"]),
        trap=TRAP_KIND["travel"])
    home_who = persons[lucky]
    m = len(home_who)
    home = ClaimBatch.build(m, person=home_who, facility=r.pharmacy[home_who], visit=PHARMACY,
                            practitioner=p.pharmacist(r.pharmacy[home_who], rng.random(m)),
                            settled=seconds(pop.trip_start[home_who], rng.integers(int(7.6 * HOUR), int(9.5 * HOUR), m)),
                            dx=DX_INDEX["J06.9"], basket=BASKET_INDEX["ph_resp"], trap=TRAP_KIND["travel_same_day"])
    return ClaimBatch.concat([away, home])


def _deaths(world: World, persons: np.ndarray, rng) -> ClaimBatch:
    """Stays that end in death (settled at or after it) and care settled days after a death."""
    p, pop, r, t = world.providers, world.pop, world.routines, world.knobs.traps
    u = rng.random(len(persons))
    in_hospital = persons[u < t.in_hospital_death_share]
    late = persons[(u >= t.in_hospital_death_share) & (u < t.in_hospital_death_share + t.late_settlement_death_share)]
    n = len(in_hospital)
    death = pop.death_day[in_hospital]
    los = np.clip(np.rint(rng.lognormal(np.log(9), 0.6, n)), 1, 60).astype(np.int64)
    admitted, discharged, _ = admission_times(death - los, los, rng)
    settled = discharged + rng.integers(0, 7 * DAY, n)
    settled = np.minimum(settled, world.days * DAY - 1)
    dx = np.array([DX_INDEX[c] for c in ("J18.9", "I63.9", "C34.9", "I25.1")])[rng.integers(0, 4, n)]
    basket = np.select([dx == DX_INDEX["J18.9"], dx == DX_INDEX["I63.9"], dx == DX_INDEX["C34.9"]],
                       [BASKET_INDEX["in_pneumonia"], BASKET_INDEX["in_stroke"], BASKET_INDEX["in_cancer"]],
                       BASKET_INDEX["in_cardiac"])
    tertiary = p.of_class("tertiary")
    hospital = np.where(rng.random(n) < 0.6, tertiary[rng.integers(0, len(tertiary), n)], r.district_hospital[in_hospital])
    stays = ClaimBatch.build(n, person=in_hospital, facility=hospital, visit=INPATIENT, settled=settled,
                             admitted=admitted, discharged=discharged, dx=dx, basket=basket, los=los,
                             practitioner=p.doctor(hospital, dx_department(dx), rng.random(n)), trap=TRAP_KIND["in_hospital_death"])
    m = len(late)
    day = pop.death_day[late] + rng.integers(1, 16, m)
    keep = day < world.days
    late, day, m = late[keep], day[keep], int(keep.sum())
    regimen = pop.regimen[late, 0]
    basket = np.where(regimen >= 0, np.array([BASKET_INDEX[f"out_{x.key}"] for x in REGIMENS])[np.maximum(regimen, 0)],
                      BASKET_INDEX["out_general"])
    dx = np.where(regimen >= 0, np.array([DX_INDEX[x.diagnosis] for x in REGIMENS])[np.maximum(regimen, 0)],
                  DX_INDEX["R53"])
    clinic = r.clinic[late]
    settled_late = ClaimBatch.build(m, person=late, facility=clinic, visit=OUTPATIENT,
                                    settled=seconds(day, clock("outpatient", m, rng)), dx=dx, basket=basket, boxes=1,
                                    practitioner=p.loyal_doctor(late, clinic, dx_department(dx)), trap=TRAP_KIND["late_settlement"])
    return ClaimBatch.concat([stays, settled_late])


def household_traps(world: World, first: int, stop: int, rng: np.random.Generator) -> ClaimBatch:
    """Every per-person trap of persons ``first <= p < stop``."""
    pop = world.pop
    local = np.arange(first, stop)
    return ClaimBatch.concat([
        _dialysis(world, local[pop.dialysis[first:stop]], rng),
        _rehab(world, first, stop, rng),
        _dtp(world, local[pop.dtp_drug[first:stop] >= 0], rng),
        _travel(world, local[pop.trip_region[first:stop] >= 0], rng),
        _deaths(world, local[pop.death_day[first:stop] >= 0], rng),
    ])


def couple_visits(world: World, outpatient: ClaimBatch, rng: np.random.Generator) -> ClaimBatch:
    """Elderly spouses who come along: a visit of the same place, minutes apart."""
    pop = world.pop
    spouse = pop.hh.spouse[outpatient.person]
    elderly = (spouse >= 0) & (pop.age[outpatient.person] >= 60) & (pop.age[np.maximum(spouse, 0)] >= 60)
    lead = elderly & (outpatient.person < spouse) & (outpatient.visit == OUTPATIENT) & (outpatient.source != TRAP)
    lead &= rng.random(len(outpatient)) < world.knobs.traps.couple_visit_together
    pick = np.flatnonzero(lead)
    day = outpatient.settled[pick] // DAY
    pick = pick[day < world.alive_until[spouse[pick]]]
    base = outpatient.take(pick)
    n = len(pick)
    same_doctor = rng.random(n) < 0.6
    other = world.providers.doctor(base.facility, dx_department(base.dx), rng.random(n))
    fits = dx_fits(base.dx, pop.age[spouse[pick]], pop.hh.male[spouse[pick]])
    return ClaimBatch.build(n, person=spouse[pick], facility=base.facility,
                            practitioner=np.where(same_doctor, base.practitioner, other), visit=OUTPATIENT,
                            settled=base.settled + rng.integers(60, 900, n),
                            dx=np.where(fits, base.dx, DX_INDEX["R53"]),
                            basket=np.where(fits, base.basket, BASKET_INDEX["out_general"]),
                            boxes=base.boxes, trap=TRAP_KIND["couple_visit"])
