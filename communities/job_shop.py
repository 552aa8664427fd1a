"""Job: cards tied by identifiers, swiped at a shop whose ledger does not add up (套现).

The 进销存 and traceability evidence sits on a facility; a burst of cards
at the counter sits on a window; an organiser's phone sits on persons. A
weak cash-out ring leaves each of these too faint to count alone (a few
cards a week, no burst), so this job joins them on the same entities
instead of lowering any threshold: for every facility with ledger or
trace-code evidence, the persons who claimed there are joined by the
identifiers they share (an organiser's phone or account, family size no
bar), and a tied group counts when

* it spans more households than a family (``link_signal`` > 0), and
* its members' presence at the shop is surprising: of the persons tied to
  the group by identifiers (members, their families, the hubs), as many
  claimed at the shop as a binomial draw from the shop's reach would give
  with probability below ``10**-FOCUS_SURPRISE``, after a Bonferroni
  correction over the facilities tested.

The organiser need not claim at the shop: cardholders tied only through
the organiser's phone or account are one group through that organiser. And
a traceability code sold twice names its claims one by one, so the cards
whose claims sold a pack that was sold again are a group of their own,
needing only the identifier tie, or, without one, that the cards came to
the counter together far more often than customers do (a cash-out ring
swipes its cards in sessions; a sloppy pharmacy scanning one code for
strangers implicates persons nothing ties, who come at any hour).

A go-between's two or three cards, one of a working-age adult at least,
swiped together at a counter again and again need no ledger evidence
(:func:`ringscope.communities.collected_cards.collected_card_groups`); nor
do cards swiped together for costly drugs their holders were never treated
for (:func:`ringscope.communities.untreated_cards.untreated_card_groups`).

The candidate carries the shop's evidence, the identifier tie and the
focus as independent signals; the ring's typology follows its signals
(:data:`ringscope.communities.rings.SIGNATURES`).
"""

from __future__ import annotations

import math

from ringscope.communities.collected_cards import COLLECTED_PARAMS, collected_card_groups
from ringscope.communities.context import Context
from ringscope.communities.evidence import FOCUS_SURPRISE, arrivals_signal, candidate, top_share
from ringscope.communities.job_stock import FacilityEvidence
from ringscope.communities.model import Candidate, JobResult
from ringscope.communities.stats import saturate
from ringscope.communities.untreated_cards import UNTREATED_PARAMS, untreated_card_groups

__all__ = ["shop_cashout_job", "PARAMS"]

PARAMS = {"min_persons": 3, "focus_half": 3.0, "window_min": 30, "collected": COLLECTED_PARAMS,
          "untreated": UNTREATED_PARAMS}
#: evidence whose claims are suspect one by one, not merely the facility
IMPLICATING = ("trace_reuse",)


def shop_cashout_job(ctx: Context, facility_evidence: list[FacilityEvidence], *, seed: int = 0,
                     params: dict | None = None, lent: frozenset[str] = frozenset()) -> JobResult:
    """Candidate cash-out groups: identifier-tied claimants of a shop with ledger evidence."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    # a go-between's few cards, or cards sold drugs their holders were never treated for, swiped
    # together need no ledger evidence; a lender's roaming cards (``lent``) are his ring, found by
    # the shared-identifier job
    swiped = collected_card_groups(ctx, p["collected"], lent) + untreated_card_groups(ctx, p["untreated"], lent)
    shops = sorted({f for e in facility_evidence for f, s in e.strength.items() if s > 0})
    if not shops:
        return JobResult("shop_cashout", p, swiped,
                         skipped=None if facility_evidence or swiped else "no ledger evidence")
    total = max(int(ctx.claimants.attrs.get("total", ctx.claimants.sum())), 1)
    correction = math.log10(len(shops))
    claims = ctx.claims[ctx.claims["facility_id"].isin(shops)]
    implicated = _implicated_claims(facility_evidence)
    out = []
    for shop, here in claims.groupby("facility_id"):
        reach = float(ctx.claimants.get(shop, 0)) / total
        claimants = set(here["person_id"])
        # an organiser need not claim at the shop: cardholders tied only through the organiser's
        # phone or account are one group through that organiser
        groups = [(group, False) for group in ctx.groups_through_brokers(claimants)]
        # the cards whose claims sold a pack that was sold again are implicated by the claims themselves
        groups.append((set(here.loc[here["claim_id"].isin(implicated.get(shop, ())), "person_id"]), True))
        for persons, by_claims in groups:
            if len(persons) < p["min_persons"]:
                continue
            hubs = ctx.brokers(persons)
            link, facts = ctx.link_signal(persons | hubs)
            mine = here[here["person_id"].isin(persons)]
            # cards implicated by their own claims may instead be tied by arriving together
            together = arrivals_signal(mine, ctx.family_of, p["window_min"], correction) if by_claims else 0.0
            if link <= 0 and together <= 0:
                continue
            surprise = ctx.focus_surprise(persons, reach) - correction
            if surprise < FOCUS_SURPRISE and not by_claims:
                continue
            evidence = _evidence_on(mine, shop, facility_evidence)
            if not any(evidence.values()):
                continue
            out.append(_shop_candidate(ctx, shop, mine, persons, hubs, signals={
                **evidence, "shared_identifier": link, "lockstep": together,
                "shop_focus": saturate(surprise - FOCUS_SURPRISE, p["focus_half"])}, facts=facts))
    return JobResult("shop_cashout", p, out + swiped)


def _evidence_on(mine, shop: str, facility_evidence: list[FacilityEvidence]) -> dict[str, float]:
    """The shop's evidence that the group's own claims are part of: a ring at the same counter
    as another ring's resold packs is not implicated by them."""
    ids = set(mine["claim_id"])
    return {e.signal: e.strength.get(shop, 0.0) if ids & e.claims.get(shop, set()) else 0.0
            for e in facility_evidence}


def _implicated_claims(facility_evidence: list[FacilityEvidence]) -> dict[str, set[str]]:
    """Per facility, the claims that evidence names one by one (a traceability code sold twice names
    both sales); a stock excess names every sale of the item, honest ones too, so it implicates none."""
    return {facility: ids for e in facility_evidence if e.signal in IMPLICATING for facility, ids in e.claims.items()}


def _shop_candidate(ctx: Context, shop: str, mine, persons: set[str], hubs: set[str], *, signals: dict,
                    facts: dict) -> Candidate:
    staff, share = top_share(mine["practitioner_id"])
    kind = ctx.facility["kind"].get(shop)
    facts.update(facility=str(shop), persons=len(persons), focus_persons=len(persons),
                 claims=int(len(mine)), fund_paid=float(mine["fund_paid"].sum()))
    return candidate(
        "shop_cashout", "card_cashout",
        persons={**{pid: ("cardholder", 0.8) for pid in persons}, **{h: ("organiser", 0.9) for h in hubs}},
        practitioners={staff: ("pharmacist" if kind == "pharmacy" else "doctor", 0.8)}
        if staff and share >= 0.5 else None,
        facilities={str(shop): 1.0}, signals=signals, facts=facts, claim_ids=mine["claim_id"])
