"""How candidates from different jobs become one ring, or stay apart, and how signals combine."""

from __future__ import annotations


import pandas as pd

from ringscope.communities.evidence import candidate
from ringscope.communities.rings import build_rings, merge_candidates, typology_from_signals
from ringscope.communities.stats import SINGLE_SIGNAL_CAP, combine_signals


def _cand(job: str, persons: range | list, facility: str | None, typology: str = "card_cashout", **signals):
    return candidate(job, typology, persons={f"p{i}": ("cardholder", 0.8) for i in persons},
                     facilities={facility: 1.0} if facility else None, signals=signals)


def test_a_fragment_at_the_same_shop_joins_the_ring_it_lies_in():
    ring = _cand("shared_identifiers", range(40), "SHOP", shared_identifier=0.9)
    fragment = _cand("lockstep", range(5, 12), "SHOP", lockstep=0.8)
    assert len(merge_candidates([ring, fragment])) == 1


def test_the_same_people_at_another_place_or_without_a_place_stay_apart():
    ring = _cand("shared_identifiers", range(40), "SHOP", shared_identifier=0.9)
    elsewhere = _cand("lockstep", range(5, 12), "CLINIC", lockstep=0.8)
    placeless = _cand("drug_resale", range(20, 27), None, excess_supply=0.8)
    assert len(merge_candidates([ring, elsewhere, placeless])) == 3


def test_comparable_candidates_at_one_place_merge_on_most_of_the_smaller():
    a = _cand("shared_identifiers", range(0, 10), "CLINIC", "card_lending", device_burst=0.8)
    b = _cand("shared_identifiers", range(4, 24), "CLINIC", "card_lending", carried_cards=0.8)  # 6 of a's 10, twice
    c = _cand("shared_identifiers", range(4, 44), "CLINIC", "card_lending", carried_cards=0.8)  # four times the size
    assert len(merge_candidates([a, b])) == 1
    assert len(merge_candidates([a, c])) == 2


def test_a_hospitals_recruited_patients_and_its_wave_from_far_are_one_ring_however_few_they_share():
    """The patients a recruiter is tied to and a wave of others from far away, both read as
    induced admissions at one hospital, are that hospital's one scheme; the same wave at
    another hospital, and a lending group among the first hospital's patients, stay apart."""
    recruited = _cand("co_admission", range(0, 4), "WARD", "induced_admission", recruiters=0.5, far_patients=0.15)
    wave = _cand("co_admission", range(10, 16), "WARD", "induced_admission", far_patients=0.34)
    assert len(merge_candidates([recruited, wave])) == 1
    elsewhere = _cand("co_admission", range(10, 16), "OTHER-WARD", "induced_admission", far_patients=0.34)
    lending = _cand("shared_identifiers", range(20, 26), "WARD", "card_lending", device_burst=0.8)
    assert len(merge_candidates([recruited, elsewhere, lending])) == 3


def _steering(persons: range, doctor: str, home: str, pharmacy: str = "SHOP"):
    steered = _cand("prescription_flow", persons, pharmacy, "prescription_collusion", flow_concentration=0.9,
                    inflated_quantity=0.8)
    steered.facts.update(doctor=doctor, pharmacy=pharmacy, home=home)
    return steered


def test_doctors_of_one_hospital_steering_to_one_pharmacy_are_one_ring_and_of_two_hospitals_two():
    """Three doctors of one hospital whom one pharmacy pays, each with patients of his own, are
    one arrangement; a doctor of another hospital steering to the same pharmacy has terms and
    patients of his own; and a doctor of the first hospital steering to another pharmacy is his own.
    A colleague whose patients fill there a little more often than his peers' (flow alone, not
    flagged) is no part of it."""
    department = [_steering(range(10 * i, 10 * i + 6), f"D{i}", "HOSPITAL") for i in range(3)]
    other_hospital = _steering(range(40, 46), "D9", "CLINIC")
    other_pharmacy = _steering(range(50, 56), "D8", "HOSPITAL", "OTHER-SHOP")
    groups = merge_candidates([*department, other_hospital, other_pharmacy])
    assert sorted(len(g) for g in groups) == [1, 1, 3]
    assert {g[0].facts["doctor"] for g in groups if len(g) == 1} == {"D9", "D8"}
    colleague = _cand("prescription_flow", range(60, 90), "SHOP", "prescription_collusion", flow_concentration=0.2)
    colleague.facts.update(doctor="D7", pharmacy="SHOP", home="HOSPITAL")
    assert sorted(len(g) for g in merge_candidates([*department, colleague])) == [1, 3]


def test_a_clinics_blocks_of_bills_keyed_for_no_one_are_one_ring():
    """Two blocks of cards a clinic keyed in, each flagged, no card in both, are its one scheme;
    an unflagged block of its regulars stays apart, and so does a flagged block at another clinic."""
    sittings = [_cand("lockstep", range(10 * i, 10 * i + 6), "CLINIC", "fictitious_services",
                      billed_together=0.9, lockstep=0.9) for i in range(2)]
    regulars = _cand("lockstep", range(30, 36), "CLINIC", "fictitious_services", billed_together=0.3)
    elsewhere = _cand("lockstep", range(40, 46), "OTHER-CLINIC", "fictitious_services", billed_together=0.9,
                      lockstep=0.9)
    assert sorted(len(g) for g in merge_candidates([*sittings, regulars, elsewhere])) == [1, 1, 2]


def test_cash_outs_at_one_shop_sharing_a_card_are_one_ring_however_few():
    """The cards one job saw in lockstep at the counter and those another tied to the shop's
    collector, one card in both, are the same shop's customers on paper; a doctor's steered
    patients filling there, one of them in lockstep too, read otherwise and stay apart."""
    seen_in_lockstep = _cand("lockstep", range(0, 4), "SHOP", lockstep=0.3, stock_excess=0.8)
    tied_to_collector = _cand("shop_cashout", range(3, 40), "SHOP", shop_focus=0.8, shared_identifier=0.9)
    steered = _cand("prescription_flow", [0, *range(40, 100, 2)], "SHOP", "prescription_collusion",
                    flow_concentration=0.9)
    assert sorted(len(g) for g in merge_candidates([seen_in_lockstep, tied_to_collector, steered])) == [1, 2]
    elsewhere = _cand("lockstep", range(0, 4), "OTHER-SHOP", lockstep=0.3, stock_excess=0.8)
    assert len(merge_candidates([elsewhere, tied_to_collector])) == 2


def test_a_flagged_rings_own_claims_read_as_impersonation_at_its_pharmacy_join_it():
    """Sixty steered patients at one pharmacy, flagged; the impersonation job flags fourteen cards
    there, eleven of them the ring's, on fills that are nearly all the ring's (their diagnoses fit
    no patient of that sex): one ring, not a second one over the same events. Two weak readings
    sharing claims at one place, neither flagged, stay apart."""
    def with_claims(cand, claims):
        return candidate(cand.job, cand.typology, persons={k[1]: ("cardholder", 0.8) for k in cand.members
                                                           if k[0] == "person"},
                         facilities={"PHARMACY": 1.0}, signals=cand.signals, claim_ids=claims)
    steered = with_claims(_cand("prescription_flow", range(60), "PHARMACY", "prescription_collusion",
                                flow_concentration=0.99, steered_inflation=0.99), [f"c{i}" for i in range(600)])
    misfits = with_claims(_cand("impersonation", [*range(11), 70, 71, 72], "PHARMACY", "impersonation",
                                impossible_cards=0.3, shared_channel=0.76), [f"c{i}" for i in range(0, 170, 10)]
                          + ["d1", "d2", "d3"])
    assert len(merge_candidates([steered, misfits])) == 1
    block = with_claims(_cand("lockstep", range(40), "PHARMACY", "other", lockstep=0.9), [f"c{i}" for i in range(100)])
    template = with_claims(_cand("fictitious_services", [0, 1, 2, 80, 81, 82, 83], "PHARMACY", "fictitious_services",
                                 isolated_patients=0.3), [f"c{i}" for i in range(0, 30, 3)])
    assert len(merge_candidates([block, template])) == 2


def test_one_signal_never_flags_and_two_half_signals_do():
    assert combine_signals({"x": 1.0}) == SINGLE_SIGNAL_CAP
    assert combine_signals({"x": 0.5, "y": 0.5}) >= 0.5
    assert combine_signals({"x": 0.95, "y": 0.05}) < 0.5
    # order of signals does not matter, more agreeing signals never lower the score
    assert combine_signals({"x": 0.3, "y": 0.6}) == combine_signals({"y": 0.6, "x": 0.3})
    assert combine_signals({"x": 0.6, "y": 0.3, "z": 0.2}) >= combine_signals({"x": 0.6, "y": 0.3})


def test_merge_keeps_every_candidate_once():
    cands = [_cand("j", range(i, i + 5), f"F{i % 3}", s=0.5) for i in range(0, 50, 4)]
    groups = merge_candidates(cands)
    assert sorted(id(c) for g in groups for c in g) == sorted(id(c) for c in cands)


def test_a_lenders_cards_swiped_together_at_one_more_pharmacy_are_his_ring():
    """Five of a lender's twenty tied cards in bursts at a pharmacy his group was never tied to:
    a fragment of his flagged ring, read as lending too, not a second ring. A weak tied group
    (not flagged) keeps its fragment apart, and so does a cash-out reading of the same cards."""
    lender = _cand("shared_identifiers", range(20), None, "card_lending", shared_identifier=0.9, device_burst=0.9)
    fragment = _cand("lockstep", range(3, 8), "PHARMACY", "card_cashout", lockstep=0.8, shared_identifier=0.5)
    assert len(merge_candidates([lender, fragment])) == 1
    weak = _cand("shared_identifiers", range(20), None, "card_lending", shared_identifier=0.3)
    assert len(merge_candidates([weak, fragment])) == 2
    shop = _cand("lockstep", range(3, 8), "PHARMACY", "card_cashout", lockstep=0.8, stock_excess=0.8)
    assert len(merge_candidates([lender, shop])) == 2


def test_a_lenders_cards_in_bursts_with_a_stranger_are_his_ring_however_his_group_reads():
    """Without devices a lender's tied cards read as resale (drawn beyond need); twenty of them in
    bursts at a pharmacy, with one customer who happened to be there, read as lending: still a
    fragment of his ring, not a ring of its own. Half of them strangers to him is a ring of its own."""
    lender = _cand("shared_identifiers", range(50), None, "drug_resale", excess_supply=0.95, shared_identifier=0.9)
    fragment = _cand("lockstep", [*range(30, 50), 900], "PHARMACY", "card_cashout", lockstep=0.9,
                     shared_identifier=0.85)
    assert len(merge_candidates([lender, fragment])) == 1
    half = _cand("lockstep", [*range(40, 50), *range(900, 910)], "PHARMACY", "card_cashout", lockstep=0.9,
                 shared_identifier=0.85)
    assert len(merge_candidates([lender, half])) == 2


def test_a_fragment_inside_two_rings_joins_one_and_never_chains_them():
    """Two lenders' cards crowd one clinic (one candidate holding both groups, mostly the first's);
    five of the second lender's cards in lockstep there lie inside the crowd and inside the second
    lender's tied group. The fragment joins the second lender's ring: two rings, not one."""
    first = _cand("shared_identifiers", range(60), None, "card_lending", shared_identifier=0.9, device_burst=0.9)
    second = _cand("shared_identifiers", range(100, 135), None, "card_lending", shared_identifier=0.9,
                   device_burst=0.9)
    crowd = _cand("impersonation", [*range(60), *range(100, 135)], "CLINIC", "card_lending",
                  shared_channel=0.9, shared_identifier=0.9)
    fragment = _cand("lockstep", range(100, 105), "CLINIC", "card_lending", lockstep=0.8, shared_identifier=0.5)
    groups = merge_candidates([first, second, crowd, fragment])
    assert len(groups) == 2
    with_fragment = next(g for g in groups if fragment in g)
    assert second in with_fragment and first not in with_fragment


def test_a_brokers_sellers_read_twice_are_one_ring():
    """Four of a broker's nineteen sellers grouped again on their own (two drugs, one of them a
    shop's bad ledger): part of his flagged ring of sellers, not a second ring beside it."""
    broker = _cand("drug_resale", range(19), None, "drug_resale", excess_supply=0.9, shared_identifier=0.8)
    four = _cand("drug_resale", range(15, 19), None, "drug_resale", excess_supply=0.9, stock_excess=0.7)
    assert len(merge_candidates([broker, four])) == 1


def test_a_lenders_ring_holds_his_cards_not_the_pharmacies_they_were_swiped_at():
    """The lender's tied group and a fragment of his cards in lockstep at a pharmacy, with its
    pharmacist: one card-lending ring whose members are the lender's persons; the pharmacy is where
    the cards went, not one of the ring (a shop's own cash-out ring keeps its shop)."""
    lender = _cand("shared_identifiers", range(20), None, "card_lending", shared_identifier=0.9, device_burst=0.9)
    fragment = candidate("lockstep", "card_cashout", persons={f"p{i}": ("cardholder", 0.8) for i in range(3, 8)},
                    facilities={"PHARMACY": 1.0}, practitioners={"PH-1": ("pharmacist", 0.9)},
                    signals={"lockstep": 0.8, "shared_identifier": 0.5})
    claims = pd.DataFrame({"claim_id": ["c1"], "settled_at": [pd.Timestamp("2024-03-01")], "fund_paid": [10.0]})
    (ring,) = build_rings([lender, fragment], claims)
    assert ring.typology == "card_lending"
    assert {m.entity_type for m in ring.members} == {"person"} and len(ring.members) == 20
    shop = candidate("lockstep", "card_cashout", persons={f"q{i}": ("cardholder", 0.8) for i in range(5)},
                facilities={"SHOP": 1.0}, signals={"lockstep": 0.8, "stock_excess": 0.8})
    (cashout,) = build_rings([shop], claims)
    assert ("facility", "SHOP") in {(m.entity_type, m.entity_id) for m in cashout.members}


def test_cards_over_supplied_at_many_facilities_whose_shops_ledgers_are_short_are_resale():
    """A broker's sellers, tied to his account, drew a costly drug far beyond need at six places
    (hospitals and pharmacies, none of them most of their fills): the pharmacies' ledgers are
    short and the sellers crowd one of them, but a cash-out is one shop's cards swiped for drugs
    never handed over. Without the fills spread over many places, the same shop's tells are a
    cash-out."""
    shop = {"stock_excess": 0.96, "shop_focus": 0.8, "shared_identifier": 0.89}
    sellers = {**shop, "excess_supply": 0.99, "many_facilities": 0.6}
    assert typology_from_signals(sellers, "other") == "drug_resale"
    assert typology_from_signals(shop, "other") == "card_cashout"
