"""Each job on a hand-made world: its signal planted gives a flagged ring of the
right typology; only a trap planted gives nothing flagged."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ringscope.communities.context import build_context
from ringscope.communities.inflation_weeks import InflationTimes
from ringscope.communities.job_flow import PARAMS, prescription_flow_job
from ringscope.communities.job_identifiers import shared_identifier_job
from ringscope.communities.job_lockstep import lockstep_job
from ringscope.communities.job_impersonation import flag_claims, impersonation_job
from ringscope.communities.job_resale import (_a_generation_apart, _batch_of, _batch_windows, _one_group_per_go_between,
                                              co_started)
from ringscope.communities.job_services import fictitious_services_job
from ringscope.communities.job_stock import stock_evidence, trace_evidence
from ringscope.communities.pipeline import detect_tables

from .world import World

FLAG = 0.5


def flagged(world: World):
    world.stock_everything() if not getattr(world, "keep_stock", False) else None
    return [r for r in detect_tables(world.tables(), seed=3).rings if r.score >= FLAG]


def members(ring) -> set[str]:
    return {m.entity_id for m in ring.members}


# -- card lending: an organiser's phone and device across households -------------------------
def plant_lending(w: World) -> list[str]:
    cards = [w.person(f"L{i}", household=f"LH{i}", phone="ph-organiser") for i in range(8)]
    for day in (20, 55, 90, 140):
        for k, pid in enumerate(cards[:6]):
            w.claim(pid, ["C0", "P1", "H0"][day % 3], w.at(day, 60 + 3 * k), device="phone-organiser")
    return cards


def test_card_lending_is_found():
    w = World()
    cards = plant_lending(w)
    rings = flagged(w)
    assert any(r.typology == "card_lending" and set(cards) <= members(r) for r in rings)


def test_card_lending_in_an_extract_without_devices_is_lending():
    """No claim records a device: the organiser's cards come together at a shop they crowd and at
    the clinics he takes them to as well, which a cash-out shop's cards do not."""
    w = World()
    w.facility("P9", "pharmacy")  # a shop few go to: the ring crowds it
    cards = [w.person(f"L{i}", household=f"LH{i}", phone="ph-organiser") for i in range(8)]
    for day, place in ((20, "P9"), (55, "P9"), (90, "C0"), (140, "P9"), (170, "C2"), (200, "P9")):
        for k, pid in enumerate(cards[:6]):
            w.claim(pid, place, w.at(day, 60 + 3 * k))
    rings = [r for r in flagged(w) if set(cards) <= members(r)]
    assert rings and all(r.typology == "card_lending" for r in rings)


def test_an_organisers_phones_each_used_at_one_shop_are_lending_where_counters_are_registered():
    """The organiser presents six cards in sessions from one phone at a shop few go to and from
    another at a clinic. Each phone is used at one place only, as a counter is; but the extract
    registers every facility's counters, and neither phone is among them: his phones, not a
    shop's counter swiping cards."""
    w = World()
    w.facility("P9", "pharmacy")
    w.ids += [{"owner_type": "facility", "owner_id": f["facility_id"], "kind": "device",
               "value": f"{f['facility_id']}-T"} for f in w.facilities]
    cards = [w.person(f"L{i}", household=f"LH{i}", phone="ph-organiser") for i in range(6)]
    for day, place, phone in ((20, "P9", "phone-a"), (55, "P9", "phone-a"), (90, "C0", "phone-b"),
                              (140, "P9", "phone-a"), (170, "C0", "phone-b")):
        for k, pid in enumerate(cards):
            w.claim(pid, place, w.at(day, 60 + 3 * k), device=phone)
    rings = [r for r in flagged(w) if set(cards) <= members(r)]
    assert rings and all(r.typology == "card_lending" for r in rings)


def test_the_organisers_family_on_his_own_phone_is_not_in_his_ring():
    """L0 of the planted ring also presents his parents' and in-laws' cards from his own phone,
    three households in all: a family's tie to him, not cardholders of the ring (the component
    kept whole, as a small one is, so that Leiden's split does not decide it)."""
    w = World()
    cards = plant_lending(w)
    family = [w.person("K1", household="KH1", phone="ph-parents"), w.person("K2", household="KH2", phone="ph-inlaws")]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "device", "value": "own-phone-L0"}
              for pid in ["L0", *family]]
    for day in range(10, 300, 30):
        for k, pid in enumerate(family):
            w.claim(pid, ("P2", "C1")[day // 30 % 2], w.at(day, 30 + 2 * k), device="own-phone-L0")
    job = shared_identifier_job(build_context(w.tables()), params={"split_above": 40})
    group = next(c.persons() for c in job.candidates if set(cards) & c.persons())
    assert group == set(cards)


def test_grown_child_with_parents_and_in_laws_is_not_flagged():
    w = World()
    family = [w.person("K0", household="KH0", phone="ph-child"),
              w.person("K1", household="KH1", phone="ph-child", birth="1945-01-01"),
              w.person("K2", household="KH1", phone="ph-child", birth="1946-01-01"),
              w.person("K3", household="KH2", phone="ph-child", birth="1944-01-01"),
              w.person("K4", household="KH2", phone="ph-child", birth="1947-01-01")]
    for day in range(10, 300, 30):
        for k, pid in enumerate(family[1:]):
            w.claim(pid, "P0" if day % 60 else "C1", w.at(day, 30 + 2 * k), device="phone-child")
    assert flagged(w) == []


def _register_devices(w: World, holders: dict[str, list[str]]) -> None:
    """The extract's device register: ``holders``' phones, and every facility's counter."""
    w.ids += [{"owner_type": "facility", "owner_id": f["facility_id"], "kind": "device",
               "value": f"{f['facility_id']}-T"} for f in w.facilities]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "device", "value": device}
              for device, pids in holders.items() for pid in pids]


def _present_together(w: World, cards: list[str], sessions) -> None:
    """Each of ``sessions`` (day, facility, device): the cards presented minutes apart."""
    for day, place, device in sessions:
        for k, pid in enumerate(cards):
            w.claim(pid, place, w.at(day, 60 + 7 * k), device=device)


def test_a_lenders_two_strangers_cards_carried_on_his_phones_are_his_ring():
    """An organiser holds two working-age strangers' e-vouchers: his own registered phone and a
    phone registered to nobody present them minutes apart at a shop and a clinic. Three
    households in all, as a family's; but no family fetches for adults of working age on phones
    that are none of theirs, at several places."""
    w = World()
    organiser = w.person("O1", household="OH", phone="ph-organiser", birth="1982-05-06")
    cards = [w.person("L1", household="LH1", phone="ph-organiser", birth="1978-09-18"),
             w.person("L2", household="LH2", phone="ph-L2", birth="1977-05-06")]
    _register_devices(w, {"phone-organiser": [organiser], "phone-L1": ["L1"], "phone-L2": ["L2"]})
    _present_together(w, cards, [(120, "P1", "phone-organiser"), (200, "C0", "burner")])
    rings = [r for r in flagged(w) if set(cards) <= members(r)]
    assert [r.typology for r in rings] == ["card_lending"]
    assert organiser in members(rings[0])


def test_a_lenders_cards_carried_in_changing_pairs_are_his_ring():
    """A lender takes a different two or three of his four strangers' cards out each time, on
    his registered phone or one registered to nobody: no two cards are ever together on both
    phones, but the cards he carries are one group on two phones at three places."""
    w = World()
    organiser = w.person("O1", household="OH", phone="ph-organiser", birth="1982-05-06")
    cards = [w.person(f"L{i}", household=f"LH{i}", phone=f"ph-L{i}", birth=f"19{70 + i}-05-06") for i in range(4)]
    _register_devices(w, {"phone-organiser": [organiser], **{f"phone-L{i}": [f"L{i}"] for i in range(4)}})
    for (day, place, device), taken in zip([(40, "P1", "phone-organiser"), (90, "C0", "burner"),
                                            (150, "P2", "burner"), (210, "P1", "phone-organiser")],
                                           [(0, 1), (1, 2, 3), (3, 0), (2, 1)]):
        _present_together(w, [cards[i] for i in taken], [(day, place, device)])
    rings = [r for r in flagged(w) if set(cards) <= members(r)]
    assert [r.typology for r in rings] == ["card_lending"]
    assert organiser in members(rings[0])


def test_a_lenders_phones_registered_also_to_a_cardholder_are_still_his():
    """The organiser's two phones are each registered to him and, as SIM cards often are, in one
    of his cardholders' names too: a phone an outsider holds is a third party's, whoever else
    is on its register, and the ring's evidence says so."""
    w = World()
    organiser = w.person("O1", household="OH", phone="ph-organiser", birth="1982-05-06")
    cards = [w.person(f"L{i}", household=f"LH{i}", phone=f"ph-L{i}", birth=f"19{74 + i}-05-06") for i in range(3)]
    _register_devices(w, {"phone-a": [organiser, "L0"], "phone-b": [organiser, "L1"]})
    _present_together(w, cards, [(40, "P1", "phone-a"), (120, "C0", "phone-b"), (200, "P2", "phone-a")])
    rings = [r for r in flagged(w) if set(cards) <= members(r)]
    assert [r.typology for r in rings] == ["card_lending"]
    assert organiser in members(rings[0])
    assert rings[0].breakdown.get("third_party_device", 0) > 0


def test_a_grown_child_and_spouse_fetching_for_the_elders_on_two_phones_is_no_ring():
    """A grown child and his wife each fetch for his parents and her parents on their own phones,
    at a shop and a clinic: the same cards of two households together on two phones at two places,
    on phones registered to neither household of the cards. The cards are elders': a family."""
    w = World()
    child = [w.person("K0", household="KH0", phone="ph-child"), w.person("K9", household="KH0", phone="ph-child")]
    elders = [w.person("K1", household="KH1", phone="ph-child", birth="1945-01-01"),
              w.person("K3", household="KH2", phone="ph-child", birth="1944-01-01")]
    _register_devices(w, {"phone-K0": [child[0]], "phone-K9": [child[1]]})
    _present_together(w, elders, [(day, ("P0", "C1")[day // 30 % 2], ("phone-K0", "phone-K9")[day // 60 % 2])
                                  for day in range(10, 300, 30)])
    assert flagged(w) == []


def test_a_couple_at_two_addresses_presenting_each_others_cards_is_no_ring():
    """Two working-age partners registered at two addresses each present both cards from their
    own phones at two places: carried together, but on their own phones, and that alone is
    short of a flag."""
    w = World()
    couple = [w.person("M1", household="MH1", phone="ph-M1", birth="1985-01-01"),
              w.person("M2", household="MH2", phone="ph-M2", birth="1987-01-01")]
    _register_devices(w, {"phone-M1": ["M1"], "phone-M2": ["M2"]})
    _present_together(w, couple, [(day, ("P0", "C1")[day // 30 % 2], ("phone-M1", "phone-M2")[day // 60 % 2])
                                  for day in range(10, 300, 30)])
    assert flagged(w) == []


@pytest.mark.parametrize("at_home, elders_born, found", [
    ((), ("1949", "1940", "1952", "1954", "1935", "1940"), False),
    (("1950", "1952"), ("1930", "1955", "1952", "1954", "1935", "1940"), False),
    ((), ("1949", "1940", "1952", "1954", "1980", "1983"), True)],
    ids=["both sides' parents and grandparents", "his parents living with them", "two of the couple's age"])
def test_a_couple_keeping_both_sides_elders_is_a_family_of_five_households(at_home, elders_born, found):
    """A couple born in 1982 and 1985, with their boy of ten, keep the e-vouchers of his mother
    and grandmother (two households; his father and mother may live with them) on his phone and
    of her parents and grandparents (two more) on hers, and she fetches their drugs at the
    pharmacy on her phone every month, three or four cards minutes apart: five households, every
    one of them but the couple's a generation older than both, one family. Where two of the cards
    are of working age, born in 1980 and 1983, no one's parents: a lender's cards among the
    elders'."""
    w = World()
    w.person("HIM", household="KH0", phone="ph-him", birth="1982-09-02")
    w.person("HER", household="KH0", phone="ph-her", birth="1985-11-09")
    w.person("BOY", household="KH0", phone="ph-him", birth="2014-09-22")
    for i, born in enumerate(at_home):
        w.person(f"G{i}", household="KH0", phone="ph-him", birth=f"{born}-03-01")
    homes = ("KH1", "KH2", "KH3", "KH3", "KH4", "KH4")
    elders = [w.person(f"E{i}", household=home, phone=("ph-him", "ph-her")[i >= 2], birth=f"{born}-03-01")
              for i, (home, born) in enumerate(zip(homes, elders_born))]
    _register_devices(w, {"phone-her": ["HER", *elders[2:]]})
    for month in range(11):
        fetched = elders[month % 2::2] + elders[2:3]
        for k, pid in enumerate(fetched):
            w.claim(pid, "P0", w.at(10 + 30 * month, 600 + 4 * k), device="phone-her")
    rings = [r for r in flagged(w) if set(elders) & members(r)]
    assert bool(rings) is found, [(r.typology, r.score, r.breakdown) for r in rings]


def test_a_recruiter_bringing_four_elders_of_four_households_is_no_family():
    """A recruiter born in 1988 listed as the contact of four elders of four households from far
    away, admitted one every few weeks to a small private hospital: he keeps twice a grown
    child's share of households alone, and his elders are his recruits, not his family."""
    w = World()
    _busy_private_hospital(w)
    _small_hospital(w, "private")
    patients = [w.person(f"RT{k}", household=f"RTH{k}", phone="ph-recruiter", region="520101",
                         birth=f"19{45 + 4 * k}-03-01") for k in range(4)]
    w.person("RECRUITER", household="RTHR", phone="ph-recruiter", birth="1988-05-01")
    for k, pid in enumerate(patients):
        w.claim(pid, "H8", w.at(30 + 45 * k + 8, 30), visit="inpatient", admitted=w.at(30 + 45 * k, 30),
                diagnosis=f"M{50 + k}", amount=6000.0)
    assert any(r.typology == "induced_admission" and set(patients) | {"H8"} <= members(r) for r in flagged(w))


def _without_addresses(w: World) -> World:
    w.ids = [row for row in w.ids if row["kind"] != "address"]
    return w


def test_a_family_on_one_phone_without_addresses_is_not_flagged():
    """The grown child's phone presenting four elders, in an extract with no addresses at all:
    five persons on one phone are one household, not five."""
    w = World()
    family = [w.person("K0", phone="ph-child")] + [w.person(f"K{i}", phone="ph-child", birth="1945-01-01")
                                                   for i in range(1, 5)]
    for day in range(10, 300, 30):
        for k, pid in enumerate(family[1:]):
            w.claim(pid, "P0" if day % 60 else "C1", w.at(day, 30 + 2 * k), device="phone-child")
    assert flagged(_without_addresses(w)) == []


def test_card_lending_without_addresses_is_found():
    w = World()
    cards = plant_lending(w)
    assert any(r.typology == "card_lending" and set(cards) <= members(r) for r in flagged(_without_addresses(w)))


def test_a_village_doctors_rounds_of_his_chronic_patients_are_no_ring():
    """A village doctor goes round his thirty hypertensive and diabetic patients every twenty
    days, one afternoon each time, five minutes a house, settling each follow-up on the clinic's
    tablet with the same package of items (its mornings are villagers' coughs and colds); the
    county hospital treats the same patients for the same conditions each quarter. The same
    cards together round after round, billed alike: a panel's follow-up, not bills keyed in
    for people who were not seen."""
    w = World()
    w.facility("C9", "clinic")
    patients = [w.person(f"V{i}", household=f"VH{i}", birth=f"19{40 + i % 15}-01-01") for i in range(30)]
    for i, pid in enumerate(patients):
        for month in range(0, 12, 3):
            w.claim(pid, "H0", w.at(month * 30 + i % 20, 60), diagnosis=("I10", "E11")[i % 2], amount=300.0)
    villagers = [w.person(f"W{i}", household=f"WH{i}") for i in range(200)]
    for day in range(360):  # mornings of coughs and colds between the rounds
        for k in w.rng.choice(200, 3, replace=False):
            w.claim(villagers[k], "C9", w.at(day, int(w.rng.integers(0, 240))), diagnosis="J06", amount=30.0,
                    device="C9-tablet", lines=[(f"X{int(w.rng.integers(0, 12)):02d}", 1.0, 20.0)])
    for r, day in enumerate(range(5, 360, 20)):
        for i, pid in enumerate(patients):
            w.claim(pid, "C9", w.at(day, 360 + 5 * i + r % 3), diagnosis=("I10.9", "E11.9")[i % 2], amount=10.0,
                    device="C9-tablet", lines=[("FOLLOW-UP", 1.0, 10.0)])
    assert not any(set(patients) & members(r) for r in flagged(w))


def test_nursing_home_tablet_is_not_flagged():
    w = World()
    residents = [w.person(f"N{i}", household="nursing-home", birth="1938-01-01") for i in range(40)]
    for day in range(5, 360, 14):
        for k, pid in enumerate(residents):
            w.claim(pid, "C2", w.at(day, k), device="tablet-C2")
    assert flagged(w) == []


def test_a_grown_child_keeping_four_elder_households_e_vouchers_is_no_ring_for_one_busy_day():
    """A grown child keeps the e-vouchers of eight elders of four households (parents, in-laws,
    an aunt's and an uncle's) on his phone, listed as each one's contact, and settles each
    elder's refill every three weeks; one morning he settles all four households' visits. Such
    a day comes by chance to a phone that many households use this often; a lender's phone
    presents his cards together day after day."""
    w = World()
    w.person("K0", household="KH0", phone="ph-child", birth="1975-01-01")
    elders = [w.person(f"K{i}", household=f"KH{1 + (i - 1) // 2}", phone="ph-child", birth=f"194{i}-03-01")
              for i in range(1, 9)]
    for k, pid in enumerate(elders):
        for day in range(3 + 5 * k, 360, 21):
            w.claim(pid, ("P0", "C1", "P2")[day % 3], w.at(day, 480 + 5 * k), device="phone-child")
    for k, pid in enumerate(elders[::2]):
        w.claim(pid, "C1", w.at(150, 540 + 20 * k), device="phone-child")
    assert flagged(w) == []


def _costly_sales_to_others(w: World) -> None:
    """Five customers of P2, one household each, buying a costly drug once."""
    for i in range(5):
        pid = w.person(f"O{i}", household=f"OH{i}")
        w.claim(pid, "P2", w.at(30 + 40 * i, 300), amount=900.0, lines=[("EXPENSIVE", 10.0, 90.0)])


def _short_of_the_costly_drug(w: World) -> None:
    """Stock-in matching every facility's sales, but of the costly drug a tenth of what was sold."""
    w.stock_everything()
    for row in w.purchases:
        row["quantity"] = row["quantity"] / 10 if row["item_code"] == "EXPENSIVE" else row["quantity"]
    w.keep_stock = True


def test_cards_arriving_together_at_a_shop_reselling_packs_are_not_implicated_by_one_of_theirs_sold_again():
    """Six cards arrive at P2 minutes apart every month for their pills. P2 bills a costly drug on
    five other cards, reusing its packs' codes, and once the code of a pack it sold to one of the
    six: one of their sixty sales named, where a sixth of the shop's sales are. The shop's
    resold packs are not the six cards' doing."""
    w = World()
    others = [w.person(f"O{i}", household=f"OH{i}") for i in range(5)]
    for i, pid in enumerate(others):
        for k in range(2):
            w.claim(pid, "P2", w.at(30 + 40 * i + k, 300), amount=900.0,
                    lines=[("EXPENSIVE", 10.0, 90.0, f"RESOLD-{(i + k) % 5}")])
    cards = [w.person(f"Q{i}", household=f"QH{i}") for i in range(6)]
    for month in range(10):
        for k, pid in enumerate(cards):
            w.claim(pid, "P2", w.at(12 + 30 * month, 1140 + 2 * k), amount=30.0,
                    lines=[("PILLS", 2.0, 15.0, f"PILL-{month}-{k}")])
            if month % 3 == k % 3:  # their own check-ups, each on his days
                w.claim(pid, "H1", w.at(20 + 30 * month + 3 * k, 540 + 7 * k), amount=60.0, diagnosis="I10")
    w.claim(others[0], "P2", w.at(200, 300), amount=900.0, lines=[("PILLS", 2.0, 15.0, "PILL-5-0")])
    ctx = build_context(w.tables())
    reuse = trace_evidence(ctx)
    assert reuse.strength.get("P2", 0) > 0
    blocks = [c for c in lockstep_job(ctx, [reuse], seed=3).candidates if c.persons() >= set(cards)]
    assert blocks and all(c.signals.get("lockstep", 0) > 0 for c in blocks)
    assert all(c.signals.get("trace_reuse", 0) == 0 for c in blocks), [c.signals for c in blocks]


@pytest.mark.parametrize("bought", ["their pills", "the shop's short drug"])
def test_a_grown_childs_family_presented_together_at_a_short_shop_carries_its_ledger_only_on_its_short_sales(bought):
    """A grown child's phone is listed for his household, his parents' and his in-laws' (three
    households), and his wife's for her sister's household too: four households joined, wider
    than the family the tie alone reads. His phone presents the elders' cards minutes apart every
    month at P2, whose ledger is short of a costly drug it sold to others. Where they bought their
    own pills, which the shop stocked, the shop's ledger says nothing of them: their group
    carries no stock_excess and is not flagged for it. Where they bought the drug it never had,
    the group carries the ledger."""
    w = World()
    _costly_sales_to_others(w)
    child = w.person("GK", household="GKH", phone="ph-child", birth="1980-01-01")
    w.person("GW", household="GKH", phone="ph-wife", birth="1982-01-01")
    w.person("GS", household="GSH", phone="ph-wife", birth="1984-01-01")
    elders = [w.person(f"GE{k}", household=f"GEH{k // 2}", phone="ph-child", birth="1948-01-01") for k in range(4)]
    _register_devices(w, {"phone-GK": [child]})
    item = ("PILLS", 2.0, 15.0) if bought == "their pills" else ("EXPENSIVE", 1.0, 90.0)
    for month in range(10):
        for k, pid in enumerate(elders):
            w.claim(pid, "P2", w.at(12 + 30 * month, 1140 + 3 * k), amount=item[1] * item[2], lines=[item],
                    device="phone-GK")
    _short_of_the_costly_drug(w)
    ctx = build_context(w.tables())
    groups = [c for c in shared_identifier_job(ctx, [stock_evidence(ctx)], seed=3).candidates
              if c.persons() >= set(elders)]
    assert groups
    short = bought == "the shop's short drug"
    assert all((c.signals.get("stock_excess", 0) > 0) == short for c in groups), [c.signals for c in groups]
    if not short:
        assert not [r for r in flagged(w) if set(elders) & members(r)]


# -- card cashout: bursts at a pharmacy, sales above purchases, a collector -------------------
def test_card_cashout_is_found():
    w = World()
    cards = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-collector") for i in range(8)]
    w.stock_everything()
    for day in (17, 41, 66, 101, 133, 170):
        for k, pid in enumerate(cards):
            w.claim(pid, "P2", w.at(day, 200 + k * 2), amount=900.0, lines=[("EXPENSIVE", 10.0, 90.0)])
    w.keep_stock = True
    rings = flagged(w)
    assert any(r.typology == "card_cashout" and set(cards) <= members(r) and "P2" in members(r) for r in rings)


def test_cards_selling_the_same_packs_twice_through_an_absent_organiser_are_found():
    w = World()
    w.person("ORGANISER", household="QOH", phone="ph-collector")
    cards = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-collector" if i % 2 else None) for i in range(6)]
    # the other half pay into the organiser's account; none of them ever meets the others
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-collector"}
              for pid in ("ORGANISER", *cards[::2])]
    for i, pid in enumerate(cards):  # each pack's code is sold to two cards, a few weeks apart
        for k in range(2):
            w.claim(pid, "P2", w.at(30 + 50 * k + i, 200), lines=[("X03", 2.0, 45.0, f"TRACE-{(i + k) % 6}")])
    rings = flagged(w)
    assert any(r.typology == "card_cashout" and set(cards) | {"P2"} <= members(r) for r in rings)


@pytest.mark.parametrize("pairs", [4, 12])
def test_strangers_splitting_packs_at_a_cash_out_shop_are_none_of_its_ring(pairs):
    """The organiser's cards sell the same packs over and over at P2, and P2 also splits packs
    between two strangers now and then (拆零), each pair's pack its own: those strangers sold
    a pack sold again are customers, not cards of the ring, however many pairs there are."""
    w = World()
    w.person("ORGANISER", household="QOH", phone="ph-collector")
    cards = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-collector") for i in range(6)]
    for i, pid in enumerate(cards):
        for k in range(3):
            w.claim(pid, "P2", w.at(30 + 50 * k + i, 200), lines=[("X03", 2.0, 45.0, f"TRACE-{(i + k) % 6}")])
    strangers = []
    for n in range(pairs):
        pair = [w.person(f"S{n}{side}", household=f"SH{n}{side}") for side in "ab"]
        for side, pid in enumerate(pair):
            w.claim(pid, "P2", w.at(20 + 13 * n, 90 + 240 * side), lines=[("X03", 1.0, 45.0, f"SPLIT-{n}")])
        strangers += pair
    rings = [r for r in flagged(w) if r.typology == "card_cashout" and set(cards) <= members(r)]
    assert rings and not any(members(r) & set(strangers) for r in rings)


def test_a_pharmacy_scanning_one_code_for_strangers_is_not_flagged():
    w = World()
    for i in range(12):
        pid = f"P{i * 11:05d}"
        w.claim(pid, "P1", w.at(40 + 9 * i, 100), lines=[("X03", 1.0, 45.0, "TRACE-LAZY")])
    assert flagged(w) == []


def test_cards_swiped_together_selling_packs_twice_are_found_without_ties():
    """Nine strangers' cards, no phone or account in common, swiped three at a time minutes apart,
    no two cards together twice (no pair repeats, so no pair is a lockstep edge), the packs of one
    session sold again in the next: the claims themselves tie the cards."""
    w = World()
    cards = [w.person(f"Q{i}", household=f"QH{i}") for i in range(9)]
    sessions = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (1, 5, 6)]
    for session, (day, trio) in enumerate(zip((20, 48, 75, 110, 150, 190, 230, 270), sessions)):
        for k, card in enumerate(trio):
            w.claim(cards[card], "P2", w.at(day, 300 + 4 * k), amount=900.0,
                    lines=[("EXPENSIVE", 10.0, 90.0, f"PACK-{(session + k) % 5}")])
    rings = flagged(w)
    assert any(r.typology == "card_cashout" and set(cards) | {"P2"} <= members(r) for r in rings)


_TRIOS = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (1, 5, 6)]


def _sessions(w: World, cards: list[str], minutes) -> None:
    """Eight days at pharmacy P2, three of ``cards`` a day (no two together twice) at ``minutes(day, k)``."""
    for day, trio in zip((20, 48, 75, 110, 150, 190, 230, 270), _TRIOS):
        for k, card in enumerate(trio):
            w.claim(cards[card], "P2", w.at(day, minutes(day, k)), amount=900.0, lines=[("EXPENSIVE", 10.0, 90.0)])


def test_a_collectors_cards_swiped_together_at_an_honest_ledger_are_cash_out():
    """Nine households' cards tied by a collector's phone, swiped at the counter three at a time
    minutes apart; the shop's ledger adds up and no pair comes twice: the sessions are the tell."""
    w = World()
    cards = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-collector") for i in range(9)]
    _sessions(w, cards, lambda day, k: 300 + 4 * k)
    rings = flagged(w)
    assert any(r.typology == "card_cashout" and set(cards) | {"P2"} <= members(r) for r in rings)


def test_a_collectors_few_cards_swiped_together_at_a_busy_pharmacy_are_cash_out():
    """Four households' cards list the collector's phone and are swiped minutes apart at a
    pharmacy half the town uses, on three days: that four of five tied persons go there is no
    surprise, that their cards come to its counter together each time is."""
    w = World()
    w.person("COLLECTOR", household="CH", phone="ph-collector")
    cards = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-collector") for i in range(4)]
    for day in (40, 85, 160):
        for k, card in enumerate(cards[: 3 if day == 160 else 4]):
            w.claim(card, "P1", w.at(day, 480 + 8 * k), amount=390.0, lines=[("EXPENSIVE", 1.0, 390.0)])
    rings = flagged(w)
    assert any(r.typology == "card_cashout" and set(cards) | {"P1"} <= members(r) for r in rings)


def test_a_tied_group_shopping_at_any_hour_is_not_cash_out():
    """The same nine households tied by one phone (a village's), at the same pharmacy on the same
    days but hours apart: tied, but not swiped together."""
    w = World()
    cards = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-village") for i in range(9)]
    _sessions(w, cards, lambda day, k: 60 + 200 * k)
    assert not any(r.typology == "card_cashout" for r in flagged(w))


def test_a_pharmacy_scanning_one_code_for_its_busy_days_customers_is_not_flagged():
    """One code scanned for thirty strangers, five a day at any hour over weeks: they share the
    pack code and the days, not the minutes."""
    w = World()
    strangers = [w.person(f"LZ{i}", household=f"LZH{i}") for i in range(30)]
    for day in range(40, 100, 2):
        for k in range(5):
            pid = strangers[int(w.rng.integers(0, 30))]
            w.claim(pid, "P1", w.at(day, int(w.rng.integers(0, 600))), lines=[("X03", 1.0, 45.0, "TRACE-LAZY")])
    assert flagged(w) == []


def test_dialysis_schedule_is_not_flagged():
    w = World()
    patients = [w.person(f"Y{i}", household=f"YH{i}") for i in range(10)]
    for week in range(20):
        for weekday in (0, 2, 4):
            for k, pid in enumerate(patients):
                w.claim(pid, "C3", w.at(week * 7 + weekday, 5 + k), amount=400.0, diagnosis="N18",
                        lines=[("DIALYSIS", 1.0, 400.0)])
    assert flagged(w) == []



def dialysis_with_relatives_elsewhere(w: World) -> tuple[list[str], list[str]]:
    """A dialysis centre's twelve patients, three days a week all year; five of them have a
    relative in another province who pays at a pharmacy there from the patient's account with the
    family phone (家庭共济) on a dozen days, some of them dialysis days. A few travellers are
    treated in two provinces the same day, as everywhere."""
    w.facility("DIAL", "clinic")
    for fid in ("SH1", "SH2"):
        w.facility(fid, "pharmacy", region="310115")
    w.facility("F9", "hospital", region="520101")
    for i in range(10):
        pid = f"P{i * 11:05d}"
        w.claim(pid, ["C0", "C1", "P0"][i % 3], w.at(150 + 9 * i, 30))
        w.claim(pid, "F9", w.at(150 + 9 * i, 420))
    patients = [w.person(f"Y{i}", household=f"YH{i}", phone=f"ph-YH{i}") for i in range(12)]
    for week in range(51):
        for weekday in (0, 2, 4):
            for k, pid in enumerate(patients):
                w.claim(pid, "DIAL", w.at(week * 7 + weekday, 60 + 5 * k), amount=400.0, diagnosis="N18",
                        lines=[("DIALYSIS", 1.0, 400.0)])
    relatives = patients[:5]
    for k, pid in enumerate(relatives):
        for day in w.rng.choice(356, size=12, replace=False):
            w.claim(pid, ("SH1", "SH2")[k % 2], w.at(int(day), 600), device=f"phone-YH{k}", region="310115",
                    lines=[("X03", 2.0, 20.0)])
    return patients, relatives


def test_a_dialysis_patients_relative_paying_from_his_account_in_another_province_is_no_impersonation():
    """The centre's cards are in two provinces on a few dozen days, and nothing else anywhere
    is: but a card there a hundred and fifty days and a dozen in the other province meets it
    on some of them by chance, and so, from the pharmacies' side, does every relative's."""
    w = World()
    patients, relatives = dialysis_with_relatives_elsewhere(w)
    ctx = build_context(w.tables())
    flags = flag_claims(ctx)
    assert set(flags.loc[flags["two_places"] & (flags["facility_id"] == "DIAL"), "person_id"]) == set(relatives)
    centre = [c for c in impersonation_job(ctx).candidates if c.facts.get("facility") == "DIAL"]
    assert centre and all(c.signals.get("impossible_cards", 0.0) == 0 for c in centre)
    assert not [r for r in flagged(w) if r.typology == "impersonation"]


def test_cards_expected_in_two_places_grow_with_their_days_here_and_elsewhere():
    """Independent days: a card at the centre 153 days and in the other province 12 is expected
    there nearly surely; a traveller's card seen once here and once away hardly."""
    from ringscope.communities.job_impersonation import _two_places_by_exposure

    w = World()
    dialysis_with_relatives_elsewhere(w)
    expected = _two_places_by_exposure(build_context(w.tables()))
    days = len({c["settled_at"][:10] for c in w.claims})
    assert expected["DIAL"] == pytest.approx(5 * (1 - math.exp(-153 * 12 / days)), rel=0.05)
    assert expected["F9"] < 0.5 and expected["SH1"] > 2  # ten travellers there once each: far below ten


def test_a_dialysis_centre_with_three_shifts_and_no_other_trade_is_not_flagged():
    """A centre that sees nobody but its dialysis patients: five on Monday, Wednesday and Friday
    evenings, five on Tuesday, Thursday and Saturday afternoons, and a morning shift every day
    but Sunday, some days four patients (a crowd for so quiet a place), some days three. Most
    visits there fall in a shift's crowd, one after another, and each day's shift is a crowd of
    its own: the evening and afternoon shifts never meet, and each is a schedule."""
    w = World()
    w.facility("DIAL", "clinic")
    evening = [w.person(f"Y{i}", household=f"YH{i}") for i in range(5)]
    afternoon = [w.person(f"V{i}", household=f"VH{i}") for i in range(5)]
    morning = [w.person(f"M{i}", household=f"MH{i}") for i in range(4)]
    for week in range(50):
        for weekday in range(6):
            shifts = [(morning[:4 if (week + weekday) % 3 else 3], 60),
                      (evening, 720) if weekday % 2 == 0 else (afternoon, 480)]
            for shift, minute in shifts:
                for k, pid in enumerate(shift):
                    w.claim(pid, "DIAL", w.at(week * 7 + weekday, minute + 3 * k), amount=400.0, diagnosis="N18",
                            lines=[("DIALYSIS", 1.0, 400.0)])
    assert not any(set(evening + afternoon + morning) & members(r) for r in flagged(w))


def test_a_rehab_centres_courses_three_times_a_week_at_each_patients_hour_are_no_lockstep():
    """A rehabilitation ward's patients come for physiotherapy three days a week, which days
    changing from week to week, for ten weeks, each at his own slot of the afternoon, billed
    the same session: courses, however often they arrive together, and no keyed-in bills."""
    w = World()
    rng = np.random.default_rng(11)
    patients = [w.person(f"R{i}", household=f"RH{i}") for i in range(8)]
    for i, pid in enumerate(patients):
        for week in range(10):
            for weekday in sorted(rng.choice(6, 3, replace=False)):
                w.claim(pid, "H1", w.at(70 + 4 * i + week * 7 + int(weekday), 360 + 5 * i), amount=120.0,
                        diagnosis="M75", lines=[("PHYSIO", 1.0, 80.0), ("HOTPACK", 1.0, 40.0)])
    ctx = build_context(w.tables())
    blocks = [c for c in lockstep_job(ctx, [], seed=3).candidates if c.signals.get("lockstep", 0) > 0]
    assert not any(c.persons() & set(patients) for c in blocks)
    assert not any(set(patients) & members(r) for r in flagged(w))


def test_a_township_centres_market_day_mornings_are_no_ring():
    """A township health centre sees its chronic patients on market days, Monday and Thursday
    mornings: each comes every other week, whenever he can between seven and ten, and is billed
    the centre's standard follow-up; on other days a patient or two drops in. Patients of the
    same fortnight meet in its waiting room week after week, but the mornings keep their hours
    however each patient's own time wanders, and the market days' schedule explains the crowd."""
    w = World()
    w.facility("TWN", "clinic")
    rng = np.random.default_rng(17)
    regulars = [w.person(f"M{i:02d}", household=f"MH{i}") for i in range(30)]
    for week in range(40):
        for weekday in (0, 3):
            for i, pid in enumerate(regulars):
                if (week + i + weekday) % 4 == 0:
                    w.claim(pid, "TWN", w.at(week * 7 + weekday, 420 + int(rng.integers(0, 180))), amount=60.0,
                            diagnosis="I10", lines=[("FOLLOWUP", 1.0, 10.0), ("AMLO", 2.0, 25.0)])
        for weekday in (1, 2, 4):
            w.claim(f"P{(7 * week + weekday) % 250:05d}", "TWN", w.at(week * 7 + weekday, 480), amount=40.0)
    assert not any(len(members(r) & set(regulars)) >= 3 for r in flagged(w))


def test_a_clinic_keying_one_bill_for_its_patients_in_sittings_is_fictitious_services():
    """A clinic keys one physiotherapy bill for a dozen of its patients (people treated
    elsewhere too), eight of them at each of twenty sittings two minutes apart, at whatever hour
    the day allows: cards together beyond chance, billed from one list of items."""
    w = World()
    rng = np.random.default_rng(5)
    patients = [w.person(f"K{i:02d}", household=f"KH{i}") for i in range(12)]
    for pid in patients:
        w.claim(pid, "H0", w.at(int(rng.integers(0, 360)), 200), amount=150.0, lines=[("X01", 1.0, 20.0)])
    for day in range(8, 300, 15):
        start = int(rng.integers(30, 480))
        for k, pid in enumerate(rng.choice(patients, 8, replace=False)):
            w.claim(str(pid), "C1", w.at(day, start + 2 * k), amount=160.0, diagnosis="M54",
                    lines=[("PHYSIO", 1.0, 80.0), ("ACUPUNCT", 2.0, 40.0)])
    assert any(r.typology == "fictitious_services" and len(members(r) & set(patients)) >= 10 for r in flagged(w))

# -- induced admission: waves of far-away patients with one diagnosis, a recruiter ----------------
def test_induced_admission_is_found():
    w = World()
    w.facility("H9", "hospital", beds=40, ownership="private")
    patients = []
    for wave, day in enumerate((30, 95, 160)):
        for k in range(6):
            pid = w.person(f"I{wave}{k}", household=f"IH{wave}{k}", phone="ph-recruiter", region="520101")
            patients.append(pid)
            w.claim(pid, "H9", w.at(day + 7, k), visit="inpatient", admitted=w.at(day, k), diagnosis="M54",
                    amount=6000.0)
    w.person("RECRUITER", household="IHR", phone="ph-recruiter")
    rings = flagged(w)
    assert any(r.typology == "induced_admission" and set(patients) <= members(r) for r in rings)


@pytest.mark.parametrize("stay_days", [0, 9])
def test_a_day_wards_chemotherapy_cycles_are_no_waves_where_a_weeks_stays_would_be(stay_days):
    """Two cohorts of twelve cancer patients, seen at their clinics too, began chemotherapy at
    hospital H9 (a year of other admissions, one a day) and come back every three weeks, one
    cycle in four a week late, each cohort admitted together and billed item for item alike. Day
    stays (settled the day of admission) are a day ward's courses; the same patients kept nine
    days each time, cycle after cycle, are beds filled in waves."""
    w = World()
    w.facility("H9", "hospital", beds=400)
    rng = np.random.default_rng(9)
    for i in range(360):  # the hospital's other admissions, one a day, of all kinds
        pid = w.person(f"W{i}", household=f"WH{i}")
        los = int(rng.integers(2, 12))
        w.claim(pid, "H9", w.at(i + los, 600), visit="inpatient", admitted=w.at(i, 500),
                diagnosis=("J18", "I63", "K80", "S72", "N18")[i % 5], amount=9000.0,
                lines=[(f"ITEM{i}", float(los), 300.0)])
    patients = []
    for cohort, first in enumerate((20, 31)):
        for k in range(12):
            pid = w.person(f"Q{cohort}{k}", household=f"QH{cohort}{k}", region="520101")
            patients.append(pid)
            w.claim(pid, "C1", w.at(5 + k, 100), diagnosis="C50")
            day = first
            for cycle in range(8):
                w.claim(pid, "H9", w.at(day + stay_days, 600 + k), visit="inpatient", admitted=w.at(day, 480 + k),
                        diagnosis="Z51.1", amount=4200.0, lines=[("DOCETAXEL", 1.0, 3800.0), ("SALINE", 2.0, 20.0)])
                day += 21 + 7 * (cycle % 4 == 3)
    found = any(r.typology == "induced_admission" and len(members(r) & set(patients)) >= 6 for r in flagged(w))
    assert found == (stay_days > 1)


def test_bus_accident_group_admission_is_not_flagged():
    w = World()
    for k in range(15):
        pid = w.person(f"B{k}", household=f"BH{k}", region="520101")
        w.claim(pid, "H0", w.at(120 + 5, k), visit="inpatient", admitted=w.at(120, k), diagnosis=f"S{k:02d}")
    assert flagged(w) == []


def _district_hospital_outbreak_and_crash(outbreak: list[int], crash: int) -> World:
    """A district hospital's year of local patients with assorted diagnoses; pneumonia patients of
    one outbreak admitted on the days ``outbreak`` (one per day listed), each with a life beyond
    the ward; and ten injured from one crash on day ``crash``."""
    w = World()
    w.facility("H7", "hospital", beds=120)
    for day in range(0, 360, 2):
        pid = w.person(f"HZ{day}", household=f"HZH{day}")
        w.claim(pid, "C0", w.at((day + 100) % 360, 200))
        w.claim(pid, "H7", w.at(day + 5, 300), visit="inpatient", admitted=w.at(day, 300),
                diagnosis=f"K{day % 30:02d}", amount=3000.0)
    for k, day in enumerate(outbreak):
        pid = w.person(f"FL{k}", household=f"FLH{k}")
        w.claim(pid, "C0", w.at(200 + k, 60))  # people with a life beyond the ward
        w.claim(pid, "H7", w.at(day + 7, 60 + k), visit="inpatient", admitted=w.at(day, 60 + k),
                diagnosis="J18.9", amount=2500.0)
    for k in range(10):
        pid = w.person(f"CR{k}", household=f"CRH{k}")
        w.claim(pid, "C0", w.at(10 + 3 * k, 90))
        w.claim(pid, "H7", w.at(crash + 9, 600 + k), visit="inpatient", admitted=w.at(crash, 600 + k),
                diagnosis=("S06.0", "S82.2", "S22.3")[k % 3], amount=6000.0)
    return w


def test_an_outbreak_and_a_crash_weeks_apart_at_one_hospital_are_no_ring():
    """A district hospital admits sixteen pneumonia patients in four February days and, seven weeks
    later, ten injured from one crash: two waves, most of their stays with one diagnosis; but
    each event brought its own diagnosis, which no recruiter's second bus repeats."""
    w = _district_hospital_outbreak_and_crash([40 + k // 4 for k in range(16)], crash=90)
    assert flagged(w) == []


def test_a_month_long_outbreak_and_a_crash_at_one_hospital_are_no_ring():
    """The same district hospital; the pneumonia outbreak lasts a month, its local patients
    admitted every other day with four peaks of six, and a crash's ten injured come in February:
    five waves, most of their stays with one diagnosis. An outbreak fills its own catchment's
    beds in waves of one diagnosis; the waves and the diagnosis are one tell, not two."""
    days = [d for d in range(150, 180, 2) for _ in range(1 + 5 * (d in (154, 162, 170, 176)))]
    w = _district_hospital_outbreak_and_crash(days, crash=40)
    assert flagged(w) == []


# -- impersonation: dead persons' cards used months later through one doctor ----------------
def test_impersonation_after_death_is_found():
    w = World()
    dead = [w.person(f"M{i}", household=f"MH{i}", death="2024-02-01", birth="1940-01-01") for i in range(6)]
    for pid in dead:
        for day in (100, 130, 190):
            w.claim(pid, "C1", w.at(day, 10), doctor="C1-D0", device="pos-M")
    rings = flagged(w)
    assert any(r.typology == "impersonation" and set(dead) <= members(r) for r in rings)


def busy_with_travellers(w: World) -> None:
    """Honest flags scattered everywhere (travellers treated in two provinces the same day) and
    e-vouchers on family phones, so that a few flagged cards at one clinic are no surprise."""
    w.facility("F9", "hospital", region="520101")
    for i in range(40):
        pid = f"P{i * 7:05d}"
        w.claim(pid, ["C0", "C1", "C2", "C3", "P0", "P1"][i % 6], w.at(200 + i, 30))
        w.claim(pid, "F9", w.at(200 + i, 400))
    for person in w.persons[:150]:
        w.claim(person["person_id"], "C1", w.at(10 + len(w.claims) % 300, 60), device=f"dev-{person['person_id']}")


def test_impersonation_through_an_organisers_phone_at_a_busy_clinic_is_found():
    w = World()
    busy_with_travellers(w)
    dead = [w.person(f"M{i}", household=f"MH{i}", death="2024-02-01", birth="1940-01-01") for i in range(2)]
    misfit = w.person("MM", household="MHM", gender="M")
    plain = w.person("MP", household="MHP")
    for k, pid in enumerate((*dead, misfit, plain)):
        for day in (100, 150, 230):
            w.claim(pid, "C1", w.at(day + k, 10), device="phone-organiser",
                    diagnosis="Z34.9" if pid == misfit else "I10")
    rings = flagged(w)
    assert any(r.typology == "impersonation" and {*dead, misfit, plain, "C1"} <= members(r) for r in rings)


def children_with(w: World, code: str, n: int = 40) -> None:
    """``n`` children treated for ``code`` at the clinics: what makes it a children's code here."""
    for i in range(n):
        pid = w.person(f"K{i:03d}", household=f"KH{i}", birth="2018-05-01", gender="MF"[i % 2])
        w.claim(pid, ["C0", "C2", "C3"][i % 3], w.at(5 + 7 * i, 30), diagnosis=code)


def test_an_elders_card_billed_for_a_childrens_illness_on_an_organisers_phone_is_found():
    """One dead card and one elder's card billed for an illness that only children have in this
    extract (a code on no list: the extract's own claimants show it), both on one phone."""
    w = World()
    busy_with_travellers(w)
    children_with(w, "Q99.1")
    dead = w.person("M0", household="MH0", death="2024-02-01", birth="1940-01-01")
    elder = w.person("ME", household="MHE", birth="1950-01-01")
    for k, pid in enumerate((dead, elder)):
        for day in (100, 150, 230):
            w.claim(pid, "C1", w.at(day + k, 10), device="phone-organiser",
                    diagnosis="Q99.1" if pid == elder else "I10")
    rings = flagged(w)
    assert any(r.typology == "impersonation" and {dead, elder, "C1"} <= members(r) for r in rings)


def test_an_illness_that_adults_have_too_is_no_misfit():
    """The same code held by adults as often as by children is nobody's in particular."""
    w = World()
    children_with(w, "Q99.1")
    for i, person in enumerate(w.persons[:40]):
        w.claim(person["person_id"], "C1", w.at(20 + i, 10), diagnosis="Q99.1")
    flags = flag_claims(build_context(w.tables()))
    assert not flags["incompatible"].any()
    w = World()
    children_with(w, "Q99.1")
    elder = w.person("ME", household="MHE", birth="1950-01-01")
    w.claim(elder, "C1", w.at(100, 10), diagnosis="Q99.1")
    flags = flag_claims(build_context(w.tables()))
    assert set(flags.loc[flags["incompatible"], "person_id"]) == {elder}


def test_cards_on_an_organisers_second_phone_join_the_ring():
    """The organiser's first phone presents the dead and mismatched cards; the second presents
    one of them again with two more living cards nothing flags: all are the ring's."""
    w = World()
    busy_with_travellers(w)
    dead = [w.person(f"M{i}", household=f"MH{i}", death="2024-02-01", birth="1940-01-01") for i in range(2)]
    misfit = w.person("MM", household="MHM", gender="M")
    living = [w.person(f"ML{i}", household=f"MHL{i}") for i in range(2)]
    for k, pid in enumerate((*dead, misfit)):
        for day in (100, 150, 230):
            w.claim(pid, "C1", w.at(day + k, 10), device="phone-organiser",
                    diagnosis="Z34.9" if pid == misfit else "I10")
    for k, pid in enumerate((dead[0], *living)):
        w.claim(pid, "C1", w.at(260 + k, 10), device="phone-organiser-2", diagnosis="I10")
    rings = flagged(w)
    assert any(r.typology == "impersonation" and {*dead, misfit, *living, "C1"} <= members(r) for r in rings)



def test_cards_on_an_organisers_second_phone_sharing_none_with_the_first_join_the_ring():
    """The first phone presents three dead cards of three households; the second, a dead card
    and a man's card billed for pregnancy care, of two more, at the same clinic; no card is on
    both. Two phones each presenting strangers' flagged cards at one clinic are one organiser's."""
    w = World()
    busy_with_travellers(w)
    first = [w.person(f"M{i}", household=f"MH{i}", death="2024-02-01", birth="1940-01-01") for i in range(3)]
    dead = w.person("M3", household="MH3", death="2024-02-01", birth="1942-01-01")
    misfit = w.person("MM", household="MHM", gender="M")
    for k, pid in enumerate(first):
        for day in (100, 150, 230):
            w.claim(pid, "C1", w.at(day + k, 10), device="phone-organiser", diagnosis="I10")
    for k, pid in enumerate((dead, misfit)):
        for day in (120, 200):
            w.claim(pid, "C1", w.at(day + k, 10), device="phone-organiser-2",
                    diagnosis="Z34.9" if pid == misfit else "I10")
    rings = flagged(w)
    assert any(r.typology == "impersonation" and {*first, dead, misfit, "C1"} <= members(r) for r in rings)


def test_the_doctor_who_sees_most_of_a_small_clinics_patients_is_not_in_its_impersonation_ring():
    """At a clinic where one doctor sees three patients in four, an organiser's phone presents
    two dead cards and a man's card billed for pregnancy care; the doctor sees them as he sees
    everyone. The cards and the clinic are the ring; he is not, where the flagged claims come
    to him no more than the clinic's claims do."""
    w = World()
    busy_with_travellers(w)
    w.facility("C9", "clinic")
    for i in range(80):
        pid = w.person(f"CP{i}", household=f"CPH{i}")
        for k in range(3):
            w.claim(pid, "C9", w.at(10 + 4 * i + 90 * k, 30), doctor=("C9-MAIN" if (i + k) % 4 else "C9-OTHER"))
    dead = [w.person(f"M{i}", household=f"MH{i}", death="2024-02-01", birth="1940-01-01") for i in range(2)]
    misfit = w.person("MM", household="MHM", gender="M")
    for k, pid in enumerate((*dead, misfit)):
        for j, day in enumerate((100, 150, 230, 290)):
            w.claim(pid, "C9", w.at(day + k, 10), device="phone-organiser", doctor="C9-OTHER" if j == k else "C9-MAIN",
                    diagnosis="Z34.9" if pid == misfit else "I10")
    rings = [r for r in flagged(w) if r.typology == "impersonation" and {*dead, misfit, "C9"} <= members(r)]
    assert rings and "C9-MAIN" not in members(rings[0])


def test_grown_child_keeping_a_late_parents_e_voucher_is_not_flagged():
    w = World()
    busy_with_travellers(w)
    father = w.person("GF", household="GH", death="2024-02-01", birth="1938-01-01", phone="ph-GH")
    mother = w.person("GM", household="GH", gender="F", birth="1941-01-01", phone="ph-GH")
    for day in (90, 120, 150, 180, 210):
        for k, pid in enumerate((father, mother)):
            w.claim(pid, "C1", w.at(day, 10 + k), device="phone-child", diagnosis="I10")
    assert flagged(w) == []


def test_in_hospital_death_settled_after_death_is_not_flagged():
    w = World()
    for i in range(6):
        pid = w.person(f"G{i}", household=f"GH{i}", death=f"2024-03-{10 + i}", birth="1935-01-01")
        w.claim(pid, "H0", w.at(75 + i + 40), visit="inpatient", admitted=w.at(60 + i), doctor="H0-D1")
    assert flagged(w) == []


# -- prescription collusion: one doctor's fills steered to one pharmacy, inflated ------------
def test_prescription_collusion_is_found():
    w = World()
    for i in range(120):
        pid = f"P{i:05d}"
        w.claim(pid, f"P{i % 4}", w.at(i + 1, 30), doctor=f"H0-D{1 + i % 2}", lines=[("X01", 2.0, 20.0)])
    patients = [w.person(f"U{i}", household=f"UH{i}") for i in range(12)]
    for day in range(5, 300, 40):
        for pid in patients:
            w.claim(pid, "P3", w.at(day, 99), doctor="H0-D0", lines=[("X01", 9.0, 20.0)])
    rings = flagged(w)
    assert any(r.typology == "prescription_collusion" and {"H0-D0", "P3"} <= members(r) for r in rings)


def test_a_doctors_one_patient_filling_every_prescription_at_his_usual_shop_is_no_collusion():
    """A specialist writes seventeen prescriptions a year for one chronic patient, who fills them all
    at the pharmacy near his home, with the big packs his illness needs; the specialist's peers'
    prescriptions are spread over four pharmacies. Seventeen fills at one shop are one patient's
    choice, made once: no pair of doctor and pharmacy to test."""
    w = World()
    for i in range(120):
        w.claim(f"P{i:05d}", f"P{i % 4}", w.at(i + 1, 30), doctor=f"H0-D{1 + i % 2}", lines=[("X01", 2.0, 20.0)])
    patient = w.person("U0", household="UH0")
    for day in range(5, 350, 21):
        w.claim(patient, "P3", w.at(day, 99), doctor="H0-D0", lines=[("X01", 9.0, 20.0)])
    w.stock_everything()
    candidates = prescription_flow_job(build_context(w.tables())).candidates
    assert not [c for c in candidates if ("practitioner", "H0-D0") in c.members]


def _clinic_prescriptions(w: World, rng, *, clinics: int, fills: int, shops: int, inflated: float) -> None:
    """Three doctors at each of ``clinics`` new clinics K0, K1, ... write ``fills`` prescriptions
    each, for background patients on days spread over the year, filled in turn at pharmacies P0 to
    P``shops - 1``: two boxes of Y01, nine a share ``inflated`` of the time."""
    for j in range(clinics):
        w.facility(f"K{j}", "clinic")
        for d in range(3):
            for i in range(fills):
                w.claim(f"P{int(rng.integers(0, 300)):05d}", f"P{i % shops}", w.at(int(rng.integers(1, 350)), 30),
                        doctor=f"K{j}-D{d}", lines=[("Y01", 9.0 if rng.random() < inflated else 2.0, 20.0)])


def test_a_steering_doctors_few_inflated_fills_are_weighed_among_the_steered_pairs():
    """Sixty doctors spread their prescriptions over four pharmacies, a few fills in a hundred
    inflated; one doctor sends all thirty of his to P3, six of them inflated. Among the 240
    doctor-pharmacy pairs six is no surprise, but the flow test, which never looked at
    quantities, named this pair alone: among the pairs it names, six inflated is one."""
    w = World()
    _clinic_prescriptions(w, np.random.default_rng(8), clinics=20, fills=40, shops=4, inflated=0.03)
    patients = [w.person(f"V{i}", household=f"VH{i}") for i in range(10)]
    for k in range(30):
        w.claim(patients[k % 10], "P3", w.at(5 + 11 * k, 120), doctor="H0-D0",
                lines=[("Y01", 9.0 if k % 5 == 0 else 2.0, 20.0)])
    rings = flagged(w)
    assert any(r.typology == "prescription_collusion" and {"H0-D0", "P3"} <= members(r) for r in rings)


def _busy_practice(w: World, inflate) -> None:
    """400 prescriptions each of doctors H0-D0, H1-D0 and H1-D1, spread evenly over the four
    pharmacies: no pharmacy gets more of any doctor's fills than its peers' share. ``inflate(doctor,
    pharmacy, i)`` says whether fill ``i`` is dispensed at 9 boxes instead of 2 (inflated while
    fewer than 5% of all fills are)."""
    for doctor in ("H0-D0", "H1-D0", "H1-D1"):
        for i in range(400):
            pharmacy = f"P{i % 4}"
            qty = 9.0 if inflate(doctor, pharmacy, i) else 2.0
            w.claim(f"P{i % 300:05d}", pharmacy, w.at(i % 350 + 1, 30), doctor=doctor, lines=[("Y01", qty, 20.0)])


def test_collusion_hidden_in_a_busy_practice_is_found():
    """Six patients of a busy doctor fill at P3 with inflated quantities: the pair's share of the
    doctor's fills is near the peers', but its fills are inflated there and nowhere else."""
    w = World()
    _busy_practice(w, lambda doctor, pharmacy, i: False)
    patients = [w.person(f"V{i}", household=f"VH{i}") for i in range(6)]
    for day in range(5, 300, 50):
        for pid in patients:
            w.claim(pid, "P3", w.at(day, 120), doctor="H0-D0", lines=[("Y01", 9.0, 20.0)])
    rings = flagged(w)
    assert any(r.typology == "prescription_collusion" and {"H0-D0", "P3", *patients} <= members(r) for r in rings)


def test_long_prescriptions_everywhere_are_not_collusion():
    """Doctor H0-D0 writes long prescriptions for a tenth of the fills at every pharmacy, and
    pharmacy P3 hands out big packs for every doctor: inflation, but specific to no pair."""
    w = World()
    _busy_practice(w, lambda doctor, pharmacy, i: (doctor == "H0-D0" and i // 4 % 20 == 0)
                   or (pharmacy == "P3" and doctor != "H1-D1" and i // 4 % 10 == 5))
    assert not any(r.typology == "prescription_collusion" for r in flagged(w))


def _steered_in_weeks(w: World, days) -> list[str]:
    """A busy practice where one fill in a hundred is inflated anywhere; six patients of H0-D0 fill
    at P3 three times each on ``days`` (18 day numbers), two fills in three inflated."""
    _busy_practice(w, lambda doctor, pharmacy, i: i % 97 == 7)
    patients = [w.person(f"V{i}", household=f"VH{i}") for i in range(6)]
    for k, day in enumerate(days):
        w.claim(patients[k % 6], "P3", w.at(day, 120), doctor="H0-D0",
                lines=[("Y01", 9.0 if k // 6 % 3 else 2.0, 20.0)])
    return patients


def test_a_pairs_inflated_fills_crowded_into_four_weeks_are_collusion():
    """The pair's fills are inflated far more often than the doctor's elsewhere and the pharmacy's
    for others (one signal), and the inflated ones came in three weeks of the year (a second):
    spread over the year, the same fills are the one signal only."""
    w = World()
    patients = _steered_in_weeks(w, range(150, 168))
    rings = flagged(w)
    assert any(r.typology == "prescription_collusion" and {"H0-D0", "P3", *patients} <= members(r) for r in rings)
    assert any("within" in r.summary_en for r in rings if r.typology == "prescription_collusion")
    w = World()
    _steered_in_weeks(w, range(5, 350, 19))
    assert not any(r.typology == "prescription_collusion" for r in flagged(w))


def _steering_clinic(days) -> tuple[World, list[str]]:
    """Sixty doctors of twenty clinics see patients and send prescriptions to P0-P3 all year;
    doctor K0-D0 also sends five patients' prescriptions to P9, where no other doctor's go, on
    ``days``, at the usual quantities."""
    w = World()
    w.facility("P9", "pharmacy")
    rng = np.random.default_rng(8)
    for j in range(20):
        w.facility(f"K{j}", "clinic")
        for d in range(3):
            for i in range(40):
                day = int(rng.integers(1, 350))
                w.claim(f"P{int(rng.integers(0, 300)):05d}", f"K{j}", w.at(day, 20 + i), doctor=f"K{j}-D{d}")
                w.claim(f"P{int(rng.integers(0, 300)):05d}", f"P{i % 4}", w.at(day, 90 + i), doctor=f"K{j}-D{d}",
                        lines=[("Y01", 2.0, 20.0)])
    patients = [w.person(f"V{i}", household=f"VH{i}") for i in range(5)]
    for k, day in enumerate(days):
        w.claim(patients[k % 5], "P9", w.at(day, 120), doctor="K0-D0", lines=[("Y01", 2.0, 20.0)])
    return w, patients


def test_a_doctors_steering_that_began_one_day_is_collusion_at_the_usual_quantities():
    """Nothing is inflated, so the flow to P9 is the one signal of quantities and shares; that it
    began one day and ran for two months of the doctor's year is a second. Spread over his year,
    the same fills are the flow alone (a pharmacy next door)."""
    w, patients = _steering_clinic(range(150, 211, 3))
    rings = flagged(w)
    assert any(r.typology == "prescription_collusion" and {"K0-D0", "P9", *patients} <= members(r) for r in rings)
    assert any("of the fills within" in r.summary_en for r in rings if r.typology == "prescription_collusion")
    w, _ = _steering_clinic(range(5, 350, 17))
    assert not any(r.typology == "prescription_collusion" for r in flagged(w))


def _one_hospitals_doctors_at_one_shop(w: World, *, tied: tuple[str, ...]) -> list[str]:
    """Thirty clinic doctors' patients fill at P0-P2 at the usual quantities; the two prescribing
    doctors of hospital H0 send every prescription of twelve patients to P3 at four times the
    usual quantity. Theirs are the only fills naming H0's doctors, and P3's only fills naming a
    doctor: each is the other's peer, at home and at the shop. P3's settlement account is on
    the records of the doctors ``tied`` too."""
    _clinic_prescriptions(w, np.random.default_rng(3), clinics=10, fills=45, shops=3, inflated=0.0)
    patients = [w.person(f"V{i}", household=f"VH{i}") for i in range(12)]
    for k in range(60):
        w.claim(patients[k % 12], "P3", w.at(5 + 5 * k, 120), doctor=f"H0-D{k % 2}", lines=[("Y01", 8.0, 20.0)])
    for owner_type, owner in (("facility", "P3"), *(("practitioner", doctor) for doctor in tied)):
        w.ids.append({"owner_type": owner_type, "owner_id": owner, "kind": "bank_account", "value": "6222-P3-2"})
    return patients


@pytest.mark.parametrize("tied", [("H0-D0", "H0-D1"), ("H0-D0",), ()])
def test_a_hospitals_doctors_paid_by_the_shop_they_all_send_to_are_collusion(tied):
    """Where every prescribing doctor of a hospital sends his patients to one shop with inflated
    packs, their flow is their peers' habit and the shop's inflation its habit for every doctor
    it sees: the county hospital and the county's one pharmacy. The shop's account on a
    doctor's own record is where the money goes: his pair is tested, and he is no peer of his
    colleague's, whose flow and inflation then stand out too. Without a tie, nothing is flagged."""
    w = World()
    patients = _one_hospitals_doctors_at_one_shop(w, tied=tied)
    rings = [r for r in flagged(w) if r.typology == "prescription_collusion"]
    assert any({"H0-D0", "H0-D1", "P3", *patients} <= members(r) for r in rings) is bool(tied)
    if tied:
        assert any("shares 1 accounts, phones or e-mail addresses with the pharmacy" in r.summary_en for r in rings)


def test_a_doctor_sharing_a_phone_with_a_pharmacist_whose_shop_his_patients_use_as_others_do_is_no_collusion():
    """A doctor married to a pharmacist of P3 shares a phone with her; his patients fill at the
    four pharmacies as his colleagues' do, at the usual quantities. The tie is tested and leads
    nowhere: one line of evidence never flags a pair."""
    w = World()
    _busy_practice(w, lambda doctor, pharmacy, i: False)
    for owner in ("H0-D0", "P3-D1"):
        w.ids.append({"owner_type": "practitioner", "owner_id": owner, "kind": "phone", "value": "139-couple"})
    tested = [c for c in prescription_flow_job(build_context(w.tables())).candidates
              if {("practitioner", "H0-D0"), ("facility", "P3")} <= set(c.members)]
    assert tested and tested[0].signals["kickback_tie"] == 0.5
    assert not any(r.typology == "prescription_collusion" for r in flagged(w))


def _season(holiday_inflates: bool) -> pd.DataFrame:
    """Fills of a year: D0 at P3 (the pair), D0 at P0-P2 and D1-D4 at P3 (its references), one in a
    hundred inflated; the pair's eighteen fills of days 30-39 two in three inflated, and the
    references' fills of those days too where ``holiday_inflates``."""
    rows = []
    pairs = [("D0", "P3"), *[("D0", f"P{j}") for j in range(3)], *[(f"D{j}", "P3") for j in range(1, 5)]]
    for k, (doctor, pharmacy) in enumerate(pairs):
        rows += [(doctor, pharmacy, 1 + 3 * i, i == (17 + 13 * k) % 100) for i in range(100)]
        if holiday_inflates and (doctor, pharmacy) != ("D0", "P3"):
            rows += [(doctor, pharmacy, 30 + i % 10, i % 3 > 0) for i in range(6)]
    rows += [("D0", "P3", 30 + i % 10, i % 3 > 0) for i in range(18)]
    frame = pd.DataFrame(rows, columns=["practitioner_id", "facility_id", "day", "high"])
    return frame.assign(settled_at=pd.Timestamp("2024-01-01") + pd.to_timedelta(frame["day"], unit="D"))


def test_inflated_fills_in_days_when_every_pharmacy_inflates_are_not_crowded():
    """Before a holiday every doctor writes long prescriptions at every pharmacy for ten days (two
    fills in three): the pair's inflated fills of those days, two in three, are the season's, though
    its own rate over the year would make them a crowd (as they are when only the pair inflates)."""
    season = InflationTimes(_season(holiday_inflates=True)).crowded("D0", "P3")
    alone = InflationTimes(_season(holiday_inflates=False)).crowded("D0", "P3")
    assert season.surprise < PARAMS["crowded_surprise"] <= alone.surprise
    assert alone.inflated >= 12


def test_three_inflated_fills_close_together_are_no_crowd():
    """A pair with 3 inflated fills in a year of 200, the three within five days: the run from the
    first to the last is chosen by two of them, so only the third is evidence, and one fill in
    a run holding a few per cent of the pair's fills is no crowd (counting all three as if the
    run had been fixed beforehand made it one)."""
    rows = [("D0", "P3", 1 + i * 1.5, i in (100, 101, 103)) for i in range(200)]
    rows += [(doctor, pharmacy, 1 + i * 3.0, i == 10) for doctor, pharmacy in (("D0", "P0"), ("D1", "P3"))
             for i in range(100)]
    frame = pd.DataFrame(rows, columns=["practitioner_id", "facility_id", "day", "high"])
    frame = frame.assign(settled_at=pd.Timestamp("2024-01-01") + pd.to_timedelta(frame["day"], unit="D"))
    run = InflationTimes(frame).crowded("D0", "P3")
    assert run.inflated == 3 and run.days <= 6
    assert run.surprise < PARAMS["crowded_surprise"]


def test_heavy_honest_dtp_users_are_not_flagged():
    """Thirty cancer patients, each seen by an oncologist at H1 every quarter, filling a costly
    drug monthly at one DTP pharmacy on the days it receives the drug (a handful a day)."""
    w = World()
    for i in range(30):
        pid = w.person(f"T{i}", household=f"TH{i}")
        for quarter in range(4):
            w.claim(pid, "H1", w.at(quarter * 90 + i, 60), amount=300.0, doctor=f"H1-D{i % 3}", diagnosis="C50")
        for month in range(12):
            w.claim(pid, "P1", w.at(month * 30 + i % 7, 100), amount=8000.0, doctor=f"H1-D{i % 3}",
                    diagnosis="C50.9", lines=[("CANCER", 1.0, 8000.0)])
    assert flagged(w) == []


# -- a go-between's few cards swiped together at a counter ---------------------------------------
def _swiped_together(w: World, cards: list[str], days=(40, 95, 170), gap: int = 2) -> None:
    """``cards`` swiped one after the other, ``gap`` minutes apart, at pharmacy P2 on ``days``."""
    for k, day in enumerate(days):
        for i, pid in enumerate(cards):
            w.claim(pid, "P2", w.at(day, 300 + 37 * k + gap * i), amount=430.0, lines=[("INHALER", 3.0, 143.0)])


def test_two_strangers_cards_on_one_go_betweens_account_and_phone_swiped_together_are_cash_out():
    """Two adults of two households, one paid into a collector's account, the other listing his
    phone, their cards swiped at one pharmacy within minutes of each other on three days: a
    collector's cards, though the tie alone reads as a family and two cards are no block."""
    w = World()
    w.person("COLLECTOR", household="CH", phone="ph-collector", birth="1987-06-30")
    cards = [w.person("H1", household="HH1", birth="1995-12-17"),
             w.person("H2", household="HH2", phone="ph-collector", birth="1992-09-13")]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-collector"}
              for pid in ("COLLECTOR", "H1")]
    _swiped_together(w, cards)
    ring = next(r for r in flagged(w) if r.typology == "card_cashout" and {*cards, "COLLECTOR", "P2"} <= members(r))
    # the summary says what was seen, not a bad ledger the shop does not have
    assert "swiped together within 30 minutes at facility P2 on 3 days" in ring.summary_en


def test_a_collectors_cards_one_of_them_an_elders_swiped_together_are_cash_out():
    """A working-age adult's card and a retired stranger's, both listing a collector's phone, swiped
    within minutes at one pharmacy on three days: the adult would fetch his own drugs at his own
    hour, and two elders fetched by a child are the family case (not flagged, below)."""
    w = World()
    w.person("COLLECTOR", household="CH", phone="ph-collector", birth="1975-03-02")
    cards = [w.person("H1", household="HH1", phone="ph-collector", birth="1990-05-17"),
             w.person("H2", household="HH2", phone="ph-collector", birth="1959-02-11")]
    _swiped_together(w, cards)
    assert any(r.typology == "card_cashout" and {*cards, "COLLECTOR"} <= members(r) for r in flagged(w))


def test_families_of_a_morning_clinics_regulars_meeting_there_by_its_hours_are_no_ring():
    """Forty women of working age each keep their parents' and a sibling's household's
    e-vouchers on their phones (three households). Each sees her doctor at C9 every other week
    soon after it opens; her brother-in-law comes for his diabetes every few weeks, her father
    now and then, each with his own bill. C9 sees everyone in the three hours after it opens:
    two of its visits on one day come within half an hour about one time in three, and the
    days a woman's card and her brother-in-law's came close are its hours' doing."""
    w = World()
    w.facility("C9", "clinic")
    morning = lambda: int(w.rng.integers(0, 180))  # noqa: E731
    regulars = []
    for i in range(40):
        her = w.person(f"S{i}", household=f"SH{i}", phone=f"ph-S{i}", birth="1966-09-17")
        father = w.person(f"F{i}", household=f"PH{i}", phone=f"ph-S{i}", birth="1948-06-06")
        brother_in_law = w.person(f"X{i}", household=f"XH{i}", phone=f"ph-S{i}", birth="1961-02-20")
        regulars += [her, father, brother_in_law]
        for day in range(int(w.rng.integers(0, 14)), 350, 14):
            w.claim(her, "C9", w.at(day + int(w.rng.integers(0, 5)), morning()), diagnosis="I10",
                    amount=float(w.rng.gamma(2.0, 30.0)), lines=[(f"X{int(w.rng.integers(0, 12)):02d}", 1.0, 20.0)])
        w.claim(her, "P1", w.at(int(w.rng.integers(0, 360)), 300))
        for pid, visits in ((brother_in_law, 16), (father, 8)):
            for day in w.rng.choice(360, visits, replace=False):
                w.claim(pid, "C9", w.at(int(day), morning()), diagnosis="E11", amount=float(w.rng.gamma(2.0, 30.0)),
                        lines=[(f"X{int(w.rng.integers(0, 12)):02d}", 1.0, 20.0)])
    assert not any(set(regulars) & members(r) for r in flagged(w))


@pytest.mark.parametrize("case", ["elders fetched by a child", "a retired mother-in-law of 58", "a couple at two addresses",
                                  "once"])
def test_cards_swiped_together_that_a_family_or_chance_explains_are_not_cash_out(case):
    """A grown child's parents and in-laws fetched together (elders' cards; a mother-in-law of 58
    is retired, as women are at 55); a couple living at two addresses sharing a phone (two
    households, no go-between); the collector's two cards together once only, for what their
    doctors treat them for (once for what nobody treated them for is a collector's sitting:
    ``test_untreated_cards.py``)."""
    w = World()
    if case == "a retired mother-in-law of 58":
        w.person("COLLECTOR", household="CH", phone="ph-collector", birth="1988-09-05")
        cards = [w.person("H1", household="HH1", phone="ph-collector", birth="1943-07-16"),
                 w.person("H2", household="HH2", phone="ph-collector", birth="1966-03-15", gender="F")]
    elif case == "a couple at two addresses":
        cards = [w.person("H1", household="HH1", phone="ph-couple", birth="1990-01-01"),
                 w.person("H2", household="HH2", phone="ph-couple", birth="1991-01-01")]
    else:
        elders = case == "elders fetched by a child"
        w.person("COLLECTOR", household="CH", phone="ph-collector", birth="1980-01-01")
        cards = [w.person("H1", household="HH1", phone="ph-collector", birth="1948-01-01" if elders else "1995-01-01"),
                 w.person("H2", household="HH2", phone="ph-collector", birth="1950-01-01" if elders else "1992-01-01")]
    if case == "once":
        for pid in cards:
            w.claim(pid, "C0", w.at(30, 200), diagnosis="J06")
    _swiped_together(w, cards, days=(40,) if case == "once" else (40, 95, 170))
    assert not any(set(cards) & members(r) for r in flagged(w))


# -- drug resale: five times the usual supply at several pharmacies, one broker ----------------
def _regular_chronic_users() -> World:
    """Thirty patients filling a chronic drug quarterly at one pharmacy: the drug's honest baseline."""
    w = World()
    for i in range(30):
        pid = w.person(f"T{i}", household=f"TH{i}")
        for month in range(0, 12, 3):
            w.claim(pid, "P1", w.at(month * 30, 100 + i), amount=3000.0, lines=[("CHRONIC", 3.0, 1000.0)])
    return w


def test_drug_resale_is_found():
    w = _regular_chronic_users()
    resellers = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-broker") for i in range(5)]
    for pid in resellers:
        for month in range(12):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2 + 3 * int(pid[1:]), 100), amount=5000.0, lines=[("CHRONIC", 5.0, 1000.0)])
    ring = next(r for r in flagged(w) if r.typology == "drug_resale" and set(resellers) <= members(r))
    # tied by the broker's phone, not found as a batch: the summary does not speak of their start
    assert "x the usual supply; " in ring.summary_en


def test_a_counters_patients_starting_with_a_brokers_sellers_are_no_batch_of_his():
    """A broker's five sellers (his phone on their records) start drawing the drug in the same
    weeks as twelve patients whom pharmacy P3 starts on inflated packs every fortnight: the
    patients are over-supplied too, and started together, but at one counter, its business. The
    broker's ring is his sellers', none of P3's patients."""
    w = _regular_chronic_users()
    sellers = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-broker") for i in range(5)]
    for i, pid in enumerate(sellers):
        for month in range(8):
            w.claim(pid, f"P{month % 3}", w.at(100 + month * 30 + i, 100), amount=5000.0,
                    lines=[("CHRONIC", 5.0, 1000.0)])
    patients = [w.person(f"Q{i:02d}", household=f"QH{i}") for i in range(12)]
    for i, pid in enumerate(patients):
        for fortnight in range(16):
            w.claim(pid, "P3", w.at(101 + fortnight * 15 + i, 200), amount=5000.0, lines=[("CHRONIC", 5.0, 1000.0)])
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(sellers) <= members(r) for r in rings)
    assert not any(members(r) & set(patients) for r in rings)


def test_sellers_tied_to_the_broker_by_his_account_or_his_phone_are_one_ring():
    """Two sellers paid into the broker's account, two who list his phone: neither pair is a group,
    the four through him are."""
    w = _regular_chronic_users()
    w.person("BROKER", household="BH", phone="ph-broker")
    w.ids.append({"owner_type": "person", "owner_id": "BROKER", "kind": "bank_account", "value": "acct-broker"})
    sellers = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-broker" if i % 2 else None) for i in range(4)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in sellers[::2]]
    for pid in sellers:
        for month in range(12):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2 + 25 * int(pid[1:]), 100), amount=5000.0,
                    lines=[("CHRONIC", 5.0, 1000.0)])
    rings = flagged(w)
    assert any(r.typology == "drug_resale" and set(sellers) | {"BROKER"} <= members(r) for r in rings)


def test_two_brokers_rings_joined_by_one_acquaintance_are_two_rings():
    """Two brokers' fourteen sellers each, on each broker's phone; one man who draws nothing shares
    a device with a seller of the first and an account with a seller of the second. The chain of
    identifiers joins the two; it is two rings, each its broker's."""
    w = _regular_chronic_users()
    rings = {}
    for name, first_day in (("A", 2), ("B", 17)):  # each broker's sellers fill in their own weeks
        rings[name] = [w.person(f"{name}{i}", household=f"{name}H{i}", phone=f"ph-broker-{name}") for i in range(14)]
        for k, pid in enumerate(rings[name]):
            for month in range(12):
                w.claim(pid, f"P{(month + k) % 3}", w.at(month * 30 + first_day + k // 2, 100), amount=5000.0,
                        lines=[("CHRONIC", 5.0, 1000.0)])
    w.person("ACQUAINTANCE", household="QH")
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": kind, "value": value}
              for pid, kind, value in (("ACQUAINTANCE", "device", "dev-q"), ("A0", "device", "dev-q"),
                                       ("ACQUAINTANCE", "bank_account", "acct-q"), ("B0", "bank_account", "acct-q"))]
    found = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    for name, other in ("AB", "BA"):
        assert any(len(ring & set(rings[name])) >= 12 and not ring & set(rings[other]) for ring in found), name


def test_two_brokers_sellers_meeting_at_the_same_counters_are_two_rings():
    """Two brokers pay three sellers each into their own account; all six draw the costly drug at
    the same three pharmacies in the same weeks. Meeting at a counter says nothing of whose seller
    one is; the accounts do: two rings, each with its broker."""
    w = _regular_chronic_users()
    rings = {}
    for name in "AB":
        w.person(f"BROKER-{name}", household=f"BH{name}")
        rings[name] = [w.person(f"{name}{i}", household=f"{name}H{i}") for i in range(3)]
        w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": f"acct-{name}"}
                  for pid in [*rings[name], f"BROKER-{name}"]]
        for k, pid in enumerate(rings[name]):
            for month in range(12):
                w.claim(pid, f"P{(month + k) % 3}", w.at(month * 30 + 2 + k + 3 * (name == "B"), 100 + 7 * k),
                        amount=5000.0, lines=[("CHRONIC", 5.0, 1000.0)])
    found = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    for name, other in ("AB", "BA"):
        assert any({*rings[name], f"BROKER-{name}"} <= ring and not ring & {*rings[other], f"BROKER-{other}"}
                   for ring in found), name


def _go_betweens_with_two_sellers(w: World, second_household: str) -> list[str]:
    """Two over-supplied sellers paid into a broker's account who list his recruiter's phone;
    neither go-between draws anything himself."""
    w.person("BROKER", household="BH")
    w.person("RECRUITER", household="RH", phone="ph-recruiter")
    w.ids.append({"owner_type": "person", "owner_id": "BROKER", "kind": "bank_account", "value": "acct-broker"})
    sellers = [w.person("Z0", household="ZH0", phone="ph-recruiter"),
               w.person("Z1", household=second_household, phone="ph-recruiter")]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in sellers]
    for k, pid in enumerate(sellers):
        for month in range(12):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2 + 11 * k, 100), amount=5000.0,
                    lines=[("CHRONIC", 5.0, 1000.0)])
    return sellers


def test_a_lenders_cards_over_supplied_are_not_a_brokers_sellers():
    """A lender draws the costly drug at several pharmacies on six strangers' cards, presenting
    them together from his phone; a broker's three sellers, paid into his account, draw it too,
    and one of them lists the phone number of one of the lender's cardholders. The lent cards are
    over-supplied, but their excess is the lender's (the identifier job's ring), and the
    neighbour's phone does not make them the broker's: his ring is the three sellers and him."""
    w = _regular_chronic_users()
    lent = [w.person(f"L{i}", household=f"LH{i}", phone="ph-lender") for i in range(6)]
    for month in range(12):
        for k, pid in enumerate(lent):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 10, 60 + 3 * k), device="phone-lender",
                    amount=5000.0, lines=[("CHRONIC", 5.0, 1000.0)])
    w.person("BROKER", household="BH")
    sellers = [w.person(f"Z{i}", household=f"ZH{i}") for i in range(3)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in [*sellers, "BROKER"]]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "phone", "value": "ph-neighbour"}
              for pid in (sellers[0], lent[0])]
    for k, pid in enumerate(sellers):
        for month in range(12):
            w.claim(pid, f"P{(month + k) % 3}", w.at(month * 30 + 2 + 5 * k, 100), amount=5000.0,
                    lines=[("CHRONIC", 5.0, 1000.0)])
    rings = flagged(w)
    assert any(r.typology == "drug_resale" and {*sellers, "BROKER"} <= members(r) and not members(r) & set(lent[1:])
               for r in rings)
    assert any(r.typology == "card_lending" and set(lent) <= members(r) for r in rings)


def test_two_sellers_and_their_go_betweens_are_a_ring():
    """Two sellers are fewer than ``min_persons``; with the broker and the recruiter who tie their
    households, four households in all, they are a ring."""
    w = _regular_chronic_users()
    sellers = _go_betweens_with_two_sellers(w, "ZH1")
    assert any(r.typology == "drug_resale" and {*sellers, "BROKER", "RECRUITER"} <= members(r) for r in flagged(w))


def test_a_couple_on_their_sons_account_is_no_ring():
    """The same two over-supplied persons of one household: no go-between of theirs, a family."""
    w = _regular_chronic_users()
    _go_betweens_with_two_sellers(w, "ZH0")
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_two_heavy_users_among_a_grown_childs_many_relatives_are_no_ring():
    """A grown child keeps the e-vouchers of ten relatives of five households on one phone; two
    of them, of two households, draw the costly drug at five times the need: the phone's other
    eight are relatives, not a broker's go-betweens."""
    w = _regular_chronic_users()
    relatives = [w.person(f"F{i}", household=f"FH{i % 5}", phone="ph-child") for i in range(10)]
    for k, pid in enumerate(relatives[:2]):
        for month in range(12):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2 + 11 * k, 100), amount=5000.0,
                    lines=[("CHRONIC", 5.0, 1000.0)])
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_over_supply_at_one_counter_is_not_resale():
    """The same five tied persons at five times their need, but nearly all of it from one pharmacy
    (a colluding doctor's, a cash-out shop): that counter's doing, not resale at many places."""
    w = _regular_chronic_users()
    patients = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-broker") for i in range(5)]
    for pid in patients:
        for month in range(12):
            w.claim(pid, "P1" if month == 5 else "P2", w.at(month * 30 + 2 + 3 * int(pid[1:]), 100), amount=5000.0,
                    lines=[("CHRONIC", 5.0, 1000.0)])
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_resale_needs_excess_supply_not_just_ties():
    """The resale ring's sellers at their regular dose, same broker phone: no ring of any kind."""
    w = _regular_chronic_users()
    sellers = [w.person(f"Z{i}", household=f"ZH{i}", phone=f"ph-own{i}") for i in range(5)]
    for pid in sellers:
        for month in range(0, 12, 3):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2, 100), amount=3000.0, lines=[("CHRONIC", 3.0, 1000.0)])
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_a_stays_drugs_given_on_the_ward_are_no_fills():
    """Five patients of one home, listed on its warden's phone, fill the drug at their regular dose
    at three pharmacies, and in the winter each spends two weeks in hospital twice, given the drug
    on the ward: their stays add no supply taken home, and they are no resale ring."""
    w = _regular_chronic_users()
    patients = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-warden") for i in range(5)]
    for k, pid in enumerate(patients):
        for month in range(0, 12, 3):
            w.claim(pid, f"P{(month // 3 + k) % 3}", w.at(month * 30 + 2 + 9 * k, 100 + 60 * k), amount=3000.0,
                    diagnosis="I25", lines=[("CHRONIC", 3.0, 1000.0)])
        for day in (300 + 3 * k, 320 + 3 * k):
            w.claim(pid, "H0", w.at(day + 14, 600), visit="inpatient", admitted=w.at(day, 600), amount=9000.0,
                    diagnosis="I25", lines=[("CHRONIC", 2.0, 1000.0)])
    assert not any(set(patients) & members(r) for r in flagged(w))


def test_heavy_users_who_meet_at_the_counter_are_not_resale():
    """Five over-supplied persons of their own households and phones, each starting months apart,
    fill the costly drug at the same pharmacies in the same weeks: meeting at a counter is all
    that puts them together, and each one's over-supply is his own."""
    w = _regular_chronic_users()
    heavy = [w.person(f"Z{i}", household=f"ZH{i}", phone=f"ph-own{i}") for i in range(5)]
    for i, pid in enumerate(heavy):
        for month in range(2 * i, 12):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2 + i, 100), amount=5000.0, lines=[("CHRONIC", 5.0, 1000.0)])
    assert not any(r.typology == "drug_resale" for r in flagged(w))


@pytest.mark.parametrize("tied", [False, True], ids=["own phones", "the broker's phone"])
@pytest.mark.parametrize("shops", ["where the drug's patients fill", "where nobody else fills it"])
def test_heavy_users_crowding_a_short_shop_are_its_customers_unless_a_broker_ties_them(shops, tied):
    """The heavy users who only meet at the counter (above), a third of their fills at a pharmacy
    whose ledger is short of what it sold: P1, where the drug's regular patients fill it too, short
    of some other drug; or P3, where nobody else fills the drug, and which bought a tenth of the
    boxes it sold them. Either way nothing but the counter puts them together: a cash-out shop
    bills costly drugs on the cards it swipes, so that its customers crowd it and look
    over-supplied, and that is the shop's scheme, no broker's. Listed on one broker's phone they
    are his sellers, and P3's short ledger, where their fills crowd it, is in their ring's
    evidence (packs sold back where they were filled); P1's is not."""
    w = _regular_chronic_users()
    heavy = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-broker" if tied else f"ph-own{i}") for i in range(5)]
    places = ["P1" if shops == "where the drug's patients fill" else "P3", "P0", "P2"]
    for i, pid in enumerate(heavy):
        for month in range(2 * i, 12):
            w.claim(pid, places[month % 3], w.at(month * 30 + 2 + i, 100), amount=5000.0,
                    lines=[("CHRONIC", 5.0, 1000.0)])
    for k in range(40):  # the short ledger's other sales, to background customers
        w.claim(f"P{(13 * k) % 250:05d}", "P1", w.at(5 + 8 * k, 400), amount=90.0, lines=[("OTHER", 3.0, 30.0)])
    w.stock_everything()
    short = ("P1", "OTHER") if shops == "where the drug's patients fill" else ("P3", "CHRONIC")
    for row in w.purchases:
        row["quantity"] = row["quantity"] / 10 if (row["facility_id"], row["item_code"]) == short else row["quantity"]
    w.keep_stock = True
    rings = [r for r in flagged(w) if r.typology == "drug_resale" and set(heavy) & members(r)]
    if not tied:
        assert not rings
        return
    assert len(rings) == 1 and set(heavy) <= members(rings[0])
    assert ("stock_excess" in rings[0].breakdown) == (shops == "where nobody else fills it"), rings[0].breakdown


def test_heavy_users_meeting_at_busy_hospital_counters_are_no_group_though_one_fills_at_a_short_shop():
    """Sixty patients fill a costly chronic drug monthly at hospitals H0 and H1; eight heavy users
    (twice the need, every fortnight) fill it there too, and meet at the counter in the same week
    again and again, as any costly drug's heavy users do at a busy hospital. One of them also fills
    it at P3, where nobody else does and whose ledger holds a tenth of what it sold. Meetings at a
    counter where heavy users are as common as anywhere are chance, and one customer of a short
    shop is no ring."""
    w = World()
    for i in range(60):
        pid = w.person(f"T{i}", household=f"TH{i}")
        for month in range(12):
            w.claim(pid, f"H{i % 2}", w.at(month * 30 + i % 28, 100 + i), amount=3000.0,
                    lines=[("CHRONIC", 3.0, 1000.0)])
    heavy = [w.person(f"Z{i}", household=f"ZH{i}", phone=f"ph-own{i}") for i in range(8)]
    for i, pid in enumerate(heavy):
        for k in range(24):
            w.claim(pid, f"H{k % 2}", w.at(k * 15 + i, 200 + i), amount=3000.0, lines=[("CHRONIC", 3.0, 1000.0)])
    for month in range(12):
        w.claim(heavy[0], "P3", w.at(month * 30 + 20, 300), amount=3000.0, lines=[("CHRONIC", 3.0, 1000.0)])
    w.stock_everything()
    for row in w.purchases:
        row["quantity"] = row["quantity"] / 10 if (row["facility_id"], row["item_code"]) == ("P3", "CHRONIC") \
            else row["quantity"]
    w.keep_stock = True
    assert not any(r.typology == "drug_resale" and len(members(r) & set(heavy)) >= 3 for r in flagged(w))


def test_long_prescription_patients_first_seen_weeks_into_the_extract_are_no_batch():
    """Four hundred patients fill a costly chronic drug every month (three boxes) at two hospitals and
    two clinics; two hundred and fifty on a higher dose fill twelve boxes every twelve weeks (长处方),
    each first seen in the extract whenever his cycle brought him, in its first twelve weeks. Weeks
    into the extract the monthly patients have all been seen, so those first seen then are long-
    prescription patients, all over-supplied against the drug's monthly need: where their cycles
    stood when the extract began, not a batch that started together."""
    w = World()
    rng = np.random.default_rng(23)
    for i in range(400):
        pid = w.person(f"T{i:03d}", household=f"TH{i}")
        day = i % 30
        while day < 360:
            w.claim(pid, f"{'HC'[i % 2]}{i % 4 // 2}", w.at(day, int(rng.integers(0, 540))), amount=3000.0,
                    diagnosis="I10", lines=[("CHRONIC", 3.0, 1000.0)])
            day += 28 + (i + day) % 5
    long_prescription = [w.person(f"L{i:03d}", household=f"LH{i}") for i in range(250)]
    for i, pid in enumerate(long_prescription):
        for day in range(i * 84 // 250, 360, 84):
            w.claim(pid, f"{'HC'[i % 2]}{i % 4 // 2}", w.at(day, int(rng.integers(0, 540))), amount=12000.0,
                    diagnosis="I10", lines=[("CHRONIC", 12.0, 1000.0)])
    assert not any(r.typology == "drug_resale" and len(members(r) & set(long_prescription)) >= 3 for r in flagged(w))


def test_long_prescription_patients_among_sparse_refillers_are_no_batch_however_they_end():
    """As above, with eighty long-prescription patients among fifteen hundred monthly ones and sixty
    who refill now and then (every three to five months, under the drug's need), who may first
    show weeks in too; and four hundred patients on a second chronic drug for a few months
    each (the formulary's short courses). Those first seen in a few weeks' window are
    long-prescription patients nearly all, as they are in every phase of their cycle; and the
    last fill of each lasts past the extract's end, so that those whose cycles ended together
    weeks before it did not stop."""
    w = World()
    rng = np.random.default_rng(29)
    place = lambda i: f"{'HC'[i % 2]}{i % 4 // 2}"  # noqa: E731

    def course(pid: str, i: int, day: int, end: int, gap, boxes: float, code: str = "CHRONIC") -> None:
        while day < end:
            w.claim(pid, place(i), w.at(day, int(rng.integers(0, 540))), amount=1000.0 * boxes, diagnosis="I10",
                    lines=[(code, boxes, 1000.0)])
            day += gap(i, day)

    for i in range(1500):
        course(w.person(f"T{i:04d}", household=f"TH{i}"), i, i % 30, 360, lambda i, day: 28 + (i + day) % 5, 3.0)
    for i in range(60):
        course(w.person(f"S{i:03d}", household=f"SH{i}"), i, int(rng.integers(0, 150)), 360,
               lambda i, day: int(rng.integers(90, 150)), 3.0)
    for i in range(400):
        start = int(rng.integers(0, 200))
        course(w.person(f"K{i:03d}", household=f"KH{i}"), i, start, start + int(rng.integers(100, 160)),
               lambda i, day: 28 + (i + day) % 5, 2.0, "CHRONIC2")
    long_prescription = [w.person(f"L{i:03d}", household=f"LH{i}") for i in range(80)]
    for i, pid in enumerate(long_prescription):
        course(pid, i, i * 84 // 80, 360, lambda i, day: 84, 12.0)
    assert not any(r.typology == "drug_resale" and len(members(r) & set(long_prescription)) >= 3 for r in flagged(w))


def _packs_come_back(w: World, sellers: list[str], first: int = 0) -> None:
    """The ``sellers``' costly fills (as the heavy users' above, five boxes a month at three
    pharmacies), each box's traceability code scanned again weeks later at receiver P3, sold to a
    background customer: their boxes came back to the market (回流药)."""
    for i, pid in enumerate(sellers):
        for month in range(first, 12):
            codes = [f"TC-{pid}-{month}-{k}" for k in range(5)]
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2 + i, 100), amount=5000.0,
                    lines=[("CHRONIC", 1.0, 1000.0, code) for code in codes])
            for k, code in enumerate(codes):
                w.claim(f"P{(37 * i + 5 * month + k) % 250:05d}", "P3", w.at(month * 30 + 20 + i, 200 + k),
                        amount=1000.0, lines=[("CHRONIC", 1.0, 1000.0, code)])


def test_heavy_users_whose_packs_come_back_to_the_market_are_resale():
    """The heavy users who only meet at the counter (above), but their boxes turn up again at
    another pharmacy: what they draw is sold on. The receiver's customers bought a pack, and are
    in no ring."""
    w = _regular_chronic_users()
    heavy = [w.person(f"Z{i}", household=f"ZH{i}", phone=f"ph-own{i}") for i in range(5)]
    _packs_come_back(w, heavy)
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(heavy) <= members(r) and "returned_packs" in r.breakdown for r in rings)
    assert not any(members(r) & {f"P{k:05d}" for k in range(250)} for r in rings)


def test_one_heavy_users_pack_sold_again_elsewhere_makes_no_ring():
    """One box of one of the five heavy users turns up again at another pharmacy (a slip, a
    display box's code): the five are still only customers of the same counters."""
    w = _regular_chronic_users()
    heavy = [w.person(f"Z{i}", household=f"ZH{i}", phone=f"ph-own{i}") for i in range(5)]
    for i, pid in enumerate(heavy):
        for month in range(2 * i, 12):
            code = [("CHRONIC", 5.0, 1000.0, "TC-SLIP")] if (i, month) == (0, 3) else [("CHRONIC", 5.0, 1000.0)]
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 2 + i, 100), amount=5000.0, lines=code)
    w.claim("P00007", "P3", w.at(150, 300), amount=1000.0, lines=[("CHRONIC", 1.0, 1000.0, "TC-SLIP")])
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_sellers_whose_e_vouchers_their_broker_presents_are_his_resale_ring():
    """A broker presents his six sellers' e-vouchers from his phone, minutes apart, at three
    pharmacies, five boxes of the costly drug each month, and the boxes come back to the market
    at another pharmacy: one phone presenting many cards reads as lending, but cards that all
    draw far beyond need of one drug, sold on, are a broker's sellers."""
    w = _regular_chronic_users()
    sellers = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-broker") for i in range(6)]
    for month in range(12):
        for i, pid in enumerate(sellers):
            codes = [f"TC-{pid}-{month}-{k}" for k in range(5)]
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 10, 60 + 3 * i), device="phone-broker", amount=5000.0,
                    lines=[("CHRONIC", 1.0, 1000.0, code) for code in codes])
            for k, code in enumerate(codes):
                w.claim(f"P{(37 * i + 5 * month + k) % 250:05d}", "P3", w.at(month * 30 + 20 + i, 200 + k),
                        amount=1000.0, lines=[("CHRONIC", 1.0, 1000.0, code)])
    assert any(r.typology == "drug_resale" and set(sellers) <= members(r) for r in flagged(w))


def _untied_sellers(w: World, starts: list[int], months: int, phones: list[str] = (),
                    one_counter_each: bool = False) -> list[str]:
    """Persons of their own households and phones (or ``phones``) drawing the cheap statin monthly at five times
    the need at three pharmacies (or, ``one_counter_each``, each at one of them) for ``months`` months from
    their day in ``starts`` (a cheap drug, so that only their timing can put them together: no costly
    drug's counter weeks)."""
    phones = list(phones) or [f"ph-u{i}" for i in range(len(starts))]
    sellers = [w.person(f"U{i}", household=f"UH{i}", phone=phones[i]) for i in range(len(starts))]
    for i, (pid, start) in enumerate(zip(sellers, starts)):
        for month in range(months):
            w.claim(pid, f"P{(i if one_counter_each else month) % 3}", w.at(start + month * 30, 120), amount=100.0,
                    lines=[("STATIN", 5.0, 20.0)])
    return sellers


def test_a_batch_of_untied_sellers_who_started_together_is_resale():
    """Six sellers share no phone, account or household with anyone, but started drawing the
    statin at five times the need within ten days of each other and stopped together: a
    broker's batch."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    sellers = _untied_sellers(w, [120 + 2 * i for i in range(6)], 6)
    ring = next(r for r in flagged(w) if r.typology == "drug_resale" and set(sellers) <= members(r))
    assert "first fills within 10 days of each other" in ring.summary_en


def test_untied_patients_who_started_together_each_at_his_own_counter_are_no_batch():
    """The same six, drawing as fast from the same days, but each at one pharmacy of his own for
    all six months: the pharmacies' patients starting a course in the same weeks (a programme, a
    longer prescription allowed), not sellers spreading a broker's orders over counters."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    sellers = _untied_sellers(w, [120 + 2 * i for i in range(6)], 6, one_counter_each=True)
    assert not any(r.typology == "drug_resale" and members(r) & set(sellers) for r in flagged(w))


def test_a_batch_partly_tied_to_its_broker_is_one_ring():
    """Four of a batch's eight sellers list the broker's phone, four list their own; all started
    within a fortnight: one ring of eight, not a tied four and an untied four."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    sellers = _untied_sellers(w, [120 + 2 * i for i in range(8)], 6,
                              ["ph-broker"] * 4 + [f"ph-own{i}" for i in range(4)])
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(sellers) <= members(rings[0])


def test_a_batch_that_started_with_a_shops_cards_is_no_ring_of_theirs():
    """Twelve untied sellers started drawing the statin at five times the need within twelve days;
    a shop's five cash-out cards, tied by its organiser's phone, started drawing it as fast at the
    shop's one counter in the same days. The shop's cards are its business (dropped here as one
    counter's), not the batch's broker: the batch is a ring of its own, without them."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    w.facility("SHOP", "pharmacy")
    sellers = _untied_sellers(w, [120 + i for i in range(12)], 6)
    shop = [w.person(f"C{i}", household=f"CH{i}", phone="ph-shop") for i in range(5)]
    for k, pid in enumerate(shop):
        for month in range(6):
            w.claim(pid, "SHOP", w.at(121 + 2 * k + month * 30, 120), amount=100.0, lines=[("STATIN", 5.0, 20.0)])
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(sellers) <= ring for ring in rings), rings
    assert not any(ring & set(shop) for ring in rings), rings


def test_untied_heavy_users_who_started_at_different_times_are_not_resale():
    """The same six over-supplied persons, starting two months apart: stockpilers each on their
    own, with nothing that puts them together."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    _untied_sellers(w, [10 + 60 * i for i in range(6)], 3)
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def _regular_statin_users(w: World) -> None:
    """Thirty patients filling a cheap chronic drug quarterly (3 boxes at 20 yuan, far below the
    costliest quarter of drug prices): that drug's honest baseline."""
    for i in range(30):
        pid = w.person(f"S{i}", household=f"SH{i}")
        for month in range(0, 12, 3):
            w.claim(pid, "P1", w.at(month * 30 + 1, 200 + i), amount=60.0, lines=[("STATIN", 3.0, 20.0)])


def _statin_sellers(w: World, households: list[str], phone: str) -> list[str]:
    """Persons drawing the statin every month (five times their need) at three pharmacies."""
    sellers = [w.person(f"Q{i}", household=house, phone=phone) for i, house in enumerate(households)]
    for k, pid in enumerate(sellers):
        for month in range(12):
            w.claim(pid, f"P{month % 3}", w.at(month * 30 + 4 + k, 300), amount=100.0,
                    lines=[("STATIN", 5.0, 20.0)])
    return sellers


def test_cheap_chronic_drug_drawn_for_months_by_a_broker_s_sellers_is_resale():
    """Resale is not only of costly drugs: sellers of five households tied by the broker's phone,
    each drawing a cheap chronic drug at five times the need for a year."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    sellers = _statin_sellers(w, [f"QH{i}" for i in range(5)], "ph-broker")
    assert any(r.typology == "drug_resale" and set(sellers) <= members(r) for r in flagged(w))


def test_a_brokers_sellers_drawing_a_cheap_drug_for_two_months_each_are_resale():
    """Five households tied by the broker's phone, each seller drawing the statin three times in two
    months at five times the need, at three pharmacies, one after another through the year (no
    batch): a short stint each, months of over-supply all the same."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    sellers = [w.person(f"Q{i}", household=f"QH{i}", phone="ph-broker") for i in range(5)]
    for k, pid in enumerate(sellers):
        for fill in range(3):
            w.claim(pid, f"P{fill}", w.at(60 * k + 31 * fill + 3, 300), amount=100.0, lines=[("STATIN", 5.0, 20.0)])
    assert any(r.typology == "drug_resale" and set(sellers) <= members(r) for r in flagged(w))


def test_one_family_over_supplied_with_a_cheap_drug_is_not_resale():
    """A grown child fills the elders' statin too often from one phone, for three persons in two
    households: one family, however over-supplied, is no ring of sellers. They are on it since
    before the extract: their first fills come in its first days, as every long-standing
    patient's do (a family that began drawing too much together is another matter)."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    _long_standing_statin_patients(w)
    _statin_sellers(w, ["QH-parents", "QH-parents", "QH-in-laws"], "ph-grown-child")
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_a_cold_remedy_bought_all_winter_is_no_resale():
    """Five households who list one helper's phone each bought a cold remedy three times a month
    apart at three pharmacies, where its other buyers come back once or twice two months apart: twice
    the others' pace for two months, but an acute drug has no daily need to draw beyond (its repeat
    buyers' median is two purchases), and its eager buyers are no broker's sellers."""
    w = _regular_chronic_users()
    for i in range(60):
        pid = w.person(f"C{i}", household=f"CH{i}")
        for k in range(2 + (i % 3 == 0)):
            w.claim(pid, "P1", w.at(i * 2 + (50 + i % 21) * k, 100), amount=30.0, lines=[("COLD", 3.0, 10.0)])
    buyers = [w.person(f"W{i}", household=f"WH{i}", phone="ph-helper") for i in range(5)]
    for k, pid in enumerate(buyers):
        for fill in range(3):
            w.claim(pid, f"P{fill}", w.at(20 * k + 31 * fill + 3, 300), amount=30.0, lines=[("COLD", 3.0, 10.0)])
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_chronic_patients_alternating_two_pharmacies_are_not_flagged():
    """Monthly fills of an expensive drug split between two pharmacies, on a normal schedule,
    by patients who share a phone with a family member who also fills there: supply = need."""
    w = World()
    for i in range(30):
        pid = w.person(f"T{i}", household=f"TH{i}", phone=f"ph-t{i // 2}")
        for month in range(12):
            w.claim(pid, f"P{month % 2}", w.at(month * 30 + i % 7, 45 * (i % 11)), amount=2000.0,
                    lines=[("INSULIN", 2.0, 1000.0)])
    assert flagged(w) == []


def test_dtp_monthly_cancer_fills_in_the_same_week_are_not_resale():
    """Cancer patients filling the same drug monthly at one DTP pharmacy, same weeks, linked by a
    patient-support group's phone: heavy but on schedule, so nothing is flagged."""
    w = World()
    for i in range(12):
        pid = w.person(f"K{i}", household=f"KH{i}", phone="ph-support-group")
        for month in range(12):
            w.claim(pid, "P1", w.at(month * 30 + i % 3, 50 * i), amount=8000.0, lines=[("CANCER", 1.0, 8000.0)])
    assert flagged(w) == []


def test_families_at_a_shop_with_a_bad_ledger_are_not_a_cashout_ring():
    """A shop sells what it never bought (its own fault); families sharing a phone within the
    family shop there: the ledger evidence must not turn the families into a ring."""
    w = World()
    for h in range(4):
        for k in range(3):
            pid = w.person(f"FM{h}{k}", household=f"FMH{h}", phone=f"ph-fam{h}")
            for visit in range(6):
                w.claim(pid, "P1", w.at(20 + 50 * visit + 3 * h + k, 60 * h), amount=300.0,
                        lines=[("HERB", 2.0, 150.0)])
    w.purchases = [{"facility_id": "P1", "item_code": "HERB", "purchased_at": "2023-12-20T10:00:00", "quantity": 20.0}]
    result = detect_tables(w.tables(), seed=3)
    assert next(j for j in result.jobs if j.job == "stock_excess").skipped is None
    assert [r for r in result.rings if r.score >= FLAG] == []


def test_a_grown_childs_family_at_a_shop_with_a_bad_ledger_is_not_a_cashout_ring():
    """A grown child's phone is listed for his household, his parents and his in-laws (three
    households, one family); all eight fill their drugs at a shop that sells what it never bought,
    each on his own days. The family goes there more than chance would send eight persons, and the
    ledger is bad, but nothing ties them beyond a family: the shop's evidence is the shop's."""
    w = World()
    family = [w.person(f"GC{k}", household="GCH", phone="ph-child") for k in range(4)]
    family += [w.person(f"GE{k}", household=f"GEH{k // 2}", phone="ph-child") for k in range(4)]
    for i, pid in enumerate(family):
        for visit in range(6):
            w.claim(pid, "P1", w.at(12 + 55 * visit + 5 * i, 90 + 40 * i), amount=300.0,
                    lines=[("HERB", 2.0, 150.0, f"LAZY-{visit}")])
    w.purchases = [{"facility_id": "P1", "item_code": "HERB", "purchased_at": "2023-12-20T10:00:00", "quantity": 20.0}]
    result = detect_tables(w.tables(), seed=3)
    assert {j.job for j in result.jobs if j.job in ("stock_excess", "trace_reuse") and j.skipped is None} == \
        {"stock_excess", "trace_reuse"}
    assert not [r for r in result.rings if r.score >= FLAG and set(family) & members(r)]


@pytest.mark.parametrize("bought", ["their pills", "the shop's short drug"])
def test_cards_arriving_together_at_a_short_shop_carry_its_ledger_only_on_its_short_sales(bought):
    """Six cards of six households, seen at their hospital too, arrive at P2 minutes apart every
    month, the shop whose ledger is short of a costly drug it sold to others. Where they bought
    their own blood-pressure pills, which the shop stocked, its ledger says nothing of them: their lockstep block carries no
    stock_excess and is not flagged for it. Where they bought the drug it never had, the block
    carries the shop's ledger."""
    w = World()
    _costly_sales_to_others(w)
    cards = [w.person(f"Q{i}", household=f"QH{i}") for i in range(6)]
    item = ("PILLS", 2.0, 15.0) if bought == "their pills" else ("EXPENSIVE", 1.0, 90.0)
    for month in range(10):
        for k, pid in enumerate(cards):
            w.claim(pid, "P2", w.at(12 + 30 * month, 1140 + 2 * k), amount=item[1] * item[2], lines=[item])
            if month % 3 == k % 3:  # their own check-ups, each on his days
                w.claim(pid, "H1", w.at(20 + 30 * month + 3 * k, 540 + 7 * k), amount=60.0, diagnosis="I10")
    _short_of_the_costly_drug(w)
    ctx = build_context(w.tables())
    stock = stock_evidence(ctx)
    blocks = [c for c in lockstep_job(ctx, [stock], seed=3).candidates if c.persons() >= set(cards)]
    assert blocks and all(c.signals.get("lockstep", 0) > 0 for c in blocks)
    short = bought == "the shop's short drug"
    assert all((c.signals.get("stock_excess", 0) > 0) == short for c in blocks), [c.signals for c in blocks]
    assert any(set(cards) <= members(r) for r in flagged(w)) == short


# -- fictitious services: one template bill, patients seen nowhere else ---------------------
def test_fictitious_services_is_found():
    w = World()
    w.facility("C9", "clinic")
    ghosts = [w.person(f"F{i}", household=f"FH{i}") for i in range(30)]
    # the same bill keyed for every ghost in sittings, a minute apart, on irregular days
    for day in (10, 23, 41, 44, 70, 102, 131):
        for k, pid in enumerate(ghosts):
            w.claim(pid, "C9", w.at(day, 60 + k), amount=480.0, lines=[("MASSAGE", 4.0, 120.0)])
    rings = flagged(w)
    assert any(r.typology == "fictitious_services" and set(ghosts) <= members(r) for r in rings)


@pytest.mark.parametrize("presented", ["at the counter", "from their own phones"])
def test_a_community_centres_hypertension_mornings_are_fictitious_only_where_nobody_came(presented):
    """Twelve regulars of clinic C9, seen nowhere else, billed the same follow-up (a fee and a
    month of amlodipine) together on the mornings the doctor holds her hypertension clinic. Half
    of the clinic's other patients show the e-voucher on their own phone. Where the regulars'
    bills were keyed in at the counter, that is services billed for people who never came; where
    each showed the e-voucher on the family's own phone (which presents a spouse's card at the
    hospital too, and no stranger's), they came, as the clinic's other patients do: its waiting
    room, not a ring."""
    w = World()
    w.facility("C9", "clinic")
    for i in range(40):
        pid = w.person(f"O{i}", household=f"OH{i}")
        phone = f"PHONE-OH{i}" if i % 2 else None
        for k in range(4):
            w.claim(pid, "C9", w.at(5 + 37 * k + i, 480 + 13 * i), amount=60.0, diagnosis="J06", device=phone,
                    lines=[("CONSULT", 1.0, 20.0)])
        w.claim(pid, "P2", w.at(9 + i, 700), amount=30.0, device=phone)  # the phone goes to the pharmacy too
    regulars = [w.person(f"R{i}", household=f"RH{i}", birth="1950-02-01") for i in range(12)]
    phones = {pid: f"PHONE-RH{i}" if presented == "from their own phones" else None for i, pid in enumerate(regulars)}
    for i, pid in enumerate(regulars):
        spouse = w.person(f"R{i}b", household=f"RH{i}", birth="1952-07-01")
        w.claim(spouse, "H0", w.at(3, 600), device=phones[pid])
    for day in (10, 23, 41, 44, 70, 102, 131):
        for k, pid in enumerate(regulars):
            w.claim(pid, "C9", w.at(day, 480 + 2 * k), amount=95.0, diagnosis="I10", device=phones[pid],
                    lines=[("FOLLOW-UP", 1.0, 15.0), ("AMLODIPINE", 2.0, 40.0)])
    rings = [r for r in flagged(w) if set(regulars) & members(r)]
    if presented == "at the counter":
        assert any(r.typology == "fictitious_services" and set(regulars) <= members(r) for r in rings)
    else:
        assert rings == []


def test_a_clinics_sittings_show_in_an_extract_of_dates_only():
    """Twelve patients seen nowhere else, billed the same session on some of a clinic's fourteen
    billing days, in an extract that gives the settlement date alone (no sittings by the minute to
    read): they meet on those days far more often than their own spans of days allow. Patients
    who come on their own days, as many bills each over the same months, are no ring."""
    def clinic(sittings: bool) -> list[str]:
        w = World()
        w.facility("C9", "clinic")
        w.background(400)
        ghosts = [w.person(f"F{i}", household=f"FH{i}") for i in range(12)]
        billing = [60, 64, 71, 75, 82, 90, 93, 101, 108, 113, 119, 126, 131, 140]
        for k, pid in enumerate(ghosts):
            days = [billing[(k + 3 * j) % 14] for j in range(6)] if sittings else [61 + k * 5 + 13 * j for j in range(6)]
            for day in days:
                w.claim(pid, "C9", w.at(day), amount=480.0, lines=[("MASSAGE", 4.0, 120.0)])
        for claim in w.claims:  # the extract gives dates alone
            claim["settled_at"] = claim["settled_at"][:10]
        return w, ghosts

    w, ghosts = clinic(sittings=True)
    assert any(r.typology == "fictitious_services" and set(ghosts) <= members(r) for r in flagged(w))
    w, _ = clinic(sittings=False)
    assert not any(r.typology == "fictitious_services" for r in flagged(w))


@pytest.mark.parametrize("ledger_short", [False, True])
def test_a_daily_template_keyed_at_whatever_hour_is_no_course(ledger_short):
    """Twenty patients seen nowhere else, billed the same session most working days for six
    weeks, like a course of physiotherapy; but keyed a minute apart in one sitting that starts
    at nine one day and at four the next: a course keeps each patient's hour. Where the
    patients are real people, seen at another clinic for something else, among the clinic's
    other patients, and the template bills an ointment the clinic bought one fortieth of (it
    was never given), the ledger is short too, and the ring is still fictitious services: the
    template is what a clinic keys in for no one, the short ledger what it bills and never gives."""
    w = World()
    w.facility("C9", "clinic")
    ghosts = [w.person(f"F{i}", household=f"FH{i}") for i in range(20)]
    if ledger_short:
        w.background(400)
        for k, pid in enumerate(ghosts):
            for visit in range(3):
                w.claim(pid, "C0", w.at(30 + 40 * visit + k, 60 + 7 * k))
    template = [("MASSAGE", 4.0, 120.0), *([("OINTMENT", 2.0, 35.0)] if ledger_short else [])]
    for day in range(60, 102):
        if day % 7 == 6:
            continue
        start = 9 * 60 + int(w.rng.integers(0, 8 * 60)) - 8 * 60  # World.at counts from 08:00
        for k, pid in enumerate(ghosts):
            if w.rng.random() < 0.8:
                w.claim(pid, "C9", w.at(day, start + k), amount=480.0, lines=template, diagnosis="M54")
    if ledger_short:
        w.stock_everything()
        for row in w.purchases:
            row["quantity"] = row["quantity"] / 40 if row["item_code"] == "OINTMENT" else row["quantity"]
        w.keep_stock = True
    rings = flagged(w)
    assert any(r.typology == "fictitious_services" and set(ghosts) <= members(r) for r in rings)


def test_a_template_keyed_every_evening_whenever_in_it_is_no_course():
    """The twenty patients seen nowhere else, billed the same session most days for six weeks,
    now keyed in every evening between eight and half past ten, each card at whatever minute:
    the evening keeps its hours, but a course comes by appointment, each patient at his own
    hour, and a weekly clinic day would not come every day of the week."""
    w = World()
    w.facility("C9", "clinic")
    ghosts = [w.person(f"F{i}", household=f"FH{i}") for i in range(20)]
    for day in range(60, 102):
        for pid in ghosts:
            if w.rng.random() < 0.8:
                w.claim(pid, "C9", w.at(day, 12 * 60 + int(w.rng.integers(0, 150))), amount=480.0,
                        lines=[("MASSAGE", 4.0, 120.0)], diagnosis="M54")
    assert any(r.typology == "fictitious_services" and len(members(r) & set(ghosts)) >= 15 for r in flagged(w))


def test_the_rest_of_a_clinics_list_keyed_from_the_same_template_is_in_its_ring():
    """A clinic keys in courses of twenty sessions for forty real people (seen at another clinic
    too) every evening between eight and half past ten, each card at whatever minute, from one
    bill. Which cards fall in the same half hour often enough to pair is chance, so the block
    the lockstep reading finds is part of the list; the rest, billed the same template on their
    sessions with no holder there either, are the same ring. Six patients who came in the
    morning for the same treatment, each presenting his own phone, are the clinic's patients;
    so are six who came in the morning and showed their cards at the counter: billed the same
    template, but on their own days and hours, not in the evenings' sittings, and seen by their
    own doctors through the year (quiet cards on a course at the counter are what the course
    reading weighs, :func:`test_courses_of_varied_sessions_billed_on_quiet_cards_are_fictitious_services`)."""
    w = World()
    w.facility("C9", "clinic")
    template = [("ACUPUNCTURE", 1.0, 30.0), ("CUPPING", 2.0, 15.0)]
    for k, pid in enumerate(p["person_id"] for p in w.persons[:300]):  # its everyday patients
        w.claim(pid, "C9", w.at(int(w.rng.integers(0, 360)), int(w.rng.integers(0, 540))),
                lines=[(f"X{k % 12:02d}", 1.0, 20.0)])
    ghosts = [w.person(f"F{i}", household=f"FH{i}") for i in range(40)]
    for k, pid in enumerate(ghosts):
        w.claim(pid, "C0", w.at(20 + k, 60))
        first = int(w.rng.integers(60, 100))
        for session in range(20):
            w.claim(pid, "C9", w.at(first + (session * 7) // 3, 12 * 60 + int(w.rng.integers(0, 150))),
                    amount=60.0, lines=template, diagnosis="M54")
    patients = [w.person(f"T{i}", household=f"TH{i}", phone=f"ph-T{i}") for i in range(6)]
    for k, pid in enumerate(patients):
        w.claim(pid, "C1", w.at(30 + k, 90), device=f"dev-T{k}")
        for session in range(10):
            w.claim(pid, "C9", w.at(100 + k + 3 * session, 120 + 10 * k), amount=60.0, lines=template,
                    diagnosis="M54", device=f"dev-T{k}")
    for k in range(6):
        pid = w.person(f"U{k}", household=f"UH{k}")
        patients.append(pid)
        for month in range(0, 12, 2):
            w.claim(pid, ["C1", "P1"][month % 4 // 2], w.at(40 + k + 30 * month, 90))
        for session in range(8):
            w.claim(pid, "C9", w.at(70 + 2 * k + 4 * session, 90 + 15 * k), amount=60.0, lines=template,
                    diagnosis="M54")
    rings = [r for r in flagged(w) if r.typology == "fictitious_services"]
    assert len(rings) == 1
    assert set(ghosts) <= members(rings[0])
    assert not set(patients) & members(rings[0])


def _course_clinic(w: World) -> None:
    """Clinic C9 and its everyday patients: one visit each, of the background's persons."""
    w.facility("C9", "clinic")
    for k, pid in enumerate(p["person_id"] for p in w.persons[:300]):
        w.claim(pid, "C9", w.at(int(w.rng.integers(0, 360)), int(w.rng.integers(0, 540))),
                lines=[(f"X{k % 12:02d}", 1.0, 20.0)])


def _courses(w: World, patients: list[str], *, device=lambda k: None) -> None:
    """A course of twelve sessions for each of ``patients`` at C9, about three a week, in clinic
    hours, each session's acupuncture, massage and cupping in its own quantities: no two bills
    alike, no sittings."""
    for k, pid in enumerate(patients):
        first = int(w.rng.integers(30, 250))
        for session in range(12):
            lines = [(code, float(w.rng.integers(1, 3)), price) for code, price in
                     (("ACUPUNCTURE", 30.0), ("MASSAGE", 50.0), ("CUPPING", 15.0)) if w.rng.random() < 0.7]
            w.claim(pid, "C9", w.at(first + (session * 7) // 3 + int(w.rng.integers(0, 2)),
                                    60 + int(w.rng.integers(0, 420))),
                    amount=60.0, lines=lines or [("ACUPUNCTURE", 1.0, 30.0)], diagnosis="M54", device=device(k))


def test_courses_of_varied_sessions_billed_on_quiet_cards_are_fictitious_services():
    """Clinic C9 bills courses of twelve sessions, in varying items and quantities, on the cards of
    twenty-five people who otherwise had one visit all year, where the other clinics bill no
    courses at all: the sessions were never given. No template, no sitting, nobody seen nowhere
    else: the courses and who they were billed to are the tells."""
    w = World()
    _course_clinic(w)
    cards = [w.person(f"Q{i}", household=f"QH{i}") for i in range(25)]
    for k, pid in enumerate(cards):
        w.claim(pid, "C0", w.at(10 + k, 90))
    _courses(w, cards)
    rings = [r for r in flagged(w) if r.typology == "fictitious_services"]
    assert len(rings) == 1 and len(members(rings[0]) & set(cards)) >= 20
    assert "C9" in members(rings[0])


@pytest.mark.parametrize("trap", ["seen by other doctors all year", "presenting their own phones", "living at the home"])
def test_course_patients_who_came_for_their_sessions_are_not_flagged(trap):
    """The same courses at C9 for twenty-five patients of a rehabilitation programme. Seen by other
    doctors all year (a stroke patient's neurologist, his pharmacy every month), they are no
    quiet cards; presenting their sessions from their own phones, they were there; living at one
    address, they are a nursing home's residents and C9 is its doctor's room, where they get
    the care others get elsewhere."""
    w = World()
    _course_clinic(w)
    home = (lambda i: "NURSING-HOME") if trap == "living at the home" else (lambda i: f"QH{i}")
    patients = [w.person(f"Q{i}", household=home(i), phone=f"ph-Q{i}") for i in range(25)]
    phone = (lambda k: f"dev-Q{k}") if trap == "presenting their own phones" else (lambda k: None)
    for k, pid in enumerate(patients):  # a phone used at one place only would be its counter's
        for month in range(12 if trap == "seen by other doctors all year" else 1):
            w.claim(pid, ["C0", "P1", "H0"][month % 3], w.at(5 + 30 * month + k % 7, 90), device=phone(k))
    _courses(w, patients, device=phone)
    assert not any(set(patients) & members(r) for r in flagged(w))


def _private_ward(w: World, *, packaged: bool) -> None:
    """H6: a private hospital whose own local patients (seen elsewhere too) stay one to three
    weeks for twelve diagnoses, billed by the day, their tests and their drugs; or,
    ``packaged``, billed as one of two day-surgery packages, item for item alike."""
    w.facility("H6", "hospital", beds=60, ownership="private")
    for day in range(0, 360, 3):
        pid = w.person(f"HW{day}", household=f"HWH{day}")
        w.claim(pid, "C1", w.at((day + 50) % 360, 100))
        stay = 7 + day % 15
        lines = [("CATARACT-PKG" if day % 2 else "HERNIA-PKG", 1.0, 4200.0)] if packaged else \
            [("BED", float(stay), 80.0), ("LAB", float(w.rng.integers(1, 9)), 40.0),
             (f"DRUG{day % 12}", float(w.rng.integers(2, 30)), 35.0)]
        w.claim(pid, "H6", w.at(day + stay, 300), visit="inpatient", admitted=w.at(day, 300),
                diagnosis=f"H{day % 12:02d}", amount=sum(q * p for _, q, p in lines), lines=lines)


def _ward_on_paper(w: World, lines) -> list[str]:
    """Eight local patients seen nowhere else, admitted to H6 within two days, each stay
    billed with ``lines``."""
    ghosts = [w.person(f"GW{k}", household=f"GWH{k}") for k in range(8)]
    for k, pid in enumerate(ghosts):
        w.claim(pid, "H6", w.at(150 + k // 4 + 10, 200 + k), visit="inpatient", admitted=w.at(150 + k // 4, 200 + k),
                diagnosis="M51.2", amount=sum(q * p for _, q, p in lines), lines=lines)
    return ghosts


def test_a_ward_billed_from_one_template_is_fictitious():
    """Eight patients nobody sees anywhere else, admitted in one wave, each stay billed item for
    item alike, where the hospital's real patients' bills follow their stays: a ward filled on
    paper. Never seen elsewhere alone is a village's patients; alike bills are what joins it."""
    w = World()
    _private_ward(w, packaged=False)
    ghosts = _ward_on_paper(w, [("BED", 10.0, 80.0), ("TRACTION", 10.0, 60.0), ("DRUG3", 4.0, 35.0)])
    assert any(r.typology == "fictitious_services" and set(ghosts) <= members(r) for r in flagged(w))


def test_a_ward_keyed_in_sittings_over_consecutive_days_is_fictitious():
    """Eight patients nobody sees anywhere else, their stays billed from one template, admitted in
    three waves months apart, each wave's admissions dated one a day over two or three days (no
    two the same day): the sittings of a ward filled on paper, however the dates were spread."""
    w = World()
    _private_ward(w, packaged=False)
    ghosts = [w.person(f"GW{k}", household=f"GWH{k}") for k in range(8)]
    lines = [("BED", 10.0, 80.0), ("TRACTION", 10.0, 60.0), ("DRUG3", 4.0, 35.0)]
    for pid, day in zip(ghosts, (100, 101, 102, 160, 161, 162, 230, 231)):
        w.claim(pid, "H6", w.at(day + 10, 200), visit="inpatient", admitted=w.at(day, 200),
                diagnosis="M51.2", amount=sum(q * p for _, q, p in lines), lines=lines)
    assert any(r.typology == "fictitious_services" and set(ghosts) <= members(r) for r in flagged(w))


def test_a_hospital_that_bills_every_stay_as_a_package_is_not_flagged_for_it():
    """The same wave where every patient's stay is billed as one of two packages: stays billed
    alike are the hospital's way, not a template of the wave."""
    w = World()
    _private_ward(w, packaged=True)
    _ward_on_paper(w, [("CATARACT-PKG", 1.0, 4200.0)])
    assert flagged(w) == []


def test_rehabilitation_centre_repeat_patients_are_not_flagged():
    w = World()
    w.facility("C8", "clinic")
    patients = [f"P{i:05d}" for i in range(0, 60, 3)]
    for k, pid in enumerate(patients):
        for session in range(15):
            w.claim(pid, "C8", w.at(40 + k * 5 + session, 30 + k), amount=480.0, lines=[("PHYSIO", 4.0, 120.0)])
    assert flagged(w) == []


def test_patients_on_daily_courses_at_close_hours_are_not_flagged():
    """A rehabilitation centre's patients come every working day for four weeks at their own
    hour, several within half an hour of each other and with courses overlapping: day after day
    together, because that is their appointment, not a ring's. They see their own doctors
    through the year too: a course billed on cards that get little care elsewhere is what the
    course reading weighs (:func:`test_courses_of_varied_sessions_billed_on_quiet_cards_are_fictitious_services`)."""
    w = World()
    w.facility("H8", "hospital")
    rng = np.random.default_rng(3)
    menu = [("PHYSIO", 120.0), ("ELECTRO", 45.0), ("ACUPUNCTURE", 80.0)]
    for k in range(24):
        pid = w.person(f"R{k}", household=f"RH{k}")
        for month in range(0, 12, 2):
            w.claim(pid, ["C1", "P1"][month % 4 // 2], w.at(5 + k + 30 * month, 90))
        day, sessions = 10 + 6 * (k // 6) + k % 3, 0
        while sessions < 24:
            if day % 7 != 6:  # Sundays off
                lines = [(code, 1.0, price) for code, price in menu if rng.random() < 0.7] or [("PHYSIO", 1.0, 120.0)]
                w.claim(pid, "H8", w.at(day, 30 + 9 * (k % 6) + int(rng.integers(0, 6))),
                        amount=sum(q * price for _, q, price in lines), diagnosis="I69", lines=lines)
                sessions += 1
            day += 1
    assert flagged(w) == []


@pytest.mark.parametrize("trap", ["couple", "mover", "big_hospital", "employer_screening"])
def test_other_traps_are_not_flagged(trap):
    w = World()
    if trap == "couple":
        for i in range(3):
            a = w.person(f"CA{i}", household=f"CH{i}", phone=f"ph-c{i}", birth="1944-01-01")
            b = w.person(f"CB{i}", household=f"CH{i}", phone=f"ph-c{i}", gender="F", birth="1946-01-01")
            for day in range(3, 360, 21):
                w.claim(a, "C0", w.at(day, 40 + i)), w.claim(b, "C0", w.at(day, 41 + i))
    elif trap == "mover":
        for i in range(20):
            pid = w.person(f"MV{i}", household=f"MVH{i}", region="440301")
            for day in range(10, 300, 50):
                w.claim(pid, f"C{i % 4}", w.at(day + i, 120))
    elif trap == "big_hospital":
        for i in range(600):
            w.claim(f"P{i % 300:05d}", "H1", w.at(i % 5, i % 500), doctor=f"H1-D{i % 3}")
    else:
        for i in range(60):
            pid = w.person(f"E{i}", household=f"EH{i}")
            w.claim(pid, "C2", w.at(200, 2 * i), amount=150.0, lines=[("CHECKUP", 1.0, 150.0)])
    assert flagged(w) == []


def _busy_private_hospital(w: World) -> None:
    """Four admissions a day of assorted diagnoses from the hospital's own region: a big intake."""
    w.facility("H9", "hospital", beds=200, ownership="private")
    for day in range(0, 360):
        for k in range(4):
            pid = w.person(f"BZ{day}-{k}", household=f"BZH{day}-{k}")
            w.claim(pid, "H9", w.at(day + 6, 200 + k), visit="inpatient", admitted=w.at(day, 200 + k),
                    diagnosis=f"K{(day * 4 + k) % 40:02d}", amount=5000.0)


def _recruited_waves(w: World, prefix: str, waves: dict[int, int], diagnosis: str,
                     phone: str | None = "ph-recruiter") -> list[str]:
    """Far-away patients tied by a recruiter's ``phone`` (None: untied), admitted to H9 in waves of
    ``{day: count}``."""
    patients = []
    for wave, (day, count) in enumerate(waves.items()):
        for k in range(count):
            pid = w.person(f"{prefix}{wave}{k}", household=f"{prefix}H{wave}{k}", phone=phone,
                           region="520101")
            patients.append(pid)
            w.claim(pid, "H9", w.at(day + 8, 30 + k), visit="inpatient", admitted=w.at(day, 30 + k),
                    diagnosis=diagnosis, amount=6000.0)
    if phone:
        w.person("RECRUITER", household=f"{prefix}HR", phone=phone)
    return patients


def _small_hospital(w: World, ownership: str) -> None:
    """H8: a small hospital with its own local patients, a small share of all inpatients."""
    w.facility("H8", "hospital", beds=30, ownership=ownership)
    for k in range(40):
        w.claim(f"P{k * 5:05d}", "H8", w.at(9 * k + 5), visit="inpatient", admitted=w.at(9 * k), diagnosis="K35")


def test_small_waves_of_one_diagnosis_at_a_busy_hospital_are_found():
    w = World()
    _busy_private_hospital(w)
    patients = _recruited_waves(w, "SW", {40: 4, 100: 4, 170: 4, 230: 4}, "M51.2")
    rings = flagged(w)
    assert any(r.typology == "induced_admission" and set(patients) <= members(r) for r in rings)


def test_a_recruiters_month_of_small_waves_is_found():
    w = World()
    _busy_private_hospital(w)
    for k in range(8):  # the hospital's ordinary strokes, spread over the year
        pid = w.person(f"ST{k}", household=f"STH{k}")
        w.claim(pid, "H9", w.at(20 + 40 * k + 8), visit="inpatient", admitted=w.at(20 + 40 * k), diagnosis="I63.9")
    patients = _recruited_waves(w, "MW", {200: 2, 206: 3, 211: 2, 218: 3, 224: 2}, "I63.9")
    rings = flagged(w)
    assert any(r.typology == "induced_admission" and set(patients) <= members(r) for r in rings)


def _visitors(w: World, prefix: str, every: int, diagnoses: list[str], hospital: str = "H9") -> None:
    """Patients insured far away, one every ``every`` days all year, each with the next of
    ``diagnoses``: the travellers and movers a hospital admits in any month."""
    for k, day in enumerate(range(3, 360, every)):
        pid = w.person(f"{prefix}{k}", household=f"{prefix}H{k}", region="440106")
        w.claim(pid, hospital, w.at(day + 7, 60), visit="inpatient", admitted=w.at(day, 60),
                diagnosis=diagnoses[k % len(diagnoses)], amount=5500.0)


def _buses(w: World, prefix: str, days: tuple[int, ...], count: int, diagnoses: tuple[str, ...], per_day: int,
           hospital: str = "H9") -> list[str]:
    """Untied patients from far away admitted to ``hospital`` in buses of ``count`` on each of
    ``days`` (``per_day`` of them a day, over the days it takes), diagnoses taken in turn."""
    patients = []
    for day in days:
        for k in range(count):
            pid = w.person(f"{prefix}{hospital}{day}{k}", household=f"{prefix}H{hospital}{day}{k}", region="520101")
            patients.append(pid)
            w.claim(pid, hospital, w.at(day + k // per_day + 9, 30 + k), visit="inpatient",
                    admitted=w.at(day + k // per_day, 30 + k), diagnosis=diagnoses[k % len(diagnoses)], amount=6000.0)
    return patients


_VISITING = ["I63.9", "J18.9", "M51.2", "I25.1", "K52.9", "E11.9", "S82.2", "I67.8", "N40", "J44.9", "I10", "C34.9"]


def test_recruited_buses_of_two_diagnoses_among_patients_from_far_away_are_found():
    """Two buses of stroke patients from another province, ten days apart, untied, at a hospital
    that admits a patient from far away every four days for a dozen reasons: among its four
    a day they are no wave, among those from far away no month, and each diagnosis alone is
    five stays. Its patients from far away with those two diagnoses are, in those weeks."""
    w = World()
    _busy_private_hospital(w)
    _visitors(w, "VS", 4, _VISITING)
    patients = _buses(w, "BS", (280, 290), 5, ("I63.9", "I67.8"), per_day=3)
    rings = flagged(w)
    assert any(r.typology == "induced_admission" and set(patients) <= members(r) for r in rings)


def test_a_season_of_visitors_chest_infections_at_every_hospital_is_no_ring():
    """A winter's chest infections among people visiting from far away fill two hospitals' wards
    alike, a few admitted together each week: among each hospital's patients from far away they
    are a month of two diagnoses, and every hospital's in those weeks says it is the season."""
    w = World()
    _busy_private_hospital(w)
    w.facility("H7", "hospital", beds=200, ownership="private")
    for hospital in ("H9", "H7"):
        _visitors(w, f"VS{hospital}", 4, _VISITING, hospital)
        _buses(w, "WP", (20, 27, 34), 4, ("J18.9", "J44.9"), per_day=2, hospital=hospital)
    assert not [r for r in flagged(w) if r.typology == "induced_admission"]


_PROVINCES = ["520101", "440106", "330102", "210102"]


def test_two_coach_crashes_months_apart_at_one_hospital_are_no_ring():
    """A busy hospital by a highway receives the passengers of two overturned coaches, spring and
    summer: a dozen injured each time, from four provinces, assorted injuries. Two waves of
    patients from far away, two of concussions; but casualties are nobody's recruits."""
    w = World()
    _busy_private_hospital(w)
    _visitors(w, "VS", 4, _VISITING)
    for crash, day in enumerate((100, 190)):
        for k in range(12):
            pid = w.person(f"CR{crash}-{k}", household=f"CRH{crash}-{k}", region=_PROVINCES[k % 4])
            w.claim(pid, "H9", w.at(day + 10, 30 + k), visit="inpatient", admitted=w.at(day, 30 + k),
                    diagnosis=("S06.0", "S72.0", "S82.2", "T14.0")[k % 4], amount=8000.0)
    assert not [r for r in flagged(w) if r.typology == "induced_admission"]



def test_waves_of_two_diagnoses_at_one_hospital_are_one_ring():
    """A recruiter who fills a spring month with spine cases and an autumn month with strokes:
    each diagnosis's month stands out alone, and the hospital makes them one ring."""
    w = World()
    _busy_private_hospital(w)
    spine = _recruited_waves(w, "TA", {40: 4, 46: 4, 52: 4, 60: 4}, "M51.2", phone=None)
    stroke = _recruited_waves(w, "TB", {200: 4, 207: 4, 213: 4, 221: 4}, "I63.9", phone=None)
    rings = [r for r in flagged(w) if r.typology == "induced_admission"]
    assert len(rings) == 1 and set(spine) | set(stroke) <= members(rings[0])


def test_patients_a_recruiter_brings_one_at_a_time_from_far_away_are_found():
    w = World()
    _busy_private_hospital(w)
    _small_hospital(w, "private")
    patients = [w.person(f"RT{k}", household=f"RTH{k}", phone="ph-recruiter", region="520101") for k in range(6)]
    w.person("RECRUITER", household="RTHR", phone="ph-recruiter")
    for k, pid in enumerate(patients):  # no waves: one every few weeks, assorted diagnoses
        w.claim(pid, "H8", w.at(30 + 45 * k + 8, 30), visit="inpatient", admitted=w.at(30 + 45 * k, 30),
                diagnosis=f"M{50 + k}", amount=6000.0)
    rings = flagged(w)
    assert any(r.typology == "induced_admission" and set(patients) | {"H8"} <= members(r) for r in rings)


@pytest.mark.parametrize("device, found", [("phone-recruiter", True), ("H9-pos", False)])
def test_a_recruiters_phone_presenting_far_away_admissions_is_evidence(device, found):
    """Seven untied patients from far away, one wave of three and two pairs months apart: weak
    alone. Their admissions presented by one phone, strangers' e-vouchers on a recruiter's app,
    make a ring; presented at the hospital's own registered counter, they do not."""
    w = World()
    _busy_private_hospital(w)
    w.ids.append({"owner_type": "facility", "owner_id": "H9", "kind": "device", "value": "H9-pos"})
    for claim in w.claims:
        claim["device_id"] = "H9-pos" if claim["facility_id"] == "H9" else claim["device_id"]
    patients = _recruited_waves(w, "DV", {40: 3, 160: 2, 250: 2}, "M51.2", phone=None)
    for claim in w.claims:
        claim["device_id"] = device if claim["person_id"] in patients else claim["device_id"]
    rings = [r for r in flagged(w) if r.typology == "induced_admission" and set(patients) <= members(r)]
    assert bool(rings) == found


def test_patients_whose_admissions_a_recruiters_phone_presented_one_at_a_time_are_found():
    """Six patients from far away who list no phone or account with anyone, admitted one every
    few weeks with assorted diagnoses (no wave, no tie): one phone presented every admission."""
    w = World()
    _busy_private_hospital(w)
    _small_hospital(w, "private")
    w.ids.append({"owner_type": "facility", "owner_id": "H8", "kind": "device", "value": "H8-pos"})
    patients = [w.person(f"RP{k}", household=f"RPH{k}", region="520101") for k in range(6)]
    for k, pid in enumerate(patients):
        w.claim(pid, "H8", w.at(30 + 45 * k + 8, 30), visit="inpatient", admitted=w.at(30 + 45 * k, 30),
                diagnosis=f"M{50 + k}", amount=6000.0, device="phone-recruiter")
    rings = flagged(w)
    assert any(r.typology == "induced_admission" and set(patients) | {"H8"} <= members(r) for r in rings)


def _pairs_of_two_households(w: World, prefix: str, hub: str, region: str | None, companions: bool) -> list[str]:
    """Two pairs admitted to H9 with spine cases, months apart (no wave: the hospital admits four
    a day), one of each pair listing ``hub``'s phone (two households tied, as a family's are);
    with ``companions`` the other of each pair, tied to no one, comes the next day with the same
    diagnosis. Returns the patients."""
    w.person(hub, household=f"{prefix}HUB", phone=f"ph-{hub}")
    patients = []
    for group, day in enumerate((60, 200)):
        for k in range(2 if companions else 1):
            pid = w.person(f"{prefix}{group}{k}", household=f"{prefix}H{group}{k}", region=region,
                           phone=None if k else f"ph-{hub}")
            patients.append(pid)
            w.claim(pid, "H9", w.at(day + k + 9, 40 + k), visit="inpatient", diagnosis="M51.2", amount=6000.0,
                    admitted=w.at(day + k, 40 + k))
    return patients


def test_a_recruiter_tied_to_two_of_his_four_patients_from_far_away_is_found():
    """A recruiter brings four patients from far away in two trips, two at a time, and lists his
    phone with one of each pair: no wave, no hub of three households, no phone presenting them.
    His two households' patients share a diagnosis at one hospital and came with others of it
    from far away: a ring, him with it."""
    w = World()
    _busy_private_hospital(w)
    patients = _pairs_of_two_households(w, "RW", "RECRUITER", "520101", companions=True)
    rings = [r for r in flagged(w)
             if r.typology == "induced_admission" and set(patients) | {"RECRUITER", "H9"} <= members(r)]
    # the summary gives the stays' one diagnosis as it is, though no wave repeats it
    assert rings and "100% with one diagnosis" in rings[0].summary_en


@pytest.mark.parametrize("region, companions", [(None, False), ("520101", False), (None, True)])
def test_a_grown_child_whose_parents_and_in_laws_were_admitted_alike_is_no_ring(region, companions):
    """A grown child listed by his father and his father-in-law, both admitted to the same
    hospital with the same diagnosis months apart: brought from the countryside, two patients
    of one family's ties with no one admitted beside them; from the hospital's own region, with
    or without a neighbour admitted the next day with the same diagnosis, stays that do not
    look recruited."""
    w = World()
    _busy_private_hospital(w)
    _pairs_of_two_households(w, "GC", "CHILD", region, companions=companions)
    assert flagged(w) == []


def _presented_with_companions(w: World, prefix: str, region: str | None) -> tuple[list[str], list[str]]:
    """Four pairs admitted to H9 months apart, spine and stroke cases (no wave: the hospital
    admits four a day): in each, one patient's e-voucher presented on one phone ("phone-busy"),
    the other by card the next day, none tied to another; the extract registers the hospital's
    counter. Returns (presented, companions)."""
    w.ids.append({"owner_type": "facility", "owner_id": "H9", "kind": "device", "value": "H9-pos"})
    presented, companions = [], []
    for group, day in enumerate((60, 130, 200, 280)):
        dx = ("M51.2", "I63.9")[group % 2]
        for k in range(2):
            pid = w.person(f"{prefix}{group}{k}", household=f"{prefix}H{group}{k}", region=region)
            (companions if k else presented).append(pid)
            w.claim(pid, "H9", w.at(day + k + 9, 40 + k), visit="inpatient", diagnosis=dx, amount=6000.0,
                    admitted=w.at(day + k, 40 + k), device=None if k else "phone-busy")
    return presented, companions


def test_the_patients_admitted_with_those_a_recruiters_phone_presented_are_his_too():
    """A recruiter presents one e-voucher of each pair he brings from far away, the other comes
    by card, the next day, with the same diagnosis: the ring is the eight patients, not only the
    four whose admissions his phone presented."""
    w = World()
    _busy_private_hospital(w)
    presented, companions = _presented_with_companions(w, "PC", "520101")
    rings = [r for r in flagged(w) if r.typology == "induced_admission"]
    assert any(set(presented) | set(companions) <= members(r) for r in rings)


def test_a_helpers_phone_presenting_local_families_with_the_days_other_patients_is_no_ring():
    """The same phone and groups, everyone from the hospital's own region: a village helper's
    app and the day's other patients, however many are added, do not look recruited."""
    w = World()
    _busy_private_hospital(w)
    _presented_with_companions(w, "PL", None)
    assert flagged(w) == []


def test_a_phone_presenting_three_families_at_a_spine_hospital_does_not_recruit_its_day():
    """A spine hospital admits four spine cases a day, one in five from far away; a hotel desk's
    phone presented three far-away families' admissions over the year. The spine cases admitted
    within days of theirs are the hospital's ordinary intake, not a recruiter's companions: their
    waves and far-away share are the hospital's own."""
    w = World()
    w.facility("H9", "hospital", beds=200, ownership="private")
    w.ids.append({"owner_type": "facility", "owner_id": "H9", "kind": "device", "value": "H9-pos"})
    for day in range(0, 360):
        for k in range(4):
            pid = w.person(f"SP{day}-{k}", household=f"SPH{day}-{k}", region="520101" if (day + k) % 5 == 0 else None)
            w.claim(pid, "H9", w.at(day + 7, 200 + k), visit="inpatient", admitted=w.at(day, 200 + k),
                    diagnosis="M51.2", amount=5000.0 + k, device="H9-pos")
            w.claim(pid, "C0", w.at(max(day - 20, 0), 90 + k))
    for k, day in enumerate((50, 170, 290)):
        pid = w.person(f"HD{k}", household=f"HDH{k}", region="520101")
        w.claim(pid, "H9", w.at(day + 7, 300), visit="inpatient", admitted=w.at(day, 300), diagnosis="M51.2",
                amount=5000.0, device="phone-desk")
        w.claim(pid, "C0", w.at(day - 20, 90))
    assert flagged(w) == []


def _hospital_treating_spines_and_strokes(w: World) -> None:
    """H9: four local admissions a day, one in four a spine or stroke case, and a patient from
    far away every other week with an assorted diagnosis."""
    w.facility("H9", "hospital", beds=200, ownership="private")
    for day in range(0, 360):
        for k in range(4):
            pid = w.person(f"SS{day}-{k}", household=f"SSH{day}-{k}")
            dx = ("M51.2", "I63.9")[day % 2] if k == 0 else f"K{(day * 4 + k) % 30:02d}"
            w.claim(pid, "H9", w.at(day + 6, 200 + k), visit="inpatient", admitted=w.at(day, 200 + k),
                    diagnosis=dx, amount=5000.0)
    for k in range(25):
        pid = w.person(f"FA{k}", household=f"FAH{k}", region="520101")
        w.claim(pid, "H9", w.at(14 * k + 3 + 7, 300), visit="inpatient", admitted=w.at(14 * k + 3, 300),
                diagnosis=f"K{k % 30:02d}", amount=5000.0)


def _far_groups(w: World, prefix: str, starts: list[int], diagnoses: list[str]) -> list[str]:
    """Untied patients from far away, eight admitted to H9 two a day over four days from each of
    ``starts``, their diagnoses taken in turn from ``diagnoses``."""
    patients = []
    for wave, day in enumerate(starts):
        for k in range(8):
            pid = w.person(f"{prefix}{wave}{k}", household=f"{prefix}H{wave}{k}", region="520101")
            patients.append(pid)
            dx = diagnoses[(wave * 8 + k) % len(diagnoses)]
            w.claim(pid, "H9", w.at(day + k // 2 + 9, 40 + k), visit="inpatient",
                    admitted=w.at(day + k // 2, 40 + k), diagnosis=dx, amount=6000.0)
    return patients


def test_untied_far_away_spine_and_stroke_groups_are_found_among_a_hospitals_own():
    """Neither the hospital's intake nor either diagnosis shows the groups (the hospital treats
    a spine or a stroke case a day); its patients from far away do, and the two diagnoses
    fill the groups far beyond their share of the hospital's stays."""
    w = World()
    _hospital_treating_spines_and_strokes(w)
    patients = _far_groups(w, "FG", [60, 150, 250], ["M51.2", "I63.9"])
    ring = next(r for r in flagged(w) if r.typology == "induced_admission" and set(patients) <= members(r))
    # the summary says where they came from, though the waves were picked by it
    assert "100% from other regions" in ring.summary_en


def test_far_away_groups_with_assorted_diagnoses_are_not_flagged():
    """A partner county's referrals arrive in groups, each patient with his own illness: waves
    of patients from far away alone are not a ring."""
    w = World()
    _hospital_treating_spines_and_strokes(w)
    _far_groups(w, "RF", [60, 150, 250], [f"K{k:02d}" for k in range(0, 30, 2)])
    assert flagged(w) == []



def _far_month(w: World, prefix: str, diagnoses: list[str]) -> list[str]:
    """Untied patients from far away admitted to H9 four on one day, once a week for five
    weeks from day 150, their diagnoses taken in turn from ``diagnoses``: each day too small to
    stand out even among the hospital's patients from far away, the month not."""
    patients = []
    for wave, day in enumerate(range(150, 180, 7)):
        for k in range(4):
            pid = w.person(f"{prefix}{wave}{k}", household=f"{prefix}H{wave}{k}", region="520101")
            patients.append(pid)
            w.claim(pid, "H9", w.at(day + 9, 40 + k), visit="inpatient", admitted=w.at(day, 40 + k),
                    diagnosis=diagnoses[(wave * 4 + k) % len(diagnoses)], amount=6000.0)
    return patients


def test_a_month_of_far_away_spine_and_stroke_patients_is_found_among_a_hospitals_own():
    """Five small groups from far away in five weeks, spine and stroke cases, at a hospital that
    treats one a day and a patient from far away every other week: a recruiter's month."""
    w = World()
    _hospital_treating_spines_and_strokes(w)
    patients = _far_month(w, "FM", ["M51.2", "I63.9"])
    assert any(r.typology == "induced_admission" and set(patients) <= members(r) for r in flagged(w))


def test_a_month_of_far_away_patients_with_assorted_diagnoses_is_not_flagged():
    """The same month of arrivals from far away, each with his own illness (a partner county's
    referrals): many came from far, and that alone is no ring."""
    w = World()
    _hospital_treating_spines_and_strokes(w)
    _far_month(w, "FR", [f"K{k:02d}" for k in range(0, 30, 2)])
    assert flagged(w) == []

def test_a_village_listing_its_doctor_admitted_to_the_county_hospital_is_not_flagged():
    w = World()
    _busy_private_hospital(w)
    _small_hospital(w, "public")
    villagers = [w.person(f"V{k}", household=f"VH{k}", phone="ph-village-doctor", birth="1940-01-01")
                 for k in range(8)]
    for k, pid in enumerate(villagers):
        w.claim(pid, "H8", w.at(20 + 40 * k + 6, 30), visit="inpatient", admitted=w.at(20 + 40 * k, 30),
                diagnosis=f"I{20 + k}", amount=6000.0)
        w.claim(pid, "C0", w.at(10 + 40 * k, 90))
    assert flagged(w) == []


def test_a_winter_of_pneumonia_in_every_hospital_is_not_flagged():
    w = World()
    for hospital in ("H0", "H1"):
        for day in range(0, 360):
            for k in range(2 if day < 40 else int(day % 7 == 0)):  # twice a day in winter, then weekly
                pid = w.person(f"W{hospital}{day}-{k}", household=f"WH{hospital}{day}-{k}", birth="1938-01-01")
                w.claim(pid, hospital, w.at(day + 8, 100 + k), visit="inpatient", admitted=w.at(day, 100 + k),
                        diagnosis="J18.9", amount=7000.0)
    assert flagged(w) == []


def test_recurring_local_pneumonia_at_a_busy_hospital_is_not_flagged():
    w = World()
    _busy_private_hospital(w)
    for wave, day in enumerate((10, 40, 330, 350)):
        for k in range(4):
            pid = w.person(f"PN{wave}{k}", household=f"PNH{wave}{k}", birth="1935-01-01")
            w.claim(pid, "H9", w.at(day + 9, 60 * k), visit="inpatient", admitted=w.at(day, 60 * k),
                    diagnosis="J18.9", amount=7000.0)
    assert flagged(w) == []


def _bills_without_fee_lines(w: World) -> None:
    """Doctors H0-D1 and H0-D2's 2,400 patients, each filling one prescription for I10 at 40 yuan at
    one of four pharmacies; the extract carries no fee lines (the background's dropped), only bills."""
    w.items.clear()
    for i in range(2400):
        w.claim(w.person(f"B{i:04d}", household=f"BH{i}"), f"P{i // 2 % 4}", w.at(i % 360, i % 600), amount=40.0,
                doctor=f"H0-D{1 + i % 2}", diagnosis="I10")


def test_collusion_in_an_extract_without_fee_lines_is_found_by_its_bills():
    """Twelve patients of doctor H0-D0 fill every prescription at P3, each bill four times the
    usual for I10: no quantities to read, but bills far above the diagnosis's usual, there only."""
    w = World()
    _bills_without_fee_lines(w)
    patients = [w.person(f"U{i}", household=f"UH{i}") for i in range(12)]
    for day in range(5, 300, 40):
        for k, pid in enumerate(patients):
            w.claim(pid, "P3", w.at(day + k % 9, 60 + 37 * k), amount=160.0, doctor="H0-D0", diagnosis="I10")
    rings = [r for r in detect_tables(w.tables(), seed=3).rings if r.score >= FLAG]
    ring = next(r for r in rings if r.typology == "prescription_collusion" and {"H0-D0", "P3"} <= members(r))
    assert "100% of patients billed above the usual for their diagnosis" in ring.summary_en



def _batch(w: World, prefix: str, drug: str, start: int, accounts: int) -> list[str]:
    """Six sellers of their own households who started drawing ``drug`` within ten days at day
    ``start``, at 1.3 times the need (below the ratio that ties groups by identifiers alone)
    at three pharmacies; the first ``accounts`` are paid into the broker's account."""
    sellers = [w.person(f"{prefix}{i}", household=f"{prefix}H{i}", phone=f"ph-{prefix}{i}") for i in range(6)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in sellers[:accounts]]
    for k, pid in enumerate(sellers):
        for month in range(6):
            w.claim(pid, f"P{month % 3}", w.at(start + 2 * k + month * 30, 120 + k), amount=26.0,
                    lines=[(drug, 1.3, 20.0)])
    return sellers


def _statin_and_ace_inhibitor_users_and_a_broker() -> World:
    """The regular chronic and statin users, thirty regular ACE inhibitor users (three boxes a
    quarter at P1) and a broker with the account "acct-broker"."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    for i in range(30):
        pid = w.person(f"E{i}", household=f"EH{i}")
        for month in range(0, 12, 3):
            w.claim(pid, "P1", w.at(month * 30 + 1, 300 + i), amount=60.0, lines=[("ACEI", 3.0, 20.0)])
    w.person("BROKER", household="BH")
    w.ids.append({"owner_type": "person", "owner_id": "BROKER", "kind": "bank_account", "value": "acct-broker"})
    return w


def test_a_brokers_two_batches_of_two_drugs_are_one_ring():
    """A broker's sellers of the statin started in spring, those of an ACE inhibitor in summer;
    two of the first and one of the second are paid into his account: one ring, not two."""
    w = _statin_and_ace_inhibitor_users_and_a_broker()
    sellers = _batch(w, "A", "STATIN", 60, 2) + _batch(w, "B", "ACEI", 150, 1)
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(sellers) <= members(rings[0])


def test_a_brokers_two_readings_are_one_group_and_an_acquaintance_joins_none():
    """A broker's sellers of a costly drug and of a cheap one drawn for months are read apart,
    four and four, each four paid into his account: one group. Two brokers' fours, each on his
    own phone, with one man sharing a device with a seller of one and an account with a seller
    of the other: two groups (he ties one household of each)."""
    w = World(persons=20)
    costly = [w.person(f"C{i}", household=f"CH{i}") for i in range(4)]
    cheap = [w.person(f"A{i}", household=f"AH{i}") for i in range(4)]
    w.person("BROKER", household="BH")
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in costly + cheap + ["BROKER"]]
    first = [w.person(f"F{i}", household=f"FH{i}", phone="ph-f") for i in range(4)]
    second = [w.person(f"G{i}", household=f"GH{i}", phone="ph-g") for i in range(4)]
    w.person("ACQUAINTANCE", household="QH")
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": kind, "value": value}
              for pid, kind, value in (("ACQUAINTANCE", "device", "dev-q"), ("F0", "device", "dev-q"),
                                       ("ACQUAINTANCE", "bank_account", "acct-q"), ("G0", "bank_account", "acct-q"))]
    ctx = build_context(w.tables())
    frame = pd.DataFrame({"person_id": costly + cheap + first + second})
    groups = [(set(g), frame[frame["person_id"].isin(g)]) for g in (costly, cheap, first, second)]
    merged = sorted(sorted(persons) for persons, _ in _one_group_per_go_between(ctx, groups))
    assert merged == sorted([sorted(costly + cheap), sorted(first), sorted(second)])


def test_a_batch_that_started_with_two_of_a_brokers_sellers_is_his_ring():
    """Eight sellers paid into a broker's account draw twice their need, six of the statin and
    two of an ACE inhibitor; six untied sellers started the ACE inhibitor within the same days
    as his two. Few of his eight draw it, but both who do started with the batch: one ring."""
    w = _statin_and_ace_inhibitor_users_and_a_broker()
    tied = [w.person(f"T{i}", household=f"TH{i}") for i in range(8)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in tied]
    for k, pid in enumerate(tied):
        drug, start = ("STATIN", 40 + 3 * k) if k < 6 else ("ACEI", 150 + 2 * k)
        for month in range(6):
            w.claim(pid, f"P{month % 3}", w.at(start + month * 30, 120 + k), amount=40.0, lines=[(drug, 2.0, 20.0)])
    batch = _batch(w, "B", "ACEI", 150, 0)
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(tied) | set(batch) <= members(rings[0])


def test_a_batch_that_started_with_one_of_a_brokers_sellers_is_his_ring():
    """Eight sellers of eight households paid into a broker's account draw twice their need,
    seven of the statin and one of an ACE inhibitor; six untied sellers started the ACE
    inhibitor within the same days as his one. His account ties more households than a family's,
    and the one who started with the batch points at its weeks: one ring, not two."""
    w = _statin_and_ace_inhibitor_users_and_a_broker()
    tied = [w.person(f"T{i}", household=f"TH{i}") for i in range(8)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in tied]
    for k, pid in enumerate(tied):
        drug, start = ("STATIN", 40 + 3 * k) if k < 7 else ("ACEI", 153)
        for month in range(6):
            w.claim(pid, f"P{month % 3}", w.at(start + month * 30, 120 + k), amount=40.0, lines=[(drug, 2.0, 20.0)])
    batch = _batch(w, "B", "ACEI", 150, 0)
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(tied) | set(batch) <= members(rings[0])


def _monthly(w: World, pid: str, start: int, months: int, boxes: float, drug: str = "STATIN",
             price: float = 20.0) -> None:
    for month in range(months):
        w.claim(pid, f"P{month % 3}", w.at(start + month * 30, 120), amount=price * boxes,
                lines=[(drug, boxes, price)])


def _broker_with_account_and_phone(w: World, short: int) -> list[str]:
    """A broker whose account two sellers are paid into and whose phone a third lists, each of
    their own household; the two draw the statin at five times the need for four months at
    three pharmacies, the third as fast for ``short`` fills."""
    w.person("BROKER", household="BH", phone="ph-broker")
    w.ids.append({"owner_type": "person", "owner_id": "BROKER", "kind": "bank_account", "value": "acct-broker"})
    sellers = [w.person(f"Z{i}", household=f"ZH{i}", phone="ph-broker" if i == 2 else None) for i in range(3)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in sellers[:2]]
    for k, pid in enumerate(sellers):
        _monthly(w, pid, 40 + 50 * k, 4 if k < 2 else short, 5.0)
    return sellers


def test_a_seller_on_two_fills_tied_to_the_broker_makes_his_pair_a_ring():
    """Two sellers paid into the broker's account read as one family by the tie (three
    households); the third, who lists his phone, drew the same statin as fast on two fills
    only. Tied to him too and over-supplied with their drug, the third is his: four households,
    a resale ring of the broker and his three."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    sellers = _broker_with_account_and_phone(w, short=2)
    assert any(r.typology == "drug_resale" and {*sellers, "BROKER"} <= members(r) for r in flagged(w))


@pytest.mark.parametrize("born, apart", [("2000-01-01", True), ("1999-12-31", False), ("1964-01-01", True),
                                          ("1964-01-02", False)])
def test_a_generation_is_counted_in_calendar_years(born, apart):
    """A go-between born on 1 January 1982 stands a generation apart from a person born on
    1 January 2000 or 1964, eighteen calendar years (to 2000 6,574 days, 17.998 years of 365.25
    days), as Context counts a generation for the elders a couple keeps; not a day less."""
    w = World()
    w.person("GO", household="GH", birth="1982-01-01")
    w.person("OTHER", household="OH", birth=born)
    w.claim("OTHER", "P1", w.at(10, 100), amount=20.0)
    assert _a_generation_apart(build_context(w.tables()), "GO", {"OTHER"}) == apart


def test_a_broker_s_relative_at_the_usual_supply_does_not_make_his_pair_a_ring():
    """The same, the third drawing the statin at the usual supply: the pair and the broker stay
    three households, which the tie alone reads as a family where he could be their grown child
    (born a generation after them); no ring."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    third = w.person("Z-usual", household="ZH-usual", phone="ph-broker")
    _monthly(w, third, 140, 2, 1.0)
    w.person("BROKER", household="BH", phone="ph-broker", birth="1980-01-01")
    w.ids.append({"owner_type": "person", "owner_id": "BROKER", "kind": "bank_account", "value": "acct-broker"})
    pair = [w.person(f"Z{i}", household=f"ZH{i}", birth="1952-01-01") for i in range(2)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in pair]
    for k, pid in enumerate(pair):
        _monthly(w, pid, 40 + 50 * k, 4, 5.0)
    assert not any(r.typology == "drug_resale" and set(pair) <= members(r) for r in flagged(w))


def test_a_batch_whose_weeks_a_tied_pair_points_at_is_resale():
    """Six hundred statin patients starting all year round, forty heavy users starting at random;
    six untied sellers and two paid into the account of a broker and his recruiter all started
    within eight days. Among so many windows the batch alone is no surprise, but the broker's
    two started in those very days: only the windows their starts open are tried, and the eight
    are one ring."""
    w = _regular_chronic_users()
    rng = np.random.default_rng(11)
    for i in range(600):
        _monthly(w, w.person(f"S{i}", household=f"SH{i}"), int(rng.integers(0, 240)), 4, 1.0)
    for i in range(40):
        _monthly(w, w.person(f"X{i}", household=f"XH{i}"), int(rng.integers(0, 240)), 5, 2.0)
    w.person("BROKER", household="BH")
    w.person("RECRUITER", household="RH")
    sellers = [w.person(f"Z{i}", household=f"ZH{i}") for i in range(8)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in ("BROKER", "RECRUITER", *sellers[:2])]
    for k, pid in enumerate(sellers):
        _monthly(w, pid, 100 + k, 5, 2.0)
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(sellers) <= members(rings[0])


def _long_standing_patients(w: World) -> None:
    """Four hundred patients on a costly targeted drug since before the extract (first fills in its
    first three weeks) and four heavy users among them: a start later in the year is rare."""
    rng = np.random.default_rng(5)
    for i in range(404):
        _monthly(w, w.person(f"S{i}", household=f"SH{i}"), int(rng.integers(0, 20)), 12,
                 2.0 if i < 4 else 1.0, "TARGETED", 700.0)


def test_a_shops_cards_take_in_no_brokers_batch():
    """A broker's six sellers list his phone and draw twice the need of a costly drug on two fills
    from day 250; four untied sellers started it in the same days, as fast, each at two
    pharmacies of his own: the broker's batch. A shop's four cash-out cards, tied by its
    organiser's phone, draw it as fast at the shop's one counter from the same days. The shop's
    cards are its business, not a broker's, and take in no batch: the four are the broker's
    ring, not lost with the shop's group (which, sharper for its fewer members, would be served
    first)."""
    w = World()
    _long_standing_patients(w)
    w.facility("SHOP", "pharmacy")
    tied = [w.person(f"T{i}", household=f"TH{i}", phone="ph-broker") for i in range(6)]
    batch = [w.person(f"U{i}", household=f"UH{i}") for i in range(4)]
    shop = [w.person(f"C{i}", household=f"CH{i}", phone="ph-shop") for i in range(4)]
    for k, pid in enumerate(tied):
        _monthly(w, pid, 250 + k, 2, 2.0, "TARGETED", 700.0)
    for k, pid in enumerate(batch):
        for month in range(2):
            w.claim(pid, w.facility(f"Q{k}-{month}", "pharmacy"), w.at(252 + 2 * k + month * 30, 120), amount=1400.0,
                    lines=[("TARGETED", 2.0, 700.0)])
    for k, pid in enumerate(shop):
        for month in range(2):
            w.claim(pid, "SHOP", w.at(250 + 2 * k + month * 30, 120), amount=1400.0, lines=[("TARGETED", 2.0, 700.0)])
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(tied) | set(batch) <= ring for ring in rings), rings
    assert not any(ring & set(shop) for ring in rings), rings


def _pair_on_one_account(w: World, holder_born: str = "1978-03-01") -> list[str]:
    """Two persons of two households, born in 1950 and 1953, paid into the account of a third
    ("HOLDER", born ``holder_born``), who draws nothing: three households, as a grown child with
    parents and in-laws where the holder is a generation younger."""
    w.person("HOLDER", household="HH", birth=holder_born)
    pair = [w.person(f"Z{i}", household=f"ZH{i}", birth=born) for i, born in enumerate(("1950-06-01", "1953-09-01"))]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-holder"}
              for pid in ("HOLDER", *pair)]
    return pair


def _two_sellers_on_one_account(w: World, starts: tuple[int, int], boxes: float = 2.0) -> list[str]:
    """:func:`_pair_on_one_account`, both drawing ``boxes`` times the need for six months."""
    sellers = _pair_on_one_account(w)
    for pid, start in zip(sellers, starts):
        _monthly(w, pid, start, 6, boxes, "TARGETED", 700.0)
    return sellers


def test_a_brokers_two_sellers_who_started_together_are_resale():
    """Three households on one account read as a family; a family does not start drawing twice
    its need of the same drug within days, when hardly anyone starts it then."""
    w = World()
    _long_standing_patients(w)
    sellers = _two_sellers_on_one_account(w, (150, 153))
    assert any(r.typology == "drug_resale" and {*sellers, "HOLDER"} <= members(r) for r in flagged(w))


def test_two_sellers_drawing_far_more_than_a_drugs_many_over_supplied_users_are_resale():
    """Other brokers' hundred sellers, on the drug all year at twice the need, make an eighth of
    its users over-supplied: two more of a fortnight's dozen starters are no surprise at that
    rate. The two on one account draw four times the need, and among the few who draw as much,
    both starting and stopping in the same days is."""
    w = World()
    _long_standing_patients(w)
    rng = np.random.default_rng(7)
    for i in range(250):  # at other pharmacies: they never meet the two at a counter
        heavy = i < 100
        pid, boxes = w.person(f"O{i}", household=f"OH{i}"), 2.0 if heavy else 1.0
        start = int(rng.integers(0, 20 if heavy else 300))
        for month in range(12 if heavy else 6):
            w.claim(pid, ("P3", "C2", "C3")[month % 3], w.at(start + month * 30, 120), amount=700.0 * boxes,
                    lines=[("TARGETED", boxes, 700.0)])
    sellers = _two_sellers_on_one_account(w, (150, 153), boxes=4.0)
    assert any(r.typology == "drug_resale" and {*sellers, "HOLDER"} <= members(r) for r in flagged(w))


def test_a_brokers_two_sellers_meeting_a_colluding_pharmacys_patients_are_his_ring():
    """A pharmacy hands its ten regulars two and a half times their packs of the costly drug,
    all of it at its own counter; the broker's two sellers, on three times the need, fill there
    too, in the same weeks. Met at the counter, the twelve read as the pharmacy's business; its
    patients are, the two are the broker's."""
    w = World()
    _long_standing_patients(w)
    regulars = [w.person(f"R{i}", household=f"RH{i}") for i in range(10)]
    for k, pid in enumerate(regulars):
        for month in range(11):
            w.claim(pid, "P2", w.at(30 + k + month * 30, 100), amount=1750.0, lines=[("TARGETED", 2.5, 700.0)])
    sellers = _two_sellers_on_one_account(w, (150, 153), boxes=3.0)
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert any({*sellers, "HOLDER"} <= members(r) and not members(r) & set(regulars) for r in rings)


@pytest.mark.parametrize("starts", [(60, 200), (150, 153)], ids=["months apart", "among many starting"])
def test_relatives_over_supplied_are_no_ring_unless_they_started_together_against_the_odds(starts):
    """The same three households: two relatives over-supplied who began months apart are a
    family's own doing; two who began in the same days as forty new patients are no surprise."""
    w = World()
    _long_standing_patients(w)
    if starts == (150, 153):
        rng = np.random.default_rng(6)
        for i in range(40):
            _monthly(w, w.person(f"N{i}", household=f"NH{i}"), 145 + int(rng.integers(0, 15)), 6, 1.0,
                     "TARGETED", 700.0)
    _two_sellers_on_one_account(w, starts)
    assert not any(r.typology == "drug_resale" for r in flagged(w))


def test_two_over_supplied_on_the_account_of_someone_their_own_age_are_resale_however_they_started():
    """The same two, born in 1950 and 1953, who began months apart, paid into the account of a
    man born in 1958: three households, but he is neither their grown child nor their parent, and
    a family's tie across households is a generation's (a grown child keeping the elders'
    e-vouchers and account). Two strangers drawing twice their need, paid into one account of
    their own generation's, are a broker's sellers."""
    w = World()
    _long_standing_patients(w)
    sellers = _pair_on_one_account(w, holder_born="1958-01-01")
    for pid, start in zip(sellers, (60, 200)):
        _monthly(w, pid, start, 6, 2.0, "TARGETED", 700.0)
    assert any(r.typology == "drug_resale" and {*sellers, "HOLDER"} <= members(r) for r in flagged(w))


def test_two_over_supplied_on_an_account_of_one_of_their_households_are_a_family():
    """The same two, born in 1950 and 1953, months apart, paid into the account of a man born in
    1948 who lives with the first: two households tied directly, as siblings' or cousins' are,
    whatever their ages; no broker stands apart from them."""
    w = World()
    _long_standing_patients(w)
    w.person("HOLDER", household="ZH0", birth="1948-05-01")
    pair = [w.person(f"Z{i}", household=f"ZH{i}", birth=born) for i, born in enumerate(("1950-06-01", "1953-09-01"))]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-holder"}
              for pid in ("HOLDER", *pair)]
    for pid, start in zip(pair, (60, 200)):
        _monthly(w, pid, start, 6, 2.0, "TARGETED", 700.0)
    assert not any(r.typology == "drug_resale" for r in flagged(w))


@pytest.mark.parametrize("listed_born, found", [("2014-09-09", True), ("1978-03-01", False)],
                         ids=["her child", "his grown son"])
def test_two_over_supplied_on_the_phone_of_a_child_are_still_a_brokers_sellers(listed_born, found):
    """The same two, born in 1950 and 1953, months apart, paid into the account of a woman born
    in 1958 and listing the phone she lists for the boy who lives with her: his tie is hers, a
    child keeps no one's e-vouchers, and she is of their own generation (he is in the ring
    only as one more card on her phone). A grown son in his forties on the same phone may be
    the one who keeps them: their family."""
    w = World()
    _long_standing_patients(w)
    sellers = _pair_on_one_account(w, holder_born="1958-01-01")
    w.person("LISTED", household="HH", birth=listed_born)
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "phone", "value": "13900000001"}
              for pid in ("HOLDER", "LISTED", *sellers)]
    for pid, start in zip(sellers, (60, 200)):
        _monthly(w, pid, start, 6, 2.0, "TARGETED", 700.0)
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any({*sellers, "HOLDER"} <= ring for ring in rings) is found, rings
    assert bool(rings) is found, rings


def _long_standing_statin_patients(w: World) -> None:
    """Four hundred patients on a cheap statin (20 yuan a box, far below the targeted drug's 700)
    since before the extract, first fills in its first three weeks, monthly at the need."""
    rng = np.random.default_rng(8)
    for i in range(400):
        _monthly(w, w.person(f"L{i}", household=f"LH{i}"), int(rng.integers(0, 20)), 12, 1.0)


@pytest.mark.parametrize("starts, found", [((150, 153), True), ((60, 200), False)],
                         ids=["started together", "months apart"])
def test_two_sellers_on_one_account_drawing_a_cheap_drug_are_resale_only_if_they_started_together(starts, found):
    """Two persons of two households paid into a third's account, each drawing a cheap statin at
    twice the need for six months: three households the tie alone reads as one family (a grown
    child filling the elders' drugs), however over-supplied. Both starting within days, when
    hardly anyone starts the drug, is what a family does not do; months apart, it is theirs."""
    w = World()
    _long_standing_patients(w)
    _long_standing_statin_patients(w)
    sellers = _pair_on_one_account(w)
    for pid, start in zip(sellers, starts):
        _monthly(w, pid, start, 6, 2.0)
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any({*sellers, "HOLDER"} <= ring for ring in rings) is found
    assert found or not rings


def test_two_sellers_on_one_account_who_started_a_costly_drug_late_in_the_extract_are_resale():
    """The same three households, the costly drug at twice the need, both starting at days
    300-303: the extract ends after the one's third fill and the other's second. Read among
    months of fills, the one on two fills is not yet over-supplied for months; read among every
    fill of the drug, both are, and both started it in the same days."""
    w = World()
    _long_standing_patients(w)
    sellers = _pair_on_one_account(w)
    _monthly(w, sellers[0], 300, 3, 2.0, "TARGETED", 700.0)
    _monthly(w, sellers[1], 303, 2, 2.0, "TARGETED", 700.0)
    assert any(r.typology == "drug_resale" and {*sellers, "HOLDER"} <= members(r) for r in flagged(w))


def test_a_brokers_pair_on_one_account_starting_with_his_untied_batch_is_one_ring_with_it():
    """Six untied sellers start the costly drug at days 150-160 at twice the need, each at
    pharmacies of his own: a batch. The two paid into the broker's account start it at days
    160-163, one of them on two fills only. The pair read as a family by the tie, one in the
    batch and one starting in its weeks: the batch's, one ring, not a second ring beside it."""
    w = World()
    _long_standing_patients(w)
    batch = [w.person(f"B{i}", household=f"BH{i}") for i in range(6)]
    for k, pid in enumerate(batch):
        for fill in range(4):
            w.claim(pid, w.facility(f"BP{k}-{fill}", "pharmacy"), w.at(150 + 2 * k + 30 * fill, 130),
                    amount=1400.0, lines=[("TARGETED", 2.0, 700.0)])
    pair = _pair_on_one_account(w)
    _monthly(w, pair[0], 160, 4, 2.0, "TARGETED", 700.0)
    _monthly(w, pair[1], 163, 2, 2.0, "TARGETED", 700.0)
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any({*batch, *pair} <= ring for ring in rings)
    assert len(rings) == 1


def _drug_patients_and_a_brokers_tied_four(w: World, rng) -> list[str]:
    """Four hundred patients of an ACE inhibitor, most on it since before the extract (first
    fills in its first three weeks), a hundred and twenty starting at random through the year
    (so that few of any fortnight's starters refill as fast as the broker's), each refilling
    every 24 to 36 days (the drug's honest spread); twenty heavier ones refilling every 21 from
    any day; and a broker's four sellers on his account, drawing twice the need from days 100
    to 106."""
    for i in range(400):
        pid = w.person(f"S{i}", household=f"SH{i}")
        start, every = int(rng.integers(0, 20 if i >= 120 else 240)), int(rng.integers(24, 37))
        for k in range((360 - start) // every):
            w.claim(pid, f"P{k % 3}", w.at(start + k * every, 120), amount=20.0, lines=[("ACEI", 1.0, 20.0)])
    for i in range(20):
        pid = w.person(f"X{i}", household=f"XH{i}")
        start = int(rng.integers(0, 240))
        for k in range(8):
            w.claim(pid, f"P{k % 3}", w.at(start + k * 21, 120), amount=20.0, lines=[("ACEI", 1.0, 20.0)])
    w.person("BROKER", household="BH")
    tied = [w.person(f"T{i}", household=f"TH{i}") for i in range(4)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in ("BROKER", *tied)]
    for k, pid in enumerate(tied):
        _monthly(w, pid, 100 + 2 * k, 6, 2.0, "ACEI")
    return tied


def test_a_brokers_sellers_read_twice_still_take_in_the_rest_of_their_batch():
    """Six sellers paid into the broker's account draw the targeted drug from day 150; a seventh on
    the account draws a statin. The six are a group as over-supplied with a costly drug, and with
    the seventh as over-supplied for months: one broker's sellers read twice, not two brokers
    recruiting in the same weeks. The untied batch that started the drug in their fortnight is his
    (the closer reading, the six), not left apart for want of one group to join. Two groups
    that merely share a person (a cash-out organiser's cardholder who also sells for a broker)
    are two rings, and the batch is neither's."""
    day = pd.Timestamp("2024-01-01")
    tied = {f"T{i}" for i in range(6)}
    batch = {f"U{i}" for i in range(6)}
    drawn = pd.DataFrame({"person_id": sorted(tied | batch)}).assign(item_code="TARGETED")
    drawn["first"] = day + pd.to_timedelta([150 + 2 * (i % 6) + (i >= 6) for i in range(12)], "D")
    first = drawn.loc[drawn["person_id"].isin(batch), "first"]
    groups = [(set(tied), drawn), (tied | {"T6"}, drawn)]
    assert _batch_of(groups, drawn, batch, first, 21, {0, 1}) == 0
    small, crowd = {"T0", "T1", "T2", "D0", "D1", "D2", "D3"}, tied | {f"C{i}" for i in range(20)}
    assert _batch_of([(small, drawn), (crowd, drawn)], drawn, batch, first, 21, {0, 1}) is None
    # two brokers' groups that share no seller stay apart: the batch is neither's
    theirs = pd.DataFrame({"person_id": ["V0", "V1", "V2"], "item_code": "TARGETED",
                           "first": day + pd.to_timedelta([152, 154, 156], "D")})
    both = pd.concat([drawn, theirs], ignore_index=True)
    assert _batch_of([(set(tied), both), ({"V0", "V1", "V2"}, both)], both, batch, first, 21, {0, 1}) is None


def test_heavy_users_who_met_at_a_counter_are_no_brokers_second_batch():
    """Twelve heavy users of a costly drug fill it at the same busy counter in the same weeks; two
    of them also draw a statin and started it in the fortnight an untied batch of six did. Had an
    account tied them, they would be a broker's sellers of two drugs and the batch his; met at a
    counter, they are long-standing patients of both drugs, and the batch is no one's. A group
    of them that mostly is the batch is still the batch, however it was read, and a crowd that
    cannot be joined still makes the join ambiguous where another group is as likely."""
    day = pd.Timestamp("2024-01-01")
    crowd = {f"M{i}" for i in range(12)}
    batch = {f"U{i}" for i in range(6)}
    starts = {"M0": 3, "M1": 5, **{f"U{i}": 2 + i for i in range(6)}}
    drawn = pd.DataFrame({"person_id": list(starts), "item_code": "STATIN",
                          "first": [day + pd.Timedelta(days=d) for d in starts.values()]})
    first = drawn.loc[drawn["person_id"].isin(batch), "first"]
    assert _batch_of([(crowd, drawn)], drawn, batch, first, 21, set()) == 0
    met = lambda persons: persons != crowd  # noqa: E731  (the crowd's identifiers tie none of it)
    assert _batch_of([(crowd, drawn)], drawn, batch, first, 21, set(), one_by_ties=met) is None
    same = batch | {"M0", "M1"}
    assert _batch_of([(same, drawn)], drawn, {"U0", "U1"}, first, 21, set(), one_by_ties=lambda persons: False) == 0
    # still a rival: with another group as likely, the batch is neither's, as it was before
    pair = {"T0", "T1"}  # of a tied group of five, the two drawing the statin
    tied = pair | {"T2", "T3", "T4"}
    both = pd.concat([drawn, pd.DataFrame({"person_id": sorted(pair), "item_code": "STATIN",
                                           "first": [day + pd.Timedelta(days=4)] * 2})], ignore_index=True)
    assert _batch_of([(tied, both)], both, batch, first, 21, set()) == 0
    assert _batch_of([(crowd, both), (tied, both)], both, batch, first, 21, set(), one_by_ties=met) is None


def test_a_brokers_seller_drawing_since_before_the_extract_does_not_set_his_other_batch_apart():
    """A broker's four sellers are paid into his account; two draw the batch's drug: one started it
    with the untied batch in spring, the other has drawn it since before the extract began (his
    first fill in it is on its first days). His start is unknown, not in other weeks: the batch
    is the broker's. A tied seller who started the drug in autumn does set it apart, and so does
    a group whose courses mostly began before the extract (another broker's veterans)."""
    day = pd.Timestamp("2024-01-01")
    tied = {"T0", "T1", "T2", "T3"}
    batch = {f"U{i}" for i in range(6)}
    starts = {"T0": 152, "T1": 2, **{f"U{i}": 148 + 2 * i for i in range(6)}}
    drawn = pd.DataFrame({"person_id": list(starts), "item_code": "TARGETED",
                          "first": [day + pd.Timedelta(days=d) for d in starts.values()]})
    first = drawn.loc[drawn["person_id"].isin(batch), "first"]
    groups = [(tied, drawn)]
    assert _batch_of(groups, drawn, batch, first, 21, {0}) is None
    assert _batch_of(groups, drawn, batch, first, 21, {0}, since=day + pd.Timedelta(days=30)) == 0
    autumn = drawn.assign(first=drawn["first"].where(drawn["person_id"] != "T1", day + pd.Timedelta(days=280)))
    assert _batch_of(groups, autumn, batch, first, 21, {0}, since=day + pd.Timedelta(days=30)) is None
    # another broker's long-standing sellers, one of whom began a course in the batch's weeks
    veterans = pd.concat([drawn, pd.DataFrame({"person_id": ["T2", "T3"], "item_code": "TARGETED",
                                               "first": [day, day + pd.Timedelta(days=4)]})], ignore_index=True)
    assert _batch_of(groups, veterans, batch, first, 21, {0}, since=day + pd.Timedelta(days=30)) is None


def test_the_rest_of_a_tied_batch_drawing_a_little_too_fast_is_the_brokers_ring():
    """Beside the broker's four tied sellers, eight untied persons started the drug in the same
    fortnight and refill every 21 days: each a heavier user like the drug's twenty honest ones,
    but eight of them starting with his four, when few of the drug's starters of any fortnight
    refill so fast, are the rest of his batch."""
    w = World()
    rng = np.random.default_rng(21)
    tied = _drug_patients_and_a_brokers_tied_four(w, rng)
    rest = [w.person(f"R{i}", household=f"RH{i}") for i in range(8)]
    for k, pid in enumerate(rest):
        for fill in range(8):
            w.claim(pid, f"P{fill % 3}", w.at(101 + k + fill * 21, 130), amount=20.0, lines=[("ACEI", 1.0, 20.0)])
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(tied) | set(rest) <= members(rings[0])


def test_heavier_honest_users_starting_in_a_brokers_weeks_are_not_his():
    """The broker's four alone: the drug's heavier honest users who happen to start in his
    sellers' fortnight are as many as in any fortnight, and stay out of his ring."""
    w = World()
    rng = np.random.default_rng(21)
    tied = _drug_patients_and_a_brokers_tied_four(w, rng)
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(tied) <= members(rings[0])
    assert not {m for m in members(rings[0]) if m.startswith(("X", "S"))}


def test_a_batch_that_is_all_its_drugs_short_courses_is_weighed_at_the_formularys_rate():
    """A broker's six sellers of drug D started among its three hundred long-standing patients'
    first fills and stopped together in May: they are all of D's short courses, so D's own rate
    of over-supplied short courses is theirs, and would hide them. Across the formulary (drug
    E's two hundred short courses, four over-supplied) six of six stopping together is no chance."""
    day = pd.Timestamp("2024-01-01")
    rows = [(f"h{i}", "D", i % 20, 360, False) for i in range(300)]
    rows += [(f"b{i}", "D", 5 + i, 140 + i, True) for i in range(6)]
    rows += [(f"e{i}", "E", i, i + 90, i < 4) for i in range(200)]
    use = pd.DataFrame(rows, columns=["person_id", "item_code", "first", "last", "over"])
    use["first"], use["last"] = day + pd.to_timedelta(use["first"], "D"), day + pd.to_timedelta(use["last"], "D")
    found = [(g, s) for drug, g, s in co_started(use, use["over"], days=21) if drug == "D"]
    batch = {f"b{i}" for i in range(6)}
    assert any(g == batch and s >= 6 for g, s in found)


def _a_seasons_patients_and_a_batch(batch: bool) -> pd.DataFrame:
    """Drug D's thousand long-standing patients, first filling it in the extract's first three
    weeks and refilling monthly to its end, one in ten a little too fast; twelve hundred patients
    who started it in its second and third months and stopped by the autumn, one in five a little
    too fast (a second prescriber's heavy users, new patients whose doses are being set); and,
    where ``batch``, a broker's eight sellers who started it in a week of June."""
    day = pd.Timestamp("2024-01-01")
    rows = [(f"h{i}", i % 21, 360, 13, i % 10 == 0) for i in range(1000)]
    rows += [(f"n{i}", 40 + i % 60, 250 + i % 40, 9, i % 5 == 0) for i in range(1200)]
    rows += [(f"b{i}", 160 + i, 250, 12, True) for i in range(8 if batch else 0)]
    use = pd.DataFrame(rows, columns=["person_id", "first", "last", "fills", "over"]).assign(item_code="D")
    use["span_days"] = use["last"] - use["first"]
    use["first"], use["last"] = day + pd.to_timedelta(use["first"], "D"), day + pd.to_timedelta(use["last"], "D")
    return use


def test_a_seasons_patients_over_supplied_a_little_more_often_are_no_batch():
    """The season's starters are over-supplied more often than the drug's long-standing patients,
    whose first fills set much of its rate: any three weeks of theirs hold more over-supplied than
    that rate gives, read over hundreds a surprise (a batch of dozens). Against the courses begun
    in the extract they are what such courses are, and most of them would be there at the rate
    alone: no broker's batch. The broker's eight sellers, all over-supplied in a week when nobody
    else starts, stand out."""
    use = _a_seasons_patients_and_a_batch(False)
    # read against the drug's one rate (without fill counts to tell the kinds of course apart), no lift
    plain = use.drop(columns=["fills", "span_days"])
    assert max((s for _, g, s in co_started(plain, plain["over"], days=21) if len(g) >= 3), default=0.0) > 4.0
    found = co_started(use, use["over"], days=21, lift=2.0)
    assert max((s for _, g, s in found if len(g) >= 3), default=0.0) < 3.0
    use = _a_seasons_patients_and_a_batch(True)
    batch = {f"b{i}" for i in range(8)}
    assert any(g == batch and s >= 4 for _, g, s in co_started(use, use["over"], days=21, lift=2.0))


def test_a_tied_pairs_batch_takes_in_no_seasons_patients():
    """A broker's two tied sellers started drug D in the season's weeks. Of the season's patients
    who started with them, a third are over-supplied a little, against one in five of all its
    patients begun in the extract: more than chance gives, but most of them would be there at the
    rate alone, and joining those dozens would bury the pair in strangers."""
    use = _a_seasons_patients_and_a_batch(False)
    day = use["first"].min()
    weeks = use["first"].between(day + pd.Timedelta(days=60), day + pd.Timedelta(days=81))
    use.loc[weeks & use["person_id"].str[1:].astype(int).mod(20).isin([1, 2]), "over"] = True
    pair = pd.DataFrame({"person_id": ["t0", "t1"], "first": [day + pd.Timedelta(days=60)] * 2,
                         "last": [day + pd.Timedelta(days=300)] * 2, "fills": 9, "over": True, "item_code": "D",
                         "span_days": 240})
    use = pd.concat([use, pair], ignore_index=True)
    by_drug = use.groupby("item_code").indices
    windows = _batch_windows(use, use["over"], by_drug, {"t0", "t1"}, 21, frozenset({"t0", "t1"}), lift=2.0)
    assert all(len(inside) < 3 for _, _, inside in windows), [(s, len(g)) for s, _, g in windows]


def test_a_tied_pairs_window_holding_both_is_read_where_strangers_started_just_after():
    """A tied pair started drug D on days 100 and 101, two strangers over-supplied with it on day
    108 and four more on day 122. The later starter's three weeks (101-122) hold all six strangers
    and are the sharper window, but not the earlier starter: read as a batch's windows (none
    sharing a person), no window holds the pair. Read for the pair, every window its starts open
    is weighed, and the earlier one's holds both, with two of the strangers."""
    day = pd.Timestamp("2024-01-01")
    rows = [(f"h{i}", i % 20, i % 50 == 0) for i in range(600)] + [(f"n{i}", 30 + i, False) for i in range(300)]
    rows += [("t0", 100, True), ("t1", 101, True)] + [(f"s{i}", 108 if i < 2 else 122, True) for i in range(6)]
    use = pd.DataFrame(rows, columns=["person_id", "first", "over"]).assign(item_code="D")
    use["first"] = day + pd.to_timedelta(use["first"], "D")
    use["last"] = day + pd.Timedelta(days=360)
    pair = {"t0", "t1"}
    holding = lambda windows: [s for _, inside, s in windows if pair <= inside]  # noqa: E731
    assert holding(co_started(use, use["over"], days=21, opening=pair)) == []
    assert max(holding(co_started(use, use["over"], days=21, opening=pair, overlapping=True))) > 2


def test_a_tied_groups_window_is_weighed_against_courses_begun_as_late():
    """A broker's two tied sellers start drug D in June. So do a fortnight's new patients, as many
    as start it in any fortnight, one in two of whom (as of every course begun mid-year) draws a
    little too much over its first few fills. D's thousand long-standing patients rarely do:
    against them the new patients would read as the rest of the broker's batch; against the
    courses begun as late, they are no surprise."""
    day = pd.Timestamp("2024-01-01")
    rows = [(f"h{i}", i % 30, 12, 330, i % 100 == 0) for i in range(1000)]
    rows += [(f"n{i}", 60 + 2 * i, 3, 60, i % 2 == 0) for i in range(120)]
    rows += [(f"t{i}", 160 + i, 3, 60, True) for i in range(2)]
    use = pd.DataFrame(rows, columns=["person_id", "first", "fills", "span_days", "mild"]).assign(item_code="D")
    use["first"] = day + pd.to_timedelta(use["first"], "D")
    use["last"] = use["first"] + pd.to_timedelta(use["span_days"], "D")
    tied = {"t0", "t1"}
    ((surprise, drug, inside),) = _batch_windows(use, use["mild"], use.groupby("item_code").indices, tied, 21,
                                                 frozenset(tied))
    assert drug == "D" and surprise < 2.0, (surprise, sorted(inside))


def test_a_batch_recruited_in_the_first_weeks_shows_when_it_stops():
    """A broker's two tied sellers start drug D in the extract's first fortnight and stop in
    March; four more of his batch start and stop with them, untied. D's thousand long-standing
    patients all fill it first in those weeks too (one in a hundred a little fast), so the
    batch's starts are no surprise among theirs; but they go on all year, and of the few who
    stopped in March (four died) the four batch-mates drawing too much are. They join the
    tied pair; the long-standing patients who draw a little fast do not."""
    day = pd.Timestamp("2024-01-01")
    rows = [(f"h{i}", i % 30, 330, i % 100 == 0) for i in range(1000)]
    rows += [(f"d{i}", 6 + i, 80 + i, False) for i in range(4)]
    rows += [("t0", 5, 80, True), ("t1", 7, 84, True)] + [(f"b{i}", 8 + i, 78 + 3 * i, True) for i in range(4)]
    use = pd.DataFrame(rows, columns=["person_id", "first", "last", "mild"]).assign(item_code="D")
    use["first"] = day + pd.to_timedelta(use["first"], "D")
    use["last"] = day + pd.to_timedelta(use["last"], "D")
    use["span_days"], use["fills"] = (use["last"] - use["first"]).dt.days, 4
    tied = {"t0", "t1"}
    ((surprise, drug, inside),) = _batch_windows(use, use["mild"], use.groupby("item_code").indices, tied, 21,
                                                 frozenset(tied))
    assert inside == {f"b{i}" for i in range(4)} and surprise - math.log10(4 * len(tied)) >= 2.0, (surprise, inside)


def test_another_brokers_batch_starting_in_the_same_weeks_is_his_ring():
    """Six sellers on the broker's account draw twice the need of an ACE inhibitor from day 150;
    twelve more started it in the same days at 1.3 times the need, two of them paid into a second
    broker's account. The twelve are his batch, not the rest of the first broker's: two rings."""
    w = _statin_and_ace_inhibitor_users_and_a_broker()
    first = [w.person(f"A{i}", household=f"AH{i}") for i in range(6)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in first]
    for k, pid in enumerate(first):
        _monthly(w, pid, 150 + 2 * k, 6, 2.0, "ACEI")
    second = _batch(w, "B", "ACEI", 152, 0) + _batch(w, "C", "ACEI", 153, 0)
    w.person("BROKER2", household="B2H")
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker2"}
              for pid in ("BROKER2", *second[:2])]
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(first) <= ring and not ring & set(second) for ring in rings)
    assert any(set(second) <= ring and not ring & set(first) for ring in rings)


def test_a_brokers_batch_tied_to_him_by_his_phone_and_another_by_his_account_are_one_ring():
    """Two sellers of the statin batch are paid into the broker's account; one of the ACE
    inhibitor batch lists his phone. He ties the first batch's households and is tied to a
    seller of the second: one ring."""
    w = _statin_and_ace_inhibitor_users_and_a_broker()
    sellers = _batch(w, "A", "STATIN", 60, 2) + _batch(w, "B", "ACEI", 150, 0)
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "phone", "value": "ph-broker"}
              for pid in ("BROKER", sellers[6])]
    rings = [r for r in flagged(w) if r.typology == "drug_resale"]
    assert len(rings) == 1 and set(sellers) <= members(rings[0])



def _tied_sellers_of_the_costly_drug(w: World, prefix: str, start: int) -> list[str]:
    """A broker (``prefix`` + "BROKER") and four sellers of their own households paid into his
    account, drawing the costly chronic drug at twice the need, monthly for three months from
    day ``start`` at three pharmacies."""
    w.person(f"{prefix}BROKER", household=f"{prefix}BH")
    tied = [w.person(f"{prefix}T{i}", household=f"{prefix}TH{i}") for i in range(4)]
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": f"acct-{prefix}"}
              for pid in (f"{prefix}BROKER", *tied)]
    for k, pid in enumerate(tied):
        _monthly(w, pid, start + k, 3, 2.0, "CHRONIC", 1000.0)
    return tied


def _untied_costly_sellers(w: World, prefix: str, starts: list[int], fills: int) -> list[str]:
    """Sellers of their own households, tied to no one, each drawing the costly chronic drug at
    twice the need monthly from its day in ``starts``, ``fills`` times, every fill at a pharmacy
    of its own (they never meet at a counter)."""
    sellers = [w.person(f"{prefix}{i}", household=f"{prefix}H{i}") for i in range(len(starts))]
    for k, (pid, start) in enumerate(zip(sellers, starts)):
        for fill in range(fills):
            w.claim(pid, w.facility(f"{prefix}P{k}-{fill}", "pharmacy"), w.at(start + 30 * fill, 140), amount=2000.0,
                    lines=[("CHRONIC", 2.0, 1000.0)])
    return sellers


def test_the_rest_of_a_tied_batch_on_two_fills_before_the_extract_ends_is_the_brokers_ring():
    """The broker's four tied sellers started the costly drug at day 300; eight untied persons
    started it in the same fortnight at twice the need too, and the extract ends after their
    second fill. Two fills are all a batch recruited late shows; eight of the drug's starters of
    those weeks over-supplied with a costly drug, when its patients refill at the need, are the
    rest of his batch."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    tied = _tied_sellers_of_the_costly_drug(w, "A", 300)
    rest = _untied_costly_sellers(w, "R", [301 + k for k in range(8)], 2)
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(tied) | set(rest) <= ring for ring in rings)


def test_a_seller_in_two_brokers_weeks_is_the_rest_of_the_batch_he_started_with():
    """One broker's four tied sellers started the costly drug at days 205-208, another's at days
    222-225, and twelve untied persons started it at days 222-233 at twice the need, two fills
    before the extract ends: the second's batch. The eight of them who started within three
    weeks of the first's sellers are in his weeks too, but all twelve are in the second's: the
    sharper window takes them (and the second's own sellers are no evidence of the first's batch)."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    a = _tied_sellers_of_the_costly_drug(w, "A", 205)
    b = _tied_sellers_of_the_costly_drug(w, "B", 222)
    rest = _untied_costly_sellers(w, "R", [222 + k for k in range(12)], 2)
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(b) | set(rest) <= ring for ring in rings)
    assert any(set(a) <= ring and not ring & set(rest) for ring in rings)


def _late_statin_sellers(w: World, prefix: str, starts: list[int], boxes: float, phone: str | None = None) -> list[str]:
    """Persons of their own households drawing the cheap statin on two fills a month apart from
    their day in ``starts``, ``boxes`` at a time (one box is a month's need), at two pharmacies:
    all a seller recruited late in the extract shows."""
    sellers = [w.person(f"{prefix}{i}", household=f"{prefix}H{i}", phone=phone) for i in range(len(starts))]
    for pid, start in zip(sellers, starts):
        for fill in range(2):
            w.claim(pid, f"P{fill}", w.at(start + 30 * fill, 130), amount=20.0 * boxes,
                    lines=[("STATIN", boxes, 20.0)])
    return sellers


@pytest.mark.parametrize("boxes, found", [(5.0, True), (1.0, False)])
def test_sellers_on_two_fills_of_a_cheap_drug_paid_into_one_account_are_resale(boxes, found):
    """A broker's account ties four persons of their own households, each on two fills of the
    statin from day 300, the extract's end cutting their stint short. At five times the need the
    tie across more households than a family's and the over-supply meet: his ring, though no
    one drew for months and the drug is cheap. At the need, the tie alone is no resale."""
    w = _regular_chronic_users()
    _regular_statin_users(w)
    w.person("BROKER", household="BH")
    sellers = _late_statin_sellers(w, "L", [300 + k for k in range(4)], boxes)
    w.ids += [{"owner_type": "person", "owner_id": pid, "kind": "bank_account", "value": "acct-broker"}
              for pid in ("BROKER", *sellers)]
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(sellers) <= ring for ring in rings) == found


def test_the_rest_of_a_tied_batch_on_two_fills_of_a_cheap_drug_is_the_brokers_ring():
    """Beside the broker's four tied sellers of the ACE inhibitor (days 100-106), ten untied
    persons started it in the same fortnight at twice the need on two fills, and four more drew
    it so on two fills from days spread over the rest of the year. The ten of his weeks are the
    rest of his batch; the four spread out are early refills any drug has, and stay out."""
    w = World()
    rng = np.random.default_rng(21)
    tied = _drug_patients_and_a_brokers_tied_four(w, rng)
    batch = [w.person(f"R{i}", household=f"RH{i}") for i in range(10)]
    spread = [w.person(f"E{i}", household=f"EH{i}") for i in range(4)]
    for pid, start in [*zip(batch, range(101, 111)), *zip(spread, (20, 160, 220, 280))]:
        for fill in range(2):
            w.claim(pid, f"P{fill}", w.at(start + 30 * fill, 130), amount=40.0, lines=[("ACEI", 2.0, 20.0)])
    rings = [members(r) for r in flagged(w) if r.typology == "drug_resale"]
    assert any(set(tied) | set(batch) <= ring for ring in rings)
    assert not any(ring & set(spread) for ring in rings)

def _ward_of_different_lengths(w: World, admitted) -> list[str]:
    """Eight patients seen nowhere else at H6, the k-th admitted on day ``admitted(k)``, their
    stays of eight to eleven days billed from one list of items (bed and traction days
    following each stay's length)."""
    ghosts = [w.person(f"GW{k}", household=f"GWH{k}") for k in range(8)]
    for k, pid in enumerate(ghosts):
        days = 8 + k % 4
        lines = [("BED", float(days), 80.0), ("TRACTION", float(days), 60.0), ("DRUG3", 4.0, 35.0)]
        w.claim(pid, "H6", w.at(admitted(k) + days, 200 + k), visit="inpatient", admitted=w.at(admitted(k), 200 + k),
                diagnosis="M51.2", amount=sum(q * p for _, q, p in lines), lines=lines)
    return ghosts


def test_a_wards_stays_of_different_lengths_are_one_template():
    """The stays are one template by their items, and the fictitious-services job lists the
    eight as one group, whatever days they came."""
    w = World()
    _private_ward(w, packaged=False)
    ghosts = _ward_of_different_lengths(w, lambda k: 100 + 23 * k)
    found = fictitious_services_job(build_context(w.tables())).candidates
    assert any(set(ghosts) <= c.persons() for c in found)


def test_a_ward_keyed_in_sittings_is_fictitious():
    """The eight admitted three, three and two on three days weeks apart, where the hospital's
    real patients come one every third day: a ward keyed in sittings, on paper."""
    w = World()
    _private_ward(w, packaged=False)
    ghosts = _ward_of_different_lengths(w, lambda k: 151 + 20 * (k // 3))
    assert any(r.typology == "fictitious_services" and set(ghosts) <= members(r) for r in flagged(w))


def test_never_seen_patients_billed_alike_on_their_own_days_are_not_flagged():
    """The same eight, each admitted on a day of his own: never seen elsewhere and billed from
    one list of items is what a village's patients at a hospital with a care pathway look
    like; one signal, listed, not flagged."""
    w = World()
    _private_ward(w, packaged=False)
    ghosts = _ward_of_different_lengths(w, lambda k: 100 + 23 * k)
    assert not any(set(ghosts) & members(r) for r in flagged(w))
