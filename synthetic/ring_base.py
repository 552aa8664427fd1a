"""Shared machinery of the planted rings: members, devices, labels, spread in time.

Rings come from their own random stream, seeded from the seed, so the
honest world is the same with or without them. A ring only *adds*: claims,
identifier links and devices; its members are ordinary persons, doctors and
facilities of the honest world, who keep their honest claims as camouflage.
Members are drawn at random (never in id order) and no two rings share one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ringscope.synthetic.claims import DAY, RING, ClaimBatch
from ringscope.synthetic.identifiers import PERSON, IdentifierRows
from ringscope.synthetic.values import RING_OFFSET
from ringscope.synthetic.world import World

__all__ = ["RingFact", "RingBuilder", "Ring"]


@dataclass
class RingFact:
    """What was planted, for the summary, the README and evaluation.

    ``claims``, ``fund_paid_cents`` and the days are counted as the claims
    are written (some impersonation claims are only placed then).
    """

    ring: int
    typology: str
    intensity: float
    persons: int = 0
    practitioners: int = 0
    facilities: int = 0
    claims: int = 0
    first_day: int = -1
    last_day: int = -1
    fund_paid_cents: int = 0
    ring_id: str = ""


@dataclass
class Ring:
    """One ring being built: its number, typology, intensity and time window."""

    number: int
    typology: str
    intensity: float
    start: int
    end: int


@dataclass
class RingBuilder:
    world: World
    rng: np.random.Generator
    used_persons: np.ndarray = None
    used_facilities: set = field(default_factory=set)
    used_practitioners: set = field(default_factory=set)
    touched_facilities: set = field(default_factory=set)
    claims: list = field(default_factory=list)
    identifiers: list = field(default_factory=list)
    labels: list = field(default_factory=list)      # (ring, entity type, index, role)
    facts: list = field(default_factory=list)
    n_devices: int = 0
    n_values: int = 0

    def __post_init__(self):
        self.used_persons = np.zeros(self.world.pop.n, dtype=bool)

    # --- rings, windows -------------------------------------------------
    def open(self, typology: str, intensity: float) -> Ring:
        """A new ring active for 6 to 26 weeks somewhere in the window."""
        days = self.world.days
        length = int(self.rng.integers(42, 183))
        start = int(self.rng.integers(0, max(1, days - length - 2)))
        ring = Ring(len(self.facts), typology, intensity, start, min(days - 1, start + length))
        self.facts.append(RingFact(ring.number, typology, round(intensity, 2)))
        return ring

    def days(self, ring: Ring, n: int) -> np.ndarray:
        return self.rng.integers(ring.start, ring.end, n)

    # --- members ----------------------------------------------------------
    def persons(self, ring: Ring, eligible: np.ndarray, k: int, role: str) -> np.ndarray:
        """``k`` unused persons drawn from ``eligible`` (fewer if the pool is small)."""
        pool = np.flatnonzero(eligible & ~self.used_persons)
        chosen = self.rng.choice(pool, size=min(k, len(pool)), replace=False)
        self.used_persons[chosen] = True
        for p in chosen:
            self.labels.append((ring.number, "person", int(p), role))
        self.facts[ring.number].persons += len(chosen)
        return chosen

    def facility(self, ring: Ring, candidates: np.ndarray, role: str = "facility") -> int:
        """A facility of the ring's own, one no other ring has used."""
        f = int(self.rng.choice(self._first_free(candidates, self.used_facilities | self.touched_facilities,
                                                 self.used_facilities)))
        self.used_facilities.add(f)
        self.labels.append((ring.number, "facility", f, role))
        self.facts[ring.number].facilities += 1
        return f

    @staticmethod
    def _first_free(candidates: np.ndarray, *taken_sets: set) -> np.ndarray:
        """Candidates outside the first of ``taken_sets`` that leaves any (else all)."""
        for taken in taken_sets:
            free = np.array([c for c in candidates if int(c) not in taken], dtype=np.int64)
            if len(free):
                return free
        return np.asarray(candidates)

    def unlabelled(self, candidates: np.ndarray) -> np.ndarray:
        """Facilities no ring has claimed as its own (innocent places rings pass through)."""
        return self._first_free(candidates, self.used_facilities)

    def practitioner(self, ring: Ring, candidates: np.ndarray, role: str) -> int:
        p = int(self.rng.choice(self._first_free(candidates, self.used_practitioners)))
        self.used_practitioners.add(p)
        self.labels.append((ring.number, "practitioner", p, role))
        self.facts[ring.number].practitioners += 1
        return p

    def waves(self, members: np.ndarray, n_waves: int, max_size: int, repeat: float) -> list[np.ndarray]:
        """Groups that together include every member; ``repeat`` of them come back in a later group."""
        n_waves = max(n_waves, int(np.ceil(len(members) / max_size)))
        groups = np.array_split(self.rng.permutation(members), n_waves)
        again = members[self.rng.random(len(members)) < repeat]
        for person in again:
            g = int(self.rng.integers(n_waves))
            if person not in groups[g]:
                groups[g] = np.append(groups[g], person)
        return [g for g in groups if len(g)]

    def alive(self, day: int | np.ndarray) -> np.ndarray:
        """Persons alive (able to claim honestly) through ``day``."""
        return self.world.alive_until > np.max(day)

    # --- devices and identifiers --------------------------------------------
    def new_devices(self, k: int) -> np.ndarray:
        """Indices of ``k`` fresh phones (after every honest device)."""
        out = self.world.devices.n + self.n_devices + np.arange(k)
        self.n_devices += k
        return out

    def new_value_counters(self, k: int) -> np.ndarray:
        """Counters for fresh identifier values (collection accounts, ...)."""
        out = RING_OFFSET + self.n_values + np.arange(k)
        self.n_values += k
        return out

    def link(self, ring: Ring, owners: np.ndarray, kind: int, value, share: float) -> np.ndarray:
        """Give ``share`` of ``owners`` an identifier link to ``value``; returns who got it."""
        who = owners[self.rng.random(len(owners)) < share]
        first = ring.start - self.rng.integers(0, 90, len(who))
        self.identifiers.append(IdentifierRows.of(PERSON, who, kind, np.full(len(who), value), first,
                                                  self.world.days - 1))
        return who

    # --- claims ---------------------------------------------------------------
    def add(self, ring: Ring, batch: ClaimBatch) -> None:
        keep = batch.settled < self.world.days * DAY
        batch = batch.take(np.flatnonzero(keep))
        batch.source[:] = RING
        batch.ring[:] = ring.number
        self.claims.append(batch)
        self.touched_facilities.update(np.unique(batch.facility).tolist())

    def session_times(self, day: int, k: int, start_hour: tuple[float, float], gap_min: tuple[float, float]) -> np.ndarray:
        """``k`` settlement times minutes apart, starting some time in ``start_hour``."""
        t0 = self.rng.uniform(*start_hour) * 3600
        return day * DAY + (t0 + np.cumsum(self.rng.uniform(*gap_min, k) * 60)).astype(np.int64) \
            + self.rng.integers(0, 60, k)
