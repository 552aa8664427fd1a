"""Honest look-alikes that span households: planned once, before the chunks.

Family-doctor teams visit elderly patients at home in afternoon rounds with
one tablet; nursing-home doctors see residents weekly with the home's
tablet; bus accidents and nursing-home outbreaks put groups into one
hospital the same day; employers send their staff (often dormitory
neighbours) for screening on one morning. Each of these looks like a ring
on one signal and is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ringscope.synthetic.baskets import BASKET_INDEX
from ringscope.synthetic.catalogue import DEPARTMENTS, DX_INDEX, REGIMENS
from ringscope.synthetic.claims import DAY, E_VOUCHER, INPATIENT, OUTPATIENT, TRAP_KIND, ClaimBatch
from ringscope.synthetic.honest import admission_times
from ringscope.synthetic.knobs import scaled_count
from ringscope.synthetic.sampling import dx_department
from ringscope.synthetic.timing import HOUR, weekday
from ringscope.synthetic.world import TRAP_STREAM, World

__all__ = ["TrapPlan", "plan_traps"]

_DEPT = {name: i for i, name in enumerate(DEPARTMENTS)}
_REG_DX = np.array([DX_INDEX[r.diagnosis] for r in REGIMENS])


@dataclass
class TrapPlan:
    claims: ClaimBatch
    #: trap name -> number of groups (teams, homes, events) and of claims
    facts: dict[str, dict[str, int]] = field(default_factory=dict)


def _usual_dx(world: World, persons: np.ndarray) -> np.ndarray:
    reg = world.pop.regimen[persons, 0]
    return np.where(reg >= 0, _REG_DX[np.maximum(reg, 0)], DX_INDEX["R53"])


def _weekdays(world: World) -> np.ndarray:
    day = np.arange(world.days)
    return day[weekday(day, world.first_weekday) < 5]


def _rounds(world: World, facility: int, device: int, patients: np.ndarray, n_rounds: int, per_round: tuple[int, int],
            start_hour: float, step_min: tuple[float, float], basket: str, kind: str, rng,
            weekly_day: int | None = None):
    """Visits in rounds: on each round day the doctor sees several patients minutes apart."""
    p = world.providers
    doctor = int(p.doctor(np.array([facility]), np.array([_DEPT["全科医疗科"]]), rng.random(1))[0])
    days = _weekdays(world)
    if weekly_day is not None:
        days = days[weekday(days, world.first_weekday) == weekly_day]
    rows = []
    for day in np.sort(rng.choice(days, size=min(n_rounds, len(days)), replace=False)):
        alive = patients[world.alive_until[patients] > day]
        k = min(len(alive), int(rng.integers(per_round[0], per_round[1] + 1)))
        if k == 0:
            continue
        who = rng.choice(alive, size=k, replace=False)
        t = start_hour * HOUR + rng.normal(0, 900) + np.cumsum(rng.uniform(*step_min, k) * 60)
        rows.append((who, day * DAY + t.astype(np.int64)))
    if not rows:
        return None
    who = np.concatenate([r[0] for r in rows])
    settled = np.concatenate([r[1] for r in rows])
    n = len(who)
    return ClaimBatch.build(n, person=who, facility=facility, practitioner=doctor, visit=OUTPATIENT,
                            settled=settled, dx=_usual_dx(world, who), basket=BASKET_INDEX[basket],
                            auth=E_VOUCHER, device=device, trap=TRAP_KIND[kind])


def _family_doctors(world: World, rng, facts) -> list[ClaimBatch]:
    d = world.devices
    out = []
    teams = np.flatnonzero(d.team_tablet >= 0)
    for clinic in teams:
        patients = np.flatnonzero(d.team_patients == clinic)
        if len(patients) == 0:
            continue
        visits = int(len(patients) * rng.uniform(4, 8))
        out.append(_rounds(world, int(clinic), int(d.team_tablet[clinic]), patients, max(1, visits // 7), (4, 10),
                           14.0, (12, 40), "out_home_visit", "family_doctor_tablet", rng))
    facts["family_doctor_tablet"] = {"groups": len(teams), "persons": int((d.team_patients >= 0).sum())}
    return out


def _nursing_homes(world: World, rng, facts) -> list[ClaimBatch]:
    r, p = world.routines, world.providers
    out = []
    homes = p.of_class("nursing")
    for home in homes:
        residents = np.flatnonzero(r.nursing_home == home)
        if len(residents) == 0:
            continue
        out.append(_rounds(world, int(home), int(p.terminal_start[home]), residents, 52,
                           (len(residents) // 3, max(len(residents) // 3, len(residents) * 3 // 5)), 8.5, (3, 9),
                           "out_general", "nursing_home_tablet", rng, weekly_day=int(rng.integers(0, 5))))
    facts["nursing_home_tablet"] = {"groups": len(homes), "persons": int((r.nursing_home >= 0).sum())}
    return out


def _group_admissions(world: World, rng, facts) -> list[ClaimBatch]:
    """Bus accidents (random people, injuries) and nursing-home outbreaks (pneumonia)."""
    pop, p, r, t = world.pop, world.providers, world.routines, world.knobs.traps
    n_events = scaled_count(t.group_admission_per_100k, pop.n, 2)
    hospitals = p.of_class("tertiary", "county")
    out, sizes = [], []
    for e in range(n_events):
        day = int(rng.integers(5, world.days - 50))
        hospital = int(hospitals[rng.integers(len(hospitals))])
        if e % 2 == 0:
            pool = np.flatnonzero((world.alive_until > day + 45) & (pop.age >= 5) & (pop.age < 80) & ~pop.mover_out
                                  & (pop.util > 0))
            who = rng.choice(pool, size=int(rng.integers(*t.group_admission_size)), replace=False)
            dx = np.where(rng.random(len(who)) < 0.35, DX_INDEX["S82.2"], DX_INDEX["S06.0"])
            start = day + np.zeros(len(who), dtype=np.int64)
        else:
            homes = p.of_class("nursing")
            residents = np.flatnonzero((r.nursing_home == homes[rng.integers(len(homes))]) & (world.alive_until > day + 45))
            who = rng.choice(residents, size=min(len(residents), int(rng.integers(5, 16))), replace=False)
            dx = np.full(len(who), DX_INDEX["J18.9"])
            start = day + rng.integers(0, 3, len(who))
        n = len(who)
        los = np.clip(np.rint(rng.lognormal(np.log(np.where(dx == DX_INDEX["S82.2"], 14, 7)), 0.4)), 2, 40).astype(np.int64)
        admitted, discharged, settled = admission_times(start, los, rng)
        if e % 2 == 0:
            admitted = day * DAY + int(rng.integers(8, 20) * HOUR) + rng.integers(0, 3 * HOUR, n)
        basket = np.select([dx == DX_INDEX["S82.2"], dx == DX_INDEX["S06.0"]],
                           [BASKET_INDEX["in_fracture"], BASKET_INDEX["in_concussion"]], BASKET_INDEX["in_pneumonia"])
        out.append(ClaimBatch.build(n, person=who, facility=hospital, visit=INPATIENT, settled=settled,
                                    admitted=admitted, discharged=discharged, dx=dx, basket=basket, los=los,
                                    practitioner=p.doctor(np.full(n, hospital), dx_department(dx), rng.random(n)),
                                    trap=TRAP_KIND["accident_admission" if e % 2 == 0 else "outbreak_admission"]))
        sizes.append(n)
    facts["group_admission"] = {"groups": n_events, "persons": int(sum(sizes))}
    return out


def _screenings(world: World, rng, facts) -> list[ClaimBatch]:
    pop, p, r, t = world.pop, world.providers, world.routines, world.knobs.traps
    n_events = scaled_count(t.employer_screening_per_100k, pop.n, 1)
    hospitals = p.of_class("tertiary", "county")
    out, persons = [], 0
    for e in range(n_events):
        day = int(rng.choice(_weekdays(world)))
        size = int(rng.integers(*t.employer_staff))
        dorm = r.dormitory == e if (r.dormitory == e).any() else np.zeros(pop.n, dtype=bool)
        staff = np.flatnonzero(dorm & (world.alive_until > day) & (pop.util > 0))
        others = np.flatnonzero(pop.employee & (pop.age >= 20) & (pop.age < 60) & ~dorm & (world.alive_until > day)
                                & ~pop.mover_out & (pop.util > 0))
        extra = rng.choice(others, size=max(0, size - len(staff)), replace=False)
        who = np.concatenate([staff[:size], extra])
        n = len(who)
        hospital = int(hospitals[rng.integers(len(hospitals))])
        t0 = 7.5 * HOUR + np.sort(rng.uniform(0, 3.5 * HOUR, n))
        doctors = p.doctor(np.full(n, hospital), np.full(n, _DEPT["内科"]), rng.integers(0, 3, n) / 3)
        out.append(ClaimBatch.build(n, person=who, facility=hospital, practitioner=doctors, visit=OUTPATIENT,
                                    settled=day * DAY + t0.astype(np.int64), dx=DX_INDEX["Z10.0"],
                                    basket=BASKET_INDEX["out_screen"], trap=TRAP_KIND["employer_screening"]))
        persons += n
    facts["employer_screening"] = {"groups": n_events, "persons": persons}
    return out


def plan_traps(world: World) -> TrapPlan:
    """All cross-household traps, sorted by person for chunk slicing."""
    rng = np.random.default_rng([world.seed, TRAP_STREAM])
    facts: dict[str, dict[str, int]] = {}
    batches = (_family_doctors(world, rng, facts) + _nursing_homes(world, rng, facts)
               + _group_admissions(world, rng, facts) + _screenings(world, rng, facts))
    claims = ClaimBatch.concat(batches).by_person()
    return TrapPlan(claims=claims, facts=facts)
