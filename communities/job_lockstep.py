"""Job: cards that arrive together, again and again, at one place (空刷套现).

In the manner of CopyCatch (Beutel et al., WWW 2013): in the card x
(facility, 30-minute window) graph, look for windows that are bursts against
the facility's own median day (:func:`find_bursts`), then for cards that share
at least ``min_shared_bursts`` of them. Camouflage (honest purchases by the
same cards elsewhere) does not hide the block, because only the facility's
bursts are counted. A weekly fixed schedule (dialysis, rehabilitation) makes
lockstep expected, so a block whose bursts fall on at most three weekdays
over four weeks or more is no lockstep evidence at all (the schedule explains it). Other signals scored on the same cards
and place: 进销存 excess and reused traceability codes at the facility,
identifiers tying the cards across households, and burst claims paid well
above the facility kind's median claim.
"""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate, find_bursts, top_share
from ringscope.communities.job_stock import FacilityEvidence
from ringscope.communities.model import JobResult
from ringscope.communities.stats import saturate

__all__ = ["lockstep_job", "PARAMS"]

PARAMS = {"window_min": 30, "min_cards": 4, "min_shared_bursts": 2, "min_persons": 3}


def _weekly(minutes: list[int]) -> bool:
    days = pd.Timestamp(0) + pd.to_timedelta(pd.Series(minutes), unit="min")
    weekdays = days.dt.day_of_week.value_counts()
    span_weeks = (days.max() - days.min()).days / 7
    return span_weeks >= 4 and weekdays.head(3).sum() >= 0.8 * len(days) and len(days) >= 6


def lockstep_job(ctx: Context, facility_evidence: list[FacilityEvidence], *, seed: int = 0,
                 params: dict | None = None) -> JobResult:
    """Candidate groups of cards in lockstep at one facility."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    claims = ctx.claims
    bursts = find_bursts(claims, "facility_id", window=p["window_min"], min_cards=p["min_cards"])
    by_place: dict[str, list] = {}
    for burst in bursts:
        by_place.setdefault(burst.place, []).append(burst)
    kind_median = claims.groupby("facility_kind")["fund_paid"].median()
    out = []
    for facility, found in by_place.items():
        seen = Counter(pid for b in found for pid in set(b.persons))
        core = {pid for pid, n in seen.items() if n >= p["min_shared_bursts"]}
        if len(core) < p["min_persons"]:
            continue
        shared = [b for b in found if len(core & set(b.persons)) >= 2]
        repeats = sum(seen[pid] for pid in core) / len(core)
        weekly = _weekly([b.start_minute for b in shared])
        ids = {c for b in shared for c in b.claim_ids}
        mine = claims[claims["claim_id"].isin(ids)]
        kind = ctx.facility["kind"].get(facility, None)
        ratio = float(mine["fund_paid"].median() / max(kind_median.get(kind, 1.0), 1.0))
        link, facts = ctx.link_signal(core)
        signals = {"lockstep": 0.0 if weekly else saturate(repeats - 1, 2.0),
                   "shared_identifier": link,
                   "high_value": saturate(math.log2(max(ratio, 1.0)) - 1, 1.0)}
        for evidence in facility_evidence:
            signals[evidence.signal] = evidence.strength.get(facility, 0.0)
            if facility in evidence.facts:
                facts[evidence.signal] = evidence.facts[facility]
        staff, staff_share = top_share(mine["practitioner_id"])
        practitioners = {staff: ("pharmacist" if kind == "pharmacy" else "doctor", staff_share)} \
            if staff and staff_share >= 0.5 else {}
        facts.update(facility=facility, facility_kind=kind, bursts=len(shared), cards=len(core),
                     max_cards=max(len(set(b.persons)) for b in shared),
                     min_span=min(b.span_minutes for b in shared), weekly=weekly,
                     value_ratio=round(ratio, 2), claims=int(len(mine)), fund_paid=float(mine["fund_paid"].sum()))
        out.append(candidate(
            "lockstep", "card_cashout" if kind in ("pharmacy", "clinic") else "other",
            persons={pid: ("cardholder", min(1.0, seen[pid] / max(seen.values()))) for pid in core},
            practitioners=practitioners, facilities={facility: 1.0}, signals=signals, facts=facts,
            claim_ids=ids))
    return JobResult("lockstep", p, out)
