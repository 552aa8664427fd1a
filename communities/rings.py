"""From candidate groups to rings: merge overlaps, score, pick a typology, name.

Merging rule: two candidates are one ring when the Jaccard similarity of
their person sets is >= ``MERGE_OVERLAP`` (Jaccard, not overlap with the
smaller, so that a large loose candidate cannot swallow small rings and
chain them into one), or, for candidates without persons, when they share a
member. Signals from the
merged candidates are combined per signal name (the strongest reading of
each), so independent jobs that point at the same people raise the score;
the score itself is :func:`ringscope.communities.stats.combine_signals`.

Ring ids are derived from the members (a hash of the sorted
``entity_type:entity_id`` keys), so the same ring found by a later run keeps
its id and the investigators' decision history stays attached to it.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from ringscope.communities.explain import summarise
from ringscope.communities.model import Candidate, Member, Ring
from ringscope.communities.stats import combine_signals

__all__ = ["merge_candidates", "build_rings", "ring_id_for", "MERGE_OVERLAP"]

MERGE_OVERLAP = 0.5
#: rings scored below this are dropped: a candidate with no signal is not worth a row
MIN_LISTED_SCORE = 0.05


def ring_id_for(members) -> str:
    """Stable id from member keys: ``R-`` and 12 hex digits.

    >>> ring_id_for([("person", "P2"), ("person", "P1")]) == ring_id_for([("person", "P1"), ("person", "P2")])
    True
    """
    text = "\n".join(sorted(f"{etype}:{eid}" for etype, eid in members))
    return "R-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _overlaps(a: Candidate, b: Candidate) -> bool:
    pa, pb = a.persons(), b.persons()
    if pa and pb:
        return len(pa & pb) / len(pa | pb) >= MERGE_OVERLAP
    return bool(set(a.members) & set(b.members)) and not (pa or pb)


def merge_candidates(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Groups of overlapping candidates (transitively), each group best-scored first."""
    parent = list(range(len(candidates)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_person: dict[str, list[int]] = {}
    for index, cand in enumerate(candidates):
        for pid in cand.persons():
            by_person.setdefault(pid, []).append(index)
    for index, cand in enumerate(candidates):
        near = {j for pid in cand.persons() for j in by_person[pid] if j > index}
        if not cand.persons():
            near = {j for j in range(index + 1, len(candidates)) if set(cand.members) & set(candidates[j].members)}
        for j in near:
            if _overlaps(cand, candidates[j]):
                parent[find(index)] = find(j)
    groups: dict[int, list[Candidate]] = {}
    for index, cand in enumerate(candidates):
        groups.setdefault(find(index), []).append(cand)
    return [sorted(g, key=lambda c: -combine_signals(c.signals)) for g in groups.values()]


def _ring(group: list[Candidate], claims: pd.DataFrame) -> Ring:
    signals: dict[str, float] = {}
    members: dict[tuple[str, str], Member] = {}
    claim_ids: set[str] = set()
    facts: dict = {}
    for cand in group:
        for name, value in cand.signals.items():
            signals[name] = max(signals.get(name, 0.0), value)
        for key, member in cand.members.items():
            if key not in members or member.score > members[key].score:
                members[key] = member if key not in members else Member(*key, members[key].role, member.score)
        claim_ids |= cand.claim_ids
        for key, value in cand.facts.items():
            facts.setdefault(key, value)
    lead = group[0]
    mine = claims[claims["claim_id"].isin(claim_ids)]
    score = combine_signals(signals)
    first = mine["settled_at"].min()
    last = mine["settled_at"].max()
    ordered = sorted(members.values(), key=lambda m: (m.entity_type, m.entity_id))
    zh, en = summarise(lead.typology, lead.job, facts, len(members), len(mine), float(mine["fund_paid"].sum()))
    return Ring(ring_id_for(members), lead.typology, score, dict(sorted(signals.items())), ordered,
                frozenset(claim_ids), int(len(mine)), round(float(mine["fund_paid"].sum()), 2),
                "" if pd.isna(first) else first.date().isoformat(),
                "" if pd.isna(last) else last.date().isoformat(),
                zh, en, tuple(sorted({c.job for c in group})))


def build_rings(candidates: list[Candidate], claims: pd.DataFrame) -> list[Ring]:
    """Merged, scored and explained rings, highest score first (ties by ring id)."""
    rings = [ring for ring in (_ring(group, claims) for group in merge_candidates(candidates))
             if ring.score >= MIN_LISTED_SCORE]
    return sorted(rings, key=lambda r: (-r.score, r.ring_id))
