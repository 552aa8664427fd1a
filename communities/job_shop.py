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
whose claims sold a pack that was sold again are groups of their own, joined
by the packs they were sold, the sittings they came in and the identifiers
they share (two cards at least: one pack sold to two of them; two strangers
splitting one pack are their own group, not the ring's at the same counter,
and one such group of many at a counter is read against the many), needing only the identifier
tie, or, without one, that the cards came to the counter together far more
often than customers do (a cash-out ring swipes its cards in sessions; a
sloppy pharmacy scanning one code for strangers implicates persons nothing
ties, who come at any hour), or that the costly drugs sold on those cards
treat what their holders were never treated for, far more of them than of
the shop's other costly sales
(:func:`ringscope.communities.untreated_cards.untreated_strength`): a
pharmacy that scans one code for several customers, or splits a pack
between them (拆零), sells to patients whose doctors prescribed the drug; an
organiser's two cards swiped once each for a pack sold twice are neither
tied nor together, but nobody treated their holders for the drug.

A go-between's two or three cards, one of a working-age adult at least,
swiped together at a counter again and again need no ledger evidence
(:func:`ringscope.communities.collected_cards.collected_card_groups`); nor
do cards swiped together for costly drugs their holders were never treated
for (:func:`ringscope.communities.untreated_cards.untreated_card_groups`), nor a
go-between's two cards swiped together once for costly sales neither holder
was treated for (:func:`ringscope.communities.untreated_cards.tied_untreated_groups`).

The candidate carries the shop's evidence, the identifier tie and the
focus as independent signals; the ring's typology follows its signals
(:data:`ringscope.communities.rings.SIGNATURES`).
"""

from __future__ import annotations

import math

from ringscope.communities.collected_cards import COLLECTED_PARAMS, collected_card_groups, collector_pairs
from ringscope.communities.context import Context
from ringscope.communities.evidence import FOCUS_SURPRISE, arrivals_signal, candidate, same_sitting, top_share
from ringscope.communities.job_stock import FacilityEvidence, evidence_on
from ringscope.communities.model import Candidate, JobResult
from ringscope.communities.stats import saturate
from ringscope.communities.untreated_cards import (UNTREATED_PARAMS, tied_untreated_groups, untreated_card_groups,
                                                   untreated_flags, untreated_sales, untreated_strength)

__all__ = ["shop_cashout_job", "PARAMS"]

PARAMS = {"min_persons": 3, "min_implicated": 2, "max_resales": 2, "focus_half": 3.0, "window_min": 30,
          "untreated_min": 2.0,
          "collected": COLLECTED_PARAMS, "untreated": UNTREATED_PARAMS}
#: evidence whose claims are suspect one by one, not merely the facility
IMPLICATING = ("trace_reuse",)


def shop_cashout_job(ctx: Context, facility_evidence: list[FacilityEvidence], *, seed: int = 0,
                     params: dict | None = None, lent: frozenset[str] = frozenset()) -> JobResult:
    """Candidate cash-out groups: identifier-tied claimants of a shop with ledger evidence."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    # a go-between's few cards, or cards sold drugs their holders were never treated for, swiped
    # together need no ledger evidence; a lender's roaming cards (``lent``) are his ring, found by
    # the shared-identifier job. The costly sales, and whether their cardholders were ever treated
    # for them, are read once: for the cards swiped together and for those sold packs sold again
    untreated = untreated_flags(ctx.claims)
    sales = untreated_sales(ctx, p["untreated"]["price_quantile"], untreated)
    tied = collector_pairs(ctx, p["collected"]["max_circle"], lent)
    swiped = (collected_card_groups(ctx, p["collected"], lent, tied) + untreated_card_groups(ctx, p["untreated"], lent, sales)
              + tied_untreated_groups(ctx, tied, p["untreated"], untreated))
    shops = sorted({f for e in facility_evidence for f, s in e.strength.items() if s > 0})
    if not shops:
        return JobResult("shop_cashout", p, swiped,
                         skipped=None if facility_evidence or swiped else "no ledger evidence")
    total = max(int(ctx.claimants.attrs.get("total", ctx.claimants.sum())), 1)
    correction = math.log10(len(shops))
    claims = ctx.claims[ctx.claims["facility_id"].isin(shops)]
    implicated = _implicated_claims(facility_evidence)
    # the claims whose pack was sold again only a few times: resold, not scanned from habit
    resold = _packs_sold_again(ctx, set().union(*implicated.values()), p["max_resales"]) if implicated else set()
    sold_at = {shop: rows for shop, rows in sales.groupby("facility_id", observed=True)} if implicated else {}
    out = []
    for shop, here in claims.groupby("facility_id"):
        reach = float(ctx.claimants.get(shop, 0)) / total
        claimants = set(here["person_id"])
        # an organiser need not claim at the shop: cardholders tied only through the organiser's
        # phone or account are one group through that organiser
        for persons in ctx.groups_through_brokers(claimants):
            if len(persons) < p["min_persons"]:
                continue
            hubs = ctx.brokers(persons)
            link, facts = ctx.link_signal(persons | hubs)
            surprise = ctx.focus_surprise(persons, reach) - correction
            if link <= 0 or surprise < FOCUS_SURPRISE:
                continue
            mine = here[here["person_id"].isin(persons)]
            evidence = evidence_on(set(mine["claim_id"]), shop, facility_evidence)
            if not any(evidence.values()):
                continue
            out.append(_shop_candidate(ctx, shop, mine, persons, hubs, signals={
                **evidence, "shared_identifier": link,
                "shop_focus": saturate(surprise - FOCUS_SURPRISE, p["focus_half"])}, facts=facts, job="shop_cashout"))
        if implicated.get(shop):
            out += _resold_packs(ctx, shop, here, implicated[shop], resold, sold_at.get(shop, sales.iloc[:0]),
                                 facility_evidence, reach, correction, p)
    return JobResult("shop_cashout", p, out + swiped)


def _resold_packs(ctx: Context, shop: str, here, named: set[str], resold: set[str], sold_here,
                  facility_evidence: list[FacilityEvidence], reach: float, correction: float,
                  p: dict) -> list[Candidate]:
    """The candidates of the cards whose claims at ``shop`` (``here``: its claims) sold a pack that
    was sold again (``named``: those claims), one per group of such cards that shared a pack, a
    sitting or an identifier (:func:`_pack_groups`), each read on its own (:func:`_resold_group`).

    Two strangers sold one pack are a pack split between them (拆零) or scanned twice, an
    event of their own: read with the cards of a ring whose packs went round and round at the
    same counter, they were dozens of the shop's honest customers in its ring. Each group is
    one more test at the shop, so its figures are corrected for the groups read there too."""
    sold = here[here["claim_id"].isin(named)]
    groups = [g for g in _pack_groups(ctx, sold, p["window_min"]) if len(g) >= p["min_implicated"]]
    tested = math.log10(max(len(groups), 1))
    found = (_resold_group(ctx, shop, here, sold[sold["person_id"].isin(cards)], resold, sold_here,
                           facility_evidence, reach, (correction, tested), p) for cards in groups)
    return [c for c in found if c is not None]


def _pack_groups(ctx: Context, sold, window: int) -> list[set[str]]:
    """The cards of ``sold`` (claims at one shop that sold a pack sold again) joined by the packs
    they were sold there, by such sales within ``window`` minutes of each other (an organiser's
    sitting: its cards' packs may go round among other cards of his) and by the identifiers they
    share, directly or through a go-between."""
    lines = ctx.tables.claim_items
    packs = lines.loc[lines["claim_id"].isin(set(sold["claim_id"])) & lines["trace_code"].notna(),
                      ["claim_id", "trace_code"]]
    holders = packs.merge(sold[["claim_id", "person_id"]], on="claim_id").drop_duplicates(["trace_code", "person_id"])
    edges = []
    for _, cards in holders.groupby("trace_code")["person_id"]:
        first, *others = cards
        edges += [(first, other) for other in others]
    sales = sold[["day", "minute", "person_id"]]
    sitting = same_sitting(sales, sales, window)
    sitting = sitting[sitting["person_id"] < sitting["person_id_other"]]
    edges += list(zip(sitting["person_id"], sitting["person_id_other"]))
    return ctx.groups_through_brokers(set(sold["person_id"]), extra_edges=edges)


def _resold_group(ctx: Context, shop: str, here, sold, resold: set[str], sold_here,
                  facility_evidence: list[FacilityEvidence], reach: float, corrections: tuple[float, float],
                  p: dict) -> Candidate | None:
    """The candidate of one group of cards whose claims at ``shop`` (``sold``: the group's claims
    that sold a pack sold again), with the cards sold a costly drug nobody treated their holders
    for within ``window_min`` of one of those sales (an organiser swipes his cards in sittings,
    and the resold pack is on one of them); or None.

    The named cards (``min_implicated`` or more) must be more than chance put together: tied
    across households, or come to the counter together far more often than customers do; or
    the cards sold packs that were sold again only a few times (``resold``: claims of packs
    sold on at most ``max_resales`` more; a pack bought back and sold again, where a code on
    dozens of sales is a scanner's habit), of two families or more (a couple may split a
    pack; a grown child fetches the elders' drugs and his in-laws'), were sold costly drugs
    nobody treated them for far more often than the shop's other customers (``sold_here``:
    its rows of :func:`untreated_sales`). Those are read on the named cards alone: the
    sitting's other cards are picked for their untreated sales.

    ``corrections``: log10 of the shops and of the groups read at this one. The untreated
    sales of one group among several must pass ``untreated_min`` after the groups' correction:
    one pair of strangers among forty at a counter, sold a costly drug or two their doctors
    never wrote for, is what chance gives one of the forty."""
    shops, tested = corrections
    correction = shops + tested
    cards = set(sold["person_id"])
    mates = sold_here[sold_here["untreated"] & ~sold_here["person_id"].isin(cards)]
    persons = cards | set(same_sitting(mates, sold[["day", "minute"]], p["window_min"], "_named")["person_id"])
    hubs = ctx.brokers(persons)
    link, facts = ctx.link_signal(persons | hubs)
    named_cards = here[here["person_id"].isin(cards)]
    together = arrivals_signal(named_cards, ctx.family_of, p["window_min"], correction)
    families = len({ctx.family_of(pid) for pid in cards})
    reselling = set(sold.loc[sold["claim_id"].isin(resold), "person_id"])
    untreated, untreated_count = untreated_strength(
        sold_here, reselling, p["untreated"]["untreated_half"], correction=tested,
        margin=p["untreated_min"] if tested > 0 else 0.0) \
        if len({ctx.family_of(pid) for pid in reselling}) > 1 else (0.0, 0)
    if link <= 0 and together <= 0 and untreated <= 0:
        return None
    mine = here[here["person_id"].isin(persons)]
    evidence = evidence_on(set(mine["claim_id"]), shop, facility_evidence)
    surprise = ctx.focus_surprise(persons, reach) - correction
    facts.update(families=families, resold_claims=len(sold),
                 **({"untreated_sales": untreated_count} if untreated_count else {}))
    return _shop_candidate(ctx, shop, mine, persons, hubs, signals={
        **evidence, "shared_identifier": link, "lockstep": together, "untreated_sales": untreated,
        "shop_focus": saturate(surprise - FOCUS_SURPRISE, p["focus_half"])}, facts=facts, job="resold_packs")


def _packs_sold_again(ctx: Context, named: set[str], max_resales: int) -> set[str]:
    """Of the ``named`` claims (every facility's claims that a traceability code sold again
    names), those that sold a pack sold on at most ``max_resales`` + 1 of them."""
    lines = ctx.tables.claim_items
    sold = lines.loc[lines["claim_id"].isin(named) & lines["trace_code"].notna(), ["claim_id", "trace_code"]]
    sold = sold.drop_duplicates()
    sales = sold["trace_code"].map(sold["trace_code"].value_counts())
    return set(sold.loc[sales <= max_resales + 1, "claim_id"])


def _implicated_claims(facility_evidence: list[FacilityEvidence]) -> dict[str, set[str]]:
    """Per facility, the claims that evidence names one by one (a traceability code sold twice names
    both sales); a stock excess names every sale of the item, honest ones too, so it implicates none."""
    return {facility: ids for e in facility_evidence if e.signal in IMPLICATING for facility, ids in e.claims.items()}


def _shop_candidate(ctx: Context, shop: str, mine, persons: set[str], hubs: set[str], *, signals: dict,
                    facts: dict, job: str) -> Candidate:
    """The cash-out candidate of ``persons`` at ``shop`` (``mine``: their claims there), named
    ``job``: a tied group's, or that of the cards whose sales sold packs sold again (its summary
    says so, not that they are tied)."""
    staff, share = top_share(mine["practitioner_id"])
    kind = ctx.facility["kind"].get(shop)
    facts.update(facility=str(shop), persons=len(persons), focus_persons=len(persons),
                 claims=int(len(mine)), fund_paid=float(mine["fund_paid"].sum()))
    return candidate(
        job, "card_cashout",
        persons={**{pid: ("cardholder", 0.8) for pid in persons}, **{h: ("organiser", 0.9) for h in hubs}},
        practitioners={staff: ("pharmacist" if kind == "pharmacy" else "doctor", 0.8)}
        if staff and share >= 0.5 else None,
        facilities={str(shop): 1.0}, signals=signals, facts=facts, claim_ids=mine["claim_id"])
