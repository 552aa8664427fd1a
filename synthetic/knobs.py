"""Every tunable number of the synthetic generator, in one documented place.

Why one module: detection engineers, evaluators and the benchmark need to know
what the data was asked to contain (how many rings of each typology, how
blatant they are, how often each honest look-alike occurs) without reading
the generator. Everything here is a rate per person, per 100k persons or a
probability, so the same knobs work from 2,000 to 1,000,000 persons; counts
that would round to zero at small sizes have a ``minimum`` so that every
typology and every trap is present in any data set.

``DEFAULT_KNOBS`` is what ``ringscope generate`` uses. Tests may pass a
modified copy (``dataclasses.replace``) to :func:`ringscope.synthetic.generate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "RingKnobs",
    "TrapKnobs",
    "BehaviourKnobs",
    "Knobs",
    "DEFAULT_KNOBS",
    "TYPOLOGIES",
    "scaled_count",
]

#: The contract's ring typologies, in the order rings are planned.
TYPOLOGIES: tuple[str, ...] = (
    "card_cashout",
    "induced_admission",
    "card_lending",
    "impersonation",
    "drug_resale",
    "prescription_collusion",
    "fictitious_services",
)


def scaled_count(per_100k: float, persons: int, minimum: int) -> int:
    """How many of something a population of ``persons`` holds.

    >>> scaled_count(4.0, 1_000_000, 2)
    40
    >>> scaled_count(4.0, 2_000, 2)
    2
    """
    return max(minimum, int(round(per_100k * persons / 100_000)))


@dataclass(frozen=True)
class RingKnobs:
    """How many rings of one typology, how big and how blatant.

    ``sizes`` and ``intensities`` are cycled through (after a seeded shuffle)
    so that each typology has small and large, blatant and subtle rings at
    every population size. Size counts the ring's persons (cardholders,
    patients, organisers, recruiters, brokers); its practitioners and
    facilities come on top. Intensity 1.0 is blatant; 0.1 is barely above
    honest behaviour (few extra claims, little shared identity, loose timing).
    """

    per_100k: float = 4.0
    minimum: int = 3
    sizes: tuple[int, ...] = (3, 5, 8, 12, 20, 35, 60)
    intensities: tuple[float, ...] = (1.0, 0.6, 0.35, 0.15)
    #: rings never take more than this share of the population each.
    max_share: float = 0.004


@dataclass(frozen=True)
class TrapKnobs:
    """Rates of the honest look-alikes a detector must not flag.

    Each rate is per person of the relevant group unless said otherwise;
    ``*_per_100k`` counts are events or places per 100k persons, with a
    minimum of one so that small data sets contain every trap.
    """

    #: persons living in a household of more than one (shared address, phone)
    household_share: float = 0.82
    #: elderly couples whose e-vouchers a grown child presents from one phone
    proxy_child_share_of_elderly: float = 0.08
    #: elderly living in a nursing home served by one clinic tablet
    nursing_home_per_100k: float = 3.0
    nursing_home_residents: tuple[int, int] = (25, 110)
    #: family-doctor teams visiting elderly at home with one tablet
    family_doctor_per_100k: float = 6.0
    family_doctor_patients: tuple[int, int] = (15, 60)
    #: village clinics whose one terminal serves the whole village
    village_clinic_per_100k: float = 8.0
    #: share of elderly couples' outpatient visits made together
    couple_visit_together: float = 0.35
    #: dialysis patients (CKD stage 5) per 100k, 2-3 fixed sessions a week
    dialysis_per_100k: float = 60.0
    #: rehabilitation courses per 100k (daily physiotherapy for weeks)
    rehab_courses_per_100k: float = 250.0
    #: bus accidents and nursing-home outbreaks per 100k
    group_admission_per_100k: float = 1.5
    group_admission_size: tuple[int, int] = (8, 30)
    #: employer health screenings (staff checked on one day) per 100k
    employer_screening_per_100k: float = 2.0
    employer_staff: tuple[int, int] = (20, 120)
    #: worker dormitories sharing one address, per 100k
    dormitory_per_100k: float = 2.0
    #: heavy honest users of expensive drugs (cancer, DTP pharmacies) per 100k
    dtp_patients_per_100k: float = 45.0
    #: persons insured elsewhere who live and are treated here (moved)
    movers_in_share: float = 0.06
    #: persons insured here who moved away and are treated elsewhere
    movers_out_share: float = 0.01
    #: persons who travel and are treated in another province at least once
    traveller_share: float = 0.03
    #: of travellers, share with a claim at home and one away the same day
    traveller_same_day_share: float = 0.04
    #: of deaths, share that happen in hospital (stay settled on/after death)
    in_hospital_death_share: float = 0.35
    #: of deaths, share with a claim settled after death (lagging settlement
    #: of care given before death: batch-settled chronic care, late uploads)
    late_settlement_death_share: float = 0.10
    #: share of facility-months whose stock-in runs slightly short of sales
    stock_gap_share: float = 0.04
    #: share of facility-months whose stock arrives before the month begins
    stock_early_share: float = 0.30


@dataclass(frozen=True)
class BehaviourKnobs:
    """Honest utilisation: how often people use care, and when."""

    #: first day covered by claims; the window is ``days`` long
    start: date = date(2024, 1, 1)
    days: int = 366
    #: yearly acute outpatient visits for a healthy adult (before age and
    #: chronic multipliers); pharmacy purchases; admissions
    outpatient_rate: float = 2.2
    pharmacy_rate: float = 2.0
    admission_rate: float = 0.075
    #: persons who make no claim all year (young, healthy)
    dormant_share_of_young: float = 0.30
    #: yearly death rate by age band (<60, 60-79, 80+)
    death_rate: tuple[float, float, float] = (0.0015, 0.015, 0.08)
    #: share of employees (rest are resident insurance)
    employee_share_of_adults: float = 0.55
    #: share of persons on a long-term drug regimen, by age band (upper bound, share)
    chronic_by_age: tuple[tuple[int, float], ...] = ((18, 0.01), (45, 0.06), (60, 0.30), (75, 0.55), (200, 0.65))
    #: persons per chunk written at once (memory bound, not a behaviour)
    chunk_persons: int = 50_000


@dataclass(frozen=True)
class Knobs:
    """All knobs: behaviour, traps and one ``RingKnobs`` per typology."""

    behaviour: BehaviourKnobs = field(default_factory=BehaviourKnobs)
    traps: TrapKnobs = field(default_factory=TrapKnobs)
    rings: dict[str, RingKnobs] = field(default_factory=lambda: {
        "card_cashout": RingKnobs(),
        "induced_admission": RingKnobs(sizes=(5, 8, 12, 20, 35, 60)),
        "card_lending": RingKnobs(),
        "impersonation": RingKnobs(sizes=(3, 5, 8, 12, 20)),
        "drug_resale": RingKnobs(sizes=(3, 5, 8, 12, 20, 35)),
        "prescription_collusion": RingKnobs(sizes=(5, 8, 12, 20, 35, 60)),
        "fictitious_services": RingKnobs(sizes=(5, 8, 12, 20, 35, 60)),
    })


DEFAULT_KNOBS = Knobs()
