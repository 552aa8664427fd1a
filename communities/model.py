"""Typed results of detection: candidate groups from jobs, merged rings, a run.

Why dataclasses: every result says how it was made (job name, parameters,
seed) so a ring in an investigator's queue can be traced back to the signals
and settings that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["TYPOLOGIES", "ROLES", "Member", "Candidate", "JobResult", "Ring", "DetectionResult"]

#: The contract's typology vocabulary.
TYPOLOGIES = ("card_cashout", "induced_admission", "card_lending", "impersonation", "drug_resale",
              "prescription_collusion", "fictitious_services", "other")
ROLES = ("organiser", "recruiter", "cardholder", "doctor", "pharmacist", "facility")

#: a member key: (entity_type, entity_id), entity_type in person|practitioner|facility
Key = tuple[str, str]


@dataclass(frozen=True)
class Member:
    """One entity of a group, with its role and how strongly it is implicated (0..1)."""

    entity_type: str
    entity_id: str
    role: str
    score: float

    @property
    def key(self) -> Key:
        return (self.entity_type, self.entity_id)


@dataclass
class Candidate:
    """A group one job found, with per-signal strengths (0..1) and the facts behind them.

    ``signals`` are independent lines of evidence (``burst``, ``stock_excess``,
    ``shared_identifier`` ...); ``facts`` hold the numbers the summary quotes.
    """

    job: str
    typology: str
    members: dict[Key, Member]
    signals: dict[str, float]
    facts: dict[str, Any] = field(default_factory=dict)
    claim_ids: frozenset[str] = frozenset()

    def persons(self) -> set[str]:
        return {eid for (etype, eid) in self.members if etype == "person"}


@dataclass
class JobResult:
    """What one job produced, or why it was skipped, and the parameters it ran with."""

    job: str
    params: dict[str, Any]
    candidates: list[Candidate]
    skipped: str | None = None
    seconds: float = 0.0


@dataclass
class Ring:
    """A merged, scored, explained ring: one row of ``rings.csv``."""

    ring_id: str
    typology: str
    score: float
    breakdown: dict[str, float]
    members: list[Member]
    claim_ids: frozenset[str]
    n_claims: int
    fund_paid: float
    first_seen: str
    last_seen: str
    summary_zh: str
    summary_en: str
    jobs: tuple[str, ...]
    #: most common insuring region of the member persons, else region of the member facilities ("" if none)
    region_code: str = ""

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def summary(self) -> str:
        return f"{self.summary_zh} / {self.summary_en}"


@dataclass
class DetectionResult:
    """A whole run: rings (best first), per-job results and the run's record."""

    run_id: str
    rings: list[Ring]
    jobs: list[JobResult]
    params: dict[str, Any]
