"""From candidate groups to rings: merge overlaps, score, pick a typology, name.

Merging rule: two candidates are one ring when the Jaccard similarity of
their person sets is >= ``MERGE_OVERLAP`` (Jaccard, not overlap with the
smaller, so that a large loose candidate cannot swallow small rings and
chain them into one); or when they name the same facility,
most of the smaller one's persons are in the larger and the larger is at
most ``MERGE_SIZE_RATIO`` times the smaller, or nearly all of them are
(``MERGE_INSIDE``) whatever the sizes (two jobs seeing the same ring
from two sides, e.g. the burst at the shop and the phones behind the cards,
each see part of it); or when both read as a cash-out
(:func:`typology_from_signals`) at the same shop and share a card, however
few: the shop is the ring, and the cards one job saw in lockstep at its
counter and those another tied to its collector are its customers on paper
alike; or when both read as an induced admission at the same hospital,
whoever their persons, or, both flagged, as fictitious services at the same
clinic or as prescription collusion between the same pharmacy and doctors of
the same hospital (``PLACE_SCHEMES``: a hospital's recruited patients and its
wave from far away are its one scheme, a clinic's blocks of bills keyed in
for no one are, and so are the doctors of one hospital whom one pharmacy
pays); or when they name the same
facility and most of the claims of one are those of the other, flagged on its
own (:func:`_same_events`); or when nearly every person of one is in a tied group
flagged on its own and both read as card lending or drug resale
(:func:`_same_roamers`: a lender's cards swiped together at one more pharmacy). Those last rules make a
fragment part of a ring, and a part joins one ring only, the one it shares the
most with: a fragment never chains two rings. Or, for candidates without
persons, when they share a member. Signals from the
merged candidates are combined per signal name (the strongest reading of
each), so independent jobs that point at the same people raise the score;
the score itself is :func:`ringscope.communities.stats.combine_signals`.

A ring that reads as card lending or drug resale holds persons (and the places
a group of ties names): the pharmacies where a lender's cards were swiped in
lockstep are where his cards went, not members of his ring.

The typology follows the signals the merged ring carries, not the job that
produced its best candidate: each typology has a signature (the signals that
only it leaves, weighted 1, and the ones it shares with others, weighted
less), and the ring takes the typology with the highest weighted sum of its
signature's signals (several of a typology's tells together beat one loud
tell of another). Cards found together by the shared-identifier job at a shop whose
sales exceed its stock-in are a cash-out ring, not card lending.

Ring ids are derived from the members (a hash of the sorted
``entity_type:entity_id`` keys), so the same ring found by a later run keeps
its id and the investigators' decision history stays attached to it.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from ringscope.communities.evaluation import FLAG_SCORE
from ringscope.communities.explain import summarise
from ringscope.communities.model import Candidate, Member, Ring
from ringscope.communities.stats import combine_signals, jaccard

__all__ = ["merge_candidates", "build_rings", "ring_id_for", "typology_from_signals", "region_of",
           "MERGE_OVERLAP", "MERGE_SIZE_RATIO", "MERGE_INSIDE", "SIGNATURES"]

MERGE_OVERLAP = 0.5
#: the most a candidate anchored at the same place may outsize the one it absorbs
MERGE_SIZE_RATIO = 3.0
#: ... unless the smaller lies (almost) wholly inside it: a fragment of the same ring at the same place
MERGE_INSIDE = 0.8
#: rings scored below this are dropped: a candidate with no signal is not worth a row
MIN_LISTED_SCORE = 0.05


#: per typology, the signals it leaves and how specific each is to it (1: only this typology leaves it;
#: negative: a signal that speaks against it)
SIGNATURES: dict[str, dict[str, float]] = {
    # tied cards crowding a shop whose ledger does not add up, or swiped at its counter in sessions
    # ... or cards of people seen nowhere else swiped there in bursts; one shop's scheme, so cards
    # that drew their drugs at many facilities, none of them most (the resale job's reading), are not
    # its customers on paper: the shops' short ledgers are where a broker's sellers filled
    "card_cashout": {"stock_excess": 1.0, "trace_reuse": 1.0, "shop_focus": 1.0, "counter_sessions": 1.0,
                     "dormant_cards": 1.0, "untreated_sales": 1.0, "many_facilities": -1.0},
    "drug_resale": {"excess_supply": 1.0, "many_facilities": 0.5, "co_started": 1.0, "returned_packs": 1.0},
    # recruited patients are real people, seen elsewhere too: a ward of patients never seen
    # anywhere else was filled on paper, however it was admitted
    "induced_admission": {"waves": 1.0, "far_patients": 1.0, "same_diagnosis": 1.0, "recruiters": 0.5,
                          "recruiter_device": 0.5, "identical_stays": 0.5,
                          "admission_focus": 1.0, "isolated_patients": -1.0},
    # flags of cards behind one channel (a clerk, a phone) are the impersonation job's own tell
    "impersonation": {"impossible_cards": 1.0, "flag_kinds": 1.0, "shared_channel": 1.0},
    "prescription_collusion": {"flow_concentration": 1.0, "inflated_quantity": 0.5, "steered_inflation": 1.0,
                               "crowded_inflation": 1.0, "crowded_flow": 1.0, "kickback_tie": 1.0},
    # a ward's stays billed from one template: recruited patients' stays may be copied too; the
    # drugs on bills for no one were never given, so the ledger does not add up either
    "fictitious_services": {"isolated_patients": 1.0, "over_capacity": 1.0, "identical_stays": 1.0,
                            "admitted_together": 1.0, "billed_together": 1.0, "stock_excess": 0.5},
    # lent cards are also used to draw drugs beyond need, so excess supply is a shared tell
    # a lender's few cards carried to several places on phones that are none of theirs
    "card_lending": {"device_burst": 1.0, "shared_identifier": 0.5, "excess_supply": 0.5, "carried_cards": 1.0,
                     "third_party_device": 0.5},
}


def typology_from_signals(signals: dict[str, float], fallback: str) -> str:
    """The typology whose signature the signals fit best; ``fallback`` when none is present.

    >>> typology_from_signals({"shared_identifier": 0.6, "stock_excess": 0.8}, "card_lending")
    'card_cashout'
    >>> typology_from_signals({"lockstep": 0.9}, "other")
    'other'
    """
    best, best_fit = fallback, 0.0
    for typology, signature in SIGNATURES.items():
        fit = sum(weight * signals.get(name, 0.0) for name, weight in signature.items())
        if fit > best_fit:
            best, best_fit = typology, fit
    return best


def ring_id_for(members) -> str:
    """Stable id from member keys: ``R-`` and 12 hex digits.

    >>> ring_id_for([("person", "P2"), ("person", "P1")]) == ring_id_for([("person", "P1"), ("person", "P2")])
    True
    """
    text = "\n".join(sorted(f"{etype}:{eid}" for etype, eid in members))
    return "R-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _anchors(candidate: Candidate) -> set[tuple[str, str]]:
    return {key for key in candidate.members if key[0] == "facility"}


def _reading(candidate: Candidate) -> str:
    """The typology a candidate's own signals read as (its job's guess where they say nothing)."""
    return typology_from_signals(candidate.signals, candidate.typology)


#: typologies whose place is the scheme: every group read so at one hospital or clinic is its one
#: ring, and every group read so between one pharmacy and the doctors of one hospital
PLACE_SCHEMES = ("induced_admission", "prescription_collusion", "fictitious_services")


def _scheme_places(candidate: Candidate) -> set[tuple[str, ...]]:
    """Where a candidate reading as a typology of ``PLACE_SCHEMES`` has its scheme: an induced
    admission's hospital, fictitious services' clinic; a collusion's pharmacy with the
    prescribing doctor's own hospital (``facts["home"]``), where its job named them. Empty for
    other readings."""
    reading = _reading(candidate)
    if reading in ("induced_admission", "fictitious_services"):
        return _anchors(candidate)
    if reading == "prescription_collusion" and candidate.facts.get("home"):
        return {("pharmacy", pharmacy, candidate.facts["home"]) for _, pharmacy in _anchors(candidate)}
    return set()


def _same_scheme(a: Candidate, b: Candidate) -> bool:
    """Whether ``a`` and ``b`` read as one typology of ``PLACE_SCHEMES`` at one place
    (:func:`_scheme_places`), whoever their persons: a hospital filling beds through recruiters
    brings in its tied patients and its waves from far away alike, and the recruited group and
    the wave are the same hospital's ring; a clinic keying in bills for people it never treated
    keys them in blocks of its own (each sitting's cards, the ward's paper patients), each read
    apart, and the clinic is the scheme; a pharmacy paying three doctors of one hospital to
    steer their patients to it is one arrangement, not three (two doctors of two hospitals
    steering to one pharmacy are two, each with its own terms and its own patients). Beyond
    induced admission, each part must be flagged on its own: a colleague whose patients fill
    there a little more often than his peers' do is the neighbourhood's habit, and a clinic's
    weak block of regulars its waiting room, not the arrangement's."""
    if _reading(a) != _reading(b) or not _scheme_places(a) & _scheme_places(b):
        return False
    return _reading(a) == "induced_admission" or min(combine_signals(a.signals),
                                                     combine_signals(b.signals)) >= FLAG_SCORE


def _same_events(a: Candidate, b: Candidate) -> bool:
    """Whether most of the claims of the candidate with fewer are the other's, and the other is
    flagged on its own: the same events read by two jobs at one place (a collusion ring's fills
    whose diagnoses fit none of its patients are also impersonation at its pharmacy), one ring.
    Only into a flagged candidate: two weak readings of one shop's honest days make no ring."""
    small, large = sorted((a, b), key=lambda c: len(c.claim_ids))
    if not small.claim_ids or combine_signals(large.signals) < FLAG_SCORE:
        return False
    return len(small.claim_ids & large.claim_ids) >= MERGE_OVERLAP * len(small.claim_ids)


#: typologies whose persons are the scheme, wherever they go: a lender's cards, a broker's sellers
ROAMING_SCHEMES = ("card_lending", "drug_resale")
#: the jobs whose groups are persons tied to one another (by identifiers, through a broker, by a
#: batch that started together), not persons met at one place
TIED_GROUPS = ("shared_identifiers", "drug_resale")


def _same_roamers(a: Candidate, b: Candidate) -> bool:
    """Whether nearly every person of one candidate (``MERGE_INSIDE``) is in a group of tied
    persons (``TIED_GROUPS``) flagged on its own, both read as typologies of ``ROAMING_SCHEMES``:
    a lender's cards, presented together at one more pharmacy with a customer who happened to be
    there, are a fragment of his ring, not a ring of their own, and so they are where no device
    shows and his group reads as resale (his cards drawn beyond need). Only into a group of ties,
    flagged: the cards two lenders' phones presented at one clinic are no one's ring, and a
    fragment inside them would chain the two; and only for roaming readings: a shop's cash-out
    whose cards a lender also holds is the shop's ring."""
    for small, large in ((a, b), (b, a)):
        if (large.job in TIED_GROUPS and len(small.persons() & large.persons()) >= MERGE_INSIDE * len(small.persons())
                and _reading(small) in ROAMING_SCHEMES and _reading(large) in ROAMING_SCHEMES
                and combine_signals(large.signals) >= FLAG_SCORE):
            return True
    return False


def _link(a: Candidate, b: Candidate) -> str | None:
    """``"same"`` where ``a`` and ``b`` are one ring, ``"part"`` where the one with fewer persons
    is a part of the other's ring (:func:`merge_candidates` lets a part join one ring only),
    else None."""
    if _same_scheme(a, b):
        return "same"
    pa, pb = a.persons(), b.persons()
    if not (pa and pb):
        return "same" if set(a.members) & set(b.members) and not (pa or pb) else None
    shared = len(pa & pb)
    if shared / len(pa | pb) >= MERGE_OVERLAP:
        return "same"
    if _same_roamers(a, b):
        return "part"
    if not _anchors(a) & _anchors(b):
        return None
    if _reading(a) == _reading(b) == "card_cashout":
        return "same"
    if _same_events(a, b):
        return "part"
    small, large = sorted((len(pa), len(pb)))
    inside = shared / small
    return "part" if inside >= MERGE_INSIDE or (inside >= MERGE_OVERLAP and large <= MERGE_SIZE_RATIO * small) \
        else None


def merge_candidates(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Groups of overlapping candidates, each group best-scored first.

    Candidates that are one ring (:func:`_link`'s ``"same"``) are joined transitively. A part
    of a ring (a fragment wholly or mostly inside a larger candidate) then joins the one ring
    it shares the most of (by Jaccard of persons), never two: a lender's cards seen at a
    pharmacy may sit inside his tied group and inside a clinic's crowd of two lenders' cards
    too, and joining both would chain the two lenders into one ring.
    """
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
    by_place: dict[tuple[str, ...], list[int]] = {}
    places = [_scheme_places(cand) for cand in candidates]  # read once: each reads the signals
    for index, keys in enumerate(places):
        for key in keys:
            by_place.setdefault(key, []).append(index)
    parts: list[tuple[int, int]] = []  # (part, whole)
    for index, cand in enumerate(candidates):
        near = {j for pid in cand.persons() for j in by_person[pid] if j > index}
        if not cand.persons():
            near = {j for j in range(index + 1, len(candidates)) if set(cand.members) & set(candidates[j].members)}
        near |= {j for key in places[index] for j in by_place.get(key, ()) if j > index}
        for j in sorted(near):
            link = _link(cand, candidates[j])
            if link == "same":
                parent[find(index)] = find(j)
            elif link == "part":
                parts.append((index, j) if len(cand.persons()) <= len(candidates[j].persons()) else (j, index))
    persons = {}
    for index, cand in enumerate(candidates):
        persons.setdefault(find(index), set()).update(cand.persons())
    best: dict[int, tuple[float, int]] = {}  # per part's ring: (Jaccard, whole's ring)
    for part, whole in parts:
        mine, theirs = find(part), find(whole)
        if mine == theirs:
            continue
        alike = jaccard(persons[mine], persons[theirs])
        if mine not in best or (alike, -theirs) > (best[mine][0], -best[mine][1]):
            best[mine] = (alike, theirs)
    # smallest parts first, each into the ring it chose (found again: that ring may have joined another)
    for mine in sorted(best, key=lambda r: (len(persons[r]), r)):
        whole = find(best[mine][1])
        if find(mine) != whole:
            parent[find(mine)] = whole
    groups: dict[int, list[Candidate]] = {}
    for index, cand in enumerate(candidates):
        groups.setdefault(find(index), []).append(cand)
    return [sorted(g, key=lambda c: -combine_signals(c.signals)) for g in groups.values()]


def region_of(members, persons: pd.DataFrame | None, facilities: pd.DataFrame | None) -> str:
    """Most common insuring region of the member persons, else the member facilities' region ("" if none).

    Ties go to the smallest code, so the same ring always gets the same region.

    >>> people = pd.DataFrame({"region_code": ["410102", "410102", "410105"]}, index=["a", "b", "c"])
    >>> region_of([("person", "a"), ("person", "b"), ("person", "c")], people, None)
    '410102'
    """
    for kind, frame in (("person", persons), ("facility", facilities)):
        if frame is None or "region_code" not in frame:
            continue
        ids = [eid for etype, eid in members if etype == kind]
        codes = frame["region_code"].reindex(ids).dropna().astype(str)
        if len(codes):
            counts = codes.value_counts()
            return str(min(counts.index[counts == counts.max()]))
    return ""


def _merged_signals(group: list[Candidate]) -> dict[str, float]:
    signals: dict[str, float] = {}
    for cand in group:
        for name, value in cand.signals.items():
            signals[name] = max(signals.get(name, 0.0), value)
    return signals


def _ring(group: list[Candidate], signals: dict[str, float], claims: pd.DataFrame,
          persons: pd.DataFrame | None, facilities: pd.DataFrame | None) -> Ring:
    """One ring from a merged group; ``claims`` indexed by claim id, with settlement time and fund paid."""
    members: dict[tuple[str, str], Member] = {}
    claim_ids: set[str] = set()
    facts: dict = {}
    lead = group[0]
    typology = typology_from_signals(signals, lead.typology)
    roaming = typology in ROAMING_SCHEMES and any(cand.persons() for cand in group)
    for cand in group:
        for key, member in cand.members.items():
            if roaming and key[0] != "person" and cand.job not in TIED_GROUPS:
                continue  # the pharmacies a lender's cards were swiped at are where, not who
            if key not in members or member.score > members[key].score:
                members[key] = member if key not in members else Member(*key, members[key].role, member.score)
        claim_ids |= cand.claim_ids
        for key, value in cand.facts.items():
            facts.setdefault(key, value)
    positions = claims.index.get_indexer(list(claim_ids))
    mine = claims.iloc[positions[positions >= 0]]
    score = combine_signals(signals)
    first = mine["settled_at"].min()
    last = mine["settled_at"].max()
    ordered = sorted(members.values(), key=lambda m: (m.entity_type, m.entity_id))
    zh, en = summarise(typology, lead.job, facts, len(members), len(mine), float(mine["fund_paid"].sum()))
    return Ring(ring_id_for(members), typology, score, dict(sorted(signals.items())), ordered,
                frozenset(claim_ids), int(len(mine)), round(float(mine["fund_paid"].sum()), 2),
                "" if pd.isna(first) else first.date().isoformat(),
                "" if pd.isna(last) else last.date().isoformat(),
                zh, en, tuple(sorted({c.job for c in group})), region_of(members, persons, facilities))


def build_rings(candidates: list[Candidate], claims: pd.DataFrame, *, persons: pd.DataFrame | None = None,
                facilities: pd.DataFrame | None = None) -> list[Ring]:
    """Merged, scored and explained rings, highest score first (ties by ring id).

    ``persons`` and ``facilities`` (indexed by id, with ``region_code``) give
    each ring its region; without them the region is empty.
    """
    by_id = claims.set_index("claim_id")[["settled_at", "fund_paid"]]
    merged = [(group, _merged_signals(group)) for group in merge_candidates(candidates)]
    rings = [_ring(group, signals, by_id, persons, facilities) for group, signals in merged
             if combine_signals(signals) >= MIN_LISTED_SCORE]
    return sorted(rings, key=lambda r: (-r.score, r.ring_id))
