"""Designated facilities, their practitioners, terminals and prices.

Counts scale with the population so that a 2,000-person extract is a small
prefecture and a million-person one a large one; every facility class exists
at any size because the traps and rings need them (a rehabilitation centre,
a nursing-home clinic, village clinics, DTP pharmacies next to the tertiary
hospitals). Staff numbers follow the expected workload, so that a big
tertiary hospital's doctors each see thousands of patients, as real ones do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringscope.synthetic.catalogue import DEPARTMENTS, ITEMS, item_arrays
from ringscope.synthetic.facility_names import facility_name, street_address
from ringscope.synthetic.knobs import Knobs, scaled_count
from ringscope.synthetic.regions import RegionTable

__all__ = ["Providers", "build_providers", "CLASSES", "KIND_OF_CLASS"]

#: facility class -> (contract kind, level, ownership)
KIND_OF_CLASS: dict[str, tuple[str, str, str]] = {
    "tertiary": ("hospital", "tertiary", "public"),
    "county": ("hospital", "secondary", "public"),
    "private": ("hospital", "secondary", "private"),
    "rehab": ("hospital", "secondary", "private"),
    "community": ("clinic", "primary", "public"),
    "township": ("clinic", "primary", "public"),
    "village": ("clinic", "", "private"),
    "nursing": ("clinic", "", "private"),
    "pharmacy": ("pharmacy", "", "private"),
    "dtp": ("pharmacy", "", "private"),
    "away_hospital": ("hospital", "tertiary", "public"),
    "away_pharmacy": ("pharmacy", "", "private"),
}
CLASSES: tuple[str, ...] = tuple(KIND_OF_CLASS)

# class -> (per 100k persons, minimum, where: urban|rural|home)
_COUNTS = {
    "county": (6.0, 4, "home"), "private": (10.0, 8, "home"), "rehab": (1.0, 1, "home"),
    "community": (20.0, 6, "urban"), "township": (10.0, 3, "rural"), "pharmacy": (45.0, 10, "home"),
}
# share of outpatient visits a class receives, for staffing
_VISIT_SHARE = {"tertiary": 0.25, "county": 0.12, "private": 0.08, "rehab": 0.01,
                "community": 0.33, "township": 0.15, "village": 0.04, "nursing": 0.02}
_DEPTS_OF_CLASS = {
    "tertiary": DEPARTMENTS,
    "away_hospital": ("内科", "外科", "急诊科", "肿瘤科", "儿科"),
    "county": ("内科", "外科", "儿科", "妇产科", "骨科", "急诊科", "中医科", "神经内科", "康复医学科", "肾内科"),
    "private": ("内科", "外科", "骨科", "中医科", "神经内科", "康复医学科"),
    "rehab": ("康复医学科", "中医科", "骨科"),
}
_SERVICE_FACTOR = {"tertiary": 1.0, "away_hospital": 1.15, "county": 0.88, "private": 0.9, "rehab": 0.9}
_VISITS_PER_DOCTOR = 2600.0
_TEST_FACTOR = {"tertiary": 2.2, "away_hospital": 2.2, "county": 1.4, "private": 1.6, "rehab": 1.2}


@dataclass(frozen=True)
class Providers:
    cls: np.ndarray            # class name per facility
    region: np.ndarray         # index into REGIONS
    name: np.ndarray
    address: np.ndarray
    terminal_start: np.ndarray  # first terminal device index
    terminal_count: np.ndarray
    partner: np.ndarray        # DTP pharmacy -> its tertiary hospital, else -1
    price: np.ndarray          # (facilities, items) unit prices in cents
    prac_facility: np.ndarray
    prac_pharmacist: np.ndarray
    prac_dept: np.ndarray      # index into DEPARTMENTS, -1 for pharmacists
    staff_start: np.ndarray    # (facilities * departments) -> first doctor
    staff_count: np.ndarray
    test_factor: np.ndarray    # how much more often than a clinic the facility orders tests
    pharm_start: np.ndarray    # facility -> first pharmacist (pharmacists are contiguous)
    pharm_count: np.ndarray

    @property
    def n(self) -> int:
        return len(self.cls)

    @property
    def n_terminals(self) -> int:
        return int(self.terminal_count.sum())

    def of_class(self, *classes: str) -> np.ndarray:
        return np.flatnonzero(np.isin(self.cls, classes))

    def doctor(self, facility: np.ndarray, dept: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A doctor of ``facility`` in ``dept`` (any doctor there if it lacks the department)."""
        cell = facility * len(DEPARTMENTS) + dept
        return self.staff_start[cell] + (u * self.staff_count[cell]).astype(np.int64)

    def loyal_doctor(self, person: np.ndarray, facility: np.ndarray, dept: np.ndarray) -> np.ndarray:
        """The doctor a patient keeps seeing at a facility: fixed per (person, facility)."""
        cell = facility * len(DEPARTMENTS) + dept
        h = (person.astype(np.int64) * 2654435761 + facility * 40503) % (1 << 31)
        return self.staff_start[cell] + h % np.maximum(self.staff_count[cell], 1)

    def pharmacist(self, facility: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A pharmacist on duty at ``facility``, -1 where it has none."""
        count = self.pharm_count[facility]
        return np.where(count > 0, self.pharm_start[facility] + (u * count).astype(np.int64), -1)


def _place(rng, regions: RegionTable, where: str, count: int) -> np.ndarray:
    idx = regions.indices("home")
    if where != "home":
        idx = idx[regions.rural[idx] == (where == "rural")]
    w = regions.weight[idx]
    return idx[rng.choice(len(idx), size=count, p=w / w.sum())]


def _facility_plan(persons: int, knobs: Knobs, regions: RegionTable, rng) -> tuple[list[str], list[int]]:
    n_tertiary = 3 + persons // 400_000
    urban_idx = regions.indices("home")[~regions.rural[regions.indices("home")]]
    weight = regions.weight[urban_idx] / regions.weight[urban_idx].sum()
    urban = np.resize(rng.choice(urban_idx, size=len(urban_idx), replace=False, p=weight), n_tertiary)
    plan: list[tuple[str, int]] = []
    plan += [("tertiary", int(urban[i])) for i in range(n_tertiary)]
    for cls, (per, minimum, where) in _COUNTS.items():
        plan += [(cls, int(r)) for r in _place(rng, regions, where, scaled_count(per, persons, minimum))]
    t = knobs.traps
    plan += [("village", int(r)) for r in _place(rng, regions, "rural", scaled_count(t.village_clinic_per_100k, persons, 2))]
    plan += [("nursing", int(r)) for r in _place(rng, regions, "home", scaled_count(t.nursing_home_per_100k, persons, 1))]
    plan += [("dtp", int(urban[i])) for i in range(n_tertiary)]
    for zone in ("province", "far"):
        for r in regions.indices(zone):
            plan += [("away_hospital", int(r)), ("away_pharmacy", int(r))]
    return [c for c, _ in plan], [r for _, r in plan]


def _staff(cls: np.ndarray, persons: int, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Doctors (facility, department) and pharmacists, sized by workload."""
    facility, dept, pharmacist = [], [], []
    visits = persons * 4.5
    for f, c in enumerate(cls):
        if c in ("pharmacy", "dtp", "away_pharmacy"):
            k = int(rng.integers(1, 4))
            facility += [f] * k
            dept += [-1] * k
            pharmacist += [True] * k
            continue
        depts = _DEPTS_OF_CLASS.get(c, ("全科医疗科", "中医科"))
        n_class = max(1, int((cls == c).sum()))
        need = visits * _VISIT_SHARE.get(c, 0.01) / n_class / _VISITS_PER_DOCTOR
        minimum = {"village": 1, "nursing": 1}.get(c, len(depts))
        k = max(minimum, int(round(need * rng.uniform(0.8, 1.25))))
        weights = np.linspace(2.0, 1.0, len(depts))
        chosen = np.concatenate([np.arange(min(k, len(depts))),
                                 rng.choice(len(depts), size=max(0, k - len(depts)), p=weights / weights.sum())])
        facility += [f] * len(chosen)
        dept += [DEPARTMENTS.index(depts[i]) for i in chosen]
        pharmacist += [False] * len(chosen)
        if c in ("tertiary", "county", "private", "rehab", "away_hospital"):
            facility.append(f)
            dept.append(-1)
            pharmacist.append(True)
    return np.array(facility), np.array(dept), np.array(pharmacist)


def _prices(cls: np.ndarray, rng) -> np.ndarray:
    base = item_arrays()["price"]
    is_service = item_arrays()["is_service"]
    factor = np.ones((len(cls), len(ITEMS)))
    service = np.array([_SERVICE_FACTOR.get(c, 0.78) for c in cls])
    factor[:, is_service] = service[:, None]
    retail = np.isin(cls, ("pharmacy", "dtp", "away_pharmacy"))
    factor[retail] = rng.uniform(0.94, 1.16, size=(int(retail.sum()), len(ITEMS)))
    return np.rint(base[None, :] * factor).astype(np.int64)


def build_providers(persons: int, knobs: Knobs, regions: RegionTable, rng: np.random.Generator) -> Providers:
    classes, fac_region = _facility_plan(persons, knobs, regions, rng)
    cls, region = np.array(classes), np.array(fac_region)
    serial = {c: 0 for c in CLASSES}
    names, addresses = [], []
    for c, r in zip(classes, fac_region):
        names.append(facility_name(c, r, serial[c], rng))
        addresses.append(street_address(r, rng))
        serial[c] += 1
    prac_facility, prac_dept, prac_pharmacist = _staff(cls, persons, rng)
    doctors = np.flatnonzero(~prac_pharmacist)
    order = doctors[np.lexsort((prac_dept[doctors], prac_facility[doctors]))]
    key = prac_facility[order] * len(DEPARTMENTS) + prac_dept[order]
    cells = np.arange(len(cls) * len(DEPARTMENTS))
    first = np.searchsorted(key, cells, side="left")
    count = np.searchsorted(key, cells, side="right") - first
    # a department a facility lacks falls back to all its doctors
    by_fac_first = np.searchsorted(prac_facility[order], np.arange(len(cls)), side="left")
    by_fac_count = np.searchsorted(prac_facility[order], np.arange(len(cls)), side="right") - by_fac_first
    empty = count == 0
    first[empty] = np.repeat(by_fac_first, len(DEPARTMENTS))[empty]
    count[empty] = np.repeat(by_fac_count, len(DEPARTMENTS))[empty]
    # practitioners are renumbered so that doctors of one facility and
    # department are contiguous; ``staff_start`` indexes that order
    perm = np.concatenate([order, np.flatnonzero(prac_pharmacist)])
    n_doctor_of = np.bincount(prac_facility[~prac_pharmacist], minlength=len(cls))
    terminals = np.clip(np.ceil(n_doctor_of / 8), 1, 40).astype(int)
    terminals[np.isin(cls, ("pharmacy", "away_pharmacy"))] = rng.integers(1, 3, int(np.isin(cls, ("pharmacy", "away_pharmacy")).sum()))
    terminals[np.isin(cls, ("village", "nursing"))] = 1
    pharm_fac = prac_facility[np.flatnonzero(prac_pharmacist)]
    pharm_first = len(order) + np.searchsorted(pharm_fac, np.arange(len(cls)), side="left")
    pharm_count = np.searchsorted(pharm_fac, np.arange(len(cls)), side="right") - (pharm_first - len(order))
    partner = np.full(len(cls), -1)
    partner[cls == "dtp"] = np.flatnonzero(cls == "tertiary")
    return Providers(
        cls=cls, region=region, name=np.array(names), address=np.array(addresses),
        terminal_start=np.concatenate(([0], np.cumsum(terminals)[:-1])), terminal_count=terminals,
        partner=partner, price=_prices(cls, rng),
        prac_facility=prac_facility[perm], prac_pharmacist=prac_pharmacist[perm], prac_dept=prac_dept[perm],
        staff_start=first, staff_count=count, pharm_start=pharm_first, pharm_count=pharm_count,
        test_factor=np.array([_TEST_FACTOR.get(c, 0.7) for c in cls]),
    )
